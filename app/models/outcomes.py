"""Outcomes of a semester (*borging*): what each team delivered, which learning effects it
worked on, and what the partner did with the result.

An outcome belongs to a published team (``published_team``), whose id stays the same across
republications and which holds no personal data, so outcomes outlive the purge of a
semester's memberships. Kinds of deliverable and learning effects are configurable data; the
learning effects belong to a leerkring (like Overbetuwe's *Ontwikkelboom*).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import code_field, created_at_field, utcnow


class PartnerPlan(StrEnum):
    """What the partner will do with the team's result."""

    USE = "use"
    CONTINUE = "continue"
    STOP = "stop"


class DeliverableKind(SQLModel, table=True):
    __tablename__ = "deliverable_kind"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name_nl: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    sort_order: int = 0
    active: bool = True


class LearningEffect(SQLModel, table=True):
    __tablename__ = "learning_effect"
    __table_args__ = (sa.UniqueConstraint("leerkring_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    leerkring_id: int = Field(foreign_key="leerkring.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=60)
    name_nl: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    sort_order: int = 0
    active: bool = True


class TeamOutcome(SQLModel, table=True):
    """One team's outcome: the partner's evaluation and the wijkdocent's confirmation."""

    __tablename__ = "team_outcome"
    __table_args__ = (
        sa.CheckConstraint("usefulness IS NULL OR usefulness BETWEEN 1 AND 5", name="usefulness"),
    )
    id: int | None = Field(default=None, primary_key=True)
    published_team_id: int = Field(foreign_key="published_team.id", unique=True, ondelete="CASCADE")
    semester_id: int = Field(foreign_key="semester.id", index=True, ondelete="CASCADE")
    opdracht_id: int = Field(foreign_key="opdracht.id", index=True, ondelete="CASCADE")
    usefulness: int | None = None
    partner_plan: PartnerPlan | None = code_field(16, default=None, nullable=True)
    follow_up: bool = False
    partner_comment: str = Field(default="", sa_type=sa.Text)
    evaluated_by_id: int | None = Field(default=None, foreign_key="user.id")
    evaluated_at: datetime | None = None
    confirmed_by_id: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime | None = None
    wijkdocent_note: str = Field(default="", sa_type=sa.Text)
    follow_up_opdracht_id: int | None = Field(
        default=None, foreign_key="opdracht.id", ondelete="SET NULL"
    )
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class TeamOutcomeEffect(SQLModel, table=True):
    __tablename__ = "team_outcome_effect"
    outcome_id: int = Field(foreign_key="team_outcome.id", primary_key=True, ondelete="CASCADE")
    learning_effect_id: int = Field(
        foreign_key="learning_effect.id", primary_key=True, ondelete="CASCADE"
    )


class Deliverable(SQLModel, table=True):
    """A result of a team: a link or an uploaded PDF, shown publicly only when both the team
    and the partner opted in."""

    id: int | None = Field(default=None, primary_key=True)
    outcome_id: int = Field(foreign_key="team_outcome.id", index=True, ondelete="CASCADE")
    kind_id: int = Field(foreign_key="deliverable_kind.id")
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_type=sa.Text)
    link: str = Field(default="", max_length=500)
    file_name: str = Field(default="", max_length=200)  # as uploaded, shown on download
    stored_name: str = Field(default="", max_length=80)  # random, inside the upload folder
    file_size: int = 0
    public_by_team: bool = False
    public_by_partner: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)
