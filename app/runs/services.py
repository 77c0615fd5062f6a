"""Starting, listing and adopting match runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import semesters
from app.audit import record
from app.db import add_unique
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import lazy
from app.match_settings.rules import lock_semester, settings_used
from app.matching.problem import OBJECTIVES
from app.models import MatchRun, Phase, RunStatus, Semester, User
from app.runs.instance import build_instance
from app.runs.load import load_run, load_semester
from app.runs.recovery import fail_orphaned_comparisons, fail_orphaned_runs, this_process
from app.runs.worker import Worker
from app.semesters import current_semester, require_phase

RUN_PHASES = (Phase.MATCHING, Phase.REVIEW)


@dataclass
class StartForm:
    objective: str = ""
    minimal_disruption: bool = True
    errors: dict[str, str] = field(default_factory=dict)


def semester_or_404(*, session: Session, semester_id: int | None = None) -> Semester:
    semester = (
        session.get(Semester, semester_id) if semester_id else current_semester(session=session)
    )
    if semester is None:
        raise NotFound(lazy("There is no semester yet."))
    return semester


def get_run(*, session: Session, run_id: int) -> MatchRun:
    run = session.get(MatchRun, run_id)
    if run is None:
        raise NotFound()
    return run


def list_runs(*, session: Session, semester: Semester) -> list[MatchRun]:
    stmt = select(MatchRun).where(MatchRun.semester_id == semester.id)
    return list(session.exec(stmt.order_by(col(MatchRun.id).desc())))


def fail_stale_runs(*, session: Session, semester: Semester) -> None:
    """Free the semester from runs whose worker died (the process was restarted)."""
    fail_orphaned_runs(session=session, semester_id=semester.id)


def recover_interrupted_runs(engine: Engine) -> list[int]:
    """At start-up: runs (and profile comparisons) left active by a process that is gone
    end as failed; returns the runs' ids."""
    with Session(engine) as session:
        fail_orphaned_comparisons(session=session)
        return fail_orphaned_runs(session=session)


def start_run(
    *, session: Session, semester: Semester, user: User, form: StartForm, worker: Worker
) -> MatchRun:
    """Queue a run with the semester's settings and start the worker; one run at a time."""
    require_phase(semester, *RUN_PHASES)
    if form.objective and form.objective not in OBJECTIVES:
        form.errors["objective"] = lazy("Choose a fairness profile.")
        raise InvalidInput(errors=list(form.errors.values()))
    fail_stale_runs(session=session, semester=semester)
    semester = lock_semester(session, semester)  # a settings save at this moment waits
    instance, previous = _instance(session, semester, form)
    run = MatchRun(
        semester_id=semester.id or 0,
        status=RunStatus.QUEUED,
        parameters={
            "instance": instance,
            "time_limit": semester.time_limit_seconds,
            "settings": settings_used(semester, instance["objective"]),
            "previous_run_id": previous.id if previous and "previous" in instance else None,
            "owner": this_process(),
        },
        message=lazy("Waiting to start"),
        created_by_id=user.id,
    )
    _add_queued_run(session, semester, user, run)
    session.commit()
    assert run.id is not None
    worker.start(run.id)
    return run


def _add_queued_run(session: Session, semester: Semester, user: User, run: MatchRun) -> None:
    """Add the run (a second active run for the semester is a conflict) and log the start."""
    if not add_unique(session=session, row=run):
        raise Conflict(lazy("A match run for this semester is already in progress."))
    record(
        session=session,
        actor=user,
        action="run.start",
        entity="match_run",
        entity_id=run.id,
        semester_id=semester.id,
        after={
            "objective": run.parameters["instance"]["objective"],
            "previous": run.parameters["previous_run_id"],
        },
    )


def _instance(
    session: Session, semester: Semester, form: StartForm
) -> tuple[dict[str, Any], MatchRun | None]:
    """The solver's instance for the semester now, and the current run it starts from."""
    data = load_semester(session, semester)
    if not data.opdrachten or not data.students:
        raise InvalidInput(lazy("There are no approved opdrachten or no students to match."))
    previous = semesters.current_run(session=session, semester_id=semester.id)
    current = load_run(session, previous) if previous else None
    instance = build_instance(
        data,
        current=current,
        minimal_disruption=form.minimal_disruption,
        objective=form.objective or None,
    )
    return instance, previous


def adopt_run(*, session: Session, run: MatchRun, user: User) -> None:
    """Make a finished run the semester's current one (the re-run replaces the old teams)."""
    semester = semester_or_404(session=session, semester_id=run.semester_id)
    require_phase(semester, *RUN_PHASES)
    if run.status != RunStatus.SUCCEEDED:
        raise Conflict(lazy("Only a finished run with teams can become the current run."))
    before = semesters.current_run(session=session, semester_id=semester.id)
    session.exec(
        update(MatchRun).where(col(MatchRun.semester_id) == semester.id).values(is_current=False)
    )
    session.exec(update(MatchRun).where(col(MatchRun.id) == run.id).values(is_current=True))
    record(
        session=session,
        actor=user,
        action="run.adopt",
        entity="match_run",
        entity_id=run.id,
        semester_id=semester.id,
        before={"current": before.id if before else None},
        after={"current": run.id},
    )
    session.commit()
    session.refresh(run)
