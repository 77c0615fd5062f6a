"""The catalogue page; htmx swaps only the results when a filter changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import CurrentUser
from app.catalogue import services
from app.db import SessionDep
from app.opdrachten.cards import Filters
from app.templating import render

router = APIRouter(prefix="/catalogue")
Param = Annotated[str, Query(max_length=20)]


def _id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


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
        theme_id=_id(theme),
        target_group_id=_id(target_group),
        leerkring_id=_id(leerkring),
        year=_id(year),
        q=q.strip(),
    )
    page = services.catalogue(
        session=session, user=user, semester_id=_id(semester), filters=filters
    )
    return render(request, "catalogue/list.html", {"page": page, "filters": filters})
