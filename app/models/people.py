"""People and organisations: users, programmes, leerkringen, partners, student profiles."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models._base import code_field, created_at_field
from app.models.enums import Language, PartnerKind, Role


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    role: Role = code_field(16, index=True)
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = True
    preferred_language: Language = code_field(2, default=Language.NL)
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = None
    version: int = 1


class Programme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    name_nl: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    sort_order: int = 0
    active: bool = True


class Leerkring(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    region: str = Field(default="", max_length=120)
    description: str = ""
    active: bool = True


class LeerkringWijkdocent(SQLModel, table=True):
    """Which wijkdocenten supervise (and approve teams of) a leerkring."""

    __tablename__ = "leerkring_wijkdocent"
    leerkring_id: int = Field(foreign_key="leerkring.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class Theme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True)
    name_nl: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    parent_id: int | None = Field(default=None, foreign_key="theme.id")


class TargetGroup(SQLModel, table=True):
    __tablename__ = "target_group"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True)
    name_nl: str = Field(max_length=120)
    name_en: str = Field(max_length=120)


class Partner(SQLModel, table=True):
    """A partner organisation (municipality, welfare, care, housing, ...)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: PartnerKind = code_field(24, default=PartnerKind.OTHER)
    website: str = Field(default="", max_length=300)
    description: str = ""
    active: bool = True
    created_at: datetime = created_at_field()
    version: int = 1


class PartnerLeerkring(SQLModel, table=True):
    __tablename__ = "partner_leerkring"
    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")
    leerkring_id: int = Field(foreign_key="leerkring.id", primary_key=True, ondelete="CASCADE")


class PartnerUser(SQLModel, table=True):
    """The users that act for a partner organisation."""

    __tablename__ = "partner_user"
    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class StudentProfile(SQLModel, table=True):
    __tablename__ = "student_profile"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True, ondelete="CASCADE")
    student_number: str = Field(max_length=32, unique=True, index=True)
    programme_id: int = Field(foreign_key="programme.id")
    year: int = Field(ge=1, le=6)
    leerkring_id: int | None = Field(default=None, foreign_key="leerkring.id")
    school: str = Field(default="HAN", max_length=120)
    version: int = 1
