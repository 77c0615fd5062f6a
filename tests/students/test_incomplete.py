"""The wijkdocent's list of students without a complete ranking."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Opdracht, OpdrachtStatus, Preference, Role, Semester, StudentProfile, User
from tests import factories as f
from tests.students import builders as b


def rank(session: Session, sem: Semester, who: StudentProfile, opdrachten: list[Opdracht]):
    assert sem.id is not None
    assert who.id is not None
    for r, o in enumerate(opdrachten, start=1):
        assert o.id is not None
        session.add(Preference(semester_id=sem.id, student_id=who.id, opdracht_id=o.id, rank=r))
    session.flush()


def test_lists_incomplete_students_by_leerkring_with_counts(anon: TestClient, session: Session):
    sem = b.ranking_semester(session, number_of_ranks=2)
    owner = f.partner(session)
    a, c = f.opdracht(session, sem, owner), f.opdracht(session, sem, owner)
    gone = f.opdracht(session, sem, owner, status=OpdrachtStatus.WITHDRAWN)
    kring = f.leerkring(session, "Achterhoek")
    prog = f.programme(session)
    done = f.student(session, prog, leerkring_id=kring.id)
    partial = f.student(session, prog, leerkring_id=kring.id)
    stale = f.student(session, prog, leerkring_id=kring.id)
    nothing = f.student(session, prog)
    inactive = f.student(session, prog)
    b.student_user(session, inactive).active = False
    rank(session, sem, done, [a, c])
    rank(session, sem, partial, [a])
    rank(session, sem, stale, [a, gone])
    f.login(anon, session, f.wijkdocent(session, kring))
    page = anon.get("/students/incomplete")
    assert page.status_code == 200
    text = page.text
    for who in (partial, stale, nothing):
        assert who.student_number in text
    for who in (done, inactive):
        assert who.student_number not in text
    assert "3 van de 4 studenten hebben geen complete voorkeuren" in text
    assert f"van 3 in {kring.name} zonder complete voorkeuren" in text
    assert "1 / 2" in text  # partial and stale each have one valid choice


def test_admin_may_see_it_students_and_partners_may_not(anon: TestClient, session: Session):
    b.ranking_semester(session)
    f.login(anon, session, f.user(session, Role.ADMIN))
    assert anon.get("/students/incomplete").status_code == 200
    for role in (Role.STUDENT, Role.PARTNER):
        f.login(anon, session, f.user(session, role))
        assert anon.get("/students/incomplete").status_code == 403


def test_a_wijkdocent_sees_only_their_own_leerkringen(anon: TestClient, session: Session):
    b.ranking_semester(session, number_of_ranks=2)
    prog = f.programme(session)
    mine, theirs = f.leerkring(session, "Overbetuwe"), f.leerkring(session, "Liemers")
    own = f.student(session, prog, leerkring_id=mine.id)
    other = f.student(session, prog, leerkring_id=theirs.id)
    unassigned = f.student(session, prog)
    f.login(anon, session, f.wijkdocent(session, mine))
    text = anon.get("/students/incomplete").text
    assert own.student_number in text
    assert unassigned.student_number in text  # nobody else answers for them
    assert other.student_number not in text
    other_user = session.get(User, other.user_id)
    assert other_user is not None
    assert other_user.email not in text
    f.login(anon, session, f.user(session, Role.ADMIN))
    assert other.student_number in anon.get("/students/incomplete").text
