from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.cookies import SESSION_COOKIE
from app.models import Role, UserSession
from tests import factories as f


def _login(client: TestClient, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def test_login_sets_httponly_lax_session_cookie_and_redirects(anon: TestClient, session: Session):
    user = f.user(session, Role.WIJKDOCENT)
    response = _login(anon, user.email, f.PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert anon.get("/dashboard").status_code == 200


def test_wrong_password_is_refused_with_a_message(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    response = _login(anon, user.email, "not-the-password")
    assert response.status_code == 400
    assert "Onjuist e-mailadres of wachtwoord" in response.text
    assert SESSION_COOKIE not in anon.cookies


def test_inactive_user_cannot_log_in(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT, active=False)
    assert _login(anon, user.email, f.PASSWORD).status_code == 400


def test_login_rotates_the_session_token(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    anon.cookies.set(SESSION_COOKIE, "planted-by-someone-else", domain="testserver.local")
    anon.get("/login")  # the form's CSRF token is bound to the session cookie it came with
    anon.headers["X-CSRF-Token"] = anon.cookies["om_csrf"]
    assert _login(anon, user.email, f.PASSWORD).status_code == 303
    assert anon.cookies[SESSION_COOKIE] != "planted-by-someone-else"


def test_logout_ends_the_session_on_the_server(anon: TestClient, session: Session):
    user = f.user(session, Role.PARTNER)
    f.login(anon, session, user)
    token = anon.cookies[SESSION_COOKIE]
    assert anon.post("/logout").status_code == 303
    assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).first() is None
    anon.cookies.set(
        SESSION_COOKIE, token, domain="testserver.local"
    )  # replaying the old cookie does not work
    assert anon.get("/dashboard").status_code == 303


def test_anonymous_is_sent_to_login(anon: TestClient):
    response = anon.get("/dashboard")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/dashboard")


def test_role_denied_is_403(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.STUDENT))
    response = anon.get("/admin/users")
    assert response.status_code == 403
    assert "geen toegang" in response.text


def test_unsafe_request_without_csrf_token_is_403(app, session: Session):
    user = f.user(session, Role.STUDENT)
    with TestClient(app, follow_redirects=False) as client:
        client.get("/login")
        response = client.post("/login", data={"email": user.email, "password": f.PASSWORD})
        assert response.status_code == 403
        wrong = client.post(
            "/login", data={"email": user.email, "password": f.PASSWORD, "csrf_token": "forged"}
        )
        assert wrong.status_code == 403
        good = client.post(
            "/login",
            data={
                "email": user.email,
                "password": f.PASSWORD,
                "csrf_token": client.cookies["om_csrf"],
            },
        )
        assert good.status_code == 303


def test_login_is_throttled_after_repeated_failures(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    for _ in range(5):
        assert _login(anon, user.email, "wrong-password-x").status_code == 400
    response = _login(anon, user.email, f.PASSWORD)
    assert response.status_code == 429


def test_next_parameter_cannot_redirect_offsite(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    response = anon.post(
        "/login", data={"email": user.email, "password": f.PASSWORD, "next": "//evil.example/x"}
    )
    assert response.headers["location"] == "/dashboard"
