"""Cross-cutting records: sessions, invitations, audit, API tokens, outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import created_at_field, json_field


class UserSession(SQLModel, table=True):
    """A server-side login session; the cookie holds a random token, the table its hash."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()


class Invitation(SQLModel, table=True):
    """A one-time link that lets a user set their password."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    expires_at: datetime
    used_at: datetime | None = None


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    succeeded: bool = False
    at: datetime = created_at_field()


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(max_length=64)
    entity_id: str = Field(default="", max_length=64)
    semester_id: int | None = Field(default=None, foreign_key="semester.id", index=True)
    reason: str = ""
    before: dict[str, Any] | None = json_field(default_factory=lambda: None, nullable=True)
    after: dict[str, Any] | None = json_field(default_factory=lambda: None, nullable=True)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    scopes: list[str] = json_field(default_factory=list)
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()


class OutboxMessage(SQLModel, table=True):
    """E-mail waiting to be sent (or, in development, shown on the outbox page)."""

    __tablename__ = "outbox_message"
    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = None
    # Delivery: the HTML part (plain text only when empty), the notification it carries,
    # attempts so far, when to try again, the last error, and when it was given up.
    html_body: str = Field(default="", sa_type=sa.Text)
    notification_id: int | None = Field(
        default=None, foreign_key="notification.id", index=True, ondelete="SET NULL"
    )
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = Field(default="", sa_type=sa.Text)
    failed_at: datetime | None = None
