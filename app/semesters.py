"""Semester queries and the phase and deadline rules every feature enforces."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.errors import AppError
from app.i18n import lazy
from app.models import Phase, Semester, utcnow


class PhaseClosed(AppError):
    """The semester is not in a phase (or past a deadline) that allows this action."""

    status_code = 409
    title = lazy("This is not possible in the current phase of the semester.")


def current_semester(session: Session) -> Semester | None:
    """The semester people are working on: the newest open one, else the newest of all."""
    open_phases = [p.value for p in Phase if p not in (Phase.CONCEPT, Phase.CLOSED)]
    stmt = select(Semester).order_by(col(Semester.code).desc())
    newest_open = session.exec(stmt.where(col(Semester.phase).in_(open_phases))).first()
    return newest_open or session.exec(stmt).first()


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
