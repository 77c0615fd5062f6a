"""A real OpenID Connect provider for the sign-in tests: ``oidc-provider-mock`` (a Flask app
built on Authlib's server side) serving HTTP on a free loopback port in a thread.

Users are registered per test through the provider's own ``PUT /users/<sub>`` endpoint; the
provider's authorization form is answered with a plain POST, as a browser would. A WSGI
wrapper counts the requests per path, so tests can see what the app fetched.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import httpx
import oidc_provider_mock  # type: ignore[import-untyped]
import pytest
import werkzeug.serving
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.db import get_session
from app.main import create_app
from tests.conftest import send_csrf_header

CLIENT_ID = "opdrachtmatch-test"
_subjects = count(1)


@dataclass
class RunningProvider:
    issuer: str
    requests: Counter[str] = field(default_factory=Counter)

    def add_user(self, **claims: Any) -> str:
        """Register a person at the provider; returns their subject."""
        sub = f"han-{next(_subjects)}"
        response = httpx.put(f"{self.issuer}/users/{sub}", json=claims)
        assert response.status_code == 204, response.text
        return sub


def _serve(requests: Counter[str], **options: Any) -> Iterator[RunningProvider]:
    flask_app = oidc_provider_mock.app(require_nonce=True, **options)

    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        requests[environ["PATH_INFO"]] += 1
        result: Iterable[bytes] = flask_app(environ, start_response)
        return result

    server = werkzeug.serving.make_server("127.0.0.1", 0, counted, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield RunningProvider(f"http://127.0.0.1:{server.server_port}", requests)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture(scope="session")
def provider() -> Iterator[RunningProvider]:
    yield from _serve(Counter())


@pytest.fixture(scope="session")
def expired_provider() -> Iterator[RunningProvider]:
    """Issues ID tokens that expired two hours before they were made."""
    yield from _serve(Counter(), access_token_max_age=timedelta(hours=-2))


def oidc_settings(settings: Settings, issuer: str) -> Settings:
    return settings.model_copy(
        update={
            "oidc_issuer": issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": "test-client-secret",
            "oidc_timeout_seconds": 2.0,
        }
    )


def client_for(settings: Settings, session: Session) -> Iterator[TestClient]:
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, follow_redirects=False) as client:
        client.get("/healthz")
        client.headers["X-CSRF-Token"] = client.cookies["om_csrf"]
        # A sign-in brings a new CSRF token (bound to the session): send the latest.
        client.event_hooks["response"].append(lambda _response: send_csrf_header(client))
        yield client
    app.state.engine.dispose()


@pytest.fixture
def browser(
    settings: Settings, session: Session, provider: RunningProvider
) -> Iterator[TestClient]:
    """A browser at the app with the test provider configured."""
    yield from client_for(oidc_settings(settings, provider.issuer), session)


def with_query(url: str, **changes: str) -> str:
    parts = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunparse(parts._replace(query=urlencode(query)))


def sign_in_at_provider(
    client: TestClient, sub: str, *, next: str = "", tamper: Callable[[str], str] | None = None
) -> str:
    """Start at the app, sign in at the provider as ``sub``; returns the callback URL the
    provider sends the browser back to (not yet followed)."""
    start = client.get("/oidc/start", params={"next": next} if next else None)
    assert start.status_code == 303, start.text
    authorize = start.headers["location"]
    if tamper is not None:
        authorize = tamper(authorize)
    answer = httpx.post(authorize, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    callback = answer.headers["location"]
    assert callback.startswith("http://testserver/oidc/callback?"), callback
    return callback
