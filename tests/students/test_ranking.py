"""The ranking through the JSON/htmx order endpoint, its rules and who may use it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import (
    AuditEvent,
    Opdracht,
    OpdrachtStatus,
    Phase,
    Preference,
    Role,
    Semester,
    StudentProfile,
    utcnow,
)
from tests import factories as f
from tests.students import builders as b

HTMX = {"HX-Request": "true", "HX-Target": "ranking_area"}


@dataclass
class World:
    semester: Semester
    student: StudentProfile
    open: list[Opdracht]  # eligible for the student, in creation order
    closed: dict[str, Opdracht]  # not eligible, by reason


def world(session: Session, ranks: int = 3, **semester_kw: object) -> World:
    sem = b.ranking_semester(session, number_of_ranks=ranks, **semester_kw)
    owner = f.partner(session)
    home, away = f.leerkring(session), f.leerkring(session)
    student = f.student(session, f.programme(session), year=2, leerkring_id=home.id)
    opened = [
        f.opdracht(session, sem, owner, title=f"Open {i}", eligible_years=[2] if i % 2 else [])
        for i in range(5)
    ]
    past = f.semester(session, Phase.CLOSED, code="2000-S1")
    closed = {
        "year": f.opdracht(session, sem, owner, title="Year 4 only", eligible_years=[4]),
        "draft": f.opdracht(session, sem, owner, title="Draft", status=OpdrachtStatus.DRAFT),
        "submitted": f.opdracht(
            session, sem, owner, title="Submitted", status=OpdrachtStatus.SUBMITTED
        ),
        "semester": f.opdracht(session, past, owner, title="Past semester"),
    }
    if sem.restrict_to_leerkring:
        closed["leerkring"] = f.opdracht(session, sem, owner, title="Away", leerkring_id=away.id)
    return World(sem, student, opened, closed)


def ids(opdrachten: list[Opdracht]) -> list[int]:
    return [o.id for o in opdrachten if o.id is not None]


def stored(session: Session, w: World, student: StudentProfile | None = None) -> list[int]:
    who = student or w.student
    stmt = select(Preference.opdracht_id).where(
        Preference.semester_id == w.semester.id, Preference.student_id == who.id
    )
    return list(session.exec(stmt.order_by(col(Preference.rank))))


def as_student(client: TestClient, session: Session, w: World) -> TestClient:
    return f.login(client, session, b.student_user(session, w.student))


def test_page_lists_only_eligible_approved_opdrachten(anon: TestClient, session: Session):
    w = world(session, restrict_to_leerkring=True)
    page = as_student(anon, session, w).get("/student/ranking")
    assert page.status_code == 200
    for o in w.open:
        assert o.title in page.text
    for o in w.closed.values():
        assert o.title not in page.text
    assert "Nog niet compleet:" in page.text
    assert "nog 2 dagen en 23 uur" in page.text or "nog 3 dagen" in page.text


def test_json_order_saves_ranks_and_says_complete(anon: TestClient, session: Session):
    w = world(session)
    order = ids(w.open[:3])[::-1]
    response = as_student(anon, session, w).post("/student/ranking/order", json={"order": order})
    assert response.status_code == 200
    assert response.json() == {"order": order, "required": 3, "complete": True}
    assert stored(session, w) == order
    page = anon.get("/student/ranking").text
    positions = [page.index(f'name="order" value="{i}"') for i in order]
    assert positions == sorted(positions)
    assert "Compleet:" in page


def test_htmx_order_returns_the_region_with_a_saved_status(anon: TestClient, session: Session):
    w = world(session)
    order = ids(w.open[1:3])
    response = as_student(anon, session, w).post(
        "/student/ranking/order", data={"order": [str(i) for i in order]}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="ranking_area"')
    assert '<span id="save_status" hx-swap-oob="innerHTML">Opgeslagen om' in response.text
    assert "<html" not in response.text
    assert stored(session, w) == order
    assert "2 van 3 gekozen" in response.text  # a partial ranking is kept, marked incomplete


@pytest.mark.parametrize(
    "bad",
    [
        "duplicate",
        "too_many",
        "year",
        "draft",
        "submitted",
        "semester",
        "leerkring",
        "unknown",
        "garbage",
    ],
)
def test_refused_orders_write_nothing(anon: TestClient, session: Session, bad: str):
    w = world(session, restrict_to_leerkring=True)
    first = ids(w.open[:2])
    as_student(anon, session, w).post("/student/ranking/order", json={"order": first})
    orders: dict[str, list[int | str | None]] = {
        "duplicate": [first[0], first[0]],
        "too_many": list(ids(w.open[:4])),
        "unknown": [first[0], 999999],
        "garbage": ["x", first[0]],
    }
    order: list[int | str | None] = orders.get(bad) or [first[0], w.closed[bad].id]
    response = anon.post("/student/ranking/order", json={"order": order})
    assert response.status_code == 422
    assert response.json()["detail"]
    html = anon.post(
        "/student/ranking/order", data={"order": [str(i) for i in order]}, headers=HTMX
    )
    assert html.status_code == 422
    assert "Je voorkeuren zijn niet gewijzigd" in html.text
    assert stored(session, w) == first


@pytest.mark.parametrize("body", [b"not json", b'{"order": "1,2"}', b"[1, 2]"])
def test_malformed_json_is_refused(anon: TestClient, session: Session, body: bytes):
    w = world(session)
    response = as_student(anon, session, w).post(
        "/student/ranking/order", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert stored(session, w) == []


def test_after_the_deadline_the_ranking_is_read_only(anon: TestClient, session: Session):
    w = world(session)
    as_student(anon, session, w).post("/student/ranking/order", json={"order": ids(w.open[:2])})
    w.semester.ranking_deadline = utcnow() - timedelta(minutes=1)
    session.add(w.semester)
    session.flush()
    response = anon.post("/student/ranking/order", json={"order": ids(w.open[2:4])})
    assert response.status_code == 409
    for path, data in [
        ("/student/ranking/add", {"opdracht_id": str(w.open[4].id)}),
        ("/student/ranking/move", {"down": str(w.open[0].id)}),
        ("/student/ranking/remove", {"opdracht_id": str(w.open[0].id)}),
    ]:
        assert anon.post(path, data=data).status_code == 409
    assert stored(session, w) == ids(w.open[:2])
    page = anon.get("/student/ranking").text
    assert "De deadline voor de voorkeuren is verstreken." in page
    assert "data-sortable" not in page
    assert 'name="down"' not in page
    assert "Toevoegen aan mijn voorkeuren" not in page
    assert "sortable-1.15.7.min.js" not in page


@pytest.mark.parametrize("phase", [Phase.INTAKE, Phase.MATCHING, Phase.PUBLISHED])
def test_outside_the_ranking_phase_nothing_changes(
    anon: TestClient, session: Session, phase: Phase
):
    w = world(session)
    w.semester.phase = phase
    session.add(w.semester)
    session.flush()
    client = as_student(anon, session, w)
    assert client.post("/student/ranking/order", json={"order": ids(w.open[:1])}).status_code == 409
    assert stored(session, w) == []
    assert "Voorkeuren opgeven kan niet in deze fase" in client.get("/student/ranking").text


def test_a_student_changes_only_their_own_ranking(anon: TestClient, session: Session, app):
    w = world(session)
    other = f.student(session, f.programme(session), year=2)
    as_student(anon, session, w).post("/student/ranking/order", json={"order": ids(w.open[:2])})
    with TestClient(app, follow_redirects=False) as second:
        second.get("/healthz")
        second.headers["X-CSRF-Token"] = second.cookies["om_csrf"]
        f.login(second, session, b.student_user(session, other))
        page = second.get("/student/ranking").text
        assert 'name="order"' not in page  # the other student's choices are not shown
        # An id of someone else in the body changes nothing: the session decides whose it is.
        second.post(
            "/student/ranking/order",
            json={"order": ids(w.open[3:5]), "student_id": w.student.id},
        )
    assert stored(session, w) == ids(w.open[:2])
    assert stored(session, w, other) == ids(w.open[3:5])


@pytest.mark.parametrize("role", [Role.ADMIN, Role.WIJKDOCENT, Role.PARTNER])
def test_other_roles_cannot_read_or_change_rankings(anon: TestClient, session: Session, role):
    w = world(session)
    f.login(anon, session, f.user(session, role))
    assert anon.get("/student/ranking").status_code == 403
    assert anon.post("/student/ranking/order", json={"order": ids(w.open[:1])}).status_code == 403
    assert anon.post("/student/ranking/add", data={"opdracht_id": w.open[0].id}).status_code == 403
    assert stored(session, w) == []


def test_anonymous_is_sent_to_login(anon: TestClient, session: Session):
    world(session)
    response = anon.get("/student/ranking")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert anon.post("/student/ranking/order", json={"order": []}).status_code == 401


def test_a_student_without_profile_gets_a_clear_404(anon: TestClient, session: Session):
    b.ranking_semester(session)
    f.login(anon, session, f.user(session, Role.STUDENT))
    response = anon.get("/student/ranking")
    assert response.status_code == 404
    assert "geen studentprofiel" in response.text


def test_every_change_is_audited(anon: TestClient, session: Session):
    w = world(session)
    order = ids(w.open[:2])
    as_student(anon, session, w).post("/student/ranking/order", json={"order": order})
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "ranking.save")).one()
    assert event.after == {"order": order}
    assert event.before == {"order": []}
    user = b.student_user(session, w.student)
    assert (event.actor_id, event.entity, event.entity_id) == (
        user.id,
        "student_profile",
        str(w.student.id),
    )
    assert event.semester_id == w.semester.id
    assert timedelta(0) <= utcnow() - event.at < timedelta(minutes=1)


def test_a_new_order_is_audited_with_the_old_and_the_same_order_changes_nothing(
    anon: TestClient, session: Session
):
    w = world(session)
    client = as_student(anon, session, w)
    first, second = ids(w.open[:3]), ids(w.open[:3])[::-1]
    for order in (first, second, second):
        response = client.post("/student/ranking/order", json={"order": order})
        assert response.json() == {"order": order, "required": 3, "complete": True}
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "ranking.save").order_by(col(AuditEvent.id))
    ).all()
    assert [(e.before, e.after) for e in events] == [
        ({"order": []}, {"order": first}),
        ({"order": first}, {"order": second}),  # the third save, the same order, is not one
    ]
    assert stored(session, w) == second


def test_htmx_saving_the_same_order_again_answers_the_region_unchanged(
    anon: TestClient, session: Session
):
    w = world(session)
    client = as_student(anon, session, w)
    order = ids(w.open[1:3])
    form = {"order": [str(i) for i in order]}
    for _ in range(2):  # the second save changes nothing and is rolled back
        response = client.post("/student/ranking/order", data=form, headers=HTMX)
        assert response.status_code == 200
        assert "2 van 3 gekozen" in response.text
        positions = [response.text.index(f'name="order" value="{i}"') for i in order]
        assert positions == sorted(positions)
    assert stored(session, w) == order


def test_csrf_is_required(anon: TestClient, session: Session):
    w = world(session)
    client = as_student(anon, session, w)
    del client.headers["X-CSRF-Token"]
    assert client.post("/student/ranking/order", data={"order": [w.open[0].id]}).status_code == 403
    assert stored(session, w) == []


def test_the_semester_in_ranking_is_used_while_the_next_is_in_intake(
    anon: TestClient, session: Session
):
    w = world(session)
    f.semester(session, Phase.INTAKE, code="2999-S1")  # newer, so the "current" one
    client = as_student(anon, session, w)
    assert f"Semester {w.semester.code}" in client.get("/student/ranking").text
    response = client.post("/student/ranking/order", json={"order": ids(w.open[:1])})
    assert response.status_code == 200
    assert stored(session, w) == ids(w.open[:1])
