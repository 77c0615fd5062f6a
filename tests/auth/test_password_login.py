"""The admin switches password login off per role; the change is audited and cannot lock
anyone out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AuditEvent, OidcIdentity, PasswordLogin, Role
from tests import factories as f
from tests.auth.conftest import RunningProvider, sign_in_at_provider

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning:authlib.oidc.core.grants._legacy"
)


def _password_login(client: TestClient, email: str) -> int:
    data = {"email": email, "password": f.PASSWORD}
    return client.post("/login", data=data).status_code


def test_admin_switches_password_login_off_for_students(browser: TestClient, session: Session):
    admin = f.user(session, Role.ADMIN)
    student = f.user(session, Role.STUDENT)
    partner = f.user(session, Role.PARTNER)
    f.login(browser, session, admin)
    page = browser.get("/admin/login-methods")
    assert page.status_code == 200
    assert "Wie mag inloggen met e-mailadres en wachtwoord" in page.text
    chosen = {"password": ["admin", "wijkdocent", "partner"]}
    response = browser.post("/admin/login-methods", data=chosen)
    assert response.status_code == 303
    assert session.get(PasswordLogin, Role.STUDENT).allowed is False  # type: ignore[union-attr]
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "login.password_roles")
    ).one()
    assert event.actor_id == admin.id
    assert event.before == {"admin": True, "wijkdocent": True, "partner": True, "student": True}
    assert event.after == {"admin": True, "wijkdocent": True, "partner": True, "student": False}

    browser.cookies.clear()
    browser.get("/healthz")
    browser.headers["X-CSRF-Token"] = browser.cookies["om_csrf"]
    refused = browser.post("/login", data={"email": student.email, "password": f.PASSWORD})
    assert refused.status_code == 400
    assert "Inloggen met wachtwoord staat uit voor jouw rol" in refused.text
    assert _password_login(browser, partner.email) == 303


def test_cannot_switch_off_without_han_sign_in(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.ADMIN))
    response = anon.post("/admin/login-methods", data={"password": ["admin", "partner"]})
    assert response.status_code == 422
    assert "alleen uit als inloggen met het HAN-account is ingesteld" in response.text
    assert session.exec(select(PasswordLogin)).first() is None


def test_admin_cannot_switch_off_their_own_role_before_signing_in_with_han(
    browser: TestClient, session: Session, provider: RunningProvider
):
    admin = f.user(session, Role.ADMIN, email="beheerder.oidc@han.nl")
    f.login(browser, session, admin)
    everyone_but_admins = {"password": ["wijkdocent", "partner", "student"]}
    response = browser.post("/admin/login-methods", data=everyone_but_admins)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    # After one HAN sign-in the admin has a way back in, so the switch is allowed.
    sub = provider.add_user(email=admin.email, email_verified=True)
    assert browser.get(sign_in_at_provider(browser, sub)).status_code == 303
    assert session.exec(select(OidcIdentity).where(OidcIdentity.user_id == admin.id)).first()
    assert browser.post("/admin/login-methods", data=everyone_but_admins).status_code == 303


def test_only_admins_see_the_login_methods(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.WIJKDOCENT))
    assert anon.get("/admin/login-methods").status_code == 403
    assert anon.post("/admin/login-methods", data={"password": ["admin"]}).status_code == 403
