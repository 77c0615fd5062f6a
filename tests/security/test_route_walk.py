"""Every route of the app (its route table: each method and path, path parameters filled),
called as each role with hostile values: Unicode digits, a JSON body nested 5,000 deep,
huge fields, CR/LF. Nothing may answer 500, and every answer carries the security headers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Role
from tests.routes import api_routes
from tests.security.access import PARAM, access_table, fill
from tests.security.conftest import Matrix, as_role
from tests.security.test_headers import header_problems
from tests.security.test_hostile_forms import _fields, _query

ROLES: list[Role | None] = [None, Role.STUDENT, Role.PARTNER, Role.WIJKDOCENT, Role.ADMIN]
DEEP_JSON = "[" * 5000 + "]" * 5000
HOSTILE = {
    "superscript two": "²",
    "arabic-indic digits": "١٢",
    "fullwidth digits": "１２",
    "huge field": "9" * 200_000,
    "cr/lf": "a@example.org\r\nBcc: b@example.org",
}


def _json_bodies(fields: list[str]) -> dict[str, str]:
    """JSON bodies: nested 5,000 deep, and every field holding an array of Unicode digits."""
    flat = ", ".join(f'"{name}": ["²", "١٢", "{"9" * 100}"]' for name in fields)
    return {"deep json": DEEP_JSON, "unicode digits in json": "{" + flat + "}"}


def _call(
    client: TestClient, method: str, url: str, route: Any, *, refused: bool
) -> list[tuple[str, Any]]:
    """(label, response) for each hostile value in the query, the form and a JSON body; a
    role the route refuses gets one of each kind (its refusal comes before any parsing)."""
    answers = []
    hostile = dict(list(HOSTILE.items())[:1]) if refused else HOSTILE
    if method == "GET":
        for kind, value in hostile.items():
            params = dict.fromkeys(_query(route), value[:6000])  # request lines stop near 8 kB
            answers.append((kind, client.get(url, params=params)))
        return answers
    for kind, value in hostile.items():
        answers.append(
            (kind, client.request(method, url, data=dict.fromkeys(_fields(route), value)))
        )
    for kind, body in _json_bodies(_fields(route)).items():
        headers = {"content-type": "application/json"}
        answers.append((kind, client.request(method, url, content=body, headers=headers)))
    return answers


def _hostile_paths(path: str, params: dict[str, object]) -> list[str]:
    """The path with one parameter at a time replaced by Unicode digits."""
    names = PARAM.findall(path)
    return [fill(path, {**params, name: "²"}) for name in names if name not in ("fmt", "code")]


def test_no_route_answers_500_to_any_role_with_hostile_values(
    app: FastAPI, anon: TestClient, session: Session, matrix: Matrix
):
    table, _ = access_table(app)
    routes = {(m, r.path): r for r in api_routes(app) for m in r.methods or ()}
    problems: list[str] = []
    calls = 0
    for (method, path), access in sorted(table.items()):
        if path == "/static" or (method, path) not in routes:
            continue
        route, url = routes[(method, path)], fill(path, matrix.params)
        for role in ROLES:
            client = as_role(anon, session, matrix, role)
            if access.token:
                client.headers["Authorization"] = f"Bearer {matrix.secret}"
            allowed = access.allows(role) or access.token
            # A public route (the login form: argon2 on every probe) reads its input the
            # same way for everyone: the full set as anonymous is enough.
            full = allowed and not (access.public and role is not None)
            answers = _call(client, method, url, route, refused=not full)
            if allowed:
                for bad in _hostile_paths(path, matrix.params):
                    answers.append((f"path {bad}", client.request(method, bad)))
            client.headers.pop("Authorization", None)
            for kind, response in answers:
                calls += 1
                label = f"{method} {url} [{kind}] as {role}"
                if response.status_code >= 500:
                    problems.append(f"{label}: {response.status_code} {response.text[:200]!r}")
                problems += header_problems(response, path)
    assert problems == []
    assert calls > 1000
