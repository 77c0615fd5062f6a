"""CSRF tokens are signed and bound to the session: a planted pair is refused, the token
changes at login, and over https the cookie is a ``__Host-`` cookie."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import csrf
from app.config import Settings
from app.cookies import SESSION_COOKIE
from app.db import get_session
from app.main import create_app
from app.models import Role, User
from tests import factories as f


def _browser(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)


def _rename(client: TestClient, session: Session, user: User, token: str) -> int:
    """Post the account's language switch (an unsafe request that changes a row) with
    ``token`` in the form; returns the status."""
    response = client.post("/language", data={"language": "en", "csrf_token": token})
    session.refresh(user)
    return response.status_code


def test_a_planted_cookie_and_token_of_another_session_are_refused(app: FastAPI, session: Session):
    victim, attacker = f.user(session, Role.STUDENT), f.user(session, Role.STUDENT)
    with _browser(app) as theirs, _browser(app) as mine:
        f.login(mine, session, attacker)
        planted = mine.cookies["om_csrf"]  # valid, for the attacker's own session
        f.login(theirs, session, victim)
        theirs.cookies.set("om_csrf", planted, domain="testserver.local")
        assert _rename(theirs, session, victim, planted) == 403
        assert victim.preferred_language == "nl"
        anonymous = _browser(app)
        anonymous.get("/login")  # a valid pair from before any login
        before_login = anonymous.cookies["om_csrf"]
        theirs.cookies.set("om_csrf", before_login, domain="testserver.local")
        assert _rename(theirs, session, victim, before_login) == 403
        assert victim.preferred_language == "nl"
        for made_up in ("c" * 20, "c" * 20 + "." + "d" * 43):  # an unsigned double submit
            theirs.cookies.set("om_csrf", made_up, domain="testserver.local")
            assert _rename(theirs, session, victim, made_up) == 403
        theirs.get("/dashboard")  # the refused cookie is replaced by one for this session
        own = theirs.cookies["om_csrf"]
        assert own not in (planted, before_login)
        assert _rename(theirs, session, victim, own) == 303
        assert victim.preferred_language == "en"


def test_the_token_rotates_at_login_and_the_old_one_no_longer_works(app: FastAPI, session: Session):
    user = f.user(session, Role.STUDENT)
    with _browser(app) as client:
        client.get("/login")
        before = client.cookies["om_csrf"]
        form = {"email": user.email, "password": f.PASSWORD, "csrf_token": before}
        response = client.post("/login", data=form)
        assert response.status_code == 303
        after = client.cookies["om_csrf"]
        assert after != before
        assert csrf.valid(
            "test-secret-key-that-is-long-enough-0123456789", client.cookies[SESSION_COOKIE], after
        )
        client.cookies.set("om_csrf", before, domain="testserver.local")
        assert _rename(client, session, user, before) == 403
        client.cookies.set("om_csrf", after, domain="testserver.local")
        assert _rename(client, session, user, after) == 303
        assert client.post("/logout", data={"csrf_token": after}).status_code == 303
        assert client.cookies["om_csrf"] != after  # and again at logout


def test_a_page_carries_the_token_for_htmx_in_its_body(app: FastAPI, session: Session):
    with _browser(app) as client:
        f.login(client, session, f.user(session, Role.STUDENT))
        page = client.get("/dashboard")
        assert client.cookies["om_csrf"] in page.text  # hx-headers and the forms


@pytest.fixture
def https(settings: Settings, session: Session) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"base_url": "https://opdrachtmatch.example"}))
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def test_over_https_the_cookie_is_a_host_cookie_and_works(https: TestClient, session: Session):
    cookie = https.get("/login").headers["set-cookie"]
    assert cookie.startswith("__Host-om_csrf=")
    assert "secure" in cookie.lower()
    assert "path=/" in cookie.lower()
    assert "domain" not in cookie.lower()
    user = f.user(session, Role.STUDENT)
    token = https.cookies["__Host-om_csrf"]
    form = {"email": user.email, "password": f.PASSWORD, "csrf_token": token}
    assert https.post("/login", data=form).status_code == 303
    token = https.cookies["__Host-om_csrf"]  # the new one, for the new session
    https.cookies.delete("__Host-om_csrf", domain="testserver.local")
    # The plain name is not read over https.
    https.cookies.set("om_csrf", token, domain="testserver.local")
    assert https.post("/language", data={"language": "en", "csrf_token": token}).status_code == 403
    https.cookies.set("__Host-om_csrf", token, domain="testserver.local")
    assert https.post("/language", data={"language": "en", "csrf_token": token}).status_code == 303
    session.expire_all()
    assert session.exec(select(User).where(User.id == user.id)).one().preferred_language == "en"
