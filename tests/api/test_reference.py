"""The API reference page at /api/v1/docs: HTML from the OpenAPI document, nothing external."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.reference import markdown, type_of
from app.models import Role
from tests import factories as f


def test_the_reference_lists_every_operation_and_schema_of_the_document(anon: TestClient):
    doc = anon.get("/api/v1/openapi.json").json()
    page = anon.get("/api/v1/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert f"{method.upper()} {path}" in page.text
            assert f'id="{op["operationId"]}"' in page.text
    for name in doc["components"]["schemas"]:
        assert f'id="schema-{name}"' in page.text
    assert "API-referentie" in page.text
    assert "Authorization: Bearer" in page.text  # the document's own description


def test_the_reference_loads_nothing_from_elsewhere_and_no_swagger(anon: TestClient):
    page = anon.get("/api/v1/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []
    assert "swagger" not in page.lower()
    assert "<script>" not in page  # no inline script: the CSP applies


def test_the_reference_page_sets_the_csrf_cookie_for_its_forms(anon: TestClient):
    anon.cookies.clear()
    assert "om_csrf" in anon.get("/api/v1/docs").headers.get("set-cookie", "")
    assert "set-cookie" not in anon.get("/api/v1/openapi.json").headers


def test_the_token_page_links_to_the_reference(anon: TestClient, session: Session):
    page = f.login(anon, session, f.user(session, Role.ADMIN)).get("/admin/api-tokens")
    assert 'href="/api/v1/docs"' in page.text
    assert "docs/api.md" not in page.text


@pytest.mark.nodb
def test_markdown_escapes_and_renders_lists_code_and_emphasis():
    html = markdown("Intro <b>x</b>\n\n- **Auth**: `Bearer`\n  more\n- *Scopes* a - b")
    assert html == (
        "<p>Intro &lt;b&gt;x&lt;/b&gt;</p><ul><li><strong>Auth</strong>: <code>Bearer</code> "
        "more</li><li><em>Scopes</em> a - b</li></ul>"
    )


@pytest.mark.nodb
def test_types_link_to_their_schema():
    assert type_of({"$ref": "#/components/schemas/TeamPublic"}) == (
        '<a href="#schema-TeamPublic">TeamPublic</a>'
    )
    assert type_of({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}) == (
        "string (date-time) | null"
    )
    assert type_of({"type": "array", "items": {"type": "integer"}}) == "array of integer"
