"""The audit trail: who did what, when, with the state before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, SQLModel, col

from app.models import AuditEvent, User, utcnow


def record(
    *,
    session: Session,
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


def switch_active(
    *, session: Session, actor: User, model: type[SQLModel], row_id: int, active: bool
) -> bool:
    """Set the ``active`` flag of one row in one conditional UPDATE (only where it differs,
    so a second click changes nothing) and audit a change as ``<table>.activate`` or
    ``<table>.deactivate``; returns whether it changed. The caller commits."""
    table = str(model.__tablename__)
    id_column, active_column = getattr(model, "id"), getattr(model, "active")  # noqa: B009
    changed = session.execute(
        update(model)
        .where(col(id_column) == row_id, col(active_column).is_(not active))
        .values(active=active)
    ).rowcount  # type: ignore[attr-defined]
    if changed:
        action = f"{table}.activate" if active else f"{table}.deactivate"
        record(session=session, actor=actor, action=action, entity=table, entity_id=row_id)
    return bool(changed)


_INSERT = insert(AuditEvent.__table__)  # type: ignore[attr-defined]  # the table: no ORM path


def record_now(
    *,
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: object = "",
    semester_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    """``record``, sent to the database at once as one INSERT without an ORM object: for
    paths that run often (the ranking save). The caller's transaction commits it."""
    session.execute(
        _INSERT,
        {
            "at": utcnow(),
            "actor_id": actor.id if actor else None,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "semester_id": semester_id,
            "before": before,
            "after": after,
            "reason": reason,
        },
    )


def record_access(
    *,
    session: Session,
    actor: User,
    action: str,
    entity: str,
    entity_id: object = "",
    semester_id: int | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Staff looked at or downloaded personal data (AVG: who saw what, when); committed now,
    since a page view has no transaction of its own to ride along with."""
    record(
        session=session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        semester_id=semester_id,
        after=after,
    )
    session.commit()
