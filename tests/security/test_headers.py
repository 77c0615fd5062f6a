"""Security headers on every response: each GET route, as a user it admits."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.db import get_session
from app.main import create_app
from app.models import Role
from tests.security.access import Access, access_table, fill
from tests.security.conftest import Matrix, as_role

# The first role in this order that a route admits is the one that requests it.
PREFERENCE: list[Role | None] = [None, Role.STUDENT, Role.PARTNER, Role.WIJKDOCENT, Role.ADMIN]


def header_problems(response: httpx2.Response, path: str) -> list[str]:
    """What is missing or too weak in the response's security headers."""
    h = response.headers
    csp = h.get("content-security-policy", "")
    problems = []
    if "unsafe-inline" in csp or "unsafe-eval" in csp or "*" in csp:
        problems.append(f"CSP too loose: {csp}")
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        if directive not in csp:
            problems.append(f"CSP lacks {directive}")
    if h.get("x-content-type-options") != "nosniff":
        problems.append("no nosniff")
    if h.get("referrer-policy") not in ("same-origin", "no-referrer", "strict-origin"):
        problems.append(f"Referrer-Policy {h.get('referrer-policy')}")
    cache = h.get("cache-control", "")
    if path.startswith("/api/"):
        if "private" not in cache and "no-store" not in cache:
            problems.append(f"API response may be cached by others: {cache}")
    elif not path.startswith("/static/") and "no-store" not in cache:
        problems.append(f"Cache-Control {cache!r} on a page")
    return [f"{path} ({response.status_code}): {p}" for p in problems]


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|javascript:", re.I)


def inline_problems(response: httpx2.Response, path: str) -> list[str]:
    """What the CSP would block in a page: inline scripts, styles, handlers; htmx's eval."""
    if "text/html" not in response.headers.get("content-type", ""):
        return []
    found = [f"{path}: inline {m.group(0).strip()!r}" for m in INLINE.finditer(response.text)]
    if "<html" in response.text and '"allowEval": false' not in response.text:
        found.append(f"{path}: htmx may eval")
    return found


def _first_allowed(access: Access) -> Role | None:
    return next(r for r in PREFERENCE if access.allows(r))


def test_every_get_route_sends_the_security_headers(
    app: FastAPI, anon: TestClient, session: Session, matrix: Matrix
):
    table, _ = access_table(app)
    problems: list[str] = []
    statuses: dict[str, int] = {}
    for (method, path), access in table.items():
        if method != "GET":
            continue
        url = "/static/app.css" if path == "/static" else fill(path, matrix.params)
        if access.token:
            anon.cookies.clear()
            response = anon.get(url, headers={"Authorization": f"Bearer {matrix.secret}"})
        else:
            response = as_role(anon, session, matrix, _first_allowed(access)).get(url)
        statuses[url] = response.status_code
        problems += header_problems(response, url) + inline_problems(response, url)
    assert problems == []
    # Most pages were really shown (not just refused or redirected).
    assert sum(1 for s in statuses.values() if s == 200) > 30


def test_refusals_and_errors_carry_the_headers_too(anon: TestClient):
    for response in (anon.get("/admin/users"), anon.get("/nowhere"), anon.post("/runs")):
        assert header_problems(response, response.request.url.path) == []


def test_a_student_page_with_personal_data_is_never_stored(
    anon: TestClient, session: Session, matrix: Matrix
):
    response = as_role(anon, session, matrix, Role.STUDENT).get("/student/data/download")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(anon: TestClient):
    response = anon.get("/static/app.css")
    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_api_sets_no_csrf_cookie_and_pages_do(anon: TestClient):
    anon.cookies.clear()
    assert "set-cookie" not in anon.get("/api/v1/semesters").headers
    assert "set-cookie" not in anon.get("/api/v1/openapi.json").headers
    assert "om_csrf=" in anon.get("/login").headers["set-cookie"]


def test_there_is_no_swagger_ui_from_a_cdn_but_the_openapi_document_stays(anon: TestClient):
    assert anon.get("/api/docs").status_code == 404
    assert anon.get("/docs").status_code == 404
    assert anon.get("/api/v1/openapi.json").json()["openapi"].startswith("3.")


@pytest.fixture
def https_client(settings: Settings, session: Session) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"base_url": "https://opdrachtmatch.example"}))
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client
    app.state.engine.dispose()


def test_hsts_and_secure_cookies_behind_https(https_client: TestClient, anon: TestClient):
    for path in ("/login", "/healthz", "/static/app.css", "/api/v1/semesters", "/nowhere"):
        response = https_client.get(path)
        assert "max-age=31536000" in response.headers["strict-transport-security"], path
    https_client.cookies.clear()
    assert "; secure" in https_client.get("/login").headers["set-cookie"].lower()
    assert "strict-transport-security" not in anon.get("/login").headers
