from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import Session

from app.config import Settings
from app.models import Role
from tests import factories as f


def test_production_refuses_the_default_secret():
    with pytest.raises(ValidationError, match="OM_SECRET_KEY"):
        Settings(environment="production")
    assert Settings(environment="production", secret_key="x" * 40).secret_key


def test_security_headers_on_pages(anon: TestClient):
    response = anon.get("/login")
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_dutch_by_default_and_english_remembered_per_user(anon: TestClient, session: Session):
    user = f.user(session, Role.STUDENT)
    f.semester(session, code="2099-S2")
    f.login(anon, session, user)
    assert 'lang="nl"' in anon.get("/dashboard").text
    assert anon.post("/language", data={"language": "en", "next": "/dashboard"}).status_code == 303
    session.refresh(user)
    assert user.preferred_language == "en"
    page = anon.get("/dashboard").text
    assert 'lang="en"' in page
    assert "My ranking" in page


def test_htmx_is_vendored_and_served(anon: TestClient):
    response = anon.get("/static/vendor/htmx-2.0.11.min.js")
    assert response.status_code == 200
    assert "htmx" in response.text[:200]


def test_privacy_page_is_public_and_names_the_retention(anon: TestClient):
    response = anon.get("/privacy")
    assert response.status_code == 200
    assert "12 maanden" in response.text


def test_no_two_routes_claim_the_same_method_and_path():
    from app.main import create_app
    from tests.routes import api_routes

    app = create_app(Settings(environment="test", database_url="sqlite://"))
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for route in api_routes(app):
        for method in route.methods or ():
            key = (method, route.path)
            if key in seen:
                clashes.append((key, seen[key], route.name))
            seen[key] = route.name
    assert len(seen) > 50  # the walk reaches the routes of included routers
    assert clashes == []


def test_no_request_path_matches_routes_of_two_routers():
    """app/main.py puts the busiest routers first (FastAPI tries routes in order); the order
    of routers may only change speed, never which route answers."""
    from starlette.routing import compile_path

    from app.main import create_app

    app = create_app(Settings(environment="test", database_url="sqlite://"))
    routes = []  # (router number, path, methods)
    for number, route in enumerate(app.routes):
        for r in getattr(route, "effective_route_contexts", lambda r=route: [r])():
            if getattr(r, "methods", None):
                routes.append((number, r.path, set(r.methods)))
    clashes = []
    for number, path, methods in routes:
        example = re.sub(r"{[^}]+}", "1", path)  # a request path the route answers
        for other, other_path, other_methods in routes:
            regex = compile_path(other_path)[0]
            if other != number and methods & other_methods and regex.match(example):
                clashes.append((path, other_path))
    assert len({number for number, _, _ in routes}) > 10  # routes of every router were seen
    assert clashes == []
