"""The student's ranking page obeys the fewest and the most choices of the semester."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.students.incomplete import incomplete_rankings
from tests.students.test_ranking import as_student, ids, world


def test_a_ranking_is_complete_from_the_fewest_to_the_most(anon: TestClient, session: Session):
    w = world(session, ranks=3, min_ranking_length=2)
    client = as_student(anon, session, w)
    url = "/student/ranking/order"
    one = client.post(url, json={"order": ids(w.open[:1])})
    assert one.json()["complete"] is False  # saved while building, not complete
    page = client.get("/student/ranking").text
    assert "1 gekozen. Een voorkeurslijst is compleet met 2 tot 3 keuzes." in page
    for n in (2, 3):
        order = ids(w.open[:n])
        assert client.post(url, json={"order": order}).json() == {
            "order": order,
            "required": 3,
            "complete": True,
        }
        assert "Compleet:" in client.get("/student/ranking").text
    too_many = client.post(url, json={"order": ids(w.open[:4])})
    assert too_many.status_code == 422  # more than the most is refused
    # The staff list of incomplete rankings means the same.
    missing = [
        s for g in incomplete_rankings(session=session, semester=w.semester) for s in g.students
    ]
    assert missing == []


def test_without_a_fewest_a_ranking_needs_exactly_the_most(anon: TestClient, session: Session):
    w = world(session, ranks=3)
    client = as_student(anon, session, w)
    two = client.post("/student/ranking/order", json={"order": ids(w.open[:2])})
    assert two.json()["complete"] is False
    assert "2 van 3 gekozen" in client.get("/student/ranking").text
    assert w.semester.ranking_length() == (3, 3)
    w.semester.min_ranking_length = 9  # above the most (lowered on the semester form): capped
    assert w.semester.ranking_length() == (3, 3)
