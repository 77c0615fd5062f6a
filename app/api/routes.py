"""The JSON API, version 1: published teams and approved opdrachten for HAN timetabling."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import AwareDatetime, BeforeValidator

from app.api import examples, schemas, services
from app.api.auth import OpdrachtenReader, TeamsReader, api_token
from app.api.http import PAGE_HEADERS, as_utc, json_response, next_link, responses
from app.api.strict import known_query_only
from app.db import SessionDep

router = APIRouter(prefix="/api/v1", dependencies=[Depends(api_token), Depends(known_query_only)])

SemesterCode = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9-]{1,16}$",
        description="The semester's code.",
        examples=["2026-S2"],
    ),
]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
IfNoneMatch = Annotated[
    str | None,
    Header(description="The ETag of an earlier response: 304 when nothing changed."),
]
RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d{1,6})?([Zz]|[+-]\d\d:\d\d)")


def _rfc3339(value: object) -> object:
    """Refuse what pydantic would also take for a moment (Unix seconds, dates, no offset)."""
    if isinstance(value, str) and not RFC3339.fullmatch(value):
        raise ValueError("Use RFC 3339 with an offset, e.g. 2026-07-15T08:00:00Z")
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_rfc3339)]
Since = Annotated[
    Moment | None,
    Query(
        description=(
            "Only teams changed after this moment (RFC 3339 with an offset), tombstones of "
            "removed teams included. Pass the watermark of your previous sync."
        ),
        examples=["2026-07-15T08:00:12.123456Z"],
    ),
]
AsOf = Annotated[
    Moment | None,
    Query(
        description=(
            "Set in the next links of a full sync: teams removed after this moment are listed "
            "as tombstones so that paging stays stable. Clients need not set it themselves."
        ),
    ),
]


@router.get(
    "/semesters",
    tags=["semesters"],
    summary="List semesters",
    response_model=schemas.SemesterList,
    responses=responses({"items": [examples.SEMESTER]}),
)
def list_semesters(
    request: Request, session: SessionDep, if_none_match: IfNoneMatch = None
) -> Response:
    """Every semester with its phase and dates, and whether it has published teams; any
    valid token may read it."""
    return json_response(request, services.list_semesters(session=session))


@router.get(
    "/semesters/{code}/teams",
    tags=["teams"],
    summary="List the published teams of a semester",
    response_model=schemas.TeamPage,
    responses=responses(examples.TEAM_PAGE, PAGE_HEADERS),
)
def list_teams(
    request: Request,
    session: SessionDep,
    token: TeamsReader,
    code: SemesterCode,
    updated_since: Since = None,
    as_of: AsOf = None,
    limit: Limit = 100,
    offset: Offset = 0,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Published teams only, ordered by id. Without `updated_since`: every team that is
    published now (a full sync). With it: the teams added or changed since then, and a
    tombstone `{"id": ..., "deleted": true, "deleted_at": ...}` for each removed team.
    Follow the `Link: rel="next"` header until there is none."""
    semester = services.get_semester(session=session, code=code)
    page = services.team_page(
        session=session,
        semester=semester,
        limit=limit,
        offset=offset,
        updated_since=as_utc(updated_since),
        as_of=as_utc(as_of),
    )
    extra = {}
    if updated_since is None and page.watermark is not None:
        extra["as_of"] = _iso(as_utc(as_of) or page.watermark)
    return json_response(request, page, next_link(request, page, **extra))


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


@router.get(
    "/teams/{team_id}",
    tags=["teams"],
    summary="Get one published team",
    response_model=schemas.TeamPublic,
    responses=responses(examples.TEAM),
)
def get_team(
    request: Request,
    session: SessionDep,
    token: TeamsReader,
    team_id: Annotated[int, Path(ge=1, le=2**31 - 1, examples=[41])],
    if_none_match: IfNoneMatch = None,
) -> Response:
    """A team that is published now; 404 for an unknown or removed team."""
    return json_response(request, services.get_team(session=session, team_id=team_id))


@router.get(
    "/semesters/{code}/students/{student_number}/team",
    tags=["teams"],
    summary="Get the published team of a student",
    response_model=schemas.TeamPublic,
    responses=responses(examples.TEAM),
)
def get_student_team(
    request: Request,
    session: SessionDep,
    token: TeamsReader,
    code: SemesterCode,
    student_number: Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,32}$", examples=["2100012"])],
    if_none_match: IfNoneMatch = None,
) -> Response:
    """404 when the student is not in a published team of the semester."""
    semester = services.get_semester(session=session, code=code)
    team_id = services.team_of_student(
        session=session, semester=semester, student_number=student_number
    )
    return json_response(request, services.get_team(session=session, team_id=team_id))


@router.get(
    "/semesters/{code}/opdrachten",
    tags=["opdrachten"],
    summary="List the approved opdrachten of a semester",
    response_model=schemas.OpdrachtPage,
    responses=responses(examples.OPDRACHT_PAGE, PAGE_HEADERS),
)
def list_opdrachten(
    request: Request,
    session: SessionDep,
    token: OpdrachtenReader,
    code: SemesterCode,
    limit: Limit = 100,
    offset: Offset = 0,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Approved opdrachten only, ordered by id; needs the scope `opdrachten:read`."""
    semester = services.get_semester(session=session, code=code)
    page = services.opdracht_page(session=session, semester=semester, limit=limit, offset=offset)
    return json_response(request, page, next_link(request, page))
