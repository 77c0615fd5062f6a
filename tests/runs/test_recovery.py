"""Which active runs have lost their worker: a dead process on this host, or far too old."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.models import MatchRun, Phase, RunStatus, Semester, utcnow
from app.runs.recovery import fail_orphaned_runs, owner_gone, this_process
from tests import factories as f
from tests.runs.conftest import ident
from tests.runs.helpers import dead_pid


def test_only_a_process_that_is_certainly_gone_counts_as_gone():
    me = this_process()
    assert not owner_gone(me)  # this very process
    assert owner_gone({**me, "life": "an earlier process with the same pid"})
    assert owner_gone({**me, "pid": dead_pid()})
    assert not owner_gone({**me, "pid": 1})  # alive (init), even if not ours
    assert not owner_gone({**me, "host": "another-machine", "pid": dead_pid()})
    assert not owner_gone(None)  # unknown: only the time limit can tell
    assert not owner_gone({"host": me["host"], "pid": "x"})


def _active_run(session: Session, **kw: object) -> MatchRun:
    """An active run of a semester of its own (one active run per semester is allowed)."""
    semester = f.semester(session, Phase.MATCHING)
    run = MatchRun(semester_id=ident(semester), status=RunStatus.RUNNING, **kw)  # type: ignore[arg-type]
    session.add(run)
    session.flush()
    return run


def test_orphaned_runs_fail_and_live_ones_are_left_alone(session: Session):
    gone = _active_run(session, parameters={"owner": {**this_process(), "pid": dead_pid()}})
    other = _active_run(session, parameters={"owner": this_process()})
    old = _active_run(session, created_at=utcnow() - timedelta(hours=2))
    assert sorted(fail_orphaned_runs(session=session)) == sorted([ident(gone), ident(old)])
    for run, status in (
        (gone, RunStatus.FAILED),
        (other, RunStatus.RUNNING),
        (old, RunStatus.FAILED),
    ):
        session.refresh(run)
        assert run.status == status
    session.refresh(gone)
    assert gone.message == "The run was interrupted; the previous teams are unchanged."


def test_the_time_limit_a_run_stored_decides_not_the_semesters_current_one(session: Session):
    """A run started with a 60-second limit that is still active 10 minutes later lost its
    worker, even when the semester's limit has since been raised to an hour; and a run
    started with an hour is left alone after the semester's limit was cut to a minute."""
    elsewhere = {**this_process(), "host": "another-machine"}  # only the time can tell
    started = utcnow() - timedelta(minutes=10)
    short = _active_run(
        session, started_at=started, parameters={"owner": elsewhere, "time_limit": 60}
    )
    long = _active_run(
        session, started_at=started, parameters={"owner": elsewhere, "time_limit": 3600}
    )
    for run, limit in ((short, 3600), (long, 60)):
        semester = session.get(Semester, run.semester_id)
        assert semester is not None
        semester.time_limit_seconds = limit
        session.add(semester)
    session.flush()
    assert fail_orphaned_runs(session=session) == [ident(short)]
