"""The student import page for admins and wijkdocenten."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.auth.deps import SettingsDep, StaffUser
from app.config import ROOT, Settings
from app.db import SessionDep
from app.errors import InvalidInput
from app.models import User
from app.student_import import pending, services
from app.student_import.parse import COLUMNS, HEADERS, MAX_BYTES, read_rows
from app.templating import render

router = APIRouter(prefix="/students")
TEMPLATE = "student_import/form.html"
SAMPLE = ROOT / "docs" / "sample-students.csv"


def _form(
    request: Request, *, dry_run: bool = False, error: str = "", status: int = 200
) -> Response:
    ctx = {"headers": HEADERS, "columns": COLUMNS, "dry_run": dry_run, "error": error}
    return render(request, TEMPLATE, ctx, status=status)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, staff: StaffUser) -> Response:
    return _form(request)


@router.post("/import", response_class=HTMLResponse)
def import_students(
    request: Request,
    session: SessionDep,
    staff: StaffUser,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    try:
        if file is None or not file.filename:
            raise InvalidInput(services.NO_FILE)
        content = file.file.read(MAX_BYTES + 1)  # never more than the limit into memory
        upload = pending.Upload(filename=file.filename, content=content)
        report = _import(session, staff, settings, upload, dry_run=dry_run)
    except InvalidInput as exc:
        return _form(request, dry_run=dry_run, error=exc.translated(), status=422)
    token = ""
    if report.dry_run and (report.created or report.updated):
        token = pending.keep(session=session, user=staff, upload=upload)
    return render(request, "student_import/result.html", _result_ctx(report, token))


@router.post("/import/confirm", response_class=HTMLResponse)
def confirm_import(
    request: Request,
    session: SessionDep,
    staff: StaffUser,
    settings: SettingsDep,
    token: Annotated[str, Form()] = "",
) -> Response:
    """Import the file a dry run checked, from the server-side copy."""
    try:
        upload = pending.take(session=session, user=staff, token=token)
        report = _import(session, staff, settings, upload, dry_run=False)
    except InvalidInput as exc:
        return _form(request, error=exc.translated(), status=422)
    return render(request, "student_import/result.html", _result_ctx(report, ""))


def _result_ctx(report: services.ImportReport, token: str) -> dict[str, object]:
    minutes = int(pending.KEEP_FOR.total_seconds() // 60)
    return {"report": report, "token": token, "keep_minutes": minutes}


def _import(
    session: Session, staff: User, settings: Settings, upload: pending.Upload, *, dry_run: bool
) -> services.ImportReport:
    rows = read_rows(upload.filename, upload.content)
    return services.import_students(
        session=session, rows=rows, actor=staff, settings=settings, dry_run=dry_run
    )


@router.get("/import/sample.csv")
def sample_file(staff: StaffUser) -> Response:
    return Response(
        SAMPLE.read_bytes(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="sample-students.csv"'},
    )
