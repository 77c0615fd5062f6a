"""Student pages: the ranking, my team, my data. The session decides whose data it is."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.auth.deps import SettingsDep, StudentUser
from app.db import SessionDep
from app.errors import AppError, InvalidInput
from app.forms import see_other
from app.i18n import gettext as _
from app.i18n import lazy
from app.models import utcnow
from app.parsing import load_json, parse_id
from app.runs.last_published import under_review
from app.semesters import PhaseClosed
from app.students import mydata, ranking
from app.students.deadline import time_left
from app.students.eligibility import Filters
from app.students.team import is_published, published_team, team_semester
from app.templating import local_time, render

router = APIRouter(prefix="/student")
RANKING = "/student/ranking"


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _messages(exc: AppError) -> list[str]:
    return [_(e).format(**exc.params) for e in exc.errors] or [exc.translated()]


def _ranking_page(
    request: Request,
    session: SessionDep,
    user: StudentUser,
    filters: Filters,
    *,
    status: int = 200,
    message: str = "",
    errors: list[str] | None = None,
) -> Response:
    view = ranking.ranking_view(session=session, user=user, filters=filters)
    ctx = {
        "view": view,
        "time_left": time_left(view.semester.ranking_deadline),
        "htmx": _is_htmx(request),
        "message": message,
        "errors": errors or [],
    }
    return render(request, "students/ranking.html", ctx, status=status)


@router.get("/ranking", response_class=HTMLResponse)
def ranking_page(request: Request, session: SessionDep, student: StudentUser) -> Response:
    return _ranking_page(request, session, student, Filters.parse(request.url.query))


def _after_change(
    request: Request,
    session: SessionDep,
    user: StudentUser,
    filters: Filters,
    change: Callable[[], list[int]],
) -> Response:
    """Apply a change; answer htmx with the updated region, plain forms with a redirect."""
    try:
        change()
    except (InvalidInput, PhaseClosed) as exc:
        messages = _messages(exc)
        return _ranking_page(
            request,
            session,
            user,
            filters,
            status=exc.status_code,
            message=messages[0],
            errors=messages,
        )
    if _is_htmx(request):
        saved = _("Saved at %(time)s.") % {"time": local_time(utcnow(), "%H:%M:%S")}
        return _ranking_page(request, session, user, filters, message=saved)
    query = filters.query()
    to = f"{RANKING}{'?' + query if query else ''}#choices"
    return see_other(to, lazy("Your ranking has been saved."))


FiltersField = Annotated[str, Form(max_length=500)]
IdField = Annotated[int, Form()]


def _choice_route(path: str, change: Callable[..., list[int]]) -> None:
    """Add and remove: one opdracht id, the filters to return to, and the same answer."""

    @router.post(path, response_class=HTMLResponse, name=change.__name__)
    def route(
        request: Request,
        session: SessionDep,
        student: StudentUser,
        opdracht_id: IdField,
        filters: FiltersField = "",
    ) -> Response:
        return _after_change(
            request,
            session,
            student,
            Filters.parse(filters),
            lambda: change(session=session, user=student, opdracht_id=opdracht_id),
        )


_choice_route("/ranking/add", ranking.add)
_choice_route("/ranking/remove", ranking.remove)


@router.post("/ranking/move", response_class=HTMLResponse)
def move_choice(
    request: Request,
    session: SessionDep,
    student: StudentUser,
    up: Annotated[int | None, Form()] = None,
    down: Annotated[int | None, Form()] = None,
    filters: FiltersField = "",
) -> Response:
    """The up and down buttons are named after their direction and carry the opdracht id."""
    direction, opdracht_id = ("up", up) if up is not None else ("down", down)
    if opdracht_id is None:
        raise InvalidInput(lazy("This opdracht is not in your ranking."))
    return _after_change(
        request,
        session,
        student,
        Filters.parse(filters),
        lambda: ranking.move(
            session=session, user=student, opdracht_id=opdracht_id, direction=direction
        ),
    )


async def _order_input(request: Request) -> tuple[list[int], str, bool]:
    """The order from a JSON body ``{"order": [ids]}`` or repeated ``order`` form fields."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = load_json(await request.body())
        raw = body.get("order") if isinstance(body, dict) else None
        filters, is_json = "", True
    else:
        form = await request.form()
        raw, filters, is_json = form.getlist("order"), str(form.get("filters", "")), False
    if not isinstance(raw, list) or len(raw) > 100:
        return [-1], filters, is_json
    order = [-1 if (i := parse_id(v)) is None else i for v in raw]
    return order, filters, is_json


@router.post("/ranking/order", response_class=HTMLResponse)
def save_order(
    request: Request,
    session: SessionDep,
    student: StudentUser,
    data: Annotated[tuple[list[int], str, bool], Depends(_order_input)],
) -> Response:
    """The drag-and-drop path (htmx posts the form) and a JSON client post the whole order."""
    order, filters, is_json = data
    if not is_json:
        return _after_change(
            request,
            session,
            student,
            Filters.parse(filters),
            lambda: ranking.save_order(session=session, user=student, order=order),
        )
    try:
        saved = ranking.save_ranking(session=session, user=student, order=order)
    except (InvalidInput, PhaseClosed) as exc:
        return JSONResponse({"detail": _messages(exc)}, status_code=exc.status_code)
    # No need to build the whole page view (offers, tags, partners) for this answer: the
    # deadline rush posts here.
    return JSONResponse(
        {"order": saved.order, "required": saved.required, "complete": saved.complete}
    )


@router.get("/team", response_class=HTMLResponse)
def my_team(request: Request, session: SessionDep, student: StudentUser) -> Response:
    profile = ranking.own_profile(session, student)
    semester = team_semester(session, profile) or ranking.ranking_semester(session)
    team = published_team(session, semester, profile)
    reviewing = under_review(session=session, semester=semester)
    ctx = {
        "semester": semester,
        "team": team,
        "published": is_published(semester) or reviewing,
        "reviewing": reviewing,
    }
    return render(request, "students/team.html", ctx)


@router.get("/data", response_class=HTMLResponse)
def my_data(request: Request, student: StudentUser, settings: SettingsDep) -> Response:
    return render(request, "students/data.html", {"months": settings.retention_months})


@router.get("/data/download")
def download_my_data(*, session: SessionDep, student: StudentUser) -> Response:
    body = json.dumps(mydata.export(session=session, user=student), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="opdrachtmatch-my-data.json"'},
    )
