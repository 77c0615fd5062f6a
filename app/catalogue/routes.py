"""The catalogue page; htmx swaps only the results when a filter changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import CurrentUser
from app.catalogue import services
from app.db import SessionDep
from app.opdrachten.cards import Filters
from app.parsing import parse_id
from app.templating import render

router = APIRouter(prefix="/catalogue")
Param = Annotated[str, Query(max_length=20)]


@router.get("", response_class=HTMLResponse)
def show_catalogue(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    semester: Param = "",
    theme: Param = "",
    target_group: Param = "",
    leerkring: Param = "",
    year: Param = "",
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    filters = Filters(
        theme_id=parse_id(theme),
        target_group_id=parse_id(target_group),
        leerkring_id=parse_id(leerkring),
        year=parse_id(year),
        q=q.strip(),
    )
    page = services.catalogue(
        session=session, user=user, semester_id=parse_id(semester), filters=filters
    )
    return render(request, "catalogue/list.html", {"page": page, "filters": filters})
