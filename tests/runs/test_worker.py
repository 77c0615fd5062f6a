from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from app.matching import check, parse_problem
from app.models import MatchRun, Member, RunStatus, Team
from app.runs import worker
from app.runs.instance import result_teams
from app.runs.load import load_run
from tests.runs.conftest import World, ident
from tests.runs.helpers import run_now


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_run_stores_checked_teams_and_becomes_current(session: Session, world: World):
    run = run_now(session, world)
    assert run.status == RunStatus.SUCCEEDED
    assert run.solver_status == "optimal"
    assert run.is_current
    assert run.progress == 100
    problem = parse_problem(run.parameters["instance"])
    teams = result_teams(load_run(session, run))
    placed = {m for t in teams for m in t["members"]}
    unplaced = [s.id for s in problem.students if s.id not in placed]
    as_result = {
        "status": "feasible",
        "objective": run.objective,
        "bound": None,
        "teams": teams,
        "unplaced": unplaced,
    }
    assert check(problem, as_result) == []
    assert run.statistics["check"] == []
    members = session.exec(select(Member).where(Member.run_id == run.id)).all()
    assert len(members) == 8
    assert all(m.rank == 1 for m in members)  # this small world has room for every first choice


def test_a_rerun_waits_beside_the_current_run(session: Session, world: World):
    first = run_now(session, world)
    second = run_now(session, world)
    assert second.status == RunStatus.SUCCEEDED
    assert not second.is_current
    session.refresh(first)
    assert first.is_current


def test_a_crash_halfway_through_writing_leaves_nothing_partial(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
):
    first = run_now(session, world)
    teams_before, members_before = _count(session, Team), _count(session, Member)
    original = worker.add_members

    def crash_after_some_rows(*, session: Session, run: MatchRun, result) -> None:
        s = session
        original(session=s, run=run, result=result)  # the rows are flushed into the transaction ...
        assert (
            s.exec(select(func.count()).select_from(Member).where(Member.run_id == run.id)).one()
            > 0
        )
        raise OSError("disk full")  # ... and then the worker dies before the commit

    monkeypatch.setattr(worker, "add_members", crash_after_some_rows)
    failed = run_now(session, world)
    assert failed.status == RunStatus.FAILED
    assert "disk full" in failed.statistics["error"]
    assert (_count(session, Team), _count(session, Member)) == (teams_before, members_before)
    session.refresh(first)
    assert first.is_current
    assert not failed.is_current


def test_an_infeasible_instance_fails_with_the_solvers_explanation(session: Session, world: World):
    world.semester.unplaced_cost = None  # everyone must be placed ...
    for o in world.opdrachten:
        o.max_size = 2  # ... but there are 6 seats for 8 students
        session.add(o)
    session.flush()
    run = run_now(session, world)
    assert run.status == RunStatus.FAILED
    assert run.solver_status == "infeasible"
    assert run.explanations
    assert _count(session, Team) == 0


def test_the_database_allows_one_active_run_per_semester(session: Session, world: World):
    session.add(MatchRun(semester_id=ident(world.semester), status=RunStatus.QUEUED))
    session.flush()
    session.add(MatchRun(semester_id=ident(world.semester), status=RunStatus.RUNNING))
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_run_whose_worker_died_no_longer_blocks_the_semester(session: Session, world: World):
    from datetime import timedelta

    from app.models import utcnow

    long_ago = utcnow() - timedelta(hours=3)
    dead = MatchRun(
        semester_id=ident(world.semester), status=RunStatus.RUNNING, started_at=long_ago
    )
    session.add(dead)
    session.flush()
    run = run_now(session, world)
    assert run.status == RunStatus.SUCCEEDED
    session.refresh(dead)
    assert dead.status == RunStatus.FAILED
