"""Forming a group as students meet it: create, join with the code, the refusals, leave."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.groups.services import ALPHABET, CODE_LENGTH
from app.models import AuditEvent, GroupMember, Notification, StudentGroup, utcnow
from tests.groups.builders import as_student, build, group, ids

CODE = re.compile(rf'class="group-code">([{ALPHABET}]{{{CODE_LENGTH}}})<')


def _create(client: TestClient) -> str:
    response = client.post("/student/group/create")
    assert response.status_code == 303, response.text
    found = CODE.search(client.get("/student/group").text)
    assert found is not None
    return found.group(1)


def _members(session: Session, code: str) -> list[int]:
    session.expire_all()
    rows = session.exec(
        select(GroupMember.student_id)
        .join(StudentGroup, col(StudentGroup.id) == GroupMember.group_id)
        .where(StudentGroup.code == code)
        .order_by(col(GroupMember.student_id))
    )
    return list(rows)


def test_one_student_forms_a_group_and_another_joins_with_the_code(
    anon: TestClient, session: Session
):
    s = build(session)
    first, second = s.students[0], s.students[3]
    code = _create(as_student(anon, session, first))
    assert _members(session, code) == [first.id]
    page = anon.get("/student/group").text
    assert "Je bent tot nu toe het enige lid" in page  # a group of one is still waiting

    client = as_student(anon, session, second)
    # Typed loosely (lower case, a space): the code still matches.
    joined = client.post("/student/group/join", data={"code": f"{code[:4].lower()} {code[4:]}"})
    assert joined.status_code == 303
    assert _members(session, code) == ids(first, second)
    for who in (first, second):
        c = as_student(anon, session, who)
        mine = c.get("/student/group").text
        ranking = c.get("/student/ranking").text
        for text in (mine, ranking):
            assert f"Groep {code}" in text
        assert "2 leden, die elk hebben bevestigd" in mine
    actions = session.exec(
        select(AuditEvent.action).where(col(AuditEvent.action).startswith("group."))
    ).all()
    assert sorted(actions) == ["group.create", "group.join"]


def _refused(response, field: str, text: str) -> None:
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text or f'id="{field}"' in response.text
    assert text in response.text
    assert f'href="#{field}"' in response.text  # the error summary links the field


def test_a_wrong_code_is_refused_at_the_code_field(anon: TestClient, session: Session):
    s = build(session)
    client = as_student(anon, session, s.students[0])
    response = client.post("/student/group/join", data={"code": "WRONG234"})
    _refused(response, "code", "Geen groep heeft deze code")
    assert 'aria-invalid="true"' in response.text
    assert 'value="WRONG234"' in response.text  # the input is kept
    empty = client.post("/student/group/join", data={"code": " "})
    _refused(empty, "code", "Vul de code van de groep in.")


def test_a_full_group_refuses_the_next_member(anon: TestClient, session: Session):
    s = build(session, max_group_size=2)
    g = group(session, s.semester, [s.students[0], s.students[3]])
    response = as_student(anon, session, s.students[4]).post(
        "/student/group/join", data={"code": g.code}
    )
    _refused(response, "code", "Deze groep is vol: een groep heeft hoogstens 2 leden.")
    assert _members(session, g.code) == ids(s.students[0], s.students[3])


def test_a_student_is_in_one_group_at_most(anon: TestClient, session: Session):
    s = build(session)
    mine = group(session, s.semester, [s.students[0], s.students[3]], code="MINE2345")
    other = group(session, s.semester, [s.students[4], s.students[1]], code="OTHR2345")
    client = as_student(anon, session, s.students[0])
    _refused(
        client.post("/student/group/join", data={"code": other.code}),
        "leave",
        f"Je zit al in groep {mine.code}",
    )
    _refused(client.post("/student/group/create"), "leave", f"Je zit al in groep {mine.code}")


def test_after_the_ranking_deadline_groups_do_not_change(anon: TestClient, session: Session):
    s = build(session)
    g = group(session, s.semester, [s.students[0], s.students[3]])
    s.semester.ranking_deadline = utcnow() - timedelta(minutes=1)
    session.add(s.semester)
    session.flush()
    client = as_student(anon, session, s.students[4])
    _refused(
        client.post("/student/group/join", data={"code": g.code}),
        "phase",
        "De deadline voor de voorkeuren is voorbij",
    )
    leaver = as_student(anon, session, s.students[0])
    _refused(leaver.post("/student/group/leave"), "phase", "groepen kunnen niet meer veranderen")
    assert _members(session, g.code) == ids(s.students[0], s.students[3])


def test_a_group_that_could_never_fit_is_refused_with_the_reason(
    anon: TestClient, session: Session
):
    s = build(session)
    fts = group(session, s.semester, [s.students[0], s.students[1]], code="FTFT2345")
    third_ft = as_student(anon, session, s.students[2])
    _refused(
        third_ft.post("/student/group/join", data={"code": fts.code}),
        "code",
        "De groep zou 3 studenten van FT hebben",
    )
    assert _members(session, fts.code) == ids(s.students[0], s.students[1])


def test_a_group_bigger_than_every_team_is_refused(anon: TestClient, session: Session):
    s = build(session, max_group_size=4)
    for o in s.opdrachten:
        o.max_size = 2
        session.add(o)
    g = group(session, s.semester, [s.students[0], s.students[3]])
    response = as_student(anon, session, s.students[4]).post(
        "/student/group/join", data={"code": g.code}
    )
    _refused(response, "code", "De groep zou 3 leden hebben, meer dan een team opneemt")


def test_members_of_years_no_opdracht_takes_together_are_refused(
    anon: TestClient, session: Session
):
    s = build(session)
    s.opdrachten[0].eligible_years = [2]
    s.opdrachten[1].eligible_years = [3]
    session.add_all(s.opdrachten)
    s.students[4].year = 3
    session.add(s.students[4])
    g = group(session, s.semester, [s.students[0], s.students[3]])
    response = as_student(anon, session, s.students[4]).post(
        "/student/group/join", data={"code": g.code}
    )
    _refused(response, "code", "Geen opdracht staat open voor alle leden van de groep samen")
    assert "jaar 2, 3" in response.text


def test_leaving_a_group_of_two_dissolves_it_and_tells_the_other(
    anon: TestClient, session: Session
):
    s = build(session)
    g = group(session, s.semester, [s.students[0], s.students[3]])
    assert as_student(anon, session, s.students[0]).post("/student/group/leave").status_code == 303
    session.expire_all()
    assert _members(session, g.code) == []
    gone = session.get(StudentGroup, g.id)
    assert gone is not None
    assert gone.dissolved_at is not None
    assert gone.size == 0
    stayer = as_student(anon, session, s.students[3])
    assert "Een groep vormen" in stayer.get("/student/group").text  # free to form a new one
    told = session.exec(select(Notification).where(Notification.kind == "group_dissolved")).all()
    assert [n.user_id for n in told] == [s.students[3].user_id]


def test_leaving_a_group_of_three_keeps_the_other_two(anon: TestClient, session: Session):
    s = build(session)
    g = group(session, s.semester, [s.students[0], s.students[3], s.students[4]])
    as_student(anon, session, s.students[4]).post("/student/group/leave")
    assert _members(session, g.code) == ids(s.students[0], s.students[3])
    session.expire_all()
    kept = session.get(StudentGroup, g.id)
    assert kept is not None
    assert kept.size == 2
    assert kept.dissolved_at is None
