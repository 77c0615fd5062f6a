"""Sign-in through an OpenID Connect provider: linked identities, requests in flight, and
the per-role switch for password login."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import code_field, created_at_field
from app.models.enums import Role


class OidcIdentity(SQLModel, table=True):
    """A provider account (issuer + subject) linked to one of our users, once per issuer."""

    __tablename__ = "oidc_identity"
    __table_args__ = (
        sa.UniqueConstraint("issuer", "subject"),
        sa.UniqueConstraint("user_id", "issuer"),
    )
    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=300)
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = None


class OidcLogin(SQLModel, table=True):
    """An authorization request on its way to the provider; consumed by the callback.

    Only the hash of ``state`` is stored: it is the key the callback presents. The nonce and
    the PKCE verifier are needed in clear to check the ID token and redeem the code; the row
    lives for minutes and is deleted when the callback uses it.
    """

    __tablename__ = "oidc_login"
    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    next_path: str = Field(default="", max_length=500)
    created_at: datetime = created_at_field()


class PasswordLogin(SQLModel, table=True):
    """Whether users of a role may log in with a password; a role without a row may."""

    __tablename__ = "password_login"
    role: Role = code_field(16, primary_key=True)
    allowed: bool = True
    updated_at: datetime = created_at_field()
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
