"""Bearer tokens: 401 for missing or bad tokens, 403 for a missing scope, 429, no URL tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api.auth import RateLimiter
from app.models import ApiToken, utcnow
from tests.api import builders as b

TEAMS = "/api/v1/semesters/{code}/teams"
OPDRACHTEN = "/api/v1/semesters/{code}/opdrachten"


def _assert_problem(response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


def test_without_a_token_is_401_problem(client: TestClient, session: Session):
    p = b.published_semester(session)
    response = client.get(TEAMS.format(code=p.semester.code))
    _assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    basic = client.get("/api/v1/semesters", headers={"Authorization": "Basic dXNlcjpwdw=="})
    _assert_problem(basic, 401)


@pytest.mark.parametrize("kind", ["unknown", "revoked", "expired"])
def test_bad_tokens_are_401(client: TestClient, session: Session, kind: str):
    if kind == "unknown":
        secret = "om_not-a-token-anyone-made"
    elif kind == "revoked":
        secret = b.token(session, revoked=True)
    else:
        secret = b.token(session, expires_at=utcnow() - timedelta(seconds=1))
    response = client.get("/api/v1/semesters", headers=b.bearer(secret))
    body = _assert_problem(response, 401)
    assert "unknown, revoked or expired" in body["detail"]
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("name", ["token", "access_token"])
def test_a_token_in_the_url_is_refused_even_with_a_good_header(
    client: TestClient, session: Session, name: str
):
    secret = b.token(session)
    response = client.get(f"/api/v1/semesters?{name}={secret}", headers=b.bearer(secret))
    body = _assert_problem(response, 400)
    assert "Authorization header" in body["detail"]
    assert client.get(f"/api/v1/semesters?{name}={secret}").status_code == 400


def test_scopes_are_enforced_per_endpoint(client: TestClient, session: Session):
    p = b.published_semester(session)
    code = p.semester.code
    teams_only = b.bearer(b.token(session, ("teams:read",)))
    opdrachten_only = b.bearer(b.token(session, ("opdrachten:read",)))
    assert client.get(TEAMS.format(code=code), headers=teams_only).status_code == 200
    body = _assert_problem(client.get(OPDRACHTEN.format(code=code), headers=teams_only), 403)
    assert "opdrachten:read" in body["detail"]
    assert client.get(OPDRACHTEN.format(code=code), headers=opdrachten_only).status_code == 200
    for path in (
        TEAMS.format(code=code),
        f"/api/v1/teams/{p.teams[0].id}",
        f"/api/v1/semesters/{code}/students/{p.students[0].student_number}/team",
    ):
        body = _assert_problem(client.get(path, headers=opdrachten_only), 403)
        assert "teams:read" in body["detail"]
    # The semester list needs a valid token, no particular scope.
    assert client.get("/api/v1/semesters", headers=opdrachten_only).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(client: TestClient, session: Session):
    secret = b.token(session)
    token = session.exec(select(ApiToken).where(ApiToken.prefix == secret[:11])).one()
    assert token.last_used_at is None
    client.get("/api/v1/semesters", headers=b.bearer(secret))
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/semesters", headers=b.bearer(secret))
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(minutes=2)
    session.add(token)
    client.get("/api/v1/semesters", headers=b.bearer(secret))
    assert token.last_used_at > first


def test_rate_limit_per_token_is_429_with_retry_after(app, client: TestClient, session: Session):
    app.state.api_rate_limiter = RateLimiter(per_minute=2)
    one, other = b.bearer(b.token(session)), b.bearer(b.token(session))
    assert client.get("/api/v1/semesters", headers=one).status_code == 200
    assert client.get("/api/v1/semesters", headers=one).status_code == 200
    response = client.get("/api/v1/semesters", headers=one)
    _assert_problem(response, 429)
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert client.get("/api/v1/semesters", headers=other).status_code == 200


@pytest.mark.nodb
def test_rate_limiter_opens_a_new_window_each_minute():
    limiter = RateLimiter(per_minute=1)
    assert limiter.hit(7, now=600.0) == 0
    assert limiter.hit(7, now=630.5) == 30
    assert limiter.hit(8, now=630.5) == 0
    assert limiter.hit(7, now=660.0) == 0


def test_the_limit_comes_from_the_settings(app, client: TestClient, session: Session):
    assert app.state.settings.api_rate_limit_per_minute == 600
    client.get("/api/v1/semesters", headers=b.bearer(b.token(session)))
    assert app.state.api_rate_limiter.per_minute == 600
