"""In-app notifications; each one that goes out by mail also has an outbox message.

``key`` is the idempotency key: a hash of recipient, topic, scope and content. It is unique,
so the same message can be written only once, even by two requests at the same time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import created_at_field, json_field


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # What the message is about, e.g. "publication" or "reminder"; with ``scope`` (e.g.
    # "semester:3") it finds the previous message of a thread, such as the last team mail.
    topic: str = Field(max_length=48)
    scope: str = Field(max_length=64)
    kind: str = Field(max_length=48, index=True)  # which template, e.g. "team_placed"
    facts: dict[str, Any] = json_field()
    subject: str = Field(max_length=300)
    body: str = Field(default="", sa_type=sa.Text)
    link: str = Field(default="", max_length=500)
    created_at: datetime = created_at_field()
