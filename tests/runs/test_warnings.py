"""Issue 14: a team under its minimum (saved with an override) and unplaced students were
approved and published without any warning."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import MatchRun, Phase, Team, TeamStatus
from tests import factories as f
from tests.runs.conftest import World
from tests.runs.helpers import run_now
from tests.runs.test_publish import _tokens


def _take_out(anon: TestClient, session: Session, run: MatchRun, world: World) -> None:
    session.expire_all()
    team = session.exec(
        select(Team).where(Team.run_id == run.id, Team.opdracht_id == world.opdrachten[2].id)
    ).one()
    data = {
        "action": "unplace",
        "from_team": team.id,
        "from_version": team.version,
        "override": "true",
        "reason": "ziek",
    }
    assert (
        anon.post(f"/runs/{run.id}/students/{world.students[2].id}", data=data).status_code == 303
    )


def test_approving_with_warnings_needs_an_acknowledgement(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)  # the student's leerkring: Noord
    _take_out(anon, session, run, world)
    f.login(
        anon, session, world.other_wijkdocent
    )  # Zuid: Kletsbot  # Kletsbot keeps one member, under its minimum of 2
    page = anon.get("/runs/approvals")
    assert "Teams buiten hun grootte: 1." in page.text
    assert (
        "Plaatsingen met een afwijking" not in page.text or "Niet geplaatste studenten" in page.text
    )
    assert "1 lid, minstens 2" in page.text  # the approvals page lists the rule breaks
    south = world.opdrachten[2].leerkring_id
    token = _tokens(anon)[south or 0]
    refused = anon.post(f"/runs/approvals/{south}", data={"token": token})
    assert refused.status_code == 422
    assert "vink aan dat je ze gezien hebt" in refused.text
    session.expire_all()
    assert all(t.status != TeamStatus.APPROVED for t in session.exec(select(Team)))
    ok = anon.post(f"/runs/approvals/{south}", data={"token": token, "acknowledged": "true"})
    assert ok.status_code == 303


def test_publishing_with_unplaced_students_needs_an_acknowledgement(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    _take_out(anon, session, run, world)
    for who in (world.wijkdocent, world.other_wijkdocent):
        f.login(anon, session, who)
        for lk, token in _tokens(anon).items():
            anon.post(f"/runs/approvals/{lk}", data={"token": token, "acknowledged": "true"})
    f.login(anon, session, world.admin)
    page = anon.get("/runs/approvals")
    assert "Niet geplaatste studenten:" in page.text
    refused = anon.post("/runs/publish")
    assert refused.status_code == 422
    session.refresh(world.semester)
    assert world.semester.phase != Phase.PUBLISHED
    assert anon.post("/runs/publish", data={"acknowledged": "true"}).status_code == 303
    session.refresh(world.semester)
    assert str(world.semester.phase) == str(Phase.PUBLISHED)
