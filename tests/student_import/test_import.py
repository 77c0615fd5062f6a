"""Importing students over HTTP: create, update, dry run, bad rows, limits, access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from app.config import ROOT
from app.models import (
    AuditEvent,
    Invitation,
    Leerkring,
    OutboxMessage,
    PendingImport,
    Programme,
    Role,
    StudentProfile,
    User,
    utcnow,
)
from app.student_import.parse import MAX_BYTES
from tests import factories as f
from tests.student_import.test_parse import xlsx

HEADER = "studentnummer;naam;e-mail;opleiding;jaar;leerkring"


@pytest.fixture
def vocabulary(session: Session) -> None:
    session.add_all(
        [
            Programme(code="SW", name_nl="Social Work", name_en="Social Work"),
            Programme(code="VP", name_nl="Verpleegkunde", name_en="Nursing"),
            Programme(code="FT", name_nl="Fysiotherapie", name_en="Physiotherapy"),
            Programme(code="TP", name_nl="Toegepaste Psychologie", name_en="Applied Psychology"),
        ]
    )
    session.add_all(Leerkring(name=n) for n in ("Overbetuwe", "Lingewaard", "Liemers"))
    session.flush()


def staff(client: TestClient, session: Session, role: Role = Role.ADMIN) -> TestClient:
    return f.login(client, session, f.user(session, role))


def upload(client: TestClient, content: bytes, name: str = "students.csv", dry_run: bool = False):
    data = {"dry_run": "true"} if dry_run else {}
    return client.post("/students/import", files={"file": (name, content)}, data=data)


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def csv(*lines: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join([HEADER, *lines]) + "\r\n").encode()


GOOD = csv(
    "3001;Student 101;s101@example.org;SW;2;Overbetuwe",
    "3002;Student 102;S102@Example.org;verpleegkunde;3;",
)


@pytest.mark.usefixtures("vocabulary")
def test_import_creates_students_with_an_invitation_each(anon: TestClient, session: Session):
    response = upload(staff(anon, session), GOOD)
    assert response.status_code == 200
    assert "De import is klaar." in response.text
    profile = session.exec(
        select(StudentProfile).where(StudentProfile.student_number == "3002")
    ).one()
    user = session.get(User, profile.user_id)
    assert user is not None
    assert (user.email, user.role, user.password_hash) == ("s102@example.org", Role.STUDENT, None)
    assert profile.year == 3
    assert profile.leerkring_id is None
    assert count(session, Invitation) == 2
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.to == "s101@example.org")).one()
    assert "http://testserver/invitation/" in mail.body
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "student.import")).one()
    assert event.after is not None
    assert event.after["created"] == ["3001", "3002"]


@pytest.mark.usefixtures("vocabulary")
def test_reimport_updates_and_never_duplicates(anon: TestClient, session: Session):
    client = staff(anon, session)
    upload(client, GOOD)
    again = upload(client, GOOD)
    assert count(session, StudentProfile) == 2
    assert count(session, Invitation) == 2  # no second invitation for known students
    assert "ongewijzigd" in again.text
    changed = csv(
        "3001;Student 101 B;s101b@example.org;FT;3;Lingewaard",
        "3002;Student 102;s102@example.org;VP;3;",
    )
    upload(client, changed)
    assert count(session, StudentProfile) == 2
    assert count(session, User) == 3  # the two students and the admin
    profile = session.exec(
        select(StudentProfile).where(StudentProfile.student_number == "3001")
    ).one()
    user = session.get(User, profile.user_id)
    assert user is not None
    assert (user.name, user.email, profile.year) == ("Student 101 B", "s101b@example.org", 3)


@pytest.mark.usefixtures("vocabulary")
def test_dry_run_reports_but_writes_nothing(anon: TestClient, session: Session):
    client = staff(anon, session)
    before = [count(session, m) for m in (User, StudentProfile, Invitation, OutboxMessage)]
    response = upload(client, GOOD, dry_run=True)
    assert response.status_code == 200
    assert "Proefrun: er is niets geïmporteerd." in response.text
    assert "3001" in response.text
    after = [count(session, m) for m in (User, StudentProfile, Invitation, OutboxMessage)]
    assert after == before
    assert count(session, AuditEvent) == 0


@pytest.mark.usefixtures("vocabulary")
def test_every_bad_row_is_reported_with_its_line_and_good_rows_are_imported(
    anon: TestClient, session: Session
):
    f.user(session, Role.PARTNER, email="taken@example.org")
    content = csv(
        "3001;Student 101;s101@example.org;SW;2;",  # line 2: fine
        ";Student 102;s102@example.org;SW;2;",  # 3: no number
        "3003;;s103@example.org;SW;2;",  # 4: no name
        "3004;Student 104;not-an-address;SW;2;",  # 5
        "3005;Student 105;s105@example.org;Kunst;2;",  # 6
        "3006;Student 106;s106@example.org;SW;9;",  # 7
        "3007;Student 107;s107@example.org;SW;2;Atlantis",  # 8
        "3001;Student 101;other@example.org;SW;2;",  # 9: repeats line 2
        "3009;Student 109;taken@example.org;SW;2;",  # 10
        "3010;Student 110;s110@example.org;SW;²;",  # 11: a Unicode digit
        '3011;Student 111;"s111@example.org\r\nBcc: x@example.org";SW;2;',  # 12: CR/LF
    )
    response = upload(staff(anon, session), content)
    assert response.status_code == 200
    expected = {
        3: "Het studentnummer ontbreekt",
        4: "De naam ontbreekt",
        5: "Het e-mailadres ontbreekt of is ongeldig",
        6: "Onbekende opleiding: Kunst.",
        7: "Het jaar moet een getal van 1 tot en met 6 zijn.",
        8: "Onbekende leerkring: Atlantis.",
        9: "Herhaalt regel 2 van het bestand.",
        10: "Het e-mailadres hoort bij een ander account.",
        11: "Het jaar moet een getal van 1 tot en met 6 zijn.",
        12: "Het e-mailadres ontbreekt of is ongeldig",
    }
    for line, reason in expected.items():
        assert f"<tr><td>{line}</td><td>{reason}" in response.text
    assert session.exec(select(StudentProfile.student_number)).all() == ["3001"]


@pytest.mark.usefixtures("vocabulary")
def test_xlsx_upload_and_extra_columns(anon: TestClient, session: Session):
    content = xlsx(
        [
            ["Studentnummer", "Naam", "E-mail", "Opleiding", "Jaar", "Geboortedatum"],
            [3011, "Student 111", "s111@example.org", "Toegepaste Psychologie", 4, "2001-01-01"],
        ]
    )
    response = upload(staff(anon, session, Role.WIJKDOCENT), content, name="export.xlsx")
    assert response.status_code == 200
    profile = session.exec(select(StudentProfile)).one()
    assert (profile.student_number, profile.year) == ("3011", 4)


@pytest.mark.usefixtures("vocabulary")
def test_the_sample_file_in_docs_imports_cleanly(anon: TestClient, session: Session):
    client = staff(anon, session)
    sample = client.get("/students/import/sample.csv")
    assert sample.status_code == 200
    assert sample.content == (ROOT / "docs" / "sample-students.csv").read_bytes()
    response = upload(client, sample.content, dry_run=True)
    assert "rijen overgeslagen" in response.text
    assert "Rijen met fouten" not in response.text
    assert response.text.count("@example.org") == 4


def xlsx_with_flag(flag: int) -> bytes:
    """A workbook whose members claim the general purpose ``flag`` (0x1: encrypted)."""
    from tests.student_import.test_parse_hostile import WORKBOOK, _set_in_every_header

    return _set_in_every_header(WORKBOOK, offset=6, value=flag)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.csv", b"x" * (MAX_BYTES + 10), "groter dan 2 MB"),
        ("students.pdf", b"%PDF-1.4", "Upload een CSV- of XLSX-bestand"),
        ("students.csv", b"naam;jaar\nA;2\n", "ontbrekend: studentnummer"),
        ("long.csv", csv(f"3001;{'x' * 131_073};a@example.org;SW;2;"), "te lang of verkeerd"),
        ("students.xlsx", xlsx_with_flag(0x1), "versleuteld"),
    ],
)
def test_unusable_files_get_the_form_back_with_the_reason(
    anon: TestClient, session: Session, name: str, content: bytes, message: str
):
    response = upload(staff(anon, session), content, name=name, dry_run=True)
    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true" aria-describedby="file-error"' in response.text
    assert "checked" in response.text  # the dry-run choice is kept
    assert count(session, StudentProfile) == 0


def test_no_file_is_a_form_error(anon: TestClient, session: Session):
    response = staff(anon, session).post("/students/import", data={"dry_run": "true"})
    assert response.status_code == 422
    assert "Kies een CSV- of XLSX-bestand" in response.text


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARTNER])
def test_only_admins_and_wijkdocenten_import(anon: TestClient, session: Session, role: Role):
    client = staff(anon, session, role)
    assert client.get("/students/import").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.get("/students/import/sample.csv").status_code == 403
    assert (
        session.exec(
            select(StudentProfile).where(col(StudentProfile.student_number) == "3001")
        ).first()
        is None
    )


def test_the_form_explains_the_columns(anon: TestClient, session: Session):
    page = staff(anon, session, Role.WIJKDOCENT).get("/students/import")
    assert page.status_code == 200
    for header in ("studentnummer", "naam", "e-mail", "opleiding", "jaar", "leerkring"):
        assert f"<code>{header}</code>" in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_the_dry_run_box_is_not_ticked_by_default(anon: TestClient, session: Session):
    page = staff(anon, session).get("/students/import")
    box = page.text.split('name="dry_run"', 1)[1].split(">", 1)[0]
    assert "checked" not in box


def test_the_form_names_the_csv_separators_in_words(anon: TestClient, session: Session):
    page = staff(anon, session).get("/students/import")
    assert ",," not in page.text
    assert "gescheiden door een puntkomma of een komma" in page.text


def _confirm_token(page: str) -> str:
    return page.split('name="token" value="', 1)[1].split('"', 1)[0]


@pytest.mark.usefixtures("vocabulary")
def test_a_dry_run_is_confirmed_without_uploading_the_file_again(
    anon: TestClient, session: Session
):
    client = staff(anon, session)
    checked = upload(client, GOOD, dry_run=True)
    assert count(session, StudentProfile) == 0
    assert 'action="/students/import/confirm"' in checked.text
    done = client.post("/students/import/confirm", data={"token": _confirm_token(checked.text)})
    assert done.status_code == 200
    assert "De import is klaar." in done.text
    assert count(session, StudentProfile) == 2
    assert count(session, Invitation) == 2


@pytest.mark.usefixtures("vocabulary")
def test_a_confirm_token_works_once_and_only_for_its_user(anon: TestClient, session: Session):
    token = _confirm_token(upload(staff(anon, session), GOOD, dry_run=True).text)
    other = staff(anon, session)  # same client, now signed in as another admin
    refused = other.post("/students/import/confirm", data={"token": token})
    assert refused.status_code == 422
    assert "upload het bestand opnieuw" in refused.text
    assert count(session, StudentProfile) == 0


@pytest.mark.usefixtures("vocabulary")
def test_a_used_confirm_token_is_refused(anon: TestClient, session: Session):
    client = staff(anon, session)
    token = _confirm_token(upload(client, GOOD, dry_run=True).text)
    assert client.post("/students/import/confirm", data={"token": token}).status_code == 200
    again = client.post("/students/import/confirm", data={"token": token})
    assert again.status_code == 422
    assert count(session, Invitation) == 2


@pytest.mark.usefixtures("vocabulary")
def test_an_expired_confirm_token_is_refused(anon: TestClient, session: Session):
    client = staff(anon, session)
    token = _confirm_token(upload(client, GOOD, dry_run=True).text)
    kept = session.exec(select(PendingImport)).one()
    kept.expires_at = utcnow() - timedelta(seconds=1)
    session.add(kept)
    session.flush()
    assert client.post("/students/import/confirm", data={"token": token}).status_code == 422
    assert count(session, StudentProfile) == 0


@pytest.mark.usefixtures("vocabulary")
def test_the_report_counts_in_plural_forms(anon: TestClient, session: Session):
    page = upload(staff(anon, session), csv("3001;Student 101;s101@example.org;SW;2;")).text
    assert '<span class="big">1</span> nieuwe student</li>' in page
    assert '<span class="big">0</span> rijen overgeslagen</li>' in page
