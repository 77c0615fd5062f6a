"""Hostile input on the HTML side: every form and query parameter of every route gets
oversize, wrong-type and script values; nothing may answer 500 or echo a script unescaped."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Opdracht, Role, User
from tests import factories as f
from tests.opdrachten import world as intake
from tests.routes import api_routes
from tests.security.access import access_table, fill
from tests.security.conftest import Matrix, as_role
from tests.security.test_headers import PREFERENCE

SCRIPT = '<script>alert("x")</script>'
# Field names the raw-form routes (FormData) read, beside the declared Form parameters.
COMMON_FIELDS = (
    "title", "description", "location", "contact_name", "contact_email", "comment", "reason",
    "decision", "action", "version", "semester_id", "code", "name", "teams", "min_size",
    "max_size", "theme_ids", "leerkring_id", "order", "intake_deadline", "number_of_ranks",
)  # fmt: skip
HOSTILE = {
    "script": SCRIPT,
    "oversize": "x" * 200_000,
    "not a number": "1e999",
    "negative": "-1",
    "huge number": "9" * 40,
    "nul byte": "a\x00b",
    "unicode": "\u202e\ud7ff\U0001f600" * 50,
}


def _fields(route: Any) -> list[str]:
    names = {p.alias for p in route.dependant.body_params}
    return sorted(names | set(COMMON_FIELDS))


def _query(route: Any) -> list[str]:
    return sorted(p.alias for p in route.dependant.query_params)


def _problem(response: httpx2.Response, label: str) -> str:
    if response.status_code >= 500:
        return f"{label}: {response.status_code}"
    if "html" in response.headers.get("content-type", "") and SCRIPT in response.text:
        return f"{label}: the script came back unescaped"
    return ""


def test_no_form_or_query_parameter_breaks_a_page_or_injects_a_script(
    app: FastAPI, anon: TestClient, session: Session, matrix: Matrix
):
    table, _ = access_table(app)
    routes = {(m, r.path): r for r in api_routes(app) for m in r.methods or ()}
    problems: list[str] = []
    calls = 0
    for (method, path), access in table.items():
        if access.token or path == "/static" or (method, path) not in routes:
            continue
        route, url = routes[(method, path)], fill(path, matrix.params)
        role = next(r for r in reversed(PREFERENCE) if access.allows(r))
        for kind, value in HOSTILE.items():
            client = as_role(anon, session, matrix, role)
            if method == "GET":
                short = value[:8000]  # servers cap the request line near 8 kB
                response = client.get(url, params=dict.fromkeys(_query(route), short))
            else:
                response = client.post(url, data=dict.fromkeys(_fields(route), value))
            calls += 1
            if problem := _problem(response, f"{method} {url} [{kind}] as {role}"):
                problems.append(problem)
    assert problems == []
    assert calls > 400


def test_a_script_in_an_opdracht_comes_back_as_text(anon: TestClient, session: Session):
    w = intake.build(session)
    f.login(anon, session, w.owner_user)
    data = intake.form(w, title=f"Plan {SCRIPT}", description=SCRIPT, contact_name=SCRIPT)
    assert anon.post("/opdrachten/new", data=data).status_code == 303
    opdracht = session.exec(select(Opdracht)).one()
    assert opdracht.title == f"Plan {SCRIPT}"  # stored as typed ...
    for path in (f"/opdrachten/{opdracht.id}", f"/opdrachten/{opdracht.id}/edit", "/opdrachten"):
        page = anon.get(path).text
        assert SCRIPT not in page, path  # ... and shown as text
        assert "&lt;script&gt;" in page, path


def test_oversize_and_wrong_type_input_is_refused_with_messages_and_nothing_written(
    anon: TestClient, session: Session
):
    w = intake.build(session)
    f.login(anon, session, w.owner_user)
    data = intake.form(w, title="x" * 5000, teams="veel", min_size="-3", contact_email="geen")
    response = anon.post("/opdrachten/new", data=data)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert response.text.count('class="field-error"') >= 3 or "error-summary" in response.text
    assert session.exec(select(Opdracht)).first() is None


def test_oversize_fields_of_the_account_forms_are_refused(anon: TestClient, session: Session):
    admin = f.user(session, Role.ADMIN)
    f.login(anon, session, admin)
    data = {"name": "n" * 300, "email": f"{'a' * 300}@example.org", "role": "student"}
    response = anon.post("/admin/users/new", data=data)
    assert response.status_code == 422
    assert session.exec(select(User).where(User.name == "n" * 300)).first() is None
    login = anon.post("/login", data={"email": "e" * 10_000, "password": "p"})
    assert login.status_code == 422
    assert "e" * 300 not in login.text


def test_a_nul_character_anywhere_in_the_input_is_refused_before_the_app_reads_it(
    anon: TestClient, session: Session
):
    f.login(anon, session, f.user(session, Role.ADMIN))
    for response in (
        anon.get("/admin/users", params={"q": "a\x00b"}),
        anon.post("/login", data={"email": "a\x00b@example.org", "password": "x"}),
        anon.post("/admin/users/new", data={"name": "Student\x00", "email": "n@example.org"}),
        anon.post("/student/ranking/order", json={"order": ["1\x00"]}),
    ):
        assert response.status_code == 422
        assert "De invoer is niet geldig" in response.text
        assert response.headers["x-content-type-options"] == "nosniff"
    api = anon.get("/api/v1/semesters", params={"updated_since": "\x00"})
    assert (api.status_code, api.json()["detail"]) == (422, "The request contains a NUL character.")
    assert session.exec(select(User).where(User.email == "n@example.org")).first() is None


def test_numbers_too_big_for_the_database_are_refused_not_a_500(
    anon: TestClient, session: Session, matrix: Matrix
):
    """An id beyond INTEGER (PostgreSQL) or 64 bits (SQLite) never reaches the driver."""
    client = as_role(anon, session, matrix, Role.ADMIN)
    run = matrix.params["run_id"]
    for url in (f"/admin/semesters/{10**20}", f"/opdrachten/{10**30}"):
        assert client.get(url).status_code == 422, url  # beyond 64 bits: on both databases
    for url in ("/runs/3000000000", f"/review?semester={2**31}"):
        assert client.get(url).status_code in (200, 404, 422), url  # INTEGER on PostgreSQL only
    assert client.get(f"/runs/{run}").status_code == 200  # the session is still usable


@pytest.mark.nodb
def test_no_column_is_wider_than_the_integer_guard_assumes():
    """app/db.py refuses integers beyond 32 bits on PostgreSQL: right while no column is a
    BIGINT. A BIGINT column needs a wider guard."""
    from sqlalchemy import BigInteger
    from sqlmodel import SQLModel

    import app.models  # noqa: F401  # registers every table

    wide = [
        f"{t.name}.{c.name}"
        for t in SQLModel.metadata.tables.values()
        for c in t.columns
        if isinstance(c.type, BigInteger)
    ]
    assert wide == []
