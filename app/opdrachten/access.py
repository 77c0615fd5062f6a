"""Who may see and who may change an opdracht.

A partner user may edit an opdracht when they act for its owner or for one of its
co-partners. Staff see everything; everyone else sees only approved opdrachten, and
students only once the semester has left intake (the catalogue opens with ranking).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.errors import Forbidden, NotFound
from app.i18n import lazy
from app.memberships import partner_ids_of
from app.models import (
    Opdracht,
    OpdrachtCopartner,
    OpdrachtStatus,
    Phase,
    Role,
    Semester,
    User,
)
from app.semesters import deadline_passed, require_before, require_phase

STAFF = (Role.ADMIN, Role.WIJKDOCENT)
DEADLINE_PASSED = lazy("The intake deadline has passed; opdrachten can no longer be changed.")


def copartner_ids(*, session: Session, opdracht_id: int | None) -> set[int]:
    stmt = select(OpdrachtCopartner.partner_id).where(OpdrachtCopartner.opdracht_id == opdracht_id)
    return set(session.exec(stmt))


def can_edit(*, session: Session, user: User, opdracht: Opdracht) -> bool:
    if user.role != Role.PARTNER:
        return False
    mine = set(partner_ids_of(session=session, user=user))
    return opdracht.owner_partner_id in mine or bool(
        mine & copartner_ids(session=session, opdracht_id=opdracht.id)
    )


def catalogue_open(user: User, semester: Semester) -> bool:
    """Students see a semester's opdrachten only once the intake (and its review) is over."""
    return user.role != Role.STUDENT or semester.phase not in (Phase.CONCEPT, Phase.INTAKE)


def can_view(session: Session, user: User, opdracht: Opdracht, semester: Semester) -> bool:
    if user.role in STAFF or can_edit(session=session, user=user, opdracht=opdracht):
        return True
    return opdracht.status == OpdrachtStatus.APPROVED and catalogue_open(user, semester)


def load(session: Session, opdracht_id: int) -> tuple[Opdracht, Semester]:
    opdracht = session.get(Opdracht, opdracht_id)
    if opdracht is None:
        raise NotFound()
    semester = session.get(Semester, opdracht.semester_id)
    assert semester is not None  # a foreign key
    return opdracht, semester


def get_viewable(*, session: Session, user: User, opdracht_id: int) -> tuple[Opdracht, Semester]:
    opdracht, semester = load(session, opdracht_id)
    if not can_view(session, user, opdracht, semester):
        raise Forbidden()
    return opdracht, semester


def require_intake_open(semester: Semester) -> None:
    """Partners change opdrachten only in the intake phase and before its deadline."""
    require_phase(semester, Phase.INTAKE)
    require_before(semester.intake_deadline, DEADLINE_PASSED)


def intake_open(semester: Semester) -> bool:
    return semester.phase == Phase.INTAKE and not deadline_passed(semester.intake_deadline)


def get_editable(*, session: Session, user: User, opdracht_id: int) -> tuple[Opdracht, Semester]:
    """The opdracht for a change by ``user``: 403 for other partners, 409 outside intake."""
    opdracht, semester = load(session, opdracht_id)
    if not can_edit(session=session, user=user, opdracht=opdracht):
        raise Forbidden(lazy("Only the partners of this opdracht can change it."))
    require_intake_open(semester)
    return opdracht, semester


def visible_ids_for_partner(*, session: Session, user: User, semester_id: int) -> list[int]:
    """Ids of the opdrachten of a semester that the user's organisations own or co-own."""
    partner_ids = partner_ids_of(session=session, user=user)
    co = select(OpdrachtCopartner.opdracht_id).where(
        col(OpdrachtCopartner.partner_id).in_(partner_ids)
    )
    stmt = select(Opdracht.id).where(
        Opdracht.semester_id == semester_id,
        col(Opdracht.owner_partner_id).in_(partner_ids) | col(Opdracht.id).in_(co),
    )
    return [i for i in session.exec(stmt) if i is not None]
