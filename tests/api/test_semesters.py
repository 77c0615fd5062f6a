"""Semesters over the API: the start is a calendar day, deadlines are moments in Dutch time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Phase
from tests import factories as f
from tests.api import builders as b


def test_a_start_is_a_day_and_deadlines_carry_the_dutch_offset_across_daylight_saving(
    client: TestClient, session: Session
):
    f.semester(
        session,
        Phase.RANKING,
        code="2026-S2",
        starts_on=date(2027, 2, 9),
        # 15 October 2026 is summer time (+02:00), 10 November 2026 winter time (+01:00).
        intake_deadline=datetime(2026, 10, 15, 15, 0, tzinfo=UTC),
        ranking_deadline=datetime(2026, 11, 10, 16, 0, tzinfo=UTC),
    )
    secret = b.token(session)
    items = client.get("/api/v1/semesters", headers=b.bearer(secret)).json()["items"]
    semester = next(s for s in items if s["code"] == "2026-S2")
    assert semester["starts_on"] == "2027-02-09"
    assert semester["intake_deadline"] == "2026-10-15T17:00:00+02:00"
    assert semester["ranking_deadline"] == "2026-11-10T17:00:00+01:00"
    assert semester["publication_at"] is None


def test_the_document_describes_the_start_as_a_date(client: TestClient):
    doc = client.get("/api/v1/openapi.json").json()
    start = doc["components"]["schemas"]["SemesterPublic"]["properties"]["starts_on"]
    assert {"type": "string", "format": "date"} in start["anyOf"]
