"""The access matrix: every route of the app, called as every role, against its declaration."""

from __future__ import annotations

from datetime import timedelta

import httpx2
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api_tokens.services import issue_token
from app.auth.deps import CurrentUser, require_role
from app.config import Settings
from app.main import create_app
from app.models import Role, utcnow
from tests.security.access import Access, access_table, fill
from tests.security.conftest import Matrix, as_role

ROLES: list[Role | None] = [None, Role.STUDENT, Role.PARTNER, Role.WIJKDOCENT, Role.ADMIN]


def _call(client: TestClient, method: str, url: str, **kw: object) -> httpx2.Response:
    if method == "GET":
        return client.get(url, **kw)  # type: ignore[arg-type]
    return client.request(method, url, data={}, **kw)  # type: ignore[arg-type]


def _denied(response: httpx2.Response, role: Role | None, method: str) -> str:
    """Why ``response`` is not a proper refusal (empty when it is)."""
    status = response.status_code
    if role is None and method == "GET":
        ok = status == 303 and response.headers["location"].startswith("/login")
    else:
        ok = status == (401 if role is None else 403)
    return "" if ok else f"got {status}"


def test_every_route_declares_who_may_use_it(app: FastAPI):
    table, problems = access_table(app)
    assert problems == []
    assert len(table) > 60
    assert table[("GET", "/admin/users")] == Access(roles=frozenset({Role.ADMIN}))
    assert table[("GET", "/runs")].roles == {Role.ADMIN, Role.WIJKDOCENT}
    assert table[("GET", "/dashboard")].roles == set(Role)
    assert table[("GET", "/privacy")].public
    assert table[("GET", "/api/v1/semesters/{code}/teams")] == Access(
        token=True, scope="teams:read"
    )


def test_who_may_use_the_outcome_routes(app: FastAPI):
    table, _ = access_table(app)
    team = "/outcomes/teams/{published_team_id}"
    assert table[("GET", "/outcomes")].roles == set(Role)
    assert table[("GET", team)].roles == set(Role)  # and then only those of the team
    assert table[("POST", f"{team}/deliverables")].roles == {Role.STUDENT, Role.WIJKDOCENT}
    assert table[("POST", f"{team}/effects")].roles == {Role.STUDENT, Role.WIJKDOCENT}
    assert table[("POST", f"{team}/evaluation")].roles == {Role.PARTNER}
    assert table[("POST", f"{team}/confirm")].roles == {Role.ADMIN, Role.WIJKDOCENT}
    share = table[("POST", "/outcomes/deliverables/{deliverable_id}/share")]
    assert share.roles == {Role.STUDENT, Role.WIJKDOCENT, Role.PARTNER}
    assert table[("GET", "/outcomes/overview")].roles == {Role.ADMIN, Role.WIJKDOCENT}
    assert table[("GET", "/outcomes/overview.{fmt}")].roles == {Role.ADMIN, Role.WIJKDOCENT}
    assert table[("GET", "/outcomes/showcase")].public
    assert table[("GET", "/outcomes/showcase/{deliverable_id}/file")].public
    for path in ("/api/v1/semesters/{code}/outcomes", "/api/v1/outcomes/{outcome_id}"):
        assert table[("GET", path)] == Access(token=True, scope="outcomes:read")


def test_a_route_without_a_declaration_is_found():
    """The table itself: the check above would fail for a forgotten declaration."""
    app = create_app(Settings(environment="test", database_url="sqlite://"))
    extra = APIRouter()

    @extra.get("/forgotten")
    def forgotten() -> str:
        return "?"

    @extra.get("/admin-only", dependencies=[Depends(require_role(Role.ADMIN))])
    def admin_only(user: CurrentUser) -> str:
        return "!"

    @extra.get("/confused", openapi_extra={"x-roles": "public"})
    def confused(user: CurrentUser) -> str:
        return "!"

    app.include_router(extra)
    table, problems = access_table(app)
    assert problems == [
        "GET /forgotten: declares nobody (add CurrentUser, require_role(...) or x-roles public)",
        "GET /confused: is marked public but also asks for a user",
    ]
    assert table[("GET", "/admin-only")].roles == {Role.ADMIN}


def test_every_role_not_declared_is_refused_and_sees_no_data(
    app: FastAPI, anon: TestClient, session: Session, matrix: Matrix
):
    table, _ = access_table(app)
    failures: list[str] = []
    checked = 0
    for (method, path), access in table.items():
        if path == "/static" or access.token:
            continue
        url = fill(path, matrix.params)
        for role in ROLES:
            response = _call(as_role(anon, session, matrix, role), method, url)
            where = f"{method} {url} as {role or 'anonymous'} ({access.describe()})"
            if access.allows(role):
                if response.status_code in (401, 403) or response.status_code >= 500:
                    failures.append(f"{where}: allowed but got {response.status_code}")
                continue
            checked += 1
            if problem := _denied(response, role, method):
                failures.append(f"{where}: {problem}")
            leaked = [p for p in matrix.private if p in response.text]
            if leaked:
                failures.append(f"{where}: refused but shows {leaked}")
    assert failures == []
    assert checked > 150


def _token(session: Session, *scopes: str) -> dict[str, str]:
    _, secret = issue_token(
        session=session, name="t", scopes=list(scopes), expires_at=utcnow() + timedelta(days=1)
    )
    return {"Authorization": f"Bearer {secret}"}


def test_api_routes_need_a_token_with_their_scope(
    app: FastAPI, anon: TestClient, session: Session, matrix: Matrix
):
    table, _ = access_table(app)
    api = {key: access for key, access in table.items() if access.token}
    assert len(api) == 7
    scopes = {"teams:read", "opdrachten:read", "outcomes:read"}
    failures: list[str] = []
    for (method, path), access in api.items():
        url = fill(path, matrix.params)
        for role in ROLES:  # a browser session is no API credential
            response = _call(as_role(anon, session, matrix, role), method, url)
            if response.status_code != 401 or matrix.private[0] in response.text:
                failures.append(f"{url} as {role}: {response.status_code}")
        anon.cookies.clear()
        response = _call(anon, method, url, headers={"Authorization": f"Bearer {matrix.secret}"})
        if response.status_code in (401, 403) or response.status_code >= 500:
            failures.append(f"{url} with every scope: {response.status_code}")
        if access.scope:
            others = _token(session, *(scopes - {access.scope}))
            if (status := _call(anon, method, url, headers=others).status_code) != 403:
                failures.append(f"{url} without {access.scope}: {status}")
    assert failures == []
