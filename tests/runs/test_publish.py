from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import (
    AuditEvent,
    Member,
    OutboxMessage,
    Phase,
    PublishedTeam,
    Semester,
    Team,
    TeamStatus,
    User,
)
from tests import factories as f
from tests.api import builders as b
from tests.runs.conftest import World, ident
from tests.runs.helpers import run_now


def _tokens(client: TestClient) -> dict[int, str]:
    page = client.get("/runs/approvals").text
    found = re.findall(
        r'action="/runs/approvals/(\d+)">\s*<input[^>]*>\s*'
        r'<input type="hidden" name="token" value="(\w+)"',
        page,
    )
    return {int(lk): token for lk, token in found}


def _approve_all(client: TestClient, session: Session, world: World) -> None:
    for who in (world.wijkdocent, world.other_wijkdocent):
        f.login(client, session, who)
        for lk, token in _tokens(client).items():
            assert client.post(f"/runs/approvals/{lk}", data={"token": token}).status_code == 303


@pytest.fixture
def current(session: Session, world: World):
    # The world's opdrachten live in the semester the pages show (the newest open one).
    for other in session.exec(select(Semester).where(Semester.id != world.semester.id)):
        other.phase = Phase.CLOSED
        session.add(other)
    session.flush()
    return run_now(session, world)


def test_a_wijkdocent_approves_only_their_own_leerkring(
    anon: TestClient, session: Session, world: World, current
):
    f.login(anon, session, world.wijkdocent)
    tokens = _tokens(anon)
    north = world.opdrachten[0].leerkring_id or 0
    south = world.opdrachten[2].leerkring_id or 0
    assert set(tokens) == {north}  # only their own leerkring has a button
    assert anon.post(f"/runs/approvals/{south}", data={"token": "whatever"}).status_code == 403
    assert anon.post(f"/runs/approvals/{north}", data={"token": "stale"}).status_code == 409
    assert anon.post(f"/runs/approvals/{north}", data={"token": tokens[north]}).status_code == 303
    session.expire_all()
    statuses = {
        t.opdracht_id: t.status for t in session.exec(select(Team).where(Team.run_id == current.id))
    }
    assert statuses[ident(world.opdrachten[0])] == TeamStatus.APPROVED
    assert statuses[ident(world.opdrachten[2])] == TeamStatus.PROPOSED
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "run.approve")).one()


def test_publishing_needs_every_team_approved(
    anon: TestClient, session: Session, world: World, current
):
    f.login(anon, session, world.wijkdocent)
    north = world.opdrachten[0].leerkring_id or 0
    anon.post(f"/runs/approvals/{north}", data={"token": _tokens(anon)[north]})
    f.login(anon, session, world.admin)
    refused = anon.post("/runs/publish")
    assert refused.status_code == 409
    assert "Nog niet alle teams zijn goedgekeurd" in refused.text
    session.refresh(world.semester)
    assert world.semester.phase == Phase.MATCHING


def test_publish_shows_teams_mails_everyone_and_fills_the_api_snapshot(
    anon: TestClient, session: Session, world: World, current
):
    student_user = session.get(User, world.students[0].user_id)
    assert student_user is not None
    f.login(anon, session, student_user)
    assert "nog niet gepubliceerd" in anon.get("/student/team").text
    f.login(anon, session, world.partner_user)
    assert "nog niet gepubliceerd" in anon.get("/partner/teams").text

    assert session.exec(select(PublishedTeam)).all() == []
    _approve_all(anon, session, world)
    f.login(anon, session, world.admin)
    assert anon.post("/runs/publish").status_code == 303
    session.refresh(world.semester)
    assert world.semester.phase == Phase.PUBLISHED
    published = session.exec(
        select(PublishedTeam).where(PublishedTeam.semester_id == world.semester.id)
    ).all()
    assert len(published) == 3
    mails = session.exec(select(OutboxMessage)).all()
    assert {m.to for m in mails} >= {student_user.email, world.partner_user.email}

    f.login(anon, session, student_user)
    page = anon.get("/student/team").text
    assert "Welzijn op Recept" in page
    assert "Waarom je in dit team zit:</strong> Je kreeg je eerste keuze." in page
    assert "Begeleidende wijkdocent" in page
    assert world.wijkdocent.name in page
    f.login(anon, session, world.partner_user)
    assert anon.get("/partner/teams").text.count('class="team-card"') == 3

    f.login(anon, session, world.wijkdocent)  # after publication changes need a reopen
    team = session.exec(select(Team).where(Team.run_id == current.id)).first()
    assert team is not None
    assert (
        anon.post(
            f"/runs/{current.id}/teams/{team.id}/lock", data={"version": team.version}
        ).status_code
        == 409
    )


