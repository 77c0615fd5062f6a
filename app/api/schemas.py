"""Response models of the JSON API (version 1); field names are part of the contract."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_serializer

from app.templating import TZ

AMSTERDAM_MOMENT = "A moment in Dutch time, with its offset (+01:00 in winter, +02:00 in summer)."


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Only for 422: which parameter is wrong and why."
    )


class SemesterPublic(BaseModel):
    code: str = Field(description="Stable key of the semester, e.g. 2026-S2.")
    name: str
    phase: str = Field(
        description="concept, intake, ranking, matching, review, published, closing or closed."
    )
    starts_on: date | None = Field(description="The first day of the semester (YYYY-MM-DD).")
    intake_deadline: datetime | None = Field(description=AMSTERDAM_MOMENT)
    ranking_deadline: datetime | None = Field(description=AMSTERDAM_MOMENT)
    publication_at: datetime | None = Field(description=AMSTERDAM_MOMENT)
    teams_published: bool = Field(description="Whether the semester has published teams.")
    teams_updated_at: datetime | None = Field(
        description="When its published teams last changed (pass as updated_since)."
    )

    @field_serializer("intake_deadline", "ranking_deadline", "publication_at")
    def _in_amsterdam(self, value: datetime | None) -> str | None:
        # Deadlines are moments people keep in Dutch time: served with that offset.
        return None if value is None else value.astimezone(TZ).isoformat()


class SemesterList(BaseModel):
    items: list[SemesterPublic]


class Ref(BaseModel):
    id: int
    name: str


class PartnerPublic(BaseModel):
    id: int
    name: str
    owner: bool = Field(description="True for the partner that owns the opdracht.")


class OpdrachtRef(BaseModel):
    id: int
    title: str


class ProgrammePublic(BaseModel):
    code: str
    name: str


class MemberPublic(BaseModel):
    student_number: str
    name: str
    programme: ProgrammePublic
    year: int


class TeamPublic(BaseModel):
    id: int = Field(description="Stable across republications of the semester.")
    deleted: Literal[False] = False
    semester: str
    opdracht: OpdrachtRef
    team_number: int = Field(description="1, 2, ... when an opdracht hosts several teams.")
    partners: list[PartnerPublic]
    leerkring: Ref | None
    location: str
    supervisor: Ref | None = Field(description="The supervising wijkdocent.")
    members: list[MemberPublic]
    published_at: datetime
    updated_at: datetime


class TeamTombstone(BaseModel):
    """A team that was published before and has since been removed."""

    id: int
    deleted: Literal[True] = True
    deleted_at: datetime


class Page(BaseModel):
    limit: int
    offset: int
    total: int = Field(description="Items matching the query over all pages.")


class TeamPage(Page):
    semester: str
    watermark: datetime | None = Field(
        description=(
            "The latest change in this semester's published teams. Keep the value of the "
            "first page of a sync and pass it as updated_since next time."
        )
    )
    items: list[TeamPublic | TeamTombstone]


class OpdrachtPublic(BaseModel):
    id: int
    semester: str
    title: str
    partners: list[PartnerPublic]
    leerkring: Ref | None
    location: str
    teams: int = Field(description="How many teams the opdracht hosts at most.")
    min_size: int
    max_size: int
    eligible_years: list[int] = Field(description="Empty: every year may join.")
    updated_at: datetime


class OpdrachtPage(Page):
    semester: str
    items: list[OpdrachtPublic]
