"""Object-level access (another student's data, another partner's opdracht, another
leerkring's teams) and mass assignment (fields a form does not offer are never written)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import (
    Opdracht,
    OpdrachtStatus,
    Preference,
    Role,
    Team,
    TeamStatus,
    User,
)
from tests import factories as f
from tests.opdrachten import world as intake
from tests.runs.conftest import World, ident
from tests.runs.helpers import run_now
from tests.students.builders import ranking_semester, student_user


def _ranking(session: Session, student_id: int | None) -> list[int]:
    stmt = select(Preference.opdracht_id).where(Preference.student_id == student_id)
    return list(session.exec(stmt.order_by(col(Preference.rank))))


def test_a_student_sees_and_changes_only_their_own_ranking_and_data(
    anon: TestClient, session: Session
):
    semester = ranking_semester(session)
    owner = f.partner(session)
    first, second = (f.opdracht(session, semester, owner) for _ in range(2))
    prog = f.programme(session)
    me, other = f.student(session, prog), f.student(session, prog)
    session.add(
        Preference(
            semester_id=ident(semester), student_id=ident(other), opdracht_id=ident(first), rank=1
        )
    )
    session.flush()
    f.login(anon, session, student_user(session, me))
    body = {"order": [ident(second)], "student_id": other.id, "user_id": other.user_id}
    assert anon.post("/student/ranking/order", json=body).status_code == 200
    data = {"opdracht_id": str(first.id), "student_id": str(other.id)}
    assert anon.post("/student/ranking/add", data=data).status_code == 303
    assert _ranking(session, me.id) == [ident(second), ident(first)]
    assert _ranking(session, other.id) == [ident(first)]  # untouched
    download = anon.get("/student/data/download", params={"student_id": other.id})
    mine = json.dumps(download.json())
    assert me.student_number in mine
    assert other.student_number not in mine
    assert other.student_number not in anon.get("/student/ranking").text


def test_another_partner_can_neither_see_nor_change_a_draft(anon: TestClient, session: Session):
    w = intake.build(session)
    draft = f.opdracht(
        session, w.semester, w.owner, status=OpdrachtStatus.DRAFT, title="Eigen plan"
    )
    f.login(anon, session, w.other_user)
    for method, path in (
        ("get", ""),
        ("get", "/edit"),
        ("post", "/edit"),
        ("post", "/submit"),
        ("post", "/withdraw"),
        ("post", "/duplicate"),
    ):
        data = intake.form(w, title="Gekaapt", version="1") if method == "post" else None
        response = anon.request(method.upper(), f"/opdrachten/{draft.id}{path}", data=data)
        assert response.status_code == 403, path
        assert "Eigen plan" not in response.text, path
    session.refresh(draft)
    assert (draft.title, draft.status, draft.version) == ("Eigen plan", OpdrachtStatus.DRAFT, 1)
    assert session.exec(select(Opdracht).where(Opdracht.title == "Gekaapt")).first() is None


def test_a_wijkdocent_cannot_approve_another_leerkrings_teams(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    south = world.opdrachten[2].leerkring_id
    f.login(anon, session, world.wijkdocent)  # supervises the northern leerkring only
    assert anon.post(f"/runs/approvals/{south}", data={"token": "x"}).status_code == 403
    session.expire_all()
    south_teams = session.exec(
        select(Team).where(Team.run_id == run.id, Team.opdracht_id == world.opdrachten[2].id)
    ).all()
    assert south_teams
    assert {t.status for t in south_teams} == {TeamStatus.PROPOSED}


def test_the_opdracht_form_ignores_status_version_and_foreign_owners(
    anon: TestClient, session: Session
):
    w = intake.build(session)
    f.login(anon, session, w.owner_user)
    extra = {"status": "approved", "approved": "1", "version": "99", "created_by_id": "1"}
    data = intake.form(w, action="draft", **extra)
    assert anon.post("/opdrachten/new", data=data).status_code == 303
    mine = session.exec(select(Opdracht)).one()
    assert (mine.status, mine.version, mine.owner_partner_id) == (
        OpdrachtStatus.DRAFT,
        1,
        w.owner.id,
    )
    assert mine.created_by_id == w.owner_user.id
    foreign = intake.form(w, title="Namens een ander", owner_partner_id=w.other.id)
    assert anon.post("/opdrachten/new", data=foreign).status_code == 422
    assert (
        session.exec(select(Opdracht).where(Opdracht.title == "Namens een ander")).first() is None
    )
    edit = intake.form(w, action="draft", version="1", status="approved", semester_id="0")
    assert anon.post(f"/opdrachten/{mine.id}/edit", data=edit).status_code == 303
    session.refresh(mine)
    assert (mine.status, mine.semester_id) == (OpdrachtStatus.DRAFT, w.semester.id)


def test_account_forms_ignore_role_and_active(anon: TestClient, session: Session, settings):
    from app.auth.services import create_invitation

    student = f.user(session, Role.STUDENT)
    f.login(anon, session, student)
    extra = {"role": "admin", "active": "true", "email": "mine@example.org"}
    assert anon.post("/language", data={"language": "en", **extra}).status_code == 303
    invitee = f.user(session, Role.PARTNER, password="x" * 20)
    token = create_invitation(session=session, user=invitee, created_by=None, settings=settings)
    session.flush()
    data = {"password": "paars-fietsje-op-de-dijk", "repeat": "paars-fietsje-op-de-dijk"}
    assert anon.post(f"/invitation/{token}", data={**data, **extra}).status_code == 303
    session.expire_all()
    for user, role in ((student, Role.STUDENT), (invitee, Role.PARTNER)):
        fresh = session.get(User, user.id)
        assert fresh is not None
        assert (fresh.role, fresh.email) == (role, user.email)
