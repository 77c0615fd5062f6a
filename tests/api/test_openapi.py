"""The OpenAPI document: only the API, examples everywhere, and a schemathesis run over it."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlmodel import Session

from app.api.auth import RateLimiter
from tests.api import builders as b

PROBLEMS = {"400", "401", "403", "404", "422", "429"}


def test_the_document_covers_only_the_api_with_examples_and_problems(client: TestClient):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "opdrachtmatch API"
    assert doc["paths"]
    assert all(path.startswith("/api/v1/") for path in doc["paths"])
    operations = [op for item in doc["paths"].values() for op in item.values()]
    assert len(operations) == 7
    for op in operations:
        assert op["tags"]
        assert op["security"] == [{"HTTPBearer": []}]
        assert op["responses"]["200"]["content"]["application/json"]["example"]
        assert "ETag" in op["responses"]["200"]["headers"]
        for status in PROBLEMS:
            content = op["responses"][status]["content"]
            assert list(content) == ["application/problem+json"]
            assert content["application/problem+json"]["example"]["status"] == int(status)


@pytest.fixture
def api_schema(app, session: Session):
    """The app with demo-like data whose keys match the examples in the document."""
    app.state.api_rate_limiter = RateLimiter(per_minute=1_000_000)
    b.published_semester(session, code="2026-S2")
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@pytest.fixture
def secret(session: Session, request: pytest.FixtureRequest) -> str:
    # schemathesis 4.32 renames the pytest node for its report through ``_nodeid``, which
    # pytest 9 no longer has; give it one (reporting only).
    node = request.node
    if not hasattr(node, "_nodeid"):
        node._nodeid = node.nodeid
    return b.token(session)


schema = schemathesis.pytest.from_fixture("api_schema")


# Every operation gets at least 100 cases, valid and invalid (schemathesis generates both
# by default), under every built-in check: no 500, responses as documented, invalid input
# refused (negative_data_rejection), valid input accepted, authentication not ignored.
@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_conforms_to_its_schema(case, secret: str):
    case.call_and_validate(headers=b.bearer(secret))
