"""The shared ranking, the staff's list of groups and dissolving one, the semester setting."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import (
    AuditEvent,
    Notification,
    Preference,
    Role,
    Semester,
    StudentGroup,
)
from tests import factories as f
from tests.groups.builders import as_student, build, group, ids, rank


def _order(session: Session, semester_id: int | None, student_id: int | None) -> list[int]:
    session.expire_all()
    rows = session.exec(
        select(Preference.opdracht_id)
        .where(Preference.semester_id == semester_id, Preference.student_id == student_id)
        .order_by(col(Preference.rank))
    )
    return list(rows)


def test_a_shared_ranking_is_saved_for_every_member(anon: TestClient, session: Session):
    s = build(session)
    a, b = s.students[0], s.students[3]
    group(session, s.semester, [a, b])
    first, second = s.opdrachten
    rank(session, s.semester, a, [second, first])
    rank(session, s.semester, b, [first])
    client = as_student(anon, session, a)
    page = client.get("/student/ranking").text
    assert "Sla deze voorkeuren op voor elk lid" in page
    assert "vervangen hun eigen opgeslagen voorkeuren" in page  # said before saving
    response = client.post("/student/group/share")
    assert response.status_code == 303
    assert response.headers["location"] == "/student/ranking"
    assert _order(session, s.semester.id, a.id) == _order(session, s.semester.id, b.id)
    assert _order(session, s.semester.id, b.id) == [second.id, first.id]
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "ranking.share")).all()
    assert sorted(e.entity_id for e in events) == sorted([str(a.id), str(b.id)])


def test_only_opdrachten_every_member_may_rank_can_be_shared(anon: TestClient, session: Session):
    s = build(session)
    a, b = s.students[0], s.students[3]
    b.year = 3
    session.add(b)
    group(session, s.semester, [a, b])
    first, second = s.opdrachten
    second.eligible_years = [2]  # not open to b
    session.add(second)
    rank(session, s.semester, a, [second, first])
    response = as_student(anon, session, a).post("/student/group/share")
    assert response.status_code == 422
    assert 'id="share-error"' in response.text
    assert f"Niet open voor elk lid van je groep: {second.title}." in response.text
    assert _order(session, s.semester.id, b.id) == []  # nothing saved


def test_a_group_of_one_cannot_share(anon: TestClient, session: Session):
    s = build(session)
    group(session, s.semester, [s.students[0]])
    rank(session, s.semester, s.students[0], s.opdrachten)
    response = as_student(anon, session, s.students[0]).post("/student/group/share")
    assert response.status_code == 422
    assert "Alleen een groep van twee of meer studenten" in response.text


def test_staff_see_the_groups_of_their_own_leerkringen(anon: TestClient, session: Session):
    s = build(session)
    other = f.leerkring(session, "Gemert")
    for i in (2, 4):
        s.students[i].leerkring_id = other.id
        session.add(s.students[i])
    ours = group(session, s.semester, [s.students[0], s.students[3]], code="OURS2345")
    theirs = group(session, s.semester, [s.students[4], s.students[1]], code="THRS2345")
    theirs_only = group(session, s.semester, [s.students[2]], code="ALNE2345")
    wd = f.wijkdocent(session, s.leerkring)
    page = f.login(anon, session, wd).get(f"/groups?semester={s.semester.id}").text
    # A group with one member of the wijkdocent's leerkring is theirs too.
    assert ours.code in page
    assert theirs.code in page
    assert theirs_only.code not in page
    admin = f.user(session, Role.ADMIN)
    all_page = f.login(anon, session, admin).get(f"/groups?semester={s.semester.id}").text
    assert theirs_only.code in all_page
    assert "3 groepen." in all_page
    assert as_student(anon, session, s.students[0]).get("/groups").status_code == 403


def test_dissolving_needs_a_reason_is_audited_and_tells_the_members(
    anon: TestClient, session: Session
):
    s = build(session)
    g = group(session, s.semester, [s.students[0], s.students[3]])
    wd = f.wijkdocent(session, s.leerkring)
    client = f.login(anon, session, wd)
    url = f"/groups/{g.id}/dissolve"
    empty = client.post(url, data={"version": g.version, "reason": "  "})
    assert empty.status_code == 422
    assert f'id="reason-{g.id}-error"' in empty.text
    assert "Geef een reden: de leden lezen die." in empty.text
    reason = "Samen passen jullie in geen enkel team van je leerkring."
    done = client.post(url, data={"version": g.version, "reason": reason})
    assert done.status_code == 303
    session.expire_all()
    gone = session.get(StudentGroup, g.id)
    assert gone is not None
    assert gone.dissolved_at is not None
    assert gone.dissolved_reason == reason
    assert gone.dissolved_by_id == wd.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "group.dissolve")).one()
    assert event.reason == reason
    assert event.before == {"code": g.code, "members": ids(s.students[0], s.students[3])}
    told = session.exec(select(Notification).where(Notification.kind == "group_dissolved")).all()
    assert sorted(n.user_id for n in told) == sorted([s.students[0].user_id, s.students[3].user_id])
    assert all(reason in n.body for n in told)
    again = client.post(url, data={"version": g.version, "reason": reason})
    assert again.status_code == 404


def test_dissolving_a_group_that_changed_meanwhile_is_refused(anon: TestClient, session: Session):
    s = build(session)
    g = group(session, s.semester, [s.students[0], s.students[3]])
    seen = g.version
    as_student(anon, session, s.students[4]).post("/student/group/join", data={"code": g.code})
    admin = f.user(session, Role.ADMIN)
    response = f.login(anon, session, admin).post(
        f"/groups/{g.id}/dissolve", data={"version": seen, "reason": "Te groot"}
    )
    assert response.status_code == 409
    session.expire_all()
    kept = session.get(StudentGroup, g.id)
    assert kept is not None
    assert kept.dissolved_at is None
    assert kept.size == 3


def test_a_wijkdocent_cannot_dissolve_a_group_of_another_leerkring(
    anon: TestClient, session: Session
):
    s = build(session)
    g = group(session, s.semester, [s.students[0], s.students[3]])
    stranger = f.wijkdocent(session, f.leerkring(session, "Uden"))
    response = f.login(anon, session, stranger).post(
        f"/groups/{g.id}/dissolve", data={"version": g.version, "reason": "Nee"}
    )
    assert response.status_code == 403
    session.expire_all()
    kept = session.get(StudentGroup, g.id)
    assert kept is not None
    assert kept.dissolved_at is None


def test_the_maximum_group_size_is_a_semester_setting(anon: TestClient, session: Session):
    from tests.semester_admin.test_routes import _admin, _form

    client = _admin(anon, session)
    f.programme(session)
    f.programme(session)
    page = client.get("/admin/semesters/new").text
    assert "Grootste groep studenten die willen samenwerken" in page
    bad = client.post("/admin/semesters/new", data=_form(max_group_size="1"))
    assert bad.status_code == 422
    assert 'id="max_group_size-error"' in bad.text
    ok = client.post("/admin/semesters/new", data=_form(max_group_size="4"))
    assert ok.status_code == 303
    saved = session.exec(select(Semester).where(Semester.code == "2098-S1")).one()
    assert saved.max_group_size == 4


def test_a_placed_student_sees_the_group_on_the_team_page(anon: TestClient, session: Session):
    from app.models import Phase
    from tests.students import builders as sb
    from tests.students.test_team import setup

    sem, _opdracht, _team, me, mate, _outsider, _sup = setup(session, Phase.PUBLISHED)
    g = group(session, sem, [me, mate], code="TEAM2345")
    page = as_student(anon, session, me).get("/student/team").text
    assert f"Groep {g.code}" in page
    assert "Je zit in dit team met je groep:" in page
    assert sb.student_user(session, mate).name in page.split("met je groep:")[1]


def _card(page: str, code: str) -> str:
    """The staff page's card of one group: from its code to the next group's heading."""
    return page.split(code, 1)[1].split("<h2>", 1)[0]


def test_staff_are_told_which_groups_no_longer_fit_and_why(anon: TestClient, session: Session):
    """Opdrachten and their rules may change after a group formed: the staff page names each
    group that can no longer be one team's members, with the reason."""
    s = build(session)
    two_ft = group(session, s.semester, [s.students[0], s.students[1]], code="TWFT2345")
    fine = group(session, s.semester, [s.students[2], s.students[3]], code="FINE2345")
    admin = f.login(anon, session, f.user(session, Role.ADMIN))
    assert "past in geen team meer" not in admin.get(f"/groups?semester={s.semester.id}").text
    for o in s.opdrachten:  # at most one FT student per team from now on
        o.max_per_programme = 1
        session.add(o)
    session.flush()
    page = admin.get(f"/groups?semester={s.semester.id}").text
    assert "Groep TWFT2345 past in geen team meer." in _card(page, two_ft.code)
    assert "2 studenten van FT" in _card(page, two_ft.code)
    assert "past in geen team meer" not in _card(page, fine.code)


def test_a_group_larger_than_the_semester_now_allows_is_named(anon: TestClient, session: Session):
    s = build(session)
    trio = group(session, s.semester, [s.students[2], s.students[3], s.students[4]])
    s.semester.max_group_size = 2
    session.add(s.semester)
    session.flush()
    admin = f.login(anon, session, f.user(session, Role.ADMIN))
    card = _card(admin.get(f"/groups?semester={s.semester.id}").text, trio.code)
    assert "De groep heeft 3 leden, meer dan de 2 die een groep nu mag hebben." in card
