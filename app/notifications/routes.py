"""Admin outbox, the preview of the publication mails, and the ranking reminder button."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import AdminUser, StaffUser
from app.db import SessionDep
from app.forms import see_other
from app.i18n import lazy
from app.notifications import outbox, publication, reminders
from app.runs.services import semester_or_404
from app.semesters import current_run
from app.students.ranking import ranking_semester
from app.templating import render

router = APIRouter()
NOBODY = lazy("No reminder sent: the students concerned were reminded today already.")


@router.get("/admin/outbox", response_class=HTMLResponse)
def list_outbox(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    state: Annotated[outbox.State | None, Query()] = None,
) -> Response:
    messages, counts = outbox.listing(session=session, state=state, actor=admin)
    ctx = {"messages": messages, "counts": counts, "state": state, "state_of": outbox.state_of}
    return render(request, "notifications/outbox.html", ctx)


@router.get("/admin/outbox/preview", response_class=HTMLResponse)
def preview_publication(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    semester = semester_or_404(session=session)
    run = current_run(session=session, semester_id=semester.id)
    kinds = (
        []
        if run is None
        else publication.preview(session=session, semester=semester, run=run, actor=admin)
    )
    ctx = {"semester": semester, "run": run, "kinds": kinds}
    return render(request, "notifications/preview.html", ctx)


@router.get("/admin/outbox/{message_id}", response_class=HTMLResponse)
def show_message(
    request: Request, session: SessionDep, admin: AdminUser, message_id: int
) -> Response:
    message = outbox.read(session=session, message_id=message_id, actor=admin)
    ctx = {"message": message, "message_state": outbox.state_of(message)}
    return render(request, "notifications/message.html", ctx)


@router.post("/admin/outbox/{message_id}/retry")
def retry_message(*, session: SessionDep, admin: AdminUser, message_id: int) -> Response:
    outbox.retry(session=session, message_id=message_id, admin=admin)
    return see_other(f"/admin/outbox/{message_id}", lazy("The message will be sent again."))


@router.post("/students/incomplete/remind")
def remind_incomplete(*, session: SessionDep, staff: StaffUser) -> Response:
    semester = ranking_semester(session)
    sent = reminders.send_manual(session=session, semester=semester, staff=staff)
    if sent:
        return see_other("/students/incomplete", lazy("The reminders are sent."))
    return see_other("/students/incomplete", NOBODY)
