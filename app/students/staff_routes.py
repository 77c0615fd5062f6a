"""Wijkdocent and admin page: who has not completed their ranking yet."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.audit import record_access
from app.auth.deps import StaffUser
from app.db import SessionDep
from app.memberships import staff_scope
from app.notifications.reminders import manual_count
from app.students.deadline import time_left
from app.students.incomplete import incomplete_rankings
from app.students.ranking import ranking_semester
from app.templating import render

router = APIRouter(prefix="/students")


@router.get("/incomplete", response_class=HTMLResponse)
def incomplete(request: Request, session: SessionDep, staff: StaffUser) -> Response:
    semester = ranking_semester(session)
    # Least privilege: a wijkdocent sees the students of their own leerkringen only.
    mine = staff_scope(session=session, user=staff)
    groups = incomplete_rankings(session=session, semester=semester, leerkringen=mine)
    record_access(
        session=session,
        actor=staff,
        action="students.view_incomplete",
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
    )
    ctx = {
        "semester": semester,
        "groups": groups,
        "total": sum(g.total for g in groups),
        "missing": sum(len(g.students) for g in groups),
        "time_left": time_left(semester.ranking_deadline),
        "reminders": manual_count(session=session, semester=semester, staff=staff),
    }
    return render(request, "students/incomplete.html", ctx)
