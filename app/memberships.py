"""Who a user acts for: the partner organisations of a partner user, the leerkringen of a
wijkdocent. Shared by every feature that scopes data to them."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import LeerkringWijkdocent, PartnerUser, Role, User


def partner_ids_of(session: Session, user: User) -> list[int]:
    """The partner organisations ``user`` acts for."""
    return list(session.exec(select(PartnerUser.partner_id).where(PartnerUser.user_id == user.id)))


def leerkring_ids_of(session: Session, user: User) -> set[int]:
    """The leerkringen ``user`` supervises as a wijkdocent."""
    stmt = select(LeerkringWijkdocent.leerkring_id).where(LeerkringWijkdocent.user_id == user.id)
    return set(session.exec(stmt))


def staff_scope(session: Session, user: User) -> set[int | None] | None:
    """The leerkringen a staff member answers for (None: all, for an admin). A wijkdocent:
    their own, plus what belongs to no leerkring (None in the set), so nothing falls
    between two stools. One rule for the review queue, the incomplete-rankings list and
    team adjustments (docs/security.md, "Access")."""
    if user.role == Role.ADMIN:
        return None
    return {*leerkring_ids_of(session, user), None}
