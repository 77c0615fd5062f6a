"""My data: the JSON download of one's own data and the page on what is kept."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Phase, Preference, Role
from tests import factories as f
from tests.students import builders as b


def test_download_holds_profile_rankings_and_published_team(anon: TestClient, session: Session):
    past = f.semester(session, Phase.CLOSED, code="2001-S1")
    now = b.ranking_semester(session, code="2001-S2")
    owner = f.partner(session)
    old, new = f.opdracht(session, past, owner, title="Oud"), f.opdracht(session, now, owner)
    me, mate = f.student(session, f.programme(session)), f.student(session, f.programme(session))
    stranger = f.student(session, f.programme(session))
    assert me.id
    assert past.id
    assert now.id
    assert old.id
    assert new.id
    assert stranger.id
    session.add(Preference(semester_id=past.id, student_id=me.id, opdracht_id=old.id, rank=1))
    session.add(Preference(semester_id=now.id, student_id=me.id, opdracht_id=new.id, rank=1))
    session.add(Preference(semester_id=now.id, student_id=stranger.id, opdracht_id=old.id, rank=1))
    b.team(session, past, old, [me, mate])
    b.team(session, now, new, [me], current=True)  # proposed only: not published
    user = b.student_user(session, me)
    response = f.login(anon, session, user).get("/student/data/download")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == user.email
    assert data["profile"]["student_number"] == me.student_number
    by_code = {s["semester"]: s for s in data["semesters"]}
    assert by_code["2001-S1"]["ranking"][0]["opdracht"] == "Oud"
    assert by_code["2001-S1"]["team"]["teammates"][0]["name"] == b.student_user(session, mate).name
    assert by_code["2001-S2"]["team"] is None
    assert stranger.student_number not in response.text
    assert b.student_user(session, stranger).email not in response.text


def test_the_page_says_what_is_kept_and_for_how_long(anon: TestClient, session: Session, settings):
    me = f.student(session, f.programme(session))
    page = f.login(anon, session, b.student_user(session, me)).get("/student/data")
    assert page.status_code == 200
    assert f"{settings.retention_months} maanden na het afsluiten van dat semester" in page.text
    assert 'href="/privacy"' in page.text
    assert 'href="/student/data/download"' in page.text


@pytest.mark.parametrize("role", [Role.ADMIN, Role.WIJKDOCENT, Role.PARTNER])
def test_my_data_is_for_students(anon: TestClient, session: Session, role: Role):
    f.login(anon, session, f.user(session, role))
    assert anon.get("/student/data/download").status_code == 403
    assert anon.get("/student/data").status_code == 403
