"""Match run pages: start, watch, inspect, compare, adjust, approve, publish, export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.audit import record_access
from app.auth.deps import AdminUser, PartnerUser, StaffUser
from app.db import SessionDep
from app.errors import Conflict, InvalidInput
from app.forms import see_other
from app.i18n import lazy, use_request_language
from app.memberships import partner_ids_of
from app.models import RunStatus, Semester, User
from app.runs import (
    adjust,
    approval,
    commit,
    contexts,
    exports,
    no_team,
    published,
    services,
    warnings,
)
from app.runs.compare import compare
from app.runs.deps import WorkerDep
from app.templating import render

# Services word some messages (rules, reasons) in the request's language.
router = APIRouter(prefix="/runs", dependencies=[Depends(use_request_language)])


@router.get("", response_class=HTMLResponse)
def list_runs(request: Request, session: SessionDep, user: StaffUser) -> Response:
    semester = services.semester_or_404(session=session)
    return render(request, "runs/index.html", contexts.index_context(session, semester))


@router.post("", response_class=HTMLResponse)
def start_run(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    worker: WorkerDep,
    objective: Annotated[str, Form(max_length=16)] = "",
    minimal_disruption: Annotated[bool, Form()] = False,
) -> Response:
    semester = services.semester_or_404(session=session)
    form = services.StartForm(objective=objective, minimal_disruption=minimal_disruption)
    try:
        run = services.start_run(
            session=session, semester=semester, user=user, form=form, worker=worker
        )
    except (InvalidInput, Conflict) as exc:
        ctx = contexts.index_context(session, semester, form)
        ctx["refusal"] = exc.translated()
        return render(request, "runs/index.html", ctx, status=exc.status_code)
    return see_other(f"/runs/{run.id}")


@router.get("/compare", response_class=HTMLResponse)
def compare_runs(
    request: Request, session: SessionDep, user: StaffUser, a: int, b: int
) -> Response:
    cmp = compare(
        session=session,
        a=services.get_run(session=session, run_id=a),
        b=services.get_run(session=session, run_id=b),
    )
    _seen(session, user, "run.compare", "match_run", f"{a},{b}", cmp.b.semester_id)
    return render(request, "runs/compare.html", contexts.comparison_context(cmp))


@router.get("/approvals", response_class=HTMLResponse)
def list_approvals(request: Request, session: SessionDep, user: StaffUser) -> Response:
    semester = services.semester_or_404(session=session)
    return render(
        request, "runs/approvals.html", contexts.approvals_context(session, semester, user)
    )


def _unacknowledged(
    request: Request, session: Session, semester: Semester, user: User, exc: InvalidInput
) -> Response:
    ctx = contexts.approvals_context(session, semester, user)
    ctx["refusal"] = exc.translated()
    return render(request, "runs/approvals.html", ctx, status=exc.status_code)


@router.post("/approvals/{leerkring_id}", response_class=HTMLResponse)
def approve_leerkring(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    leerkring_id: int,
    token: Annotated[str, Form(max_length=64)] = "",
    acknowledged: Annotated[bool, Form()] = False,
) -> Response:
    semester = services.semester_or_404(session=session)
    try:
        warnings.require_acknowledged(session, semester, leerkring_id, acknowledged)
    except InvalidInput as exc:
        return _unacknowledged(request, session, semester, user, exc)
    approval.approve(
        session=session, semester=semester, leerkring_id=leerkring_id, token=token, user=user
    )
    return see_other("/runs/approvals", lazy("The teams are approved."))


@router.post("/publish", response_class=HTMLResponse)
def publish_semester(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    acknowledged: Annotated[bool, Form()] = False,
) -> Response:
    semester = services.semester_or_404(session=session)
    try:
        warnings.require_acknowledged(session, semester, None, acknowledged)
    except InvalidInput as exc:
        return _unacknowledged(request, session, semester, admin, exc)
    approval.publish(session=session, semester=semester, user=admin)
    return see_other("/runs/approvals", lazy("The teams are published."))


@router.post("/reopen", response_class=HTMLResponse)
def reopen_semester(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    semester = services.semester_or_404(session=session)
    try:
        approval.reopen(session=session, semester=semester, user=admin, reason=reason)
    except InvalidInput as exc:
        ctx = contexts.approvals_context(session, semester, admin)
        ctx["reopen_error"] = exc.translated()
        return render(request, "runs/approvals.html", ctx, status=422)
    return see_other("/runs/approvals", lazy("The semester is open for changes again."))


@router.get("/{run_id}", response_class=HTMLResponse)
def show_run(request: Request, session: SessionDep, user: StaffUser, run_id: int) -> Response:
    run = services.get_run(session=session, run_id=run_id)
    polling = request.headers.get("HX-Target") == "run_progress"
    if polling and run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return Response(status_code=200, headers={"HX-Refresh": "true"})  # finished: show results
    if not polling:
        _seen(session, user, "run.view", "match_run", run.id, run.semester_id)
    return render(request, "runs/run.html", contexts.run_context(session, run))


@router.post("/{run_id}/adopt")
def adopt_run(session: SessionDep, user: AdminUser, run_id: int) -> Response:
    # Admins only: a run covers every leerkring, a wijkdocent answers for their own.
    services.adopt_run(
        session=session, run=services.get_run(session=session, run_id=run_id), user=user
    )
    return see_other(f"/runs/{run_id}", lazy("This run now holds the teams."))


@router.post("/{run_id}/teams/{team_id}/lock")
def lock_team(
    session: SessionDep,
    user: StaffUser,
    run_id: int,
    team_id: int,
    version: Annotated[int, Form()],
    locked: Annotated[bool, Form()] = False,
) -> Response:
    run = services.get_run(session=session, run_id=run_id)
    commit.lock_team(
        session=session, run=run, team_id=team_id, version=version, locked=locked, user=user
    )
    message = lazy("The team is locked.") if locked else lazy("The team is unlocked.")
    return see_other(f"/runs/{run_id}#team-{team_id}", message)


@router.get("/{run_id}/students/{student_id}", response_class=HTMLResponse)
def show_student(
    request: Request, session: SessionDep, user: StaffUser, run_id: int, student_id: int
) -> Response:
    run = services.get_run(session=session, run_id=run_id)
    ctx = contexts.student_context(session, run, student_id)
    _seen(session, user, "run.view_student", "student", student_id, run.semester_id, run=run_id)
    return render(request, "runs/student.html", ctx)


@router.post("/{run_id}/students/{student_id}", response_class=HTMLResponse)
def change_student(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    run_id: int,
    student_id: int,
    action: Annotated[str, Form(max_length=16)] = "",
    from_team: Annotated[int | None, Form()] = None,
    from_version: Annotated[int | None, Form()] = None,
    target: Annotated[str, Form(max_length=64)] = "",
    opdracht_id: Annotated[int | None, Form()] = None,
    override: Annotated[bool, Form()] = False,
    reason: Annotated[str, Form(max_length=500)] = "",
    check: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    run = services.get_run(session=session, run_id=run_id)
    form = adjust.ChangeForm(
        action, student_id, from_team, from_version, target, opdracht_id, override, reason
    )
    try:
        outcome = commit.apply_change(
            session=session, run=run, form=form, user=user, preview=bool(check)
        )
    except (InvalidInput, Conflict) as exc:
        session.rollback()  # drop whatever the refused change had claimed
        ctx = contexts.student_context(session, run, student_id, form)
        ctx["refusal"] = exc.translated()
        return render(request, "runs/student.html", ctx, status=exc.status_code)
    if outcome.saved:
        return see_other(f"/runs/{run_id}/students/{student_id}", lazy("The change is saved."))
    status = 422 if form.errors else 200
    ctx = contexts.student_context(session, run, student_id, form, outcome)
    return render(request, "runs/student.html", ctx, status=status)


def _seen(
    session: Session,
    user: User,
    action: str,
    entity: str,
    entity_id: object,
    semester_id: int | None,
    **detail: object,
) -> None:
    """Staff saw students' data on this page: in the audit trail."""
    record_access(
        session=session,
        actor=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        semester_id=semester_id,
        after=detail or None,
    )


