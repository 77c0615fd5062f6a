"""The audit trail: who did what, when, with the state before and after."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.models import AuditEvent, User


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: object = "",
    semester_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add an audit event to the session; the caller's transaction commits it."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        semester_id=semester_id,
        before=before,
        after=after,
        reason=reason,
    )
    session.add(event)
    return event
