"""Semester queries and the phase and deadline rules every feature enforces."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, func, select

from app.errors import AppError
from app.i18n import lazy
from app.models import MatchRun, Opdracht, Phase, Semester, utcnow


class PhaseClosed(AppError):
    """The semester is not in a phase (or past a deadline) that allows this action."""

    status_code = 409
    title = lazy("This is not possible in the current phase of the semester.")


AT_WORK = (Phase.INTAKE, Phase.RANKING, Phase.MATCHING, Phase.REVIEW)
# The phases in which students and partners see the teams of the current run.
VISIBLE_PHASES = (Phase.PUBLISHED, Phase.CLOSING, Phase.CLOSED)


def status_counts(*, session: Session, semester: Semester) -> dict[str, int]:
    """How many opdrachten of the semester are in each status, by status value."""
    stmt = (
        select(Opdracht.status, func.count())
        .where(Opdracht.semester_id == semester.id)
        .group_by(Opdracht.status)
    )
    return {str(status): n for status, n in session.exec(stmt)}


def is_current_run(semester_id: int | None) -> ColumnElement[bool]:
    """The condition that picks the current run of a semester among ``MatchRun`` rows: the
    run whose teams count (one at most; a re-run waits beside it until it is adopted)."""
    return and_(col(MatchRun.semester_id) == semester_id, col(MatchRun.is_current).is_(True))


def current_run(*, session: Session, semester_id: int | None) -> MatchRun | None:
    """The current run of the semester, or None before the first run succeeded."""
    return session.exec(select(MatchRun).where(is_current_run(semester_id))).first()


def newest_first() -> tuple[Any, Any]:
    """The order of semesters in lists, newest first: by start date (none: after those with
    one), then newest row first. Never by how codes sort ("Voorjaar 2027" before "Najaar
    2026", "X13" before "2026-S2")."""
    return col(Semester.starts_on).desc().nulls_last(), col(Semester.id).desc()


def oldest_first() -> tuple[Any, Any]:
    """The order of :func:`newest_first` reversed, except that semesters without a start
    date still come after those with one."""
    return col(Semester.starts_on).asc().nulls_last(), col(Semester.id).asc()


def later_than(semester: Semester) -> ColumnElement[bool]:
    """Semesters after ``semester`` in time: a later start date; without one, after every
    semester that has one; on the same date, or both without, a newer row."""
    starts, ident = col(Semester.starts_on), col(Semester.id)
    if semester.starts_on is None:
        return and_(starts.is_(None), ident > semester.id)
    return or_(
        starts > semester.starts_on,
        and_(starts == semester.starts_on, ident > semester.id),
        starts.is_(None),
    )


def earlier_than(semester: Semester) -> ColumnElement[bool]:
    """Semesters before ``semester`` in time (the others of :func:`later_than`)."""
    starts, ident = col(Semester.starts_on), col(Semester.id)
    if semester.starts_on is None:
        return or_(starts.is_not(None), ident < semester.id)
    return or_(
        starts < semester.starts_on,
        and_(starts == semester.starts_on, ident < semester.id),
    )


def current_semester(*, session: Session) -> Semester | None:
    """The semester people are working on, chosen by phase and dates, never by how its code
    sorts (a semester named ``X13`` hid 2026-S2): of those between intake and review, the
    one that starts first; else the published one that started last; else the newest.
    Semesters without a start date come after those with one."""
    phase = col(Semester.phase)
    working = select(Semester).where(phase.in_([p.value for p in AT_WORK]))
    found = session.exec(working.order_by(*oldest_first())).first()
    if found is None:
        published = select(Semester).where(phase == Phase.PUBLISHED)
        found = session.exec(published.order_by(*newest_first())).first()
    if found is None:
        found = session.exec(select(Semester).order_by(*newest_first())).first()
    return found


def deadline_passed(deadline: datetime | None, now: datetime | None = None) -> bool:
    """True when a deadline is set and lies in the past."""
    return deadline is not None and (now or utcnow()) > deadline


def require_phase(semester: Semester, *phases: Phase) -> None:
    """Refuse (409, with a message naming the phase) unless the semester is in ``phases``."""
    if semester.phase not in phases:
        raise PhaseClosed(lazy("This is not possible in the current phase of the semester."))


def require_before(deadline: datetime | None, message: str) -> None:
    """Refuse (409) with ``message`` (an English message id) once ``deadline`` has passed."""
    if deadline_passed(deadline):
        raise PhaseClosed(message)
