"""Phase changes that need a second look: matching before the ranking deadline, and a step
back into an intake whose deadline has passed."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.errors import InvalidInput
from app.forms import parse_local_datetime
from app.i18n import lazy
from app.models import Phase, Semester
from app.semesters import deadline_passed
from app.students.incomplete import incomplete_rankings


class EarlyMatching(InvalidInput):
    """Matching would start before the ranking deadline: the admin confirms it first."""

    def __init__(self, incomplete: int) -> None:
        super().__init__(lazy("The ranking deadline has not passed yet."))
        self.incomplete = incomplete


class BadIntakeDeadline(InvalidInput):
    """The new intake deadline offered when stepping back is not a moment in the future."""


def check_early_matching(*, session: Session, semester: Semester, target: Phase) -> None:
    """Raise EarlyMatching, with the number of incomplete rankings, when it applies."""
    deadline = semester.ranking_deadline
    if target != Phase.MATCHING or deadline is None or deadline_passed(deadline):
        return
    groups = incomplete_rankings(session=session, semester=semester)
    raise EarlyMatching(sum(len(g.students) for g in groups))


def intake_deadline_passed(semester: Semester) -> bool:
    """True when stepping back would reopen an intake whose deadline is over."""
    previous = Phase(semester.phase).previous()
    return previous == Phase.INTAKE and deadline_passed(semester.intake_deadline)


def new_intake_deadline(raw: str) -> datetime | None:
    """The new deadline typed when stepping back into the intake; None when left empty."""
    if not raw:
        return None
    moment = parse_local_datetime(raw)
    if moment is None or deadline_passed(moment):
        raise BadIntakeDeadline(lazy("Enter a new intake deadline in the future."))
    return moment
