"""The keyboard and no-JavaScript path: add, remove, move up and down, each a plain form."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import OpdrachtStatus
from tests import factories as f
from tests.students import builders as b
from tests.students.test_ranking import HTMX, as_student, ids, stored, world


def test_add_move_remove_redirect_back_with_filters_and_a_message(
    anon: TestClient, session: Session
):
    w = world(session)
    client = as_student(anon, session, w)
    a, c = w.open[0].id, w.open[2].id
    response = client.post("/student/ranking/add", data={"opdracht_id": a, "filters": "group=7"})
    assert response.status_code == 303
    assert response.headers["location"] == "/student/ranking?group=7#choices"
    client.post("/student/ranking/add", data={"opdracht_id": c})
    assert stored(session, w) == [a, c]
    client.post("/student/ranking/move", data={"up": c})
    assert stored(session, w) == [c, a]
    client.post("/student/ranking/move", data={"down": c})
    assert stored(session, w) == [a, c]
    client.post("/student/ranking/remove", data={"opdracht_id": a})
    assert stored(session, w) == [c]
    page = client.get("/student/ranking")
    assert "Je voorkeuren zijn opgeslagen." in page.text


def test_moving_past_the_ends_changes_nothing(anon: TestClient, session: Session):
    w = world(session)
    order = ids(w.open[:3])
    client = as_student(anon, session, w)
    client.post("/student/ranking/order", json={"order": order})
    assert client.post("/student/ranking/move", data={"up": order[0]}).status_code == 303
    assert client.post("/student/ranking/move", data={"down": order[-1]}).status_code == 303
    assert stored(session, w) == order


def test_adding_twice_keeps_one_and_adding_beyond_the_number_is_refused(
    anon: TestClient, session: Session
):
    w = world(session)
    client = as_student(anon, session, w)
    for o in w.open[:3]:
        client.post("/student/ranking/add", data={"opdracht_id": o.id})
    client.post("/student/ranking/add", data={"opdracht_id": w.open[0].id})
    assert stored(session, w) == ids(w.open[:3])
    full = client.post("/student/ranking/add", data={"opdracht_id": w.open[3].id})
    assert full.status_code == 422
    assert "Je kunt hoogstens 3 opdrachten kiezen" in full.text
    assert 'class="error-summary ranking-errors" role="alert"' in full.text
    assert stored(session, w) == ids(w.open[:3])
    page = client.get("/student/ranking").text
    assert "Je voorkeuren zijn vol" in page


def test_forms_refuse_ineligible_or_absent_opdrachten(anon: TestClient, session: Session):
    w = world(session)
    client = as_student(anon, session, w)
    client.post("/student/ranking/add", data={"opdracht_id": w.open[0].id})
    for key in ("year", "draft", "semester"):
        response = client.post("/student/ranking/add", data={"opdracht_id": w.closed[key].id})
        assert response.status_code == 422
    assert (
        client.post("/student/ranking/remove", data={"opdracht_id": w.open[1].id}).status_code
        == 422
    )
    assert client.post("/student/ranking/move", data={"up": w.open[1].id}).status_code == 422
    assert client.post("/student/ranking/move", data={}).status_code == 422
    assert client.post("/student/ranking/add", data={"opdracht_id": "abc"}).status_code == 422
    assert stored(session, w) == ids(w.open[:1])


def test_htmx_buttons_answer_with_the_region(anon: TestClient, session: Session):
    w = world(session)
    client = as_student(anon, session, w)
    a, c = w.open[0].id, w.open[1].id
    client.post("/student/ranking/order", json={"order": [a, c]})
    response = client.post("/student/ranking/move", data={"down": a}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="ranking_area"')
    assert "Opgeslagen om" in response.text
    assert stored(session, w) == [c, a]


def test_the_order_round_trips_identically_with_and_without_javascript(
    anon: TestClient, session: Session, app
):
    """Student one drags (the whole order posted); student two uses only the buttons."""
    w = world(session)
    twin = f.student(session, f.programme(session), year=2)
    target = [w.open[3].id, w.open[0].id, w.open[2].id]
    as_student(anon, session, w).post("/student/ranking/order", json={"order": target})

    with TestClient(app, follow_redirects=False) as nojs:
        f.login(nojs, session, b.student_user(session, twin))
        token = nojs.cookies["om_csrf"]  # the token of the logged-in session's pages
        for o in (w.open[0], w.open[2], w.open[3]):
            nojs.post("/student/ranking/add", data={"opdracht_id": o.id, "csrf_token": token})
        for _ in range(2):
            nojs.post("/student/ranking/move", data={"up": w.open[3].id, "csrf_token": token})
        assert stored(session, w, twin) == target
        # What the no-JS form page posts back (its hidden order fields) is the same order.
        page = nojs.get("/student/ranking").text
        assert [page.index(f'name="order" value="{i}"') for i in target] == sorted(
            page.index(f'name="order" value="{i}"') for i in target
        )
    assert stored(session, w) == target


def test_an_unapproved_choice_is_flagged_and_dropped_on_the_next_change(
    anon: TestClient, session: Session
):
    w = world(session)
    client = as_student(anon, session, w)
    order = ids(w.open[:3])
    client.post("/student/ranking/order", json={"order": order})
    w.open[1].status = OpdrachtStatus.WITHDRAWN
    session.add(w.open[1])
    session.flush()
    page = client.get("/student/ranking").text
    assert "niet meer voor je open" in page
    assert "Nog niet compleet:" in page
    client.post("/student/ranking/move", data={"up": order[2]})
    assert stored(session, w) == [order[2], order[0]]
