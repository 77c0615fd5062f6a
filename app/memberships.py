"""Who a user acts for: the partner organisations of a partner user, the leerkringen of a
wijkdocent, the wijkdocent who supervises an opdracht. Shared by every feature that scopes
data to them."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import LeerkringWijkdocent, Opdracht, PartnerUser, Role, User


def partner_ids_of(*, session: Session, user: User) -> list[int]:
    """The partner organisations ``user`` acts for."""
    return list(session.exec(select(PartnerUser.partner_id).where(PartnerUser.user_id == user.id)))


def leerkring_ids_of(*, session: Session, user: User) -> set[int]:
    """The leerkringen ``user`` supervises as a wijkdocent."""
    stmt = select(LeerkringWijkdocent.leerkring_id).where(LeerkringWijkdocent.user_id == user.id)
    return set(session.exec(stmt))


def staff_scope(*, session: Session, user: User) -> set[int | None] | None:
    """The leerkringen a staff member answers for (None: all, for an admin). A wijkdocent:
    their own, plus what belongs to no leerkring (None in the set), so nothing falls
    between two stools. One rule for the review queue, the incomplete-rankings list and
    team adjustments (docs/security.md, "Access")."""
    if user.role == Role.ADMIN:
        return None
    return {*leerkring_ids_of(session=session, user=user), None}


def supervisors_of(*, session: Session, opdracht_ids: list[int]) -> dict[int, int]:
    """Opdracht id to the wijkdocent who supervises its leerkring (the first one linked)."""
    rows = session.exec(
        select(Opdracht.id, LeerkringWijkdocent.user_id)
        .join(LeerkringWijkdocent, col(LeerkringWijkdocent.leerkring_id) == Opdracht.leerkring_id)
        .where(col(Opdracht.id).in_(opdracht_ids))
        .order_by(col(LeerkringWijkdocent.user_id).desc())
    )
    return {oid: uid for oid, uid in rows if oid is not None}
