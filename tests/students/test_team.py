"""My team: visible only once published, from the current run, and only one's own."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Phase, Preference, Programme
from tests import factories as f
from tests.students import builders as b


def setup(session: Session, phase: Phase = Phase.PUBLISHED):
    sem = f.semester(session, phase)
    owner = f.partner(session, "Woonstichting Valburg")
    opdracht = f.opdracht(
        session,
        sem,
        owner,
        title="Hop-on-Hop-off",
        location="Valburg",
        contact_name="Contactpersoon Valburg",
        contact_email="contact@valburg.example",
    )
    ft = Programme(code="FTX", name_nl="Fysiotherapie", name_en="Physiotherapy")
    session.add(ft)
    session.flush()
    me = f.student(session, f.programme(session))
    mate = f.student(session, ft)
    outsider = f.student(session, f.programme(session))
    supervisor = b.wijkdocent(session)
    assert me.id is not None
    assert sem.id is not None
    assert opdracht.id is not None
    session.add(Preference(semester_id=sem.id, student_id=me.id, opdracht_id=opdracht.id, rank=2))
    team = b.team(session, sem, opdracht, [me, mate], supervisor=supervisor)
    return sem, opdracht, team, me, mate, outsider, supervisor


def test_published_team_shows_everything_the_student_needs(anon: TestClient, session: Session):
    _sem, _opdracht, _team, me, mate, _outsider, supervisor = setup(session)
    page = f.login(anon, session, b.student_user(session, me)).get("/student/team")
    assert page.status_code == 200
    text = page.text
    assert "Hop-on-Hop-off" in text
    assert "Woonstichting Valburg" in text
    assert "Contactpersoon Valburg" in text
    assert "contact@valburg.example" in text
    assert "Valburg" in text
    assert f"{b.student_user(session, mate).name} · Fysiotherapie" in text
    assert supervisor.name in text
    assert "Dit was je keuze nummer 2." in text
    assert b.student_user(session, me).name not in text.split("Teamgenoten")[1]


@pytest.mark.parametrize("phase", [Phase.RANKING, Phase.MATCHING, Phase.REVIEW])
def test_before_publication_no_proposed_team_is_shown(
    anon: TestClient, session: Session, phase: Phase
):
    _sem, _opdracht, _team, me, mate, *_ = setup(session, phase)
    text = f.login(anon, session, b.student_user(session, me)).get("/student/team").text
    assert "nog niet gepubliceerd" in text
    assert "Hop-on-Hop-off" not in text
    assert b.student_user(session, mate).name not in text


def test_a_team_of_a_run_that_is_not_current_is_not_shown(anon: TestClient, session: Session):
    sem = f.semester(session, Phase.PUBLISHED)
    opdracht = f.opdracht(session, sem, f.partner(session), title="Oude run")
    me = f.student(session, f.programme(session))
    b.team(session, sem, opdracht, [me], current=False)
    text = f.login(anon, session, b.student_user(session, me)).get("/student/team").text
    assert "Oude run" not in text
    assert "niet in een team geplaatst" in text


def test_rank_falls_back_to_the_member_row_and_unranked_is_said(anon: TestClient, session: Session):
    sem = f.semester(session, Phase.CLOSED)
    opdracht = f.opdracht(session, sem, f.partner(session), title="Kletsbot")
    me, other = f.student(session, f.programme(session)), f.student(session, f.programme(session))
    b.team(session, sem, opdracht, [me, other], ranks=[3, None])
    assert (
        "keuze nummer 3"
        in f.login(anon, session, b.student_user(session, me)).get("/student/team").text
    )
    f.login(anon, session, b.student_user(session, other))
    assert "stond niet in je voorkeuren" in anon.get("/student/team").text


def test_a_student_sees_only_their_own_team(anon: TestClient, session: Session):
    *_, outsider, _supervisor = setup(session)
    text = f.login(anon, session, b.student_user(session, outsider)).get("/student/team").text
    assert "Hop-on-Hop-off" not in text
    assert "niet in een team geplaatst" in text


@pytest.mark.parametrize("role", ["admin", "wijkdocent", "partner"])
def test_team_page_is_for_students(anon: TestClient, session: Session, role: str):
    setup(session)
    f.login(anon, session, f.user(session, role))  # type: ignore[arg-type]
    assert anon.get("/student/team").status_code == 403


def test_the_published_team_stays_visible_during_the_next_intake(
    anon: TestClient, session: Session
):
    _sem, _opdracht, _team, me, *_ = setup(session)
    f.semester(session, Phase.INTAKE, code="2999-S1")
    text = f.login(anon, session, b.student_user(session, me)).get("/student/team").text
    assert "Hop-on-Hop-off" in text


def test_the_dashboard_links_to_the_published_team(anon: TestClient, session: Session):
    _sem, _opdracht, team, me, *_ = setup(session)
    page = f.login(anon, session, b.student_user(session, me)).get("/dashboard")
    assert page.status_code == 200
    assert f"Hop-on-Hop-off · team {team.index}" in page.text
