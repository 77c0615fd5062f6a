"""The admin's outbox: every message with its delivery state; failed ones can be retried."""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.audit import record, record_access
from app.errors import Conflict, NotFound
from app.i18n import lazy
from app.models import OutboxMessage, User

State = Literal["pending", "sent", "failed"]
STATES: tuple[State, ...] = ("pending", "sent", "failed")


def state_of(message: OutboxMessage) -> State:
    if message.sent_at is not None:
        return "sent"
    return "failed" if message.failed_at is not None else "pending"


def _where(state: State) -> list[sa.ColumnElement[bool]]:
    sent, failed = col(OutboxMessage.sent_at), col(OutboxMessage.failed_at)
    conditions: dict[str, list[sa.ColumnElement[bool]]] = {
        "pending": [sent.is_(None), failed.is_(None)],
        "sent": [sent.is_not(None)],
        "failed": [sent.is_(None), failed.is_not(None)],
    }
    return conditions[state]


def listing(
    *, session: Session, state: State | None, actor: User, limit: int = 200
) -> tuple[list[OutboxMessage], dict[str, int]]:
    """The newest messages (of one state), and how many there are of each state; the
    admin's look at their addresses is audited."""
    stmt = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)
    if state is not None:
        stmt = stmt.where(*_where(state))
    counts: dict[str, int] = {
        s: session.exec(select(func.count()).where(*_where(s))).one() for s in STATES
    }
    messages = list(session.exec(stmt))
    record_access(
        session=session, actor=actor, action="outbox.view", entity="outbox", after={"state": state}
    )
    return messages, counts


def get(*, session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound()
    return message


def read(*, session: Session, message_id: int, actor: User) -> OutboxMessage:
    """One message with its text, for the admin (audited: it holds personal data)."""
    message = get(session=session, message_id=message_id)
    record_access(
        session=session,
        actor=actor,
        action="outbox.read",
        entity="outbox_message",
        entity_id=message_id,
    )
    return message


def retry(*, session: Session, message_id: int, admin: User) -> OutboxMessage:
    """Give a failed message five new attempts, at once."""
    message = get(session=session, message_id=message_id)
    before = {"attempts": message.attempts, "error": message.last_error}
    # One conditional write: two admins (or a double click) cannot both reset it.
    reset = session.execute(
        sa.update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, *_where("failed"))
        .values(failed_at=None, next_attempt_at=None, attempts=0)
    )
    if reset.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(lazy("Only a failed message can be tried again."))
    record(
        session=session,
        actor=admin,
        action="outbox.retry",
        entity="outbox_message",
        entity_id=message_id,
        before=before,
    )
    session.commit()
    session.refresh(message)
    return message
