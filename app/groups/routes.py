"""The group pages: a student's own group (create, join, leave, share the ranking) and the
staff's list of a semester's groups (dissolve with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.audit import record_access
from app.auth.deps import StaffUser, StudentUser
from app.db import SessionDep
from app.errors import NotFound
from app.forms import see_other
from app.groups import queries, services, sharing
from app.groups import staff as staff_side
from app.groups.errors import GroupRefused
from app.groups.fit import misfits
from app.i18n import lazy
from app.models import Semester
from app.parsing import parse_id
from app.semesters import current_semester
from app.templating import render

router = APIRouter()
GROUP = "/student/group"


def _student_page(
    request: Request,
    session: SessionDep,
    user: StudentUser,
    *,
    errors: dict[str, str] | None = None,
    code: str = "",
    status: int = 200,
) -> Response:
    page = sharing.student_page(session=session, user=user)
    ctx = {"page": page, "errors": errors or {}, "code": code}
    return render(request, "groups/student.html", ctx, status=status)


def _refused(
    request: Request, session: SessionDep, user: StudentUser, exc: GroupRefused, code: str = ""
) -> Response:
    errors = {exc.field: exc.translated()}
    return _student_page(request, session, user, errors=errors, code=code, status=422)


@router.get(GROUP, response_class=HTMLResponse)
def my_group(request: Request, session: SessionDep, student: StudentUser) -> Response:
    return _student_page(request, session, student)


def _done(message: str, to: str = GROUP) -> Response:
    return see_other(to, message)


def _attempt(
    request: Request,
    session: SessionDep,
    user: StudentUser,
    change: Callable[[], str],
    *,
    to: str = GROUP,
    code: str = "",
) -> Response:
    """Make a student's change (it answers the message to flash); a refusal re-renders the
    group page (422) with the message at its field and the typed code kept."""
    try:
        message = change()
    except GroupRefused as exc:
        return _refused(request, session, user, exc, code=code)
    return _done(message, to)


@router.post(f"{GROUP}/create", response_class=HTMLResponse)
def create_group(request: Request, session: SessionDep, student: StudentUser) -> Response:
    def change() -> str:
        services.create_group(session=session, user=student)
        return lazy("Your group has been formed. Give its code to the others.")

    return _attempt(request, session, student, change)


@router.post(f"{GROUP}/join", response_class=HTMLResponse)
def join_group(
    request: Request,
    session: SessionDep,
    student: StudentUser,
    code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    def change() -> str:
        services.join_group(session=session, user=student, code=code)
        return lazy("You have joined the group.")

    return _attempt(request, session, student, change, code=code)


@router.post(f"{GROUP}/leave", response_class=HTMLResponse)
def leave_group(request: Request, session: SessionDep, student: StudentUser) -> Response:
    def change() -> str:
        if services.leave_group(session=session, user=student).dissolved:
            return lazy("You have left the group. Nobody else was left in it: it is dissolved.")
        return lazy("You have left the group.")

    return _attempt(request, session, student, change)


@router.post(f"{GROUP}/share", response_class=HTMLResponse)
def share_ranking(request: Request, session: SessionDep, student: StudentUser) -> Response:
    def change() -> str:
        sharing.share_ranking(session=session, user=student)
        return lazy("Your ranking has been saved for every member of your group.")

    return _attempt(request, session, student, change, to="/student/ranking")


def _semester(session: SessionDep, raw: str | None) -> Semester:
    chosen = parse_id(raw or "")
    semester = session.get(Semester, chosen) if chosen else current_semester(session=session)
    if semester is None:
        raise NotFound(lazy("There is no semester yet."))
    return semester


def _staff_page(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    semester: Semester,
    *,
    errors: dict[str, str] | None = None,  # by the id of the reason field
    reasons: dict[int, str] | None = None,
    status: int = 200,
) -> Response:
    views = staff_side.visible_groups(session, user, queries.semester_groups(session, semester.id))
    record_access(  # staff saw students' names (AVG)
        session=session,
        actor=user,
        action="groups.view",
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
        after={"groups": [v.group.code for v in views]},
    )
    members = [(v.group.id or 0, [m.student_id for m in v.members]) for v in views]
    ctx = {
        "semester": semester,
        "groups": views,
        "misfits": {g: why.translated() for g, why in misfits(session, semester, members).items()},
        "errors": errors or {},
        "reasons": reasons or {},
    }
    return render(request, "groups/staff.html", ctx, status=status)


@router.get("/groups", response_class=HTMLResponse)
def semester_groups(request: Request, session: SessionDep, staff: StaffUser) -> Response:
    semester = _semester(session, request.query_params.get("semester"))
    return _staff_page(request, session, staff, semester)


@router.post("/groups/{group_id}/dissolve", response_class=HTMLResponse)
def dissolve_group(
    request: Request,
    session: SessionDep,
    staff: StaffUser,
    group_id: int,
    version: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=600)] = "",
) -> Response:
    try:
        group = staff_side.dissolve_group(
            session=session, user=staff, group_id=group_id, version=version, reason=reason
        )
    except GroupRefused as exc:
        semester = queries.semester_of_group(session, group_id) or _semester(session, None)
        return _staff_page(
            request,
            session,
            staff,
            semester,
            errors={f"reason-{group_id}": exc.translated()},
            reasons={group_id: reason},
            status=422,
        )
    return _done(
        lazy("The group has been dissolved; its members have been told."),
        f"/groups?semester={group.semester_id}",
    )
