"""Which semester is current: by phase and dates, not by how the codes sort."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Phase, Role
from app.semesters import current_semester
from tests import factories as f


def _on(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


def test_a_semester_whose_code_sorts_last_does_not_hide_the_one_at_work(session: Session):
    at_work = f.semester(session, Phase.REVIEW, code="2026-S2", starts_on=_on(2027, 2))
    f.semester(session, Phase.INTAKE, code="X13", starts_on=_on(2027, 9))  # prepared early
    f.semester(session, Phase.PUBLISHED, code="2026-S1", starts_on=_on(2026, 9))
    f.semester(session, Phase.CONCEPT, code="ZZ-concept")
    assert current_semester(session=session) is at_work


def test_without_one_at_work_the_latest_published_then_the_newest(session: Session):
    f.semester(session, Phase.PUBLISHED, code="X1", starts_on=_on(2026, 2))
    latest = f.semester(session, Phase.PUBLISHED, code="2026-S1", starts_on=_on(2026, 9))
    f.semester(session, Phase.CLOSED, code="2025-S2", starts_on=_on(2026, 1))
    assert current_semester(session=session) is latest


def test_the_runs_and_approvals_pages_follow_the_semester_at_work(
    anon: TestClient, session: Session
):
    f.semester(session, Phase.REVIEW, code="2026-S2", starts_on=_on(2027, 2))
    f.semester(session, Phase.INTAKE, code="X13", starts_on=_on(2027, 9))
    f.login(anon, session, f.user(session, Role.ADMIN))
    for page in ("/runs", "/runs/approvals"):
        text = anon.get(page).text
        assert "2026-S2" in text
        assert "X13" not in text
