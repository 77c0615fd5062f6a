"""Uploads and request bodies: too large, the wrong kind, zip bombs, XML bombs."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.models import Role, StudentProfile
from app.student_import import parse
from tests import factories as f
from tests.student_import.test_parse import xlsx

HEADER: list[object] = ["studentnummer", "naam", "e-mail", "opleiding", "jaar"]


@pytest.fixture
def staff(anon: TestClient, session: Session) -> TestClient:
    return f.login(anon, session, f.user(session, Role.WIJKDOCENT))


def _upload(client: TestClient, name: str, content: bytes):
    return client.post("/students/import", files={"file": (name, content)}, data={})


def _nothing_imported(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(StudentProfile)).one() == 0


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_open(monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    def refuse(*args: object, **kw: object) -> None:
        raise AssertionError("openpyxl opened an archive that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.usefixtures("openpyxl_must_not_open")
def test_a_zip_bomb_is_refused_before_it_is_unpacked(staff: TestClient, session: Session):
    bomb = _zip({"xl/worksheets/sheet1.xml": bytes(parse.MAX_XLSX_UNPACKED + 1)})
    assert len(bomb) < 200_000  # small on the wire ...
    response = _upload(staff, "students.xlsx", bomb)
    assert response.status_code == 422  # ... refused for what it would become
    assert "te groot als het is uitgepakt" in response.text
    assert _nothing_imported(session)


@pytest.mark.usefixtures("openpyxl_must_not_open")
def test_an_archive_of_too_many_parts_is_refused(staff: TestClient, session: Session):
    many = _zip({f"xl/part{i}.xml": b"<a/>" for i in range(parse.MAX_XLSX_MEMBERS + 1)})
    response = _upload(staff, "students.xlsx", many)
    assert response.status_code == 422
    assert "te groot als het is uitgepakt" in response.text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("students.xlsx", b"studentnummer;naam\n1;A\n"),  # text dressed up as a workbook
        ("students.xlsx", _zip({"hello.txt": b"not a workbook"})),  # a zip, not a workbook
        ("students.xlsx", xlsx([HEADER])[:-200]),  # a cut-off download
    ],
)
def test_something_that_is_not_a_workbook_is_refused(
    staff: TestClient, session: Session, name: str, content: bytes
):
    response = _upload(staff, name, content)
    assert response.status_code == 422
    assert "kan niet worden gelezen als XLSX" in response.text
    assert _nothing_imported(session)


def test_an_xml_entity_bomb_inside_a_workbook_is_refused(staff: TestClient, session: Session):
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(ord(p) + 1)} "{("&" + p + ";") * 10}">' for p in "abcdefg")
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&h;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    good = zipfile.ZipFile(io.BytesIO(xlsx([HEADER])))
    members = {i.filename: good.read(i) for i in good.infolist()}
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    response = _upload(staff, "students.xlsx", _zip(members))
    assert response.status_code == 422
    assert "kan niet worden gelezen als XLSX" in response.text


def test_binary_content_in_a_csv_is_refused_with_a_reason(staff: TestClient, session: Session):
    header = ";".join(str(h) for h in HEADER).encode()
    for content in (
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20,
        header + b"\n3001;Stu\x00dent;s@example.org;SW;2\n",  # PostgreSQL refuses NUL in text
    ):
        response = _upload(staff, "students.csv", content)
        assert response.status_code == 422
        assert "Het bestand bevat binaire gegevens" in response.text
    assert _nothing_imported(session)


def test_a_body_over_the_limit_gets_413_with_a_clear_page(staff: TestClient, settings):
    big = b"x" * (settings.max_body_bytes + 1)
    response = _upload(staff, "students.csv", big)
    assert response.status_code == 413
    assert "Het bestand is te groot" in response.text
    assert response.headers["x-content-type-options"] == "nosniff"  # still our response


def test_a_streamed_body_is_cut_off_at_the_limit(staff: TestClient, settings):
    def chunks():
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"csrf_token=x&name=" + b"x" * 65536  # no Content-Length: chunked

    response = staff.post(
        "/admin/users/new",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "Het bestand is te groot" in response.text


def test_the_api_answers_413_as_a_problem(anon: TestClient, settings):
    big = b"{}" + b" " * settings.max_body_bytes
    response = anon.post("/api/v1/semesters", content=big)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 413
