"""Admin pages for API tokens: created once, stored as a hash, listed, revoked."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api_tokens.services import TZ
from app.models import ApiToken, AuditEvent, Role, utcnow
from tests import factories as f

PAGE = "/admin/api-tokens"


def _today():
    return utcnow().astimezone(TZ).date()


def _create(client: TestClient, **data: object):
    form = {"name": "HAN timetabling", "scopes": ["teams:read"]}
    form["expires_on"] = (_today() + timedelta(days=30)).isoformat()
    form.update(data)  # type: ignore[arg-type]
    return client.post(f"{PAGE}/new", data=form)


def test_admin_creates_a_token_shown_once_and_stored_as_a_hash(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.ADMIN))
    form = anon.get(f"{PAGE}/new")
    assert form.status_code == 200
    assert (_today() + timedelta(days=365)).isoformat() in form.text
    response = _create(anon, scopes=["teams:read", "opdrachten:read"])
    assert response.status_code == 200
    secret = re.search(r'<code class="secret">(om_[\w-]+)</code>', response.text)
    assert secret is not None
    token = session.exec(select(ApiToken).where(ApiToken.name == "HAN timetabling")).one()
    assert token.token_hash == hashlib.sha256(secret.group(1).encode()).hexdigest()
    assert token.scopes == ["opdrachten:read", "teams:read"]
    assert token.expires_at is not None
    assert token.expires_at.astimezone(TZ).date() == _today() + timedelta(days=31)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "api_token.create")).one()

    listing = anon.get(PAGE)
    assert token.prefix in listing.text
    assert secret.group(1) not in listing.text
    api = TestClient(anon.app)
    auth = {"Authorization": f"Bearer {secret.group(1)}"}
    assert api.get("/api/v1/semesters", headers=auth).status_code == 200


def test_revoked_tokens_stop_working(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.ADMIN))
    secret = re.search(r"(om_[\w-]+)</code>", _create(anon).text)
    assert secret is not None
    token = session.exec(select(ApiToken).where(ApiToken.name == "HAN timetabling")).one()
    response = anon.post(f"{PAGE}/{token.id}/revoke")
    assert response.status_code == 303
    assert token.revoked_at is not None
    assert "ingetrokken" in anon.get(PAGE).text
    api = TestClient(anon.app)
    auth = {"Authorization": f"Bearer {secret.group(1)}"}
    assert api.get("/api/v1/semesters", headers=auth).status_code == 401
    assert anon.post(f"{PAGE}/999999/revoke").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": " "}, "Vul een naam in"),
        ({"scopes": []}, "Kies minstens één recht"),
        ({"scopes": ["teams:write"]}, "Kies minstens één recht"),
        ({"expires_on": "morgen"}, "Vul een datum in"),
        ({"expires_on": "2000-01-01"}, "binnen twee jaar"),
        ({"expires_on": "2999-01-01"}, "binnen twee jaar"),
    ],
)
def test_bad_input_is_refused_with_422_and_nothing_is_stored(
    anon: TestClient, session: Session, data: dict[str, object], message: str
):
    f.login(anon, session, f.user(session, Role.ADMIN))
    response = _create(anon, **data)
    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert "error-summary" in response.text
    assert session.exec(select(ApiToken)).first() is None


@pytest.mark.parametrize("role", [Role.WIJKDOCENT, Role.PARTNER, Role.STUDENT])
def test_only_admins_manage_tokens(anon: TestClient, session: Session, role: Role):
    f.login(anon, session, f.user(session, role))
    assert anon.get(PAGE).status_code == 403
    assert _create(anon).status_code == 403
    assert session.exec(select(ApiToken)).first() is None


def test_anonymous_is_sent_to_login(anon: TestClient):
    assert anon.get(PAGE).status_code == 303
