"""A run keeps every confirmed group together: the instance carries the groups, the solver
places each in one team, the board marks the members."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.matching import parse_problem
from app.models import MatchRun, Member, RunStatus, User
from app.runs.instance import build_instance
from app.runs.load import load_semester
from tests import factories as f
from tests.groups.builders import group
from tests.runs.conftest import World, build_world
from tests.runs.helpers import run_now


def _teams(session: Session, run: MatchRun) -> dict[int, int]:
    session.expire_all()
    return {
        m.student_id: m.team_id for m in session.exec(select(Member).where(Member.run_id == run.id))
    }


def test_the_instance_carries_the_confirmed_groups(session: Session):
    w = build_world(session)
    a, b, c = w.students[0], w.students[3], w.students[5]
    group(session, w.semester, [a, b], code="PAIR2345")
    group(session, w.semester, [c], code="ALNE2345")  # one member: no group yet
    instance = build_instance(load_semester(session, w.semester))
    assert instance["groups"] == [{"id": "gPAIR2345", "members": sorted([f"s{a.id}", f"s{b.id}"])}]
    assert parse_problem(instance).groups[0].members == tuple(sorted([f"s{a.id}", f"s{b.id}"]))


def test_an_inactive_member_leaves_no_group_of_one(session: Session):
    w = build_world(session)
    a, b = w.students[0], w.students[3]
    group(session, w.semester, [a, b])
    gone = session.get(User, b.user_id)
    assert gone is not None
    gone.active = False
    session.add(gone)
    session.flush()
    assert "groups" not in build_instance(load_semester(session, w.semester))


def test_a_real_run_keeps_every_group_together(session: Session):
    """Students who ranked different first choices (0 and 1 put different opdrachten first;
    3 too): without the group the solver gives each their own first choice."""
    w = build_world(session)
    alone = run_now(session, w)
    before = _teams(session, alone)
    trio = [w.students[0], w.students[1], w.students[3]]
    assert len({before[s.id] for s in trio if s.id in before}) > 1  # split without a group
    group(session, w.semester, trio, code="TRIO2345")
    pair = [w.students[5], w.students[7]]
    group(session, w.semester, pair, code="PAIR2345")
    run = run_now(session, w)
    assert run.status == RunStatus.SUCCEEDED
    teams = _teams(session, run)
    for members in (trio, pair):
        places = {teams.get(s.id or 0) for s in members}
        assert len(places) == 1, places  # one team, or all unplaced (None)
    assert teams.get(w.students[0].id or 0) is not None  # and here they are placed


def test_the_board_marks_the_members_of_a_group(anon: TestClient, session: Session, world_: World):
    w = world_
    pair = [w.students[0], w.students[3]]
    group(session, w.semester, pair, code="PAIR2345")
    run = run_now(session, w)
    page = f.login(anon, session, w.admin).get(f"/runs/{run.id}/board").text
    assert page.count("⛓ groep PAIR2345") == 2
