from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AuditEvent, Member, Team
from app.runs.compare import compare
from tests import factories as f
from tests.runs.conftest import World, ident
from tests.runs.helpers import run_now


def test_a_rerun_shows_the_diff_and_replaces_the_teams_only_when_adopted(
    anon: TestClient, session: Session, world: World
):
    first = run_now(session, world)
    # Student 0 may no longer do opdracht 0: the re-run has to move them.
    f.login(anon, session, world.wijkdocent)
    team = session.exec(
        select(Member).where(Member.run_id == first.id, Member.student_id == world.students[0].id)
    ).one()
    ban = {
        "action": "ban",
        "from_team": team.team_id,
        "from_version": 1,
        "opdracht_id": world.opdrachten[0].id,
        "override": "true",
        "reason": "conflict of interest",
    }
    assert (
        anon.post(f"/runs/{first.id}/students/{world.students[0].id}", data=ban).status_code == 303
    )
    second = run_now(session, world, minimal_disruption=True)
    assert second.parameters["previous_run_id"] == first.id
    assert not second.is_current

    page = anon.get(f"/runs/{second.id}")
    assert "Verschillen met de huidige teams" in page.text
    assert "Studenten die zouden verhuizen: " in page.text
    compared = anon.get(f"/runs/compare?a={first.id}&b={second.id}")
    assert compared.status_code == 200
    assert "Anders geplaatste studenten" in compared.text
    assert compared.text.count('role="img"') == 1

    # A run covers every leerkring: only an admin may make it the current one.
    assert "Alleen een beheerder kan de huidige teams vervangen" in page.text
    assert anon.post(f"/runs/{second.id}/adopt").status_code == 403
    f.login(anon, session, world.admin)
    assert f'action="/runs/{second.id}/adopt"' in anon.get(f"/runs/{second.id}").text
    assert anon.post(f"/runs/{second.id}/adopt").status_code == 303
    session.refresh(first)
    session.refresh(second)
    assert (first.is_current, second.is_current) == (False, True)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "run.adopt")).one()


def test_runs_of_different_semesters_cannot_be_compared(
    anon: TestClient, session: Session, world: World
):
    a = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    other = f.semester(session)
    b = a.model_copy(update={"id": None, "semester_id": other.id, "is_current": False})
    session.add(b)
    session.flush()
    assert anon.get(f"/runs/compare?a={a.id}&b={b.id}").status_code == 422


def test_the_diff_lists_students_who_change_team_within_one_opdracht_and_into_unplaced(
    session: Session, world: World
):
    """Issue 14: the diff was counted per opdracht, so a split into a new team did not show."""
    s0, s1 = ident(world.students[0]), ident(world.students[1])
    first = run_now(session, world)
    second = run_now(session, world)
    members = {
        m.student_id: m for m in session.exec(select(Member).where(Member.run_id == second.id))
    }
    old = session.get(Team, members[s0].team_id)
    assert old is not None
    split = Team(run_id=ident(second), opdracht_id=old.opdracht_id, index=2)
    session.add(split)
    session.flush()
    members[s0].team_id = ident(split)  # same opdracht, another team
    session.delete(members[s1])  # into unplaced
    session.flush()
    cmp = compare(session=session, a=first, b=second)
    moved = {m.student.id: m for m in cmp.moves}
    assert set(moved) == {s0, s1}
    assert (moved[s0].team_before, moved[s0].team_after) == (
        1,
        2,
    )
    assert moved[s1].after is None
