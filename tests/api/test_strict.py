"""Query parameters an operation does not declare are refused (a typo must not mean the
default)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api import builders as b


def test_unknown_query_parameters_are_a_422_problem(client: TestClient, session: Session):
    b.published_semester(session, code="2026-S2")
    headers = b.bearer(b.token(session))
    ok = client.get("/api/v1/semesters/2026-S2/teams?limit=1&offset=0", headers=headers)
    assert ok.status_code == 200
    for query in ("limt=1", "=true", "limit=1&debug=1"):
        response = client.get(f"/api/v1/semesters/2026-S2/teams?{query}", headers=headers)
        assert response.status_code == 422, query
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][-1]["msg"] == "Unknown parameter"
    # A token in the URL keeps its own, more useful refusal; no token is still 401.
    assert client.get("/api/v1/semesters?token=x", headers=headers).status_code == 400
    assert client.get("/api/v1/semesters?x=1").status_code == 401
