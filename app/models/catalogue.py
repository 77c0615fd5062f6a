"""Semesters and the opdrachten partners post in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import code_field, created_at_field, json_field, utcnow
from app.models.enums import OpdrachtStatus, Phase


class Semester(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(default="", max_length=120)
    phase: Phase = code_field(16, default=Phase.CONCEPT)
    starts_on: date | None = None  # a calendar day, not a moment
    intake_deadline: datetime | None = None
    ranking_deadline: datetime | None = None
    publication_at: datetime | None = None
    # Default team rules, copied into new opdrachten.
    default_min_size: int = 3
    default_max_size: int = 6
    default_max_per_programme: int | None = 2
    default_min_programmes: int = 2
    number_of_ranks: int = 5  # the most choices a ranking holds
    # The fewest choices of a complete ranking; None: exactly ``number_of_ranks``.
    min_ranking_length: int | None = None
    max_group_size: int = 3  # students who want to work together: at most this many
    restrict_to_leerkring: bool = False
    focus_theme_id: int | None = Field(default=None, foreign_key="theme.id")
    focus_target_group_id: int | None = Field(default=None, foreign_key="target_group.id")
    # Matching settings: cost per rank, policy for unranked / unplaced, fairness profile.
    rank_costs: list[int] = json_field(default_factory=lambda: [0, 1, 3, 6, 10])
    unranked_cost: int | None = None
    unplaced_cost: int | None = 100
    move_cost: int = 5
    objective: str = code_field(16, default="sum")
    time_limit_seconds: int = 60
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1

    def ranking_length(self) -> tuple[int, int]:
        """(fewest, most) choices of a complete ranking; the fewest never exceeds the most."""
        most = self.number_of_ranks
        return min(self.min_ranking_length or most, most), most


class Opdracht(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", index=True)
    owner_partner_id: int = Field(foreign_key="partner.id", index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    leerkring_id: int | None = Field(default=None, foreign_key="leerkring.id", index=True)
    location: str = Field(default="", max_length=200)
    eligible_years: list[int] = json_field(default_factory=list)
    teams: int = Field(default=1, ge=1)
    min_size: int = Field(default=3, ge=1)
    max_size: int = Field(default=6, ge=1)
    max_per_programme: int | None = None
    min_programmes: int = Field(default=1, ge=1)
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=254)
    status: OpdrachtStatus = code_field(16, default=OpdrachtStatus.DRAFT, index=True)
    review_comment: str = ""
    continues_id: int | None = Field(default=None, foreign_key="opdracht.id")
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1

    def rules(self) -> dict[str, Any]:
        return {
            "teams": self.teams,
            "min_size": self.min_size,
            "max_size": self.max_size,
            "max_per_programme": self.max_per_programme,
            "min_programmes": self.min_programmes,
        }


class OpdrachtCopartner(SQLModel, table=True):
    __tablename__ = "opdracht_copartner"
    opdracht_id: int = Field(foreign_key="opdracht.id", primary_key=True, ondelete="CASCADE")
    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")


class OpdrachtTheme(SQLModel, table=True):
    __tablename__ = "opdracht_theme"
    opdracht_id: int = Field(foreign_key="opdracht.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class OpdrachtTargetGroup(SQLModel, table=True):
    __tablename__ = "opdracht_target_group"
    opdracht_id: int = Field(foreign_key="opdracht.id", primary_key=True, ondelete="CASCADE")
    target_group_id: int = Field(
        foreign_key="target_group.id", primary_key=True, ondelete="CASCADE"
    )


class OpdrachtRequiredProgramme(SQLModel, table=True):
    __tablename__ = "opdracht_required_programme"
    opdracht_id: int = Field(foreign_key="opdracht.id", primary_key=True, ondelete="CASCADE")
    programme_id: int = Field(foreign_key="programme.id", primary_key=True, ondelete="CASCADE")


class Preference(SQLModel, table=True):
    """One line of a student's ranking: rank 1 is the first choice."""

    __table_args__ = (
        sa.UniqueConstraint("semester_id", "student_id", "rank"),
        sa.UniqueConstraint("semester_id", "student_id", "opdracht_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", index=True)
    student_id: int = Field(foreign_key="student_profile.id", index=True, ondelete="CASCADE")
    opdracht_id: int = Field(foreign_key="opdracht.id", ondelete="CASCADE")
    rank: int = Field(ge=1)
    updated_at: datetime = Field(default_factory=utcnow)
