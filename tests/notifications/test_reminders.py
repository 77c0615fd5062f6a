"""Ranking reminders: the button on the incomplete list, the scheduled ones, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.config import get_settings
from app.models import Notification, OutboxMessage, Phase, Preference, Role, Semester, utcnow
from app.notifications.reminders import scheduled
from app.ops.__main__ import main
from tests import factories as f
from tests.security.live import live_database
from tests.students import builders as b


def _mails(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


@pytest.fixture
def ranking(session: Session):
    """Two choices needed; one student complete, one with one choice, one with none."""
    sem = b.ranking_semester(session, number_of_ranks=2)
    owner = f.partner(session)
    a, c = f.opdracht(session, sem, owner), f.opdracht(session, sem, owner)
    prog = f.programme(session)
    done, partial, nothing = (f.student(session, prog) for _ in range(3))
    for who, chosen in ((done, [a, c]), (partial, [a])):
        for rank, o in enumerate(chosen, start=1):
            session.add(
                Preference(semester_id=sem.id, student_id=who.id, opdracht_id=o.id, rank=rank)
            )
    session.flush()
    users = [b.student_user(session, s) for s in (done, partial, nothing)]
    return sem, users


def test_the_button_says_how_many_it_sends_and_reminds_each_student_once(
    anon: TestClient, session: Session, ranking, base_url: str
):
    _sem, (_done, partial, nothing) = ranking
    f.login(anon, session, b.wijkdocent(session))
    assert "Herinnering sturen (2 studenten)" in anon.get("/students/incomplete").text
    assert anon.post("/students/incomplete/remind").status_code == 303
    mails = _mails(session)
    assert sorted(m.to for m in mails) == sorted([partial.email, nothing.email])
    assert mails[0].subject == "Herinnering: maak je voorkeuren compleet"
    assert "Kies 2 opdrachten" in mails[0].body
    assert f"{base_url}/login?next=/student/ranking" in mails[0].body
    page = anon.get("/students/incomplete").text
    assert "Herinnering sturen" not in page
    assert "heeft vandaag een herinnering gekregen" in page
    again = anon.post("/students/incomplete/remind", follow_redirects=True)
    assert "Geen herinnering verstuurd" in again.text
    assert len(_mails(session)) == 2


def test_scheduled_reminders_open_48_hours_before_and_after_the_deadline_once_each(
    session: Session, ranking
):
    sem, (_done, partial, nothing) = ranking
    assert sem.ranking_deadline is not None
    deadline = sem.ranking_deadline
    early = deadline - timedelta(days=3)
    assert scheduled(session=session, now=early) == 3  # the ranking is open: everyone
    assert scheduled(session=session, now=early) == 0
    soon = deadline - timedelta(hours=47)
    assert scheduled(session=session, now=soon) == 2  # 48 h before: the incomplete ones
    assert scheduled(session=session, now=soon + timedelta(hours=1)) == 0
    sem.phase = Phase.MATCHING  # the admin closed the ranking before cron ran
    session.add(sem)
    session.commit()
    assert scheduled(session=session, now=deadline + timedelta(minutes=5)) == 2
    assert scheduled(session=session, now=deadline + timedelta(days=1)) == 0
    kinds = [n.facts["when"] for n in session.exec(select(Notification))]
    assert sorted(kinds) == ["open"] * 3 + ["passed"] * 2 + ["soon"] * 2
    passed = [
        m for m in _mails(session) if m.subject == "De deadline voor je voorkeuren is verstreken"
    ]
    assert sorted(m.to for m in passed) == sorted([partial.email, nothing.email])


def test_opening_the_ranking_phase_tells_the_students(anon: TestClient, session: Session):
    sem = f.semester(session, Phase.INTAKE, ranking_deadline=utcnow() + timedelta(days=10))
    f.opdracht(session, sem, f.partner(session))  # approved
    student = b.student_user(session, f.student(session, f.programme(session)))
    f.login(anon, session, f.user(session, Role.ADMIN))
    ok = anon.post(f"/admin/semesters/{sem.id}/advance", data={"phase": "intake"})
    assert ok.status_code == 303
    assert [m.to for m in _mails(session)] == [student.email]
    assert _mails(session)[0].subject == "Geef je voorkeuren op"


def test_the_cron_command_runs_on_its_own_database(monkeypatch: pytest.MonkeyPatch, capsys):
    with live_database("remind") as live:
        with Session(live.engine) as session:
            semester = session.get(Semester, live.semester_id)
            assert semester is not None
            semester.phase = Phase.RANKING
            session.add(semester)
            session.commit()
        monkeypatch.setenv("OM_DATABASE_URL", live.url)
        get_settings.cache_clear()
        try:
            assert main(["remind"]) == 0
            assert main(["remind"]) == 0
        finally:
            get_settings.cache_clear()
        first, second = capsys.readouterr().out.splitlines()
        assert first == "9 reminder(s) queued"  # the nine students: the ranking is open
        assert second == "0 reminder(s) queued"
        with Session(live.engine) as session:
            assert len(session.exec(select(OutboxMessage)).all()) == 9


def test_the_button_reminds_only_the_students_the_wijkdocent_answers_for(
    anon: TestClient, session: Session
):
    sem = b.ranking_semester(session, number_of_ranks=1)
    f.opdracht(session, sem, f.partner(session))
    prog = f.programme(session)
    mine, theirs = f.leerkring(session, "Overbetuwe"), f.leerkring(session, "Liemers")
    own, other, unassigned = (
        b.student_user(session, f.student(session, prog, leerkring_id=kring))
        for kring in (mine.id, theirs.id, None)
    )
    f.login(anon, session, f.wijkdocent(session, mine))
    assert "Herinnering sturen (2 studenten)" in anon.get("/students/incomplete").text
    assert anon.post("/students/incomplete/remind").status_code == 303
    assert sorted(m.to for m in _mails(session)) == sorted([own.email, unassigned.email])
    assert other.email not in {m.to for m in _mails(session)}
