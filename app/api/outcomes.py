"""The JSON API for outcomes (scope ``outcomes:read``), for the network's website: the
confirmed outcomes of a semester, with only the deliverables the team and the partner
chose to share, and no names of people (a team is counted, not listed)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from app.api.auth import api_token, require_scope
from app.api.http import PAGE_HEADERS, json_response, next_link, responses
from app.api.routes import IfNoneMatch, Limit, Offset, SemesterCode
from app.api.schemas import OpdrachtRef, Page, PartnerPublic, Ref
from app.api.services import get_semester
from app.api.strict import known_query_only
from app.db import SessionDep
from app.errors import NotFound
from app.models import (
    ApiToken,
    Deliverable,
    DeliverableKind,
    LearningEffect,
    Opdracht,
    OpdrachtStatus,
    OpdrachtTheme,
    PublishedMember,
    PublishedTeam,
    Semester,
    TeamOutcome,
    TeamOutcomeEffect,
    Theme,
)
from app.outcomes.showcase import shared

router = APIRouter(prefix="/api/v1", dependencies=[Depends(api_token), Depends(known_query_only)])
OutcomesReader = Annotated[ApiToken, Depends(require_scope("outcomes:read"))]


class Code(BaseModel):
    code: str
    name: str


class DeliverablePublic(BaseModel):
    id: int
    title: str
    kind: Code
    summary: str
    link: str | None = Field(description="The deliverable on the web, or null for a PDF.")
    file: str | None = Field(description="Path of the shared PDF on this server, or null.")


class EvaluationPublic(BaseModel):
    usefulness: int | None = Field(description="1 (not useful) to 5 (very useful).")
    plan: str | None = Field(description="use, continue or stop.")
    follow_up: bool


class OutcomePublic(BaseModel):
    id: int
    semester: str
    opdracht: OpdrachtRef
    team_number: int
    partners: list[PartnerPublic]
    leerkring: Ref | None
    themes: list[Code]
    students: int = Field(description="How many students the team had (no names).")
    programmes: list[str] = Field(description="Codes of the team's programmes.")
    learning_effects: list[Code]
    deliverables: list[DeliverablePublic] = Field(description="Only those shared publicly.")
    evaluation: EvaluationPublic
    continued_by: list[int] = Field(description="Ids of opdrachten that continue this one.")
    confirmed_at: datetime
    updated_at: datetime


class OutcomePage(Page):
    semester: str
    items: list[OutcomePublic]


EXAMPLE: dict[str, Any] = {
    "id": 7,
    "semester": "2026-S1",
    "opdracht": {"id": 12, "title": "Welzijn op Recept"},
    "team_number": 1,
    "partners": [{"id": 3, "name": "Forte Welzijn", "owner": True}],
    "leerkring": {"id": 2, "name": "Overbetuwe"},
    "themes": [{"code": "positieve-gezondheid", "name": "Positieve gezondheid"}],
    "students": 5,
    "programmes": ["SW", "VP", "FT"],
    "learning_effects": [{"code": "professional", "name": "De professional"}],
    "deliverables": [
        {
            "id": 31,
            "title": "Wegwijzer welzijnsactiviteiten",
            "kind": {"code": "advies", "name": "Advies"},
            "summary": "Voor huisartsen in Elst",
            "link": None,
            "file": "/outcomes/showcase/31/file",
        }
    ],
    "evaluation": {"usefulness": 5, "plan": "continue", "follow_up": True},
    "continued_by": [40],
    "confirmed_at": "2026-02-01T10:00:00Z",
    "updated_at": "2026-02-01T10:00:00Z",
}


def _confirmed() -> Any:
    return col(TeamOutcome.confirmed_at).is_not(None)


def _items(
    session: Session, rows: list[tuple[TeamOutcome, PublishedTeam, Semester]]
) -> list[OutcomePublic]:
    ids = [o.id for o, _, _ in rows]
    opdracht_ids = {o.opdracht_id for o, _, _ in rows}
    themes = _themes(session, opdracht_ids)
    effects = _effects(session, ids)
    delivered = _deliverables(session, ids)
    members = _programme_codes(session, [t.id for _, t, _ in rows])
    follow = _follow_ups(session, opdracht_ids)
    return [
        OutcomePublic(
            id=o.id or 0,
            semester=s.code,
            opdracht=OpdrachtRef(id=t.opdracht_id, title=t.opdracht_title),
            team_number=t.team_number,
            partners=[PartnerPublic(**p) for p in t.partners],
            leerkring=Ref(id=t.leerkring_id, name=t.leerkring_name or "")
            if t.leerkring_id
            else None,
            themes=themes.get(o.opdracht_id, []),
            students=len(members.get(t.id or 0, [])),
            programmes=sorted(set(members.get(t.id or 0, []))),
            learning_effects=effects.get(o.id or 0, []),
            deliverables=delivered.get(o.id or 0, []),
            evaluation=EvaluationPublic(
                usefulness=o.usefulness, plan=o.partner_plan, follow_up=o.follow_up
            ),
            continued_by=sorted(follow.get(o.opdracht_id, [])),
            confirmed_at=o.confirmed_at or o.updated_at,
            updated_at=o.updated_at,
        )
        for o, t, s in rows
    ]


def _themes(session: Session, opdracht_ids: set[int]) -> dict[int, list[Code]]:
    themes: dict[int, list[Code]] = defaultdict(list)
    for oid, t in session.exec(
        select(OpdrachtTheme.opdracht_id, Theme)
        .join(Theme, col(Theme.id) == OpdrachtTheme.theme_id)
        .where(col(OpdrachtTheme.opdracht_id).in_(opdracht_ids))
    ):
        themes[oid].append(Code(code=t.code, name=t.name_nl))
    return themes


def _effects(session: Session, ids: list[int | None]) -> dict[int, list[Code]]:
    effects: dict[int, list[Code]] = defaultdict(list)
    for oid, e in session.exec(
        select(TeamOutcomeEffect.outcome_id, LearningEffect)
        .join(LearningEffect, col(LearningEffect.id) == TeamOutcomeEffect.learning_effect_id)
        .where(col(TeamOutcomeEffect.outcome_id).in_(ids))
        .order_by(col(LearningEffect.sort_order))
    ):
        effects[oid].append(Code(code=e.code, name=e.name_nl))
    return effects


def _deliverables(session: Session, ids: list[int | None]) -> dict[int, list[DeliverablePublic]]:
    """The shared deliverables of each outcome."""
    delivered: dict[int, list[DeliverablePublic]] = defaultdict(list)
    for d, k in session.exec(
        select(Deliverable, DeliverableKind)
        .join(DeliverableKind, col(DeliverableKind.id) == Deliverable.kind_id)
        .where(col(Deliverable.outcome_id).in_(ids), shared())
        .order_by(col(Deliverable.id))
    ):
        delivered[d.outcome_id].append(
            DeliverablePublic(
                id=d.id or 0,
                title=d.title,
                kind=Code(code=k.code, name=k.name_nl),
                summary=d.summary,
                link=d.link or None,
                file=f"/outcomes/showcase/{d.id}/file" if d.stored_name else None,
            )
        )
    return delivered


def _programme_codes(session: Session, team_ids: list[int | None]) -> dict[int, list[str]]:
    """The programme code of every member of each published team."""
    members: dict[int, list[str]] = defaultdict(list)
    for team_id, code in session.exec(
        select(PublishedMember.team_id, PublishedMember.programme_code).where(
            col(PublishedMember.team_id).in_(team_ids),
            col(PublishedMember.deleted_at).is_(None),
        )
    ):
        members[team_id].append(code)
    return members


def _follow_ups(session: Session, opdracht_ids: set[int]) -> dict[int, list[int]]:
    """The opdrachten that continue each opdracht (rejected and withdrawn ones left out)."""
    follow: dict[int, list[int]] = defaultdict(list)
    for o in session.exec(
        select(Opdracht).where(
            col(Opdracht.continues_id).in_(opdracht_ids),
            col(Opdracht.status).not_in((OpdrachtStatus.REJECTED, OpdrachtStatus.WITHDRAWN)),
        )
    ):
        follow[o.continues_id or 0].append(o.id or 0)
    return follow


def _query() -> Any:
    return (
        select(TeamOutcome, PublishedTeam, Semester)
        .join(PublishedTeam, col(PublishedTeam.id) == TeamOutcome.published_team_id)
        .join(Semester, col(Semester.id) == TeamOutcome.semester_id)
        .where(_confirmed())
    )


@router.get(
    "/semesters/{code}/outcomes",
    tags=["outcomes"],
    summary="List the confirmed outcomes of a semester",
    response_model=OutcomePage,
    responses=responses(
        {"semester": "2026-S1", "limit": 100, "offset": 0, "total": 1, "items": [EXAMPLE]},
        PAGE_HEADERS,
    ),
)
def list_outcomes(
    request: Request,
    session: SessionDep,
    token: OutcomesReader,
    code: SemesterCode,
    limit: Limit = 100,
    offset: Offset = 0,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Outcomes the wijkdocent confirmed, ordered by id; needs the scope `outcomes:read`."""
    semester = get_semester(session=session, code=code)
    where = (TeamOutcome.semester_id == semester.id, _confirmed())
    total = session.exec(select(func.count()).select_from(TeamOutcome).where(*where)).one()
    stmt = _query().where(TeamOutcome.semester_id == semester.id)
    rows = list(session.exec(stmt.order_by(col(TeamOutcome.id)).offset(offset).limit(limit)))
    page = OutcomePage(
        semester=semester.code, limit=limit, offset=offset, total=total, items=_items(session, rows)
    )
    return json_response(request, page, next_link(request, page))


@router.get(
    "/outcomes/{outcome_id}",
    tags=["outcomes"],
    summary="Get one confirmed outcome",
    response_model=OutcomePublic,
    responses=responses(EXAMPLE),
)
def get_outcome(
    request: Request,
    session: SessionDep,
    token: OutcomesReader,
    outcome_id: Annotated[int, Path(ge=1, le=2**31 - 1, examples=[7])],
    if_none_match: IfNoneMatch = None,
) -> Response:
    """404 for an unknown outcome or one not confirmed yet."""
    rows = list(session.exec(_query().where(col(TeamOutcome.id) == outcome_id)))
    if not rows:
        raise NotFound("No outcome with this key.")
    return json_response(request, _items(session, rows)[0])
