"""Admin pages for semesters: list, create, edit, and the phase controls."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import AdminUser
from app.db import SessionDep
from app.errors import Conflict, InvalidInput
from app.forms import FieldError, FormData, see_other
from app.i18n import lazy
from app.models import Phase, Semester
from app.semester_admin import services, warnings
from app.semester_admin.forms import SemesterForm
from app.semesters import status_counts
from app.templating import render

router = APIRouter(prefix="/admin/semesters")


@router.get("", response_class=HTMLResponse)
def list_semesters(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    semesters = services.list_semesters(session=session)
    return render(request, "semester_admin/list.html", {"semesters": semesters})


def _page(
    request: Request,
    session: SessionDep,
    form: SemesterForm,
    semester: Semester | None = None,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    ctx: dict[str, Any] = services.vocabularies(session=session) | {
        "form": form,
        "semester": semester,
    }
    if semester is not None:
        phase = Phase(semester.phase)
        ctx |= {"next_phase": phase.next(), "previous_phase": phase.previous()}
        ctx["intake_deadline_passed"] = warnings.intake_deadline_passed(semester)
        ctx["counts"] = status_counts(session=session, semester=semester)
    return render(request, "semester_admin/form.html", ctx | extra, status=status)


@router.get("/new", response_class=HTMLResponse)
def new_semester(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return _page(request, session, SemesterForm())


@router.post("/new", response_class=HTMLResponse)
def create_semester(
    request: Request, session: SessionDep, admin: AdminUser, data: FormData
) -> Response:
    form = SemesterForm.parse(data)
    try:
        semester = services.create_semester(session=session, admin=admin, form=form)
    except InvalidInput:
        return _page(request, session, form, status=422)
    return see_other(f"/admin/semesters/{semester.id}", lazy("The semester is created."))


@router.get("/{semester_id}", response_class=HTMLResponse)
def edit_semester(
    request: Request, session: SessionDep, admin: AdminUser, semester_id: int
) -> Response:
    semester = services.get_semester(session=session, semester_id=semester_id)
    return _page(request, session, SemesterForm.from_semester(semester), semester)


@router.post("/{semester_id}", response_class=HTMLResponse)
def update_semester(
    request: Request, session: SessionDep, admin: AdminUser, semester_id: int, data: FormData
) -> Response:
    form = SemesterForm.parse(data)
    try:
        services.update_semester(session=session, admin=admin, semester_id=semester_id, form=form)
    except (InvalidInput, Conflict) as exc:
        semester = services.get_semester(session=session, semester_id=semester_id)
        if isinstance(exc, InvalidInput):
            return _page(request, session, form, semester, status=422)
        # Keep the admin's input; the table of saved values sits beside it.
        saved = SemesterForm.from_semester(semester)
        form.version = saved.version
        return _page(request, session, form, semester, status=409, saved=saved)
    return see_other(f"/admin/semesters/{semester_id}", lazy("Saved."))


@router.post("/{semester_id}/advance", response_class=HTMLResponse)
def advance_semester(
    request: Request, session: SessionDep, admin: AdminUser, semester_id: int, data: FormData
) -> Response:
    try:
        semester = services.advance(
            session=session,
            admin=admin,
            semester_id=semester_id,
            from_phase=data.text("phase"),
            confirmed=data.flag("confirm"),
        )
    except warnings.EarlyMatching as exc:
        semester = services.get_semester(session=session, semester_id=semester_id)
        form = SemesterForm.from_semester(semester)
        return _page(request, session, form, semester, status=409, early_matching=exc)
    return see_other(
        f"/admin/semesters/{semester.id}", lazy("The semester moved to the next phase.")
    )


@router.post("/{semester_id}/back", response_class=HTMLResponse)
def step_back_semester(
    request: Request, session: SessionDep, admin: AdminUser, semester_id: int, data: FormData
) -> Response:
    reason = data.text("reason", 500)
    try:
        services.step_back(
            session=session,
            admin=admin,
            semester_id=semester_id,
            from_phase=data.text("phase"),
            reason=reason,
            intake_deadline=data.text("intake_deadline_new", 30),
        )
    except InvalidInput as exc:
        semester = services.get_semester(session=session, semester_id=semester_id)
        form = SemesterForm.from_semester(semester)
        field = "intake_deadline_new" if isinstance(exc, warnings.BadIntakeDeadline) else "reason"
        errors = {field: FieldError(exc.message)}
        return _page(request, session, form, semester, status=422, reason_errors=errors)
    return see_other(
        f"/admin/semesters/{semester_id}", lazy("The semester stepped back one phase.")
    )
