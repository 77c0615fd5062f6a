"""Run the solver off the request thread and store its teams in one transaction.

The request inserts a queued MatchRun and hands ``execute_run`` to a runner: a daemon thread
in the app, the caller's own thread in tests (``run_inline``). The worker opens its own
sessions; the teams, the members and the switch of ``is_current`` are written in one
transaction, so a crash leaves the previous run untouched and this one marked failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from app.i18n import lazy
from app.matching import ProblemError, Result, Violation, check, parse_problem, solve
from app.memberships import supervisors_of
from app.models import (
    MatchRun,
    Member,
    RunStatus,
    Team,
    utcnow,
)
from app.runs.load import key_id
from app.semesters import current_run

log = logging.getLogger(__name__)

SessionFactory = Callable[[], Session]
Job = Callable[[], None]
Runner = Callable[[Job], None]


def run_in_thread(job: Job) -> None:
    threading.Thread(target=job, name="match-run", daemon=True).start()


def run_inline(job: Job) -> None:
    job()


@dataclass(frozen=True)
class Worker:
    """Where the worker gets its sessions and how it is started."""

    session_factory: SessionFactory
    runner: Runner = run_in_thread

    def start(self, run_id: int) -> None:
        self.runner(partial(execute_run, run_id, self.session_factory))


def _update(factory: SessionFactory, run_id: int, **values: Any) -> None:
    with factory() as session:
        session.exec(update(MatchRun).where(col(MatchRun.id) == run_id).values(**values))
        session.commit()


def execute_run(run_id: int, factory: SessionFactory) -> None:
    """Solve the stored instance and write the result; never raises."""
    try:
        with factory() as session:
            run = session.get(MatchRun, run_id)
            if run is None or run.status != RunStatus.QUEUED:
                return
            instance = run.parameters["instance"]
            time_limit = float(run.parameters.get("time_limit") or 60)
        _update(
            factory,
            run_id,
            status=RunStatus.RUNNING,
            started_at=utcnow(),
            progress=20,
            message=lazy("Solving"),
        )
        problem = parse_problem(instance)
        result = solve(problem, time_limit=time_limit)
        _update(factory, run_id, progress=80, message=lazy("Saving the teams"))
        if result.objective is None:
            _finish_without_teams(factory, run_id, result)
            return
        problems = check(problem, result)
        with factory() as session:
            write_result(session=session, run_id=run_id, result=result, problems=problems)
    except ProblemError as exc:
        _fail(factory, run_id, "; ".join(exc.messages))
    except Exception as exc:
        log.exception("match run %s failed", run_id)
        _fail(factory, run_id, f"{type(exc).__name__}: {exc}")


def _fail(factory: SessionFactory, run_id: int, detail: str) -> None:
    try:
        _update(
            factory,
            run_id,
            status=RunStatus.FAILED,
            finished_at=utcnow(),
            progress=100,
            message=lazy("The run failed; the previous teams are unchanged."),
            statistics={"error": detail[:2000]},
        )
    except Exception:  # the database itself is gone; the stale-run sweep will clean up
        log.exception("could not mark match run %s failed", run_id)


def _finish_without_teams(factory: SessionFactory, run_id: int, result: Result) -> None:
    """Infeasible, or the time limit ran out before any solution: a failed run that explains."""
    message = (
        lazy("The rules cannot all be met; see the explanation.")
        if result.status == "infeasible"
        else lazy("The time limit ran out before a solution was found.")
    )
    _update(
        factory,
        run_id,
        status=RunStatus.FAILED,
        solver_status=result.status,
        finished_at=utcnow(),
        progress=100,
        message=message,
        explanations=result.to_dict()["explanations"],
    )


def add_members(*, session: Session, run: MatchRun, result: Result) -> None:
    """Team and Member rows for the result (split out so tests can break it halfway)."""
    assert run.id is not None
    instance = run.parameters["instance"]
    ranking = {s["id"]: s["ranking"] for s in instance["students"]}
    locks = {(lk["student"], lk["assignment"]) for lk in instance.get("locks", [])}
    supervisors = supervisors_of(
        session=session, opdracht_ids=[key_id(t.assignment) for t in result.teams]
    )
    for t in result.teams:
        opdracht_id = key_id(t.assignment)
        team = Team(
            run_id=run.id,
            opdracht_id=opdracht_id,
            index=t.team,
            supervisor_id=supervisors.get(opdracht_id),
        )
        session.add(team)
        session.flush()
        assert team.id is not None
        for sid in t.members:
            ranks = ranking.get(sid, [])
            session.add(
                Member(
                    run_id=run.id,
                    team_id=team.id,
                    student_id=key_id(sid),
                    locked=(sid, t.assignment) in locks,
                    rank=ranks.index(t.assignment) + 1 if t.assignment in ranks else None,
                )
            )
        session.flush()


def write_result(
    *,
    session: Session,
    run_id: int,
    result: Result,
    problems: list[Violation],
) -> None:
    """Store the result in one transaction; a re-run waits as a candidate beside the current."""
    run = session.get(MatchRun, run_id)
    assert run is not None
    add_members(session=session, run=run, result=result)
    has_current = current_run(session=session, semester_id=run.semester_id)
    stats = result.to_dict(timings=True)["stats"]
    run.status = RunStatus.SUCCEEDED
    run.solver_status = result.status
    run.objective = result.objective
    run.bound = result.bound
    check = [v.to_dict() for v in problems]
    run.statistics = {**stats, "unplaced": list(result.unplaced), "check": check}
    run.explanations = result.to_dict()["explanations"]
    run.progress = 100
    run.message = lazy("Finished")
    run.finished_at = utcnow()
    run.is_current = has_current is None
    session.add(run)
    session.commit()
