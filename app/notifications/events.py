"""Notifications of an opdracht's review: submitted, approved, rejected, sent back.

Called by the intake and review services in their own transaction, after the status
changed: the message is committed together with the change, or not at all.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import (
    Leerkring,
    LeerkringWijkdocent,
    Opdracht,
    OpdrachtCopartner,
    Partner,
    PartnerUser,
    User,
)
from app.notifications.store import Planned, send_all

TOPIC = "opdracht"


def _active(session: Session, user_ids: set[int]) -> list[User]:
    stmt = select(User).where(col(User.id).in_(user_ids), col(User.active).is_(True))
    return list(session.exec(stmt.order_by(col(User.id))))


def _base(opdracht: Opdracht, decision: str) -> dict[str, object]:
    # The version is part of the content: submitting again after a send-back is a new event.
    return {
        "opdracht_id": opdracht.id,
        "version": opdracht.version,
        "title": opdracht.title,
        "decision": decision,
    }


def opdracht_submitted(*, session: Session, opdracht: Opdracht) -> int:
    """Tell the wijkdocenten of the opdracht's leerkring that it waits for their review."""
    if opdracht.leerkring_id is None:
        return 0  # every wijkdocent may review it; nobody in particular is concerned
    ids = set(
        session.exec(
            select(LeerkringWijkdocent.user_id).where(
                LeerkringWijkdocent.leerkring_id == opdracht.leerkring_id
            )
        )
    )
    owner = session.get(Partner, opdracht.owner_partner_id)
    leerkring = session.get(Leerkring, opdracht.leerkring_id)
    facts = {
        **_base(opdracht, "submit"),
        "partner": owner.name if owner else "",
        "why": "wijkdocent",
        "why_args": {"leerkring": leerkring.name if leerkring else ""},
    }
    scope, path = f"opdracht:{opdracht.id}", f"/review/{opdracht.id}"
    planned = [
        Planned(u, TOPIC, scope, "opdracht_submitted", facts, path) for u in _active(session, ids)
    ]
    return send_all(session=session, planned=planned)


def opdracht_decided(*, session: Session, opdracht: Opdracht, decision: str) -> int:
    """Tell every user of the owner and the co-partners what the review decided, with the
    wijkdocent's comment."""
    partner_ids = {opdracht.owner_partner_id} | set(
        session.exec(
            select(OpdrachtCopartner.partner_id).where(OpdrachtCopartner.opdracht_id == opdracht.id)
        )
    )
    names = {p.id: p.name for p in session.exec(select(Partner))}
    works_for: dict[int, int] = {}
    for link in session.exec(
        select(PartnerUser).where(col(PartnerUser.partner_id).in_(partner_ids))
    ):
        if link.user_id not in works_for or link.partner_id == opdracht.owner_partner_id:
            works_for[link.user_id] = link.partner_id
    scope, path = f"opdracht:{opdracht.id}", f"/opdrachten/{opdracht.id}"
    planned = []
    for user in _active(session, set(works_for)):
        facts = {
            **_base(opdracht, decision),
            "comment": opdracht.review_comment,
            "why": "partner",
            "why_args": {"partner": names.get(works_for[user.id or 0], "")},
        }
        planned.append(Planned(user, TOPIC, scope, "opdracht_decided", facts, path))
    return send_all(session=session, planned=planned)