@router.get("/{run_id}/export.{fmt}")
def export_run(session: SessionDep, user: StaffUser, run_id: int, fmt: str) -> Response:
    run = services.get_run(session=session, run_id=run_id)
    semester = services.semester_or_404(session=session, semester_id=run.semester_id)
    _seen(session, user, "run.export", "match_run", run.id, semester.id, format=fmt)
    file = exports.export_run(session=session, run=run, semester=semester, fmt=fmt)
    disposition = f'attachment; filename="{file.filename}"'
    return Response(
        file.content, media_type=file.media_type, headers={"Content-Disposition": disposition}
    )


# Partners see the teams only once the semester is published (students: app.students).
teams_router = APIRouter(dependencies=[Depends(use_request_language)])


@teams_router.get("/partner/teams", response_class=HTMLResponse)
def partner_teams(request: Request, session: SessionDep, user: PartnerUser) -> Response:
    partner_ids = partner_ids_of(session=session, user=user)
    semester, teams = published.partner_teams(session=session, partner_ids=partner_ids)
    empty = (
        no_team.partner_without_team(session=session, semester=semester, partner_ids=partner_ids)
        if semester
        else []
    )
    ctx = {"semester": semester, "teams": teams, "without_team": empty}
    return render(request, "runs/partner_teams.html", ctx)
