"""Approved opdrachten of a semester, without contact details."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import OpdrachtStatus
from tests import factories as f
from tests.api import builders as b


def test_only_approved_opdrachten_without_contact_details(client: TestClient, session: Session):
    p = b.published_semester(session)
    owner = f.partner(session)
    for status in (OpdrachtStatus.DRAFT, OpdrachtStatus.SUBMITTED, OpdrachtStatus.REJECTED):
        f.opdracht(session, p.semester, owner, title=f"Not {status}", status=status)
    p.opdrachten[0].contact_email = "contact@example.org"
    session.add(p.opdrachten[0])
    secret = b.token(session, ("opdrachten:read",))
    url = f"/api/v1/semesters/{p.semester.code}/opdrachten"
    response = client.get(url, headers=b.bearer(secret), params={"limit": 1})
    body = response.json()
    assert body["total"] == 2
    assert body["items"][0]["title"] == "Welzijn op Recept"
    assert [x["owner"] for x in body["items"][0]["partners"]] == [True, False]
    assert "contact@example.org" not in response.text
    assert response.headers["link"].startswith("<http://testserver/api/v1/")
    rest = client.get(response.headers["link"][1:].split(">")[0], headers=b.bearer(secret))
    assert [o["title"] for o in rest.json()["items"]] == ["Kletsbot"]
    assert "link" not in rest.headers
    again = client.get(url, headers=b.bearer(secret) | {"If-None-Match": rest.headers["etag"]})
    assert again.status_code == 200  # another page, another ETag
