"""Publication mails: one per placed student, unplaced student and partner user; a republish
mails only the people whose team changed; a double publish sends nothing twice."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.i18n import get_language, set_language
from app.models import (
    AuditEvent,
    Language,
    Member,
    Notification,
    OpdrachtCopartner,
    OutboxMessage,
    Phase,
    Role,
    Semester,
    Team,
    User,
)
from app.notifications.compose import language
from app.notifications.publication import send_publication
from app.semesters import current_run
from tests import factories as f
from tests.runs.conftest import World, ident
from tests.runs.helpers import run_now

# The world has an unplaced student: publishing asks to acknowledge that (app/runs/warnings.py).
ACKNOWLEDGED = {"acknowledged": "true"}


def _approve_all(client: TestClient, session: Session, world: World) -> None:
    for who in (world.wijkdocent, world.other_wijkdocent):
        f.login(client, session, who)
        page = client.get("/runs/approvals").text
        found = re.findall(
            r'action="/runs/approvals/(\d+)">\s*<input[^>]*>\s*'
            r'<input type="hidden" name="token" value="(\w+)"',
            page,
        )
        for lk, token in found:
            approved = client.post(
                f"/runs/approvals/{lk}", data={"token": token, "acknowledged": "true"}
            )
            assert approved.status_code == 303


def _outbox(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


@pytest.fixture
def published(anon: TestClient, session: Session, world: World, base_url: str):
    """The world with a co-partner (sharing the owner's user), a student who ranked nothing
    (unplaced: unranked placements are off) and contacts; run, approved and published."""
    for other in session.exec(select(Semester).where(Semester.id != world.semester.id)):
        other.phase = Phase.CLOSED
        session.add(other)
    colleague = f.user(session, Role.PARTNER, preferred_language=Language.EN)
    co = f.partner(session, "Gemeente Overbetuwe", world.partner_user, colleague)
    session.add(OpdrachtCopartner(opdracht_id=ident(world.opdrachten[0]), partner_id=ident(co)))
    for o in world.opdrachten:
        o.contact_name, o.contact_email = f"Contact {o.title}", f"contact{o.id}@example.org"
        session.add(o)
    north = world.opdrachten[0].leerkring_id
    world.students.append(f.student(session, world.programmes["VP"], leerkring_id=north))
    session.flush()
    run = run_now(session, world)
    _approve_all(anon, session, world)
    f.login(anon, session, world.admin)
    assert anon.post("/runs/publish", data=ACKNOWLEDGED).status_code == 303
    return run, colleague


def _student_users(session: Session, world: World) -> dict[int, User]:
    out = {}
    for s in world.students:
        user = session.get(User, s.user_id)
        assert user is not None
        out[ident(s)] = user
    return out


def test_publish_mails_every_placed_and_unplaced_student_and_each_partner_user_once(
    session: Session, world: World, published
):
    run, colleague = published
    mails = _outbox(session)
    per_address = Counter(m.to for m in mails)
    students = _student_users(session, world)
    expected = {u.email for u in students.values()} | {world.partner_user.email, colleague.email}
    assert set(per_address) == expected
    assert set(per_address.values()) == {1}  # the user of two partners, too
    placed = set(session.exec(select(Member.student_id).where(Member.run_id == run.id)))
    unplaced = set(students) - placed
    assert unplaced  # the student without a ranking at least
    kinds = {n.user_id: n.kind for n in session.exec(select(Notification))}
    for student_id, user in students.items():
        assert kinds[ident(user)] == ("team_placed" if student_id in placed else "team_unplaced")
    assert kinds[ident(world.partner_user)] == kinds[ident(colleague)] == "partner_teams"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "semester.publish")).one()
    assert event.after is not None
    assert event.after["mails"] == len(mails)


def test_the_mails_say_what_each_person_needs(
    session: Session, world: World, published, base_url: str
):
    run, colleague = published
    by_to = {m.to: m for m in _outbox(session)}
    member = session.exec(select(Member).where(Member.run_id == run.id)).first()
    assert member is not None
    team = session.get(Team, member.team_id)
    assert team is not None
    mates = session.exec(select(Member).where(Member.team_id == team.id)).all()
    student = next(s for s in world.students if s.id == member.student_id)
    mail = by_to[_student_users(session, world)[ident(student)].email]
    assert mail.subject == "Je team is bekend"
    opdracht = next(o for o in world.opdrachten if o.id == team.opdracht_id)
    assert f"Opdracht: {opdracht.title} (team {team.index})" in mail.body
    assert f"Contactpersoon bij de partner: Contact {opdracht.title}" in mail.body
    assert "Wijkdocent: " in mail.body
    for mate in mates:
        if mate.student_id != student.id:
            other = session.get(User, _student_users(session, world)[mate.student_id].id)
            assert other is not None
            assert other.email in mail.body
    assert f"{base_url}/login?next=/student/team" in mail.body
    assert f'href="{base_url}/login?next=/student/team"' in mail.html_body
    assert "Je krijgt dit bericht omdat je student bent" in mail.body

    no_ranking = _student_users(session, world)[ident(world.students[-1])]
    unplaced = by_to[no_ranking.email]
    assert unplaced.subject == "Je hebt nog geen team"
    assert "Wat nu" in unplaced.body
    assert world.wijkdocent.email in unplaced.body

    english = by_to[colleague.email]
    assert english.subject == "Teams published"
    assert "You receive this message because your organisation" in english.body
    assert f"{base_url}/login?next=/partner/teams" in english.body
    assert "Welzijn op Recept, team 1" in english.body


def test_publishing_again_unchanged_or_twice_sends_nothing(
    anon: TestClient, session: Session, world: World, published
):
    before = len(_outbox(session))
    semester = session.get(Semester, world.semester.id)
    assert semester is not None
    run = current_run(session=session, semester_id=semester.id)
    assert run is not None
    assert send_publication(session=session, semester=semester, run=run) == 0  # a double click
    assert anon.post("/runs/reopen", data={"reason": "Controle"}).status_code == 303
    assert anon.post("/runs/publish", data=ACKNOWLEDGED).status_code == 303
    assert len(_outbox(session)) == before


def test_republishing_after_a_move_mails_only_the_people_of_the_two_teams(
    anon: TestClient, session: Session, world: World, published
):
    run, colleague = published
    assert anon.post("/runs/reopen", data={"reason": "Een student wisselt"}).status_code == 303
    members = list(session.exec(select(Member).where(Member.run_id == run.id)))
    teams = sorted({m.team_id for m in members})
    source, target = teams[0], teams[1]
    moved = next(m for m in members if m.team_id == source)
    concerned = {m.student_id for m in members if m.team_id in (source, target)}
    moved.team_id = target
    session.add(moved)
    session.flush()
    before = len(_outbox(session))
    assert anon.post("/runs/publish", data=ACKNOWLEDGED).status_code == 303

    new = _outbox(session)[before:]
    users = _student_users(session, world)
    opdracht_of = {t.id: t.opdracht_id for t in session.exec(select(Team))}
    partners = {world.partner_user.email}  # owner of all three opdrachten
    co_opdracht = ident(world.opdrachten[0])
    if co_opdracht in (opdracht_of[source], opdracht_of[target]):
        partners.add(colleague.email)
    assert sorted(m.to for m in new) == sorted({users[s].email for s in concerned} | partners)
    mail = next(m for m in new if m.to == users[moved.student_id].email)
    assert mail.subject == "Je team is gewijzigd"
    stayer = next(m for m in members if m.team_id == source and m.id != moved.id)
    left = next(m for m in new if m.to == users[stayer.student_id].email)
    moved_name = users[moved.student_id].name
    assert f"Niet meer in je team: {moved_name}." in left.body
    partner = next(m for m in new if m.to == world.partner_user.email)
    assert partner.subject == "De teams voor je opdrachten zijn gewijzigd"
    two = sorted(
        (t.opdracht_id, t.index) for t in session.exec(select(Team)) if t.id in (source, target)
    )
    titles = {ident(o): o.title for o in world.opdrachten}
    changed = ", ".join(
        f"{titles[o]}, team {n}" for o, n in sorted(two, key=lambda p: (titles[p[0]], p[1]))
    )
    assert f"Gewijzigd: {changed}." in partner.body


def test_preview_counts_each_kind_and_shows_an_example(
    anon: TestClient, session: Session, world: World, base_url: str
):
    for other in session.exec(select(Semester).where(Semester.id != world.semester.id)):
        other.phase = Phase.CLOSED
        session.add(other)
    session.flush()
    run_now(session, world)
    f.login(anon, session, world.admin)
    page = anon.get("/admin/outbox/preview")
    assert page.status_code == 200
    assert "Voorbeeld van de publicatiemails" in page.text
    assert "geplaatste studenten" in page.text
    assert "partnergebruikers" in page.text
    assert "Je team is bekend" in page.text
    assert f"{base_url}/login?next=/student/team" in page.text
    assert _outbox(session) == []  # a preview sends nothing
    f.login(anon, session, world.wijkdocent)
    assert anon.get("/admin/outbox/preview").status_code == 403


def test_the_link_in_the_mail_opens_the_team_page_after_login(
    anon: TestClient, session: Session, world: World, published, base_url: str
):
    run, _colleague = published
    member = session.exec(select(Member).where(Member.run_id == run.id)).first()
    assert member is not None
    user = _student_users(session, world)[member.student_id]
    mail = next(m for m in _outbox(session) if m.to == user.email)
    found = re.search(rf"{re.escape(base_url)}(/login\?next=(\S+))", mail.body)
    assert found is not None
    link, target = found.group(1), found.group(2)
    assert target == "/student/team"
    anon.cookies.clear()
    anon.get("/healthz")
    anon.headers["X-CSRF-Token"] = anon.cookies["om_csrf"]
    form = anon.get(link)
    assert form.status_code == 200
    assert 'name="next" value="/student/team"' in form.text
    data = {"email": user.email, "password": f.PASSWORD, "next": target}
    logged_in = anon.post("/login", data=data)
    assert logged_in.status_code == 303
    assert logged_in.headers["location"] == "/student/team"
    page = anon.get("/student/team")
    assert page.status_code == 200
    assert "Begeleidende wijkdocent" in page.text
    assert anon.get(link).headers["location"] == "/student/team"  # already logged in


@pytest.mark.nodb
def test_a_mail_in_another_language_gives_the_request_its_own_language_back():
    """Each mail speaks its recipient's language; afterwards the request speaks its own again
    (not the admin's preferred one), also when composing the mail failed."""
    set_language("en")  # the request's language, whatever the admin prefers
    with language("nl"):
        assert get_language() == "nl"
    assert get_language() == "en"
    with pytest.raises(RuntimeError), language("nl"):
        raise RuntimeError("composing failed")
    assert get_language() == "en"
    set_language("nl")