def test_reopening_needs_a_reason_and_is_audited(
    anon: TestClient, session: Session, world: World, current
):
    _approve_all(anon, session, world)
    f.login(anon, session, world.admin)
    anon.post("/runs/publish")
    empty = anon.post("/runs/reopen", data={"reason": " "})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.text
    assert anon.post("/runs/reopen", data={"reason": "Late aanmelding"}).status_code == 303
    session.refresh(world.semester)
    assert world.semester.phase == Phase.REVIEW
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "semester.reopen")).one()
    assert event.reason == "Late aanmelding"


def test_a_reopened_semester_keeps_showing_the_last_published_teams(
    anon: TestClient, session: Session, world: World, current
):
    _approve_all(anon, session, world)
    f.login(anon, session, world.admin)
    assert anon.post("/runs/publish").status_code == 303
    student_user = session.get(User, world.students[0].user_id)
    assert student_user is not None
    f.login(anon, session, student_user)
    before = anon.get("/student/team").text
    published_title = next(o.title for o in world.opdrachten if o.title in before)

    f.login(anon, session, world.admin)
    assert anon.post("/runs/reopen", data={"reason": "Late aanmelding"}).status_code == 303
    # A change in review (here: the student leaves the live team) is not published yet.
    for member in session.exec(select(Member).where(Member.student_id == world.students[0].id)):
        session.delete(member)
    session.flush()

    f.login(anon, session, student_user)
    page = anon.get("/student/team").text
    assert "nog niet gepubliceerd" not in page
    assert published_title in page
    assert "De teams worden herzien" in page
    f.login(anon, session, world.partner_user)
    teams = anon.get("/partner/teams").text
    assert teams.count('class="team-card"') == 3
    assert "De teams worden herzien" in teams
    assert student_user.name in teams
    secret = b.token(session)
    api = anon.get(f"/api/v1/semesters/{world.semester.code}/teams", headers=b.bearer(secret))
    assert api.status_code == 200
    assert len(api.json()["items"]) == 3


def test_a_partner_is_told_which_opdracht_got_no_team_and_why(
    anon: TestClient, session: Session, world: World, current
):
    lonely = f.opdracht(session, world.semester, world.partner, title="Kletsbot in de wijk")
    f.login(anon, session, world.partner_user)
    assert "Kletsbot in de wijk" not in anon.get("/partner/teams").text  # not published yet
    _approve_all(anon, session, world)
    f.login(anon, session, world.admin)
    assert anon.post("/runs/publish", data={"acknowledged": "true"}).status_code == 303

    f.login(anon, session, world.partner_user)
    teams = anon.get("/partner/teams").text
    assert "Opdrachten zonder team" in teams
    assert "Kletsbot in de wijk</a>: Niemand koos deze opdracht." in teams
    page = anon.get(f"/opdrachten/{lonely.id}").text
    assert "Deze opdracht heeft dit semester geen team gekregen." in page
    assert "Niemand koos deze opdracht." in page
    with_team = anon.get(f"/opdrachten/{world.opdrachten[0].id}").text
    assert "geen team gekregen" not in with_team
