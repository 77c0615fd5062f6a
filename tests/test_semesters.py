"""Which semester is current: by phase and dates, not by how the codes sort."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from app.models import Phase, Role, Semester
from app.outcomes.followup import next_semester
from app.semesters import current_semester, earlier_than, later_than, newest_first, oldest_first
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


def _day(year: int, month: int) -> date:
    return date(year, month, 1)


def _seasons(session: Session) -> dict[str, Semester]:
    """Codes that sort against time: "Najaar 2026" (autumn) comes after "Voorjaar 2026"."""
    return {
        "v26": f.semester(session, Phase.PUBLISHED, code="Voorjaar 2026", starts_on=_day(2026, 2)),
        "n26": f.semester(session, Phase.INTAKE, code="Najaar 2026", starts_on=_day(2026, 9)),
        "n25": f.semester(session, Phase.CLOSED, code="Najaar 2025", starts_on=_day(2025, 9)),
        "plan": f.semester(session, Phase.CONCEPT, code="Ideeën"),  # no start date yet
    }


def test_semesters_are_ordered_and_compared_by_start_date_not_by_code(session: Session):
    s = _seasons(session)
    newest = list(session.exec(select(Semester).order_by(*newest_first())))
    assert [x.code for x in newest] == ["Najaar 2026", "Voorjaar 2026", "Najaar 2025", "Ideeën"]
    oldest = list(session.exec(select(Semester).order_by(*oldest_first())))
    assert [x.code for x in oldest] == ["Najaar 2025", "Voorjaar 2026", "Najaar 2026", "Ideeën"]

    def codes(condition: ColumnElement[bool]) -> set[str]:
        return {x.code for x in session.exec(select(Semester).where(condition))}

    assert codes(later_than(s["v26"])) == {"Najaar 2026", "Ideeën"}
    assert codes(earlier_than(s["v26"])) == {"Najaar 2025"}
    assert codes(later_than(s["plan"])) == set()
    assert codes(earlier_than(s["plan"])) == {"Najaar 2025", "Voorjaar 2026", "Najaar 2026"}


def test_vervolg_goes_to_the_next_semester_in_time(session: Session):
    s = _seasons(session)
    assert next_semester(session=session, semester=s["v26"]) is s["n26"]


def test_the_semester_list_shows_the_newest_first(anon: TestClient, session: Session):
    _seasons(session)
    f.login(anon, session, f.user(session, Role.ADMIN))
    page = anon.get("/admin/semesters").text
    assert page.index("Najaar 2026") < page.index("Voorjaar 2026") < page.index("Najaar 2025")
