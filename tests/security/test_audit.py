"""Staff access to students' personal data is in the audit trail."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import AuditEvent, Role, User
from tests.security.access import access_table, fill
from tests.security.conftest import Matrix, as_role

STAFF = (Role.WIJKDOCENT, Role.ADMIN)


def _events(session: Session, actor: User) -> list[AuditEvent]:
    session.expire_all()
    stmt = select(AuditEvent).where(AuditEvent.actor_id == actor.id)
    return list(session.exec(stmt.order_by(col(AuditEvent.id))))


def _personal(session: Session, matrix: Matrix) -> re.Pattern[str]:
    """Names, e-mail addresses and student numbers of the world's students."""
    words = []
    for s in matrix.world.students:
        user = session.get(User, s.user_id)
        assert user is not None
        words += [s.student_number, user.email, user.name]
    return re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words))


def test_every_staff_page_that_shows_students_data_leaves_an_audit_event(
    app: FastAPI, anon: TestClient, session: Session, matrix: Matrix
):
    table, _ = access_table(app)
    personal = _personal(session, matrix)
    shown, unaudited = [], []
    for (method, path), access in table.items():
        staff_only = access.roles and access.roles <= set(STAFF)
        if method != "GET" or not staff_only:
            continue
        for role in STAFF:
            if not access.allows(role):
                continue
            actor = matrix.actors[role]
            before = len(_events(session, actor))
            url = fill(path, matrix.params)
            response = as_role(anon, session, matrix, role).get(url)
            if response.status_code == 200 and personal.search(response.text):
                shown.append(url)
                if len(_events(session, actor)) == before:
                    unaudited.append(f"{url} as {role}")
    assert unaudited == []
    assert {"/runs/{run_id}", "/runs/{run_id}/students/{student_id}"} <= {
        _pattern(u, matrix) for u in shown
    }


def _pattern(url: str, matrix: Matrix) -> str:
    for name in ("run_id", "student_id"):
        url = url.replace(f"/{matrix.params[name]}", f"/{{{name}}}", 1)
    return url


def test_the_events_say_who_saw_what(anon: TestClient, session: Session, matrix: Matrix):
    wijkdocent = matrix.actors[Role.WIJKDOCENT]
    run_id, student_id = matrix.params["run_id"], matrix.params["student_id"]
    client = as_role(anon, session, matrix, Role.WIJKDOCENT)
    earlier = len(_events(session, wijkdocent))  # starting the run was audited too
    for path in (
        f"/runs/{run_id}",
        f"/runs/{run_id}/students/{student_id}",
        f"/runs/{run_id}/export.csv",
        f"/runs/{run_id}/export.xlsx",
        f"/runs/compare?a={run_id}&b={run_id}",
    ):
        assert client.get(path).status_code == 200, path
    events = _events(session, wijkdocent)[earlier:]
    seen = [(e.action, e.entity, e.entity_id, e.after) for e in events]
    assert seen == [
        ("run.view", "match_run", str(run_id), None),
        ("run.view_student", "student", str(student_id), {"run": run_id}),
        ("run.export", "match_run", str(run_id), {"format": "csv"}),
        ("run.export", "match_run", str(run_id), {"format": "xlsx"}),
        ("run.compare", "match_run", f"{run_id},{run_id}", None),
    ]
    assert {e.semester_id for e in events} == {matrix.world.semester.id}


def test_the_progress_poll_is_not_an_access(anon: TestClient, session: Session, matrix: Matrix):
    client = as_role(anon, session, matrix, Role.WIJKDOCENT)
    earlier = _events(session, matrix.actors[Role.WIJKDOCENT])
    response = client.get(f"/runs/{matrix.params['run_id']}", headers={"HX-Target": "run_progress"})
    assert response.status_code == 200
    assert _events(session, matrix.actors[Role.WIJKDOCENT]) == earlier


def test_lists_of_students_and_accounts_are_audited(
    anon: TestClient, session: Session, matrix: Matrix
):
    admin = matrix.actors[Role.ADMIN]
    client = as_role(anon, session, matrix, Role.ADMIN)
    assert client.get("/admin/users?q=student").status_code == 200
    (event,) = _events(session, admin)
    assert (event.action, event.after) == ("user.list", {"role": "", "q": "student", "shown": 9})
    assert client.get("/students/incomplete").status_code == 200
    event = _events(session, admin)[-1]
    assert (event.action, event.semester_id) == (
        "students.view_incomplete",
        matrix.world.semester.id,
    )
