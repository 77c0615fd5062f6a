"""A checked student-import upload kept for a short while, so a dry run can be confirmed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import created_at_field


class PendingImport(SQLModel, table=True):
    """The file a dry run checked; the user who ran it confirms it once, by token, before expiry."""

    __tablename__ = "pending_import"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=255)
    content: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(index=True)
