"""Carried across semesters: duplicate, continue an earlier opdracht, the chain with teams."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import (
    AuditEvent,
    MatchRun,
    Member,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtStatus,
    OpdrachtTheme,
    Phase,
    Role,
    RunStatus,
    Team,
)
from tests import factories as f
from tests.opdrachten import world
from tests.opdrachten.world import World


@pytest.fixture
def w(session: Session) -> World:
    return world.build(session)


def _earlier(session: Session, w: World, **kw: object) -> Opdracht:
    """An approved opdracht of the owner in a closed earlier semester."""
    past = f.semester(session, Phase.CLOSED, code="2000-S1", starts_on=date(2000, 2, 1))
    return f.opdracht(session, past, kw.pop("owner", w.owner), **kw)  # type: ignore[arg-type]


def _teams(session: Session, opdracht: Opdracht, sizes: list[int]) -> None:
    run = MatchRun(semester_id=opdracht.semester_id, is_current=True, status=RunStatus.SUCCEEDED)
    session.add(run)
    session.flush()
    programme = f.programme(session)
    for index, size in enumerate(sizes, start=1):
        team = Team(run_id=run.id or 0, opdracht_id=opdracht.id or 0, index=index)
        session.add(team)
        session.flush()
        for _ in range(size):
            student = f.student(session, programme)
            session.add(
                Member(run_id=run.id or 0, team_id=team.id or 0, student_id=student.id or 0)
            )
    session.flush()


def test_duplicate_into_the_intake_semester_continues_the_source(
    anon: TestClient, session: Session, w: World
):
    source = _earlier(session, w, title="Welzijn op Recept: verkenning", teams=2)
    assert source.id is not None
    session.add(OpdrachtTheme(opdracht_id=source.id, theme_id=w.theme.id or 0))
    session.add(OpdrachtCopartner(opdracht_id=source.id, partner_id=w.co.id or 0))
    session.flush()
    f.login(anon, session, w.owner_user)
    detail = anon.get(f"/opdrachten/{source.id}").text
    assert f'<option value="{w.semester.id}">' in detail  # the intake semester is offered
    response = anon.post(f"/opdrachten/{source.id}/duplicate", data={"semester_id": w.semester.id})
    assert response.status_code == 303
    copy = session.exec(select(Opdracht).where(Opdracht.semester_id == w.semester.id)).one()
    assert response.headers["location"] == f"/opdrachten/{copy.id}/edit"
    assert (copy.title, copy.teams, copy.status) == (source.title, 2, OpdrachtStatus.DRAFT)
    assert copy.continues_id == source.id
    assert session.exec(
        select(OpdrachtTheme.theme_id).where(OpdrachtTheme.opdracht_id == copy.id)
    ).all() == [w.theme.id]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "opdracht.duplicate")).one()
    assert event.after is not None
    assert event.after["source_id"] == source.id
    # The co-partner's users may edit the copy too.
    f.login(anon, session, w.co_user)
    assert anon.get(f"/opdrachten/{copy.id}/edit").status_code == 200


def test_duplicate_is_refused_for_other_partners_and_closed_semesters(
    anon: TestClient, session: Session, w: World
):
    source = _earlier(session, w)
    f.login(anon, session, w.other_user)
    response = anon.post(f"/opdrachten/{source.id}/duplicate", data={"semester_id": w.semester.id})
    assert response.status_code == 403
    f.login(anon, session, w.owner_user)
    closed = anon.post(
        f"/opdrachten/{source.id}/duplicate", data={"semester_id": source.semester_id}
    )
    assert closed.status_code == 409
    missing = anon.post(f"/opdrachten/{source.id}/duplicate", data={"semester_id": "x"})
    assert missing.status_code == 404
    assert session.exec(select(Opdracht).where(Opdracht.id != source.id)).first() is None


def test_the_chain_shows_what_earlier_teams_did(anon: TestClient, session: Session, w: World):
    first = _earlier(session, w, title="Hop-on-Hop-off: het spel bedacht")
    _teams(session, first, [4, 5])
    current = f.opdracht(
        session,
        w.semester,
        w.owner,
        title="Hop-on-Hop-off: het spel getest",
        continues_id=first.id,
    )
    f.login(anon, session, f.user(session, Role.WIJKDOCENT))
    page = anon.get(f"/opdrachten/{current.id}").text
    assert "Hop-on-Hop-off: het spel bedacht" in page
    assert "2000-S1" in page
    assert "Teams en hun grootte: 4, 5" in page
    earlier_page = anon.get(f"/opdrachten/{first.id}").text
    assert "Vervolgd door" in earlier_page
    assert "Hop-on-Hop-off: het spel getest" in earlier_page


def test_continues_only_from_the_partners_own_history(anon: TestClient, session: Session, w: World):
    mine = _earlier(session, w, title="Eigen eerdere opdracht")
    past = session.get(type(w.semester), mine.semester_id)
    assert past is not None
    theirs = f.opdracht(session, past, w.other, title="Opdracht van een ander")
    f.login(anon, session, w.owner_user)
    form_page = anon.get(f"/opdrachten/new?semester={w.semester.id}").text
    assert "Eigen eerdere opdracht" in form_page
    assert "Opdracht van een ander" not in form_page
    refused = anon.post("/opdrachten/new", data=world.form(w, continues_id=theirs.id))
    assert refused.status_code == 422
    assert "Kies uit de getoonde mogelijkheden" in refused.text
    ok = anon.post("/opdrachten/new", data=world.form(w, continues_id=mine.id))
    assert ok.status_code == 303
