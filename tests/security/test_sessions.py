"""Login sessions: server-side, rotated, ended, timed out; login throttling; passwords."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.services import THROTTLE_WINDOW, count_attempt, create_invitation, throttle_keys
from app.config import Settings
from app.cookies import SESSION_COOKIE
from app.models import LoginCounter, Role, UserSession, utcnow
from app.security import hash_password, token_hash, verify_password
from tests import factories as f


def _login(client: TestClient, email: str, password: str = f.PASSWORD) -> int:
    return client.post("/login", data={"email": email, "password": password}).status_code


def _row(session: Session, client: TestClient) -> UserSession | None:
    token = client.cookies.get(SESSION_COOKIE, domain="testserver.local") or ""
    session.expire_all()
    return session.exec(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    ).first()


def _age(session: Session, row: UserSession, *, idle: timedelta, age: timedelta) -> None:
    """Time travel: the session was last used ``idle`` ago and started ``age`` ago."""
    row.last_seen_at = utcnow() - idle
    row.created_at = utcnow() - age
    session.add(row)
    session.flush()


def test_the_cookie_holds_a_random_token_and_the_database_only_its_hash(
    anon: TestClient, session: Session
):
    user = f.user(session, Role.STUDENT)
    assert _login(anon, user.email) == 303
    token = anon.cookies[SESSION_COOKIE]
    assert len(token) >= 40
    row = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.token_hash == token_hash(token) != token


def test_an_idle_session_ends(anon: TestClient, session: Session, settings: Settings):
    f.login(anon, session, f.user(session, Role.STUDENT))
    row = _row(session, anon)
    assert row is not None
    idle = timedelta(minutes=settings.session_idle_minutes)
    _age(session, row, idle=idle - timedelta(minutes=2), age=timedelta(hours=1))
    assert anon.get("/dashboard").status_code == 200  # still alive, and touched
    row = _row(session, anon)
    assert row is not None
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    _age(session, row, idle=idle + timedelta(minutes=1), age=timedelta(hours=1))
    response = anon.get("/dashboard")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert _row(session, anon) is None  # removed on the server, not just ignored


def test_a_session_ends_after_its_absolute_lifetime_even_when_used(
    anon: TestClient, session: Session, settings: Settings
):
    f.login(anon, session, f.user(session, Role.WIJKDOCENT))
    row = _row(session, anon)
    assert row is not None
    lifetime = timedelta(hours=settings.session_absolute_hours)
    _age(session, row, idle=timedelta(0), age=lifetime - timedelta(minutes=5))
    assert anon.get("/dashboard").status_code == 200
    row = _row(session, anon)
    assert row is not None
    _age(session, row, idle=timedelta(0), age=lifetime + timedelta(minutes=1))
    assert anon.get("/dashboard").status_code == 303
    assert _row(session, anon) is None


def test_login_replaces_the_previous_session(anon: TestClient, session: Session):
    user = f.user(session, Role.PARTNER)
    f.login(anon, session, user)
    before = anon.cookies[SESSION_COOKIE]
    assert _login(anon, user.email) == 303
    after = anon.cookies[SESSION_COOKIE]
    assert after != before
    hashes = set(session.exec(select(UserSession.token_hash).where(UserSession.user_id == user.id)))
    assert hashes == {token_hash(after)}  # the old one is gone on the server


def test_deactivating_a_user_ends_their_sessions_at_once(
    app: FastAPI, anon: TestClient, session: Session
):
    victim = f.user(session, Role.STUDENT)
    with TestClient(app, follow_redirects=False) as theirs:
        f.login(theirs, session, victim)
        assert theirs.get("/dashboard").status_code == 200
        f.login(anon, session, f.user(session, Role.ADMIN))
        assert anon.post(f"/admin/users/{victim.id}/active", data={}).status_code == 303
        session.expire_all()
        assert session.exec(select(UserSession).where(UserSession.user_id == victim.id)).all() == []
        assert theirs.get("/dashboard").status_code == 303
    assert _login(anon, victim.email) == 400  # and cannot log in again


def test_login_is_throttled_per_account(app: FastAPI, anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    _failed_attempts(session, 4, address="203.0.113.9", email=user.email)
    assert _login(anon, user.email, "not-the-password") == 400  # the 5th failure
    assert _login(anon, user.email) == 429  # even the right password, even from elsewhere:
    with TestClient(app, client=("198.51.100.7", 4000), follow_redirects=False) as other:
        other.get("/login")
        other.headers["X-CSRF-Token"] = other.cookies["om_csrf"]
        assert _login(other, user.email) == 429
    another = f.user(session, Role.STUDENT)
    assert _login(anon, another.email) == 303  # other accounts are not locked out


def _failed_attempts(session: Session, n: int, *, address: str, email: str = "") -> None:
    """``n`` recent failed logins, counted as the login form counts them (without argon2's
    cost): against the address, and against one account or ``n`` guessed ones."""
    for i in range(n):
        account, client = throttle_keys(email or f"guess{i}@example.org", address)
        count_attempt(session=session, key=account, now=utcnow())
        count_attempt(session=session, key=client, now=utcnow())
    session.flush()


def test_login_is_throttled_per_address(app: FastAPI, anon: TestClient, session: Session):
    _failed_attempts(session, 19, address="testclient")  # guesses at many accounts
    user = f.user(session, Role.STUDENT)
    assert _login(anon, user.email, "not-the-password") == 400  # the 20th failure
    response = anon.post("/login", data={"email": user.email, "password": f.PASSWORD})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text
    with TestClient(app, client=("198.51.100.7", 4000), follow_redirects=False) as other:
        other.get("/login")
        other.headers["X-CSRF-Token"] = other.cookies["om_csrf"]
        assert _login(other, user.email) == 303  # another address is not blocked


def test_the_throttle_lifts_after_its_window(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    _failed_attempts(session, 5, address="testclient", email=user.email)
    assert _login(anon, user.email) == 429
    for counter in session.exec(select(LoginCounter)):
        counter.window_start = utcnow() - THROTTLE_WINDOW - timedelta(minutes=1)
        session.add(counter)
    session.flush()
    assert _login(anon, user.email) == 303


def _set_password(client: TestClient, session: Session, settings: Settings, password: str):
    user = f.user(session, Role.STUDENT, password="x" * 20)
    token = create_invitation(session=session, user=user, created_by=None, settings=settings)
    session.flush()
    data = {"password": password, "repeat": password}
    return user, client.post(f"/invitation/{token}", data=data)


def test_short_and_common_passwords_are_refused(
    anon: TestClient, session: Session, settings: Settings
):
    for password, message in (
        ("kort-wachtw", "minstens 12 tekens"),
        ("password1234", "komt te vaak voor"),
        ("QwertyQwerty", "komt te vaak voor"),
    ):
        user, response = _set_password(anon, session, settings, password)
        assert response.status_code == 422, password
        assert message in response.text, password
        session.refresh(user)
        assert not verify_password(user.password_hash, password)


def test_a_good_password_is_stored_as_an_argon2id_hash(
    anon: TestClient, session: Session, settings: Settings
):
    user, response = _set_password(anon, session, settings, "paars-fietsje-op-de-dijk")
    assert response.status_code == 303
    session.refresh(user)
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "paars-fietsje-op-de-dijk")
    assert hash_password("same") != hash_password("same")  # salted
