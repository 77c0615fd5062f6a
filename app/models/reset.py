"""Password reset by e-mail: one-time links and the requests that are throttled."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models._base import created_at_field


class PasswordReset(SQLModel, table=True):
    """A one-time link to set a new password; the mail holds the token, the table its hash.
    Using the link deletes the row, in one conditional statement."""

    __tablename__ = "password_reset"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()
    expires_at: datetime


class PasswordResetRequest(SQLModel, table=True):
    """A "forgot password" request, known address or not: what the throttle counts."""

    __tablename__ = "password_reset_request"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = created_at_field()
