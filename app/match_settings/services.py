"""Matching settings: show, save (until the first run), and the three-profile comparison."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.audit import record
from app.errors import Conflict, InvalidInput
from app.i18n import lazy
from app.match_settings.forms import SettingsForm
from app.match_settings.rules import first_run, lock_semester
from app.matching import ProblemError, parse_problem, solve
from app.matching.problem import OBJECTIVES
from app.models import MatchRun, ProfileComparison, RunStatus, Semester, User, utcnow
from app.runs.instance import build_instance
from app.runs.load import load_run, load_semester
from app.runs.recovery import fail_orphaned_comparisons, this_process
from app.runs.worker import SessionFactory, Worker
from app.semester_admin.services import get_semester
from app.semesters import current_run
from app.versioning import claim

AUDITED: tuple[str, ...] = ("rank_costs", "unranked_cost", "unplaced_cost", "number_of_ranks")
AUDITED += ("min_ranking_length", "objective", "version")
LOCKED = lazy("The settings are fixed: run {id} has started with them.")


def snapshot(semester: Semester) -> dict[str, Any]:
    return {name: getattr(semester, name) for name in AUDITED}


def locked_by(*, session: Session, semester: Semester) -> MatchRun | None:
    """The run that fixed the settings, or None while they can change."""
    return first_run(session, semester)


def save_settings(
    *, session: Session, admin: User, semester_id: int, form: SettingsForm
) -> Semester:
    """Write the settings in one transaction, refused once a run has started.

    The semester's row lock comes first, so a run starting at the same moment either waits
    for this save (and uses its settings) or is seen here (and the save is refused).
    """
    semester = lock_semester(session, get_semester(session=session, semester_id=semester_id))
    run = first_run(session, semester)
    if run is not None:
        raise Conflict(LOCKED, id=run.id)
    values = form.validate()
    if form.errors:
        raise InvalidInput()
    before = snapshot(semester)
    if not claim(session, semester, version=form.version, updated_at=utcnow(), **values):
        raise Conflict()
    record(
        session=session,
        actor=admin,
        action="semester.match_settings",
        entity="semester",
        entity_id=semester_id,
        semester_id=semester_id,
        before=before,
        after=snapshot(semester),
    )
    session.commit()
    return semester


def pick_profile(
    *, session: Session, admin: User, semester_id: int, objective: str, version: str
) -> Semester:
    """The profile the next run starts with (the run page's form shows it chosen)."""
    semester = get_semester(session=session, semester_id=semester_id)
    if objective not in OBJECTIVES:
        raise InvalidInput(lazy("Choose a fairness profile."))
    before = semester.objective
    if not claim(session, semester, version=version, objective=objective, updated_at=utcnow()):
        raise Conflict()
    record(
        session=session,
        actor=admin,
        action="semester.profile",
        entity="semester",
        entity_id=semester_id,
        semester_id=semester_id,
        before={"objective": before},
        after={"objective": objective},
    )
    session.commit()
    return semester


# The three-profile comparison -------------------------------------------------------------


def latest_comparison(*, session: Session, semester: Semester) -> ProfileComparison | None:
    """The newest comparison, read afresh: the worker writes its progress in other sessions.
    One whose worker died is marked failed first."""
    fail_orphaned_comparisons(session=session, semester_id=semester.id)
    stmt = select(ProfileComparison).where(ProfileComparison.semester_id == semester.id)
    stmt = stmt.order_by(col(ProfileComparison.id).desc())
    return session.exec(stmt.execution_options(populate_existing=True)).first()


def start_comparison(
    *, session: Session, semester: Semester, user: User, worker: Worker
) -> ProfileComparison:
    """Queue a solve of every profile on the current rankings; the worker runs it."""
    data = load_semester(session, semester)
    if not data.opdrachten:
        raise InvalidInput(lazy("There are no approved opdrachten to compare on."))
    if not any(s.ranking for s in data.students.values()):
        raise InvalidInput(lazy("No student has ranked yet: there is nothing to compare."))
    current = current_run(
        session=session, semester_id=semester.id
    )  # its locks hold in a fresh run too
    instance = build_instance(data, current=load_run(session, current) if current else None)
    time_limit = float(semester.time_limit_seconds)
    fail_orphaned_comparisons(session=session, semester_id=semester.id)
    comparison = ProfileComparison(
        semester_id=semester.id or 0,
        message=lazy("Waiting to start"),
        parameters={"owner": this_process(), "time_limit": len(OBJECTIVES) * time_limit},
        created_by_id=user.id,
    )
    session.add(comparison)
    record(
        session=session,
        actor=user,
        action="profiles.compare",
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
    )
    session.commit()
    assert comparison.id is not None
    worker.runner(
        partial(execute_comparison, comparison.id, instance, time_limit, worker.session_factory)
    )
    return comparison


def _update(factory: SessionFactory, comparison_id: int, **values: Any) -> None:
    with factory() as session:
        session.exec(
            update(ProfileComparison)
            .where(col(ProfileComparison.id) == comparison_id)
            .values(**values)
        )
        session.commit()


def solve_profile(instance: dict[str, Any], profile: str, time_limit: float) -> dict[str, Any]:
    """One profile's outcome as stored: solver status, histograms, explanations."""
    result = solve(parse_problem({**instance, "objective": profile}), time_limit=time_limit)
    return {
        "status": result.status,
        "solved": result.objective is not None,
        "histogram": dict(result.rank_histogram),
        "per_programme": {k: dict(v) for k, v in result.per_programme.items()},
        "explanations": result.to_dict()["explanations"],
        "seconds": round(result.seconds, 2),
    }


def execute_comparison(
    comparison_id: int, instance: dict[str, Any], time_limit: float, factory: SessionFactory
) -> None:
    """Solve the profiles one after the other, storing progress; never raises."""
    results: dict[str, Any] = {}
    try:
        _update(factory, comparison_id, status=RunStatus.RUNNING, progress=5)
        for i, profile in enumerate(OBJECTIVES):
            _update(factory, comparison_id, message=profile)
            results[profile] = solve_profile(instance, profile, time_limit)
            progress = 5 + 95 * (i + 1) // len(OBJECTIVES)
            _update(factory, comparison_id, progress=progress, results=dict(results))
        _update(
            factory,
            comparison_id,
            status=RunStatus.SUCCEEDED,
            progress=100,
            message="",
            finished_at=utcnow(),
        )
    except ProblemError as exc:
        _fail(factory, comparison_id, "; ".join(exc.messages))
    except Exception as exc:  # the page says it failed instead of waiting forever
        _fail(factory, comparison_id, f"{type(exc).__name__}: {exc}")


def _fail(factory: SessionFactory, comparison_id: int, detail: str) -> None:
    _update(
        factory,
        comparison_id,
        status=RunStatus.FAILED,
        progress=100,
        message=detail[:2000],
        finished_at=utcnow(),
    )


@dataclass(frozen=True)
class Outcome:
    """The figures of one profile for one group of students (all, or one programme)."""

    students: int
    first: int
    top3: int
    unranked: int
    unplaced: int
    worst: str  # a histogram key: "3", "unranked", "unplaced"; "" when there are no students

    @classmethod
    def of(cls, histogram: dict[str, int]) -> Outcome:
        """The figures of a histogram; the worst rank is that of the placed students."""
        ranks = [int(k) for k, v in histogram.items() if k.isdigit() and v]
        worst = "unranked" if histogram.get("unranked") else str(max(ranks)) if ranks else ""
        return cls(
            students=sum(histogram.values()),
            first=histogram.get("1", 0),
            top3=sum(histogram.get(str(r), 0) for r in (1, 2, 3)),
            unranked=histogram.get("unranked", 0),
            unplaced=histogram.get("unplaced", 0),
            worst=worst,
        )
