"""The dashboard: one page, a section per role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import CurrentUser
from app.dashboard import services
from app.db import SessionDep
from app.models import Role
from app.notifications.store import recent
from app.review.overdue import unreviewed
from app.semesters import current_semester
from app.templating import render

router = APIRouter()

_OVERVIEWS = {
    Role.WIJKDOCENT: services.wijkdocent_overview,
    Role.PARTNER: services.partner_overview,
    Role.STUDENT: services.student_overview,
}


@router.get("/dashboard", response_class=HTMLResponse)
def show_dashboard(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    semester = current_semester(session=session)
    ctx: dict[str, object] = {
        "semester": semester,
        "notifications": recent(session=session, user=user),
    }
    if semester is not None:
        if user.role == Role.ADMIN:
            ctx.update(services.admin_overview(session=session, semester=semester))
        else:
            ctx.update(_OVERVIEWS[Role(user.role)](session=session, user=user, semester=semester))
    if user.role in (Role.ADMIN, Role.WIJKDOCENT):
        ctx["unreviewed"] = unreviewed(session=session, user=user)
    return render(request, f"dashboard/{user.role}.html", ctx)
