"""Admin pages: a semester's matching settings, and the comparison of the profiles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.auth.deps import AdminUser
from app.db import SessionDep
from app.errors import AppError, Conflict, InvalidInput
from app.forms import FormData, see_other
from app.i18n import lazy, use_request_language
from app.match_settings import services, views
from app.match_settings.forms import SettingsForm
from app.runs.deps import WorkerDep
from app.semester_admin.services import get_semester
from app.templating import render

# The solver's explanations are worded in the request's language.
router = APIRouter(prefix="/admin/semesters", dependencies=[Depends(use_request_language)])


@router.get("/{semester_id}/matching", response_class=HTMLResponse)
def settings_page(
    request: Request, session: SessionDep, admin: AdminUser, semester_id: int
) -> Response:
    semester = get_semester(session=session, semester_id=semester_id)
    return render(
        request, "match_settings/settings.html", views.settings_context(session, semester)
    )


@router.post("/{semester_id}/matching", response_class=HTMLResponse)
def save_settings(
    request: Request, session: SessionDep, admin: AdminUser, semester_id: int, data: FormData
) -> Response:
    form = SettingsForm.parse(data)
    try:
        services.save_settings(session=session, admin=admin, semester_id=semester_id, form=form)
    except (InvalidInput, Conflict) as exc:
        semester = get_semester(session=session, semester_id=semester_id)
        ctx = views.settings_context(session, semester, form)
        if isinstance(exc, Conflict):
            ctx["refusal"] = exc.translated()
        return render(request, "match_settings/settings.html", ctx, status=exc.status_code)
    return see_other(
        f"/admin/semesters/{semester_id}/matching", lazy("The matching settings are saved.")
    )


@router.get("/{semester_id}/profiles", response_class=HTMLResponse)
def profiles_page(
    request: Request, session: SessionDep, admin: AdminUser, semester_id: int
) -> Response:
    semester = get_semester(session=session, semester_id=semester_id)
    ctx = views.comparison_context(session, semester)
    if request.headers.get("HX-Target") == "comparison_progress" and not ctx["active"]:
        return Response(status_code=200, headers={"HX-Refresh": "true"})  # done: show it all
    return render(request, "match_settings/profiles.html", ctx)


def _profiles_refused(
    request: Request, session: Session, semester_id: int, exc: AppError
) -> Response:
    """The comparison page again, saying in words why nothing happened."""
    semester = get_semester(session=session, semester_id=semester_id)
    ctx = views.comparison_context(session, semester) | {"refusal": exc.translated()}
    return render(request, "match_settings/profiles.html", ctx, status=exc.status_code)


@router.post("/{semester_id}/profiles", response_class=HTMLResponse)
def compare_profiles(
    request: Request, session: SessionDep, admin: AdminUser, worker: WorkerDep, semester_id: int
) -> Response:
    semester = get_semester(session=session, semester_id=semester_id)
    try:
        services.start_comparison(session=session, semester=semester, user=admin, worker=worker)
    except InvalidInput as exc:
        return _profiles_refused(request, session, semester_id, exc)
    return see_other(
        f"/admin/semesters/{semester_id}/profiles", lazy("The comparison has started.")
    )


@router.post("/{semester_id}/profiles/pick", response_class=HTMLResponse)
def pick_profile(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    semester_id: int,
    objective: Annotated[str, Form(max_length=16)] = "",
    version: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        services.pick_profile(
            session=session,
            admin=admin,
            semester_id=semester_id,
            objective=objective,
            version=version,
        )
    except (InvalidInput, Conflict) as exc:
        return _profiles_refused(request, session, semester_id, exc)
    return see_other(
        f"/admin/semesters/{semester_id}/profiles",
        lazy("The profile is chosen: the next run starts with it."),
    )
