"""Semesters: create, edit, and move through the phases (one step at a time, audited)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.audit import record
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import FieldError
from app.i18n import lazy
from app.models import (
    OpdrachtStatus,
    Phase,
    Programme,
    Semester,
    TargetGroup,
    Theme,
    User,
    utcnow,
)
from app.notifications.reminders import ranking_opened
from app.semester_admin import warnings
from app.semester_admin.forms import SemesterForm
from app.semesters import PhaseClosed, deadline_passed, newest_first, status_counts
from app.versioning import claim

PHASE_CHANGED = lazy("The phase of this semester was changed in the meantime. Look again.")
AUDITED: tuple[str, ...] = (
    "code",
    "name",
    "phase",
    "intake_deadline",
    "ranking_deadline",
    "publication_at",
)
AUDITED += ("default_min_size", "default_max_size", "default_max_per_programme")
AUDITED += ("default_min_programmes", "focus_theme_id")
AUDITED += ("focus_target_group_id", "restrict_to_leerkring", "max_group_size", "version")


def list_semesters(*, session: Session) -> list[Semester]:
    return list(session.exec(select(Semester).order_by(*newest_first())))


def get_semester(*, session: Session, semester_id: int) -> Semester:
    semester = session.get(Semester, semester_id)
    if semester is None:
        raise NotFound()
    return semester


def vocabularies(*, session: Session) -> dict[str, Any]:
    return {
        "themes": list(session.exec(select(Theme).order_by(Theme.name_nl))),
        "groups": list(session.exec(select(TargetGroup).order_by(TargetGroup.name_nl))),
    }


def _programmes(session: Session) -> int:
    stmt = select(func.count()).select_from(Programme).where(col(Programme.active).is_(True))
    return session.exec(stmt).one()


def _validated(session: Session, form: SemesterForm, semester: Semester | None) -> dict[str, Any]:
    values = form.validate(**vocabularies(session=session), programmes=_programmes(session))
    code = str(values.get("code", form.code))
    clash = session.exec(select(Semester).where(func.lower(Semester.code) == code.lower())).first()
    if clash is not None and clash is not semester:
        _code_taken(form)
    if form.errors:
        raise InvalidInput()
    return values


def _code_taken(form: SemesterForm) -> None:
    form.errors["code"] = FieldError(lazy("There is already a semester with this code."))


def _write(
    session: Session, form: SemesterForm, semester: Semester, values: dict[str, Any]
) -> None:
    """Write the form's values to the semester in a savepoint: a code taken at the same
    moment by another admin (the database's index on lower(code)) becomes the form's field
    error, not a 500, and leaves nothing pending in the session."""
    try:
        with session.begin_nested():
            for name, value in values.items():
                setattr(semester, name, value)
            session.add(semester)
    except IntegrityError:
        _code_taken(form)
        raise InvalidInput() from None


def snapshot(semester: Semester) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value

    return {name: plain(getattr(semester, name)) for name in AUDITED}


def create_semester(*, session: Session, admin: User, form: SemesterForm) -> Semester:
    semester = Semester(**_validated(session, form, None))
    _write(session, form, semester, {})
    record(
        session=session,
        actor=admin,
        action="semester.create",
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
        after=snapshot(semester),
    )
    session.commit()
    return semester


def update_semester(
    *, session: Session, admin: User, semester_id: int, form: SemesterForm
) -> Semester:
    semester = get_semester(session=session, semester_id=semester_id)
    if semester.phase == Phase.CLOSED:
        raise PhaseClosed(lazy("A closed semester cannot be changed; step it back first."))
    values = _validated(session, form, semester)
    before = snapshot(semester)
    if not claim(session, semester, version=form.version, updated_at=utcnow()):
        raise Conflict()
    _write(session, form, semester, values)
    record(
        session=session,
        actor=admin,
        action="semester.update",
        entity="semester",
        entity_id=semester_id,
        semester_id=semester_id,
        before=before,
        after=snapshot(semester),
    )
    session.commit()
    return semester


def _check_advance(session: Session, semester: Semester, target: Phase) -> None:
    """What must hold before the next phase may start."""
    if target == Phase.INTAKE and (
        semester.intake_deadline is None or deadline_passed(semester.intake_deadline)
    ):
        raise PhaseClosed(lazy("Set an intake deadline in the future before opening the intake."))
    approved = status_counts(session=session, semester=semester).get(OpdrachtStatus.APPROVED, 0)
    if target == Phase.RANKING and approved == 0:
        raise PhaseClosed(lazy("No opdracht is approved yet: students would have nothing to rank."))


def advance(
    *, session: Session, admin: User, semester_id: int, from_phase: str, confirmed: bool = False
) -> Semester:
    """Move to the next phase. ``from_phase`` is the phase the admin saw: a double click
    or a second admin must not skip a phase. Matching before the ranking deadline needs
    ``confirmed`` (``warnings.EarlyMatching`` says how many rankings are incomplete)."""
    semester = get_semester(session=session, semester_id=semester_id)
    if semester.phase != from_phase:
        raise Conflict(PHASE_CHANGED)
    target = Phase(semester.phase).next()
    if target is None:
        raise PhaseClosed(lazy("A closed semester has no next phase."))
    _check_advance(session, semester, target)
    if not confirmed:
        warnings.check_early_matching(session=session, semester=semester, target=target)
    return _move(session, admin, semester, target, action="semester.advance", reason="")


def step_back(
    *,
    session: Session,
    admin: User,
    semester_id: int,
    from_phase: str,
    reason: str,
    intake_deadline: str = "",
) -> Semester:
    """One phase back, with a reason; back into the intake, optionally with a new deadline."""
    semester = get_semester(session=session, semester_id=semester_id)
    if semester.phase != from_phase:
        raise Conflict(PHASE_CHANGED)
    target = Phase(semester.phase).previous()
    if target is None:
        raise PhaseClosed(lazy("A semester in concept has no earlier phase."))
    if not reason.strip():
        raise InvalidInput(lazy("Give a reason for stepping back."))
    deadline = warnings.new_intake_deadline(intake_deadline) if target == Phase.INTAKE else None
    if deadline is not None:
        semester.intake_deadline = deadline
    return _move(session, admin, semester, target, action="semester.step_back", reason=reason)


def _move(
    session: Session, admin: User, semester: Semester, target: Phase, *, action: str, reason: str
) -> Semester:
    before = {"phase": str(semester.phase), "version": semester.version}
    # Only from the phase this request saw: of two clicks at once, the second moves nothing.
    if not claim(
        session, semester, expect={"phase": semester.phase}, phase=target, updated_at=utcnow()
    ):
        raise Conflict(PHASE_CHANGED)
    record(
        session=session,
        actor=admin,
        action=action,
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
        before=before,
        after={"phase": str(target), "version": semester.version},
        reason=reason.strip(),
    )
    if target == Phase.RANKING:
        ranking_opened(session=session, semester=semester)
    session.commit()
    return semester
