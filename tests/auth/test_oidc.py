"""Sign in with the HAN account against a real OpenID Connect provider on a loopback port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from app.auth.oidc_logout import OIDC_MARK_COOKIE
from app.config import Settings
from app.cookies import SESSION_COOKIE
from app.models import AuditEvent, OidcIdentity, OidcLogin, Role, StudentProfile, User, UserSession
from tests import factories as f
from tests.auth.conftest import (
    RunningProvider,
    client_for,
    oidc_settings,
    sign_in_at_provider,
    with_query,
)

pytestmark = pytest.mark.filterwarnings(
    # The provider (not the app) still uses Authlib's older server API.
    "ignore::DeprecationWarning:authlib.oidc.core.grants._legacy"
)


def _studentid(number: str) -> list[str]:
    return [f"urn:schac:personalUniqueCode:nl:local:han.nl:studentid:{number}"]


def _student(session: Session) -> tuple[User, StudentProfile]:
    profile = f.student(session, f.programme(session))
    user = session.get(User, profile.user_id)
    assert user is not None
    return user, profile


def _count(session: Session, model: type[User] | type[OidcIdentity]) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _refused(
    response: httpx.Response, client: TestClient, caplog: pytest.LogCaptureFixture, reason: str
) -> None:
    """Refused with the clear page, for the expected reason (the log names it)."""
    assert response.status_code == 400, response.text
    assert "Inloggen met je HAN-account is niet gelukt" in response.text
    assert SESSION_COOKIE not in client.cookies
    refusals = [r.getMessage() for r in caplog.records if "sign-in refused" in r.getMessage()]
    assert refusals, "no refusal was logged"
    assert reason in refusals[-1], refusals[-1]


def test_login_page_offers_the_han_account_when_configured(browser: TestClient):
    page = browser.get("/login")
    assert "Inloggen met je HAN-account" in page.text
    assert 'href="/oidc/start?next="' in page.text


def test_without_oidc_nothing_changes(anon: TestClient):
    assert "HAN-account" not in anon.get("/login").text
    assert anon.get("/oidc/start").status_code == 404
    assert anon.get("/oidc/callback?code=x&state=y").status_code == 404


def test_student_signs_in_by_student_number(
    browser: TestClient, session: Session, provider: RunningProvider
):
    user, profile = _student(session)
    sub = provider.add_user(
        email="someone.else@student.han.nl",
        email_verified=True,
        schac_personal_unique_code=_studentid(profile.student_number),
        eduperson_affiliation=["student", "member"],
    )
    callback = sign_in_at_provider(browser, sub, next="/account")
    response = browser.get(callback)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/account"
    assert browser.get("/account").status_code == 200
    link = session.exec(select(OidcIdentity).where(OidcIdentity.subject == sub)).one()
    assert (link.user_id, link.issuer) == (user.id, provider.issuer)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.oidc_link")).one()
    assert (event.actor_id, event.entity_id) == (user.id, str(user.id))
    assert event.after == {"issuer": provider.issuer, "matched_by": "student_number"}
    # The request in flight is gone: nothing of the exchange outlives the login.
    assert session.exec(select(OidcLogin)).first() is None
    # The linked subject is enough the next time, whatever the claims say then.
    again = sign_in_at_provider(browser, sub)
    assert browser.get(again).status_code == 303
    assert _count(session, OidcIdentity) == 1


def test_wijkdocent_signs_in_by_verified_email_and_keeps_the_role(
    browser: TestClient, session: Session, provider: RunningProvider
):
    docent = f.user(session, Role.WIJKDOCENT, email="docent.oidc@han.nl")
    sub = provider.add_user(
        email="Docent.OIDC@han.nl", email_verified=True, eduperson_affiliation=["employee"]
    )
    response = browser.get(sign_in_at_provider(browser, sub))
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    dashboard = browser.get("/dashboard")
    assert dashboard.status_code == 200
    session.refresh(docent)
    assert docent.role == Role.WIJKDOCENT
    assert docent.last_login_at is not None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.oidc_link")).one()
    assert event.after == {"issuer": provider.issuer, "matched_by": "email"}


def test_claims_never_grant_a_staff_role(
    browser: TestClient, session: Session, provider: RunningProvider
):
    user, profile = _student(session)
    sub = provider.add_user(
        email=user.email,
        email_verified=True,
        eduperson_affiliation=["employee", "staff"],
        schac_personal_unique_code=_studentid(profile.student_number),
    )
    assert browser.get(sign_in_at_provider(browser, sub)).status_code == 303
    session.refresh(user)
    assert user.role == Role.STUDENT
    assert browser.get("/admin/users").status_code == 403


def test_wrong_state_is_refused(
    browser: TestClient, session: Session, provider: RunningProvider, caplog
):
    _user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    callback = sign_in_at_provider(browser, sub)
    forged = with_query(callback, state="forged-state-value")
    _refused(browser.get(forged), browser, caplog, "state does not match")
    assert _count(session, OidcIdentity) == 0


def test_state_minted_for_another_browser_is_refused(
    browser: TestClient, settings: Settings, session: Session, provider: RunningProvider, caplog
):
    _user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    callback = sign_in_at_provider(browser, sub)
    for victim in client_for(oidc_settings(settings, provider.issuer), session):
        _refused(victim.get(callback), victim, caplog, "state does not match")


def test_replayed_callback_is_refused(
    browser: TestClient, session: Session, provider: RunningProvider, caplog
):
    _user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    callback = sign_in_at_provider(browser, sub)
    assert browser.get(callback).status_code == 303
    browser.cookies.delete(SESSION_COOKIE)
    # The browser still holds the state cookie: the request itself is what was used up.
    browser.cookies.set("om_oidc_state", parse_qs(urlparse(callback).query)["state"][0])
    _refused(browser.get(callback), browser, caplog, "state unknown, used or expired")


def test_replayed_code_is_refused_by_the_provider(
    browser: TestClient, session: Session, provider: RunningProvider, caplog
):
    _user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    first = sign_in_at_provider(browser, sub)
    assert browser.get(first).status_code == 303
    browser.cookies.delete(SESSION_COOKIE)
    # A new request of this browser (a fresh state), answered with the code already used.
    fresh = sign_in_at_provider(browser, sub)
    before = provider.requests["/oauth2/token"]
    old_code = parse_qs(urlparse(first).query)["code"][0]
    _refused(browser.get(with_query(fresh, code=old_code)), browser, caplog, "invalid_grant")
    assert provider.requests["/oauth2/token"] == before + 1


def test_wrong_nonce_is_refused(
    browser: TestClient, session: Session, provider: RunningProvider, caplog
):
    _user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    callback = sign_in_at_provider(
        browser, sub, tamper=lambda url: with_query(url, nonce="a-nonce-the-app-never-made")
    )
    _refused(browser.get(callback), browser, caplog, "'nonce'")
    assert _count(session, OidcIdentity) == 0


def test_expired_id_token_is_refused(
    settings: Settings, session: Session, expired_provider: RunningProvider, caplog
):
    _user, profile = _student(session)
    sub = expired_provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    for client in client_for(oidc_settings(settings, expired_provider.issuer), session):
        _refused(client.get(sign_in_at_provider(client, sub)), client, caplog, "expired")
    assert _count(session, OidcIdentity) == 0


def test_code_issued_to_another_client_is_refused(
    browser: TestClient, session: Session, provider: RunningProvider, caplog
):
    _user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    callback = sign_in_at_provider(
        browser, sub, tamper=lambda url: with_query(url, client_id="another-app")
    )
    _refused(browser.get(callback), browser, caplog, "invalid_grant")


def test_unknown_person_gets_a_page_saying_whom_to_ask(
    browser: TestClient, session: Session, provider: RunningProvider
):
    users = _count(session, User)
    sub = provider.add_user(
        email="nieuw@student.han.nl",
        email_verified=True,
        schac_personal_unique_code=_studentid("9999999"),
        eduperson_affiliation=["student"],
    )
    response = browser.get(sign_in_at_provider(browser, sub))
    assert response.status_code == 403
    assert "We kennen je nog niet" in response.text
    assert "studentnummer" in response.text
    assert SESSION_COOKIE not in browser.cookies
    assert (_count(session, User), _count(session, OidcIdentity)) == (users, 0)


def test_unknown_employee_is_told_to_ask_the_beheerder(
    browser: TestClient, provider: RunningProvider
):
    sub = provider.add_user(
        email="nieuwe.docent@han.nl", email_verified=True, eduperson_affiliation=["employee"]
    )
    response = browser.get(sign_in_at_provider(browser, sub))
    assert response.status_code == 403
    assert "uit te nodigen" in response.text


def test_unverified_email_does_not_link(
    browser: TestClient, session: Session, provider: RunningProvider
):
    f.user(session, Role.WIJKDOCENT, email="docent.unverified@han.nl")
    sub = provider.add_user(email="docent.unverified@han.nl", email_verified=False)
    response = browser.get(sign_in_at_provider(browser, sub))
    assert response.status_code == 403
    assert "niet bevestigd" in response.text
    assert _count(session, OidcIdentity) == 0


def test_trusted_email_links_without_email_verified(
    settings: Settings, session: Session, provider: RunningProvider
):
    f.user(session, Role.WIJKDOCENT, email="docent.trusted@han.nl")
    sub = provider.add_user(email="docent.trusted@han.nl")
    trusting = oidc_settings(settings, provider.issuer).model_copy(
        update={"oidc_trust_email": True}
    )
    for client in client_for(trusting, session):
        assert client.get(sign_in_at_provider(client, sub)).status_code == 303


def test_inactive_account_is_refused(
    browser: TestClient, session: Session, provider: RunningProvider
):
    user, profile = _student(session)
    user.active = False
    session.add(user)
    session.flush()
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    response = browser.get(sign_in_at_provider(browser, sub))
    assert response.status_code == 400
    assert "uitgeschakeld" in response.text
    assert _count(session, OidcIdentity) == 0


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nobody listens on: the provider is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_provider_down_gives_a_clear_page(settings: Settings, session: Session, closed_port: int):
    down = oidc_settings(settings, f"http://127.0.0.1:{closed_port}")
    for client in client_for(down, session):
        assert "Inloggen met je HAN-account" in client.get("/login").text
        response = client.get("/oidc/start")
        assert response.status_code == 503
        assert "niet bereikbaar" in response.text
    assert session.exec(select(OidcLogin)).first() is None


def test_discovery_and_keys_are_read_once(browser: TestClient, session: Session, provider):
    _user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    assert browser.get(sign_in_at_provider(browser, sub)).status_code == 303
    seen = provider.requests.copy()
    browser.cookies.delete(SESSION_COOKIE)
    assert browser.get(sign_in_at_provider(browser, sub)).status_code == 303
    assert provider.requests["/oauth2/token"] == seen["/oauth2/token"] + 1
    assert (
        provider.requests["/.well-known/openid-configuration"]
        == seen["/.well-known/openid-configuration"]
    )
    assert provider.requests["/jwks"] == seen["/jwks"]


def test_logout_ends_the_provider_session_too(
    browser: TestClient, session: Session, provider: RunningProvider
):
    user, profile = _student(session)
    sub = provider.add_user(schac_personal_unique_code=_studentid(profile.student_number))
    assert browser.get(sign_in_at_provider(browser, sub)).status_code == 303
    assert OIDC_MARK_COOKIE in browser.cookies
    response = browser.post("/logout")
    assert response.status_code == 303
    target = response.headers["location"]
    assert target.startswith(f"{provider.issuer}/oauth2/end_session?")
    query = parse_qs(urlparse(target).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/login"]
    assert query["client_id"] == ["opdrachtmatch-test"]
    assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).first() is None
    # The provider's own logout page answers.
    assert httpx.get(target).status_code == 200


def test_password_logout_stays_in_the_app(browser: TestClient, session: Session):
    user = f.user(session, Role.PARTNER)
    f.login(browser, session, user)
    response = browser.post("/logout")
    assert response.headers["location"] == "/login"


def test_demo_student_signs_in_and_lands_on_their_dashboard(
    browser: TestClient, session: Session, provider: RunningProvider
):
    from app.demo import build_demo
    from app.demo.vocabulary import login_email

    build_demo(session)
    email = login_email(Role.STUDENT)
    student = session.exec(select(User).where(User.email == email)).one()
    profile = session.exec(
        select(StudentProfile).where(col(StudentProfile.user_id) == student.id)
    ).one()
    sub = provider.add_user(
        email=email,
        email_verified=True,
        schac_personal_unique_code=_studentid(profile.student_number),
        eduperson_affiliation=["student"],
    )
    response = browser.get(sign_in_at_provider(browser, sub))
    assert response.headers["location"] == "/dashboard"
    dashboard = browser.get("/dashboard")
    assert dashboard.status_code == 200
    assert student.name in dashboard.text


def test_an_account_links_to_one_han_account_only(
    browser: TestClient, session: Session, provider: RunningProvider
):
    user, profile = _student(session)
    claims = {"schac_personal_unique_code": _studentid(profile.student_number)}
    first = provider.add_user(**claims)
    assert browser.get(sign_in_at_provider(browser, first)).status_code == 303
    browser.cookies.delete(SESSION_COOKIE)
    # Another HAN account that claims the same student number is not linked as well.
    second = provider.add_user(**claims)
    response = browser.get(sign_in_at_provider(browser, second))
    assert response.status_code == 400
    assert "gekoppeld aan een ander HAN-account" in response.text
    links = session.exec(select(OidcIdentity).where(OidcIdentity.user_id == user.id)).all()
    assert [link.subject for link in links] == [first]
