"""Password reset by e-mail: the same answer for every address, a single-use link that
expires, mail through the outbox with an absolute link, and a throttle."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app.auth import reset
from app.config import Settings
from app.cookies import SESSION_COOKIE
from app.models import (
    OutboxMessage,
    PasswordLogin,
    PasswordReset,
    PasswordResetRequest,
    Role,
    User,
    UserSession,
)
from app.security import token_hash, verify_password
from tests import factories as f
from tests.concurrent import served

NEW = "een-heel-nieuw-wachtwoord"
LINK = re.compile(r"http://testserver/password/reset/([\w-]+)")


def _ask(client: TestClient, email: str):
    return client.post("/password/forgot", data={"email": email})


def _mails(session: Session) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def _csrf_free(html: str) -> str:
    return re.sub(r"[\w-]{20,}\.[\w-]{40,}", "TOKEN", html)


def test_the_login_page_offers_a_reset(anon: TestClient):
    page = anon.get("/login").text
    assert 'href="/password/forgot"' in page
    assert "Wachtwoord vergeten?" in page
    form = anon.get("/password/forgot")
    assert form.status_code == 200
    assert "Vul het e-mailadres van je account in" in form.text


def test_known_and_unknown_addresses_get_the_same_answer_and_only_an_account_gets_mail(
    anon: TestClient, session: Session
):
    user = f.user(session, Role.STUDENT, email="bestaat@example.org")
    known = _ask(anon, "Bestaat@Example.org")
    unknown = _ask(anon, "bestaat-niet@example.org")
    invalid = _ask(anon, "geen adres\r\nBcc: x@example.org")
    assert known.status_code == unknown.status_code == invalid.status_code == 200
    assert _csrf_free(known.text) == _csrf_free(unknown.text) == _csrf_free(invalid.text)
    assert "Als er een account bij dit adres hoort" in known.text
    (mail,) = _mails(session)
    assert mail.to == user.email
    assert mail.subject == "Een nieuw wachtwoord voor opdrachtmatch"
    token = LINK.search(mail.body)
    assert token is not None  # an absolute link, under OM_BASE_URL
    stored = session.exec(select(PasswordReset)).one()
    assert stored.token_hash == token_hash(token.group(1))  # only the hash is kept
    assert token.group(1) not in stored.token_hash


def test_a_deactivated_account_gets_no_mail(anon: TestClient, session: Session):
    f.user(session, Role.PARTNER, email="weg@example.org", active=False)
    assert _ask(anon, "weg@example.org").status_code == 200
    assert _mails(session) == []


def test_no_mail_where_password_login_is_switched_off_for_the_role(
    anon: TestClient, session: Session
):
    student = f.user(session, Role.STUDENT, email="student@example.org")
    session.add(PasswordLogin(role=Role.STUDENT, allowed=False))
    session.flush()
    assert _ask(anon, student.email).status_code == 200  # the same answer ...
    assert _mails(session) == []  # ... and no link: students sign in with HAN
    partner = f.user(session, Role.PARTNER)
    assert _ask(anon, partner.email).status_code == 200
    assert [m.to for m in _mails(session)] == [partner.email]


def _link(anon: TestClient, session: Session, user: User) -> str:
    assert _ask(anon, user.email).status_code == 200
    found = LINK.search(_mails(session)[-1].body)
    assert found is not None
    return f"/password/reset/{found.group(1)}"


def test_the_link_sets_a_new_password_once_and_ends_the_sessions(
    app, anon: TestClient, session: Session
):
    user = f.user(session, Role.STUDENT)
    with TestClient(app, follow_redirects=False) as elsewhere:
        f.login(elsewhere, session, user)
        path = _link(anon, session, user)
        page = anon.get(path)
        assert page.status_code == 200
        assert user.email in page.text
        short = anon.post(path, data={"password": "kort", "repeat": "kort"})
        assert short.status_code == 422
        assert "minstens 12 tekens" in short.text
        done = anon.post(path, data={"password": NEW, "repeat": NEW})
        assert (done.status_code, done.headers["location"]) == (303, "/login")
        session.refresh(user)
        assert verify_password(user.password_hash, NEW)
        assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).all() == []
        assert elsewhere.get("/dashboard").status_code == 303  # logged out everywhere
    again = anon.post(path, data={"password": "nog-een-ander-wachtwoord", "repeat": "x"})
    assert again.status_code == 404
    assert "ongeldig, al gebruikt of verlopen" in again.text
    assert anon.get(path).status_code == 404
    login = anon.post("/login", data={"email": user.email, "password": NEW})
    assert login.status_code == 303
    assert SESSION_COOKIE in login.cookies


def test_an_expired_or_made_up_link_does_nothing(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    path = _link(anon, session, user)
    row = session.exec(select(PasswordReset)).one()
    row.expires_at = row.expires_at - reset.LINK_LIFETIME - timedelta(seconds=1)
    session.add(row)
    session.flush()
    for url in (path, "/password/reset/verzonnen"):
        assert anon.get(url).status_code == 404
        assert anon.post(url, data={"password": NEW, "repeat": NEW}).status_code == 404
    session.refresh(user)
    assert verify_password(user.password_hash, f.PASSWORD)


def test_requests_are_throttled_per_address_and_per_account(
    app, anon: TestClient, session: Session
):
    user = f.user(session, Role.STUDENT)
    for _ in range(reset.MAX_MAILS_PER_ACCOUNT + 1):
        assert _ask(anon, user.email).status_code == 200
    assert len(_mails(session)) == reset.MAX_MAILS_PER_ACCOUNT  # silently no more mail
    assert _ask(anon, "iemand@example.org").status_code == 200  # the 5th from this address
    refused = _ask(anon, "nog-iemand@example.org")
    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.text
    count = session.exec(select(func.count()).select_from(PasswordResetRequest)).one()
    assert count == reset.MAX_REQUESTS_PER_ADDRESS
    with TestClient(app, client=("198.51.100.7", 4000), follow_redirects=False) as other:
        other.get("/password/forgot")
        form = {"email": "iemand@example.org", "csrf_token": other.cookies["om_csrf"]}
        assert other.post("/password/forgot", data=form).status_code == 200  # elsewhere


def test_two_concurrent_uses_of_one_link_set_one_password(engine: Engine, settings: Settings):
    with served(engine, settings) as live:
        with live.session() as session:
            user = f.user(session, Role.STUDENT)
            session.commit()
            reset.request_reset(
                session=session, email=user.email, address="test", settings=settings
            )
            found = LINK.search(_mails(session)[-1].body)
            assert found is not None
            user_id = user.id
        path = f"/password/reset/{found.group(1)}"
        browsers = [live.anonymous(path) for _ in range(4)]
        passwords = [f"wachtwoord-nummer-{i}-lang" for i in range(4)]
        responses = live.fire(
            [
                partial(b.post, path, data={"password": p, "repeat": p})
                for b, p in zip(browsers, passwords, strict=True)
            ]
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [303, 404, 404, 404], statuses
        winner = passwords[[r.status_code for r in responses].index(303)]
        with live.session() as session:
            stored = session.get(User, user_id)
            assert stored is not None
            assert verify_password(stored.password_hash, winner)
            assert session.exec(select(PasswordReset)).all() == []
            events = session.exec(select(func.count()).select_from(OutboxMessage)).one()
            assert events == 1
