"""The student import page for admins and wijkdocenten."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import SettingsDep, StaffUser
from app.config import ROOT
from app.db import SessionDep
from app.errors import InvalidInput
from app.student_import import services
from app.student_import.parse import COLUMNS, HEADERS, MAX_BYTES, read_rows
from app.templating import render

router = APIRouter(prefix="/students")
TEMPLATE = "student_import/form.html"
SAMPLE = ROOT / "docs" / "sample-students.csv"


def _form(
    request: Request, *, dry_run: bool = True, error: str = "", status: int = 200
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
        rows = read_rows(file.filename, content)
        report = services.import_students(
            session=session, rows=rows, actor=staff, settings=settings, dry_run=dry_run
        )
    except InvalidInput as exc:
        return _form(request, dry_run=dry_run, error=exc.translated(), status=422)
    return render(request, "student_import/result.html", {"report": report})


@router.get("/import/sample.csv")
def sample_file(staff: StaffUser) -> Response:
    return Response(
        SAMPLE.read_bytes(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="sample-students.csv"'},
    )
