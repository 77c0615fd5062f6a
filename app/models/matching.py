"""Match runs and the teams they propose."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import code_field, created_at_field, json_field, utcnow
from app.models.enums import RunStatus, TeamStatus

ACTIVE_RUN_STATUSES = ("queued", "running")


class MatchRun(SQLModel, table=True):
    __tablename__ = "match_run"
    # The database itself guarantees one active run per semester.
    __table_args__ = (
        sa.Index(
            "uq_match_run_one_active",
            "semester_id",
            unique=True,
            sqlite_where=sa.text("status IN ('queued', 'running')"),
            postgresql_where=sa.text("status IN ('queued', 'running')"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", index=True)
    status: RunStatus = code_field(16, default=RunStatus.QUEUED)
    parameters: dict[str, Any] = json_field()
    solver_status: str = Field(default="", max_length=32)
    objective: float | None = None
    bound: float | None = None
    statistics: dict[str, Any] = json_field()
    explanations: dict[str, Any] = json_field()
    progress: int = 0
    message: str = ""
    is_current: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    started_at: datetime | None = None
    finished_at: datetime | None = None


class Team(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("run_id", "opdracht_id", "index"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="match_run.id", index=True, ondelete="CASCADE")
    opdracht_id: int = Field(foreign_key="opdracht.id", index=True)
    index: int = Field(ge=1)
    status: TeamStatus = code_field(16, default=TeamStatus.PROPOSED)
    supervisor_id: int | None = Field(default=None, foreign_key="user.id")
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class Member(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("run_id", "student_id"),)
    id: int | None = Field(default=None, primary_key=True)
    # run_id is denormalised from the team so the database can refuse a student in two teams.
    run_id: int = Field(foreign_key="match_run.id", index=True, ondelete="CASCADE")
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    student_id: int = Field(foreign_key="student_profile.id", index=True)
    locked: bool = False
    rank: int | None = None
    override_reason: str = ""


class Ban(SQLModel, table=True):
    """A wijkdocent forbids a student-opdracht pairing."""

    __table_args__ = (sa.UniqueConstraint("semester_id", "student_id", "opdracht_id"),)
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", index=True)
    student_id: int = Field(foreign_key="student_profile.id", ondelete="CASCADE")
    opdracht_id: int = Field(foreign_key="opdracht.id", ondelete="CASCADE")
    reason: str = ""
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
