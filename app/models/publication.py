"""The publication snapshot the JSON API serves: a copy of the teams as last published.

The API reads only these tables, so proposed or unpublished teams of a match run can never
leak. Rows are never deleted while a semester lives: a team or member that disappears on a
republish keeps its row with ``deleted_at`` set (a tombstone), so incremental clients learn
about removals. ``updated_at`` changes whenever a row's published content changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import json_field, utcnow


class PublishedTeam(SQLModel, table=True):
    """One published team; its id stays the same across republications of the semester."""

    __tablename__ = "published_team"
    __table_args__ = (
        sa.UniqueConstraint("semester_id", "opdracht_id", "team_number"),
        sa.Index("ix_published_team_semester_id_updated_at", "semester_id", "updated_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", ondelete="CASCADE")
    opdracht_id: int = Field(foreign_key="opdracht.id", ondelete="CASCADE")
    team_number: int = Field(ge=1)
    opdracht_title: str = Field(max_length=200)
    # [{"id": partner id, "name": ..., "owner": bool}], the owner first.
    partners: list[dict[str, Any]] = json_field(default_factory=list)
    leerkring_id: int | None = None
    leerkring_name: str | None = Field(default=None, max_length=120)
    location: str = Field(default="", max_length=200)
    supervisor_id: int | None = None
    supervisor_name: str | None = Field(default=None, max_length=200)
    # sha256 of the published content including the member list: cheap change detection.
    content_hash: str = Field(max_length=64)
    published_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class PublishedMember(SQLModel, table=True):
    """A student in a published team; one row per student and semester."""

    __tablename__ = "published_member"
    __table_args__ = (
        sa.UniqueConstraint("semester_id", "student_id"),
        sa.Index("ix_published_member_semester_id_student_number", "semester_id", "student_number"),
    )
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", ondelete="CASCADE")
    team_id: int = Field(foreign_key="published_team.id", index=True, ondelete="CASCADE")
    # Purging a student's data (retention) removes their published rows too.
    student_id: int = Field(foreign_key="student_profile.id", ondelete="CASCADE")
    student_number: str = Field(max_length=32)
    name: str = Field(max_length=200)
    programme_code: str = Field(max_length=16)
    programme_name: str = Field(max_length=120)
    year: int
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None
