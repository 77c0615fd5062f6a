from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AuditEvent, OutboxMessage, Role, User
from tests import factories as f


def test_admin_invites_a_user_who_sets_a_password_once(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.ADMIN))
    response = anon.post(
        "/admin/users/new",
        data={"name": "Wijkdocent Lingewaard", "email": "WD@Example.org", "role": "wijkdocent"},
    )
    assert response.status_code == 200
    link = re.search(r"http://testserver(/invitation/[\w-]+)", response.text)
    assert link is not None
    invitee = session.exec(select(User).where(User.email == "wd@example.org")).one()
    assert invitee.password_hash is None
    assert session.exec(select(OutboxMessage).where(OutboxMessage.to == invitee.email)).first()
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.invite")).first()

    anon.post("/logout")
    path = link.group(1)
    assert anon.get(path).status_code == 200
    short = anon.post(path, data={"password": "short", "repeat": "short"})
    assert short.status_code == 422
    assert "minstens 12 tekens" in short.text
    ok = anon.post(path, data={"password": "a-long-enough-pass", "repeat": "a-long-enough-pass"})
    assert ok.status_code == 303
    assert anon.get(path).status_code == 404  # one-time
    login = anon.post("/login", data={"email": invitee.email, "password": "a-long-enough-pass"})
    assert login.status_code == 303


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("nl", "Je account bij opdrachtmatch", "Stel je wachtwoord in"),
        ("en", "Your opdrachtmatch account", "Set your password"),
    ],
)
def test_the_invitation_mail_speaks_the_invitees_language_and_carries_the_link(
    anon: TestClient, session: Session, language: str, subject: str, words: str
):
    admin = f.user(session, Role.ADMIN)
    f.login(anon, session, admin)
    data = {"name": "Partner", "email": "p@example.org", "role": "wijkdocent", "language": language}
    assert anon.post("/admin/users/new", data=data).status_code == 200
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.to == "p@example.org")).one()
    assert mail.subject == subject
    assert words in mail.body
    assert re.search(r"/invitation/[\w-]+", mail.body)


def test_invite_form_reports_every_error_and_keeps_input(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.ADMIN))
    response = anon.post(
        "/admin/users/new", data={"name": "", "email": "not-an-address", "role": "partner"}
    )
    assert response.status_code == 422
    assert "Vul een naam in" in response.text
    assert "geldig e-mailadres" in response.text
    assert 'value="not-an-address"' in response.text


@pytest.mark.parametrize(
    "email", ["new@example.org\r\nBcc: x@example.org", "new@example.org\n", "a b@example.org"]
)
def test_an_address_with_line_breaks_or_spaces_is_refused_and_nothing_queued(
    anon: TestClient, session: Session, email: str
):
    f.login(anon, session, f.user(session, Role.ADMIN))
    response = anon.post(
        "/admin/users/new", data={"name": "Nieuw", "email": email, "role": "student"}
    )
    assert response.status_code == 422
    assert "geldig e-mailadres" in response.text
    assert session.exec(select(User).where(User.name == "Nieuw")).first() is None
    assert session.exec(select(OutboxMessage)).first() is None


def test_deactivation_ends_sessions(anon: TestClient, session: Session, app):
    target = f.user(session, Role.STUDENT)
    with TestClient(app, follow_redirects=False) as other:
        f.login(other, session, target)
        assert other.get("/dashboard").status_code == 200
        f.login(anon, session, f.user(session, Role.ADMIN))
        anon.post(f"/admin/users/{target.id}/active", data={"active": "false"})
        assert other.get("/dashboard").status_code == 303
