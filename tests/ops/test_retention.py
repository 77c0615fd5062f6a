from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.models import (
    AuditEvent,
    MatchRun,
    Member,
    Phase,
    Preference,
    RunStatus,
    Team,
    User,
    utcnow,
)
from app.ops.retention import purge
from tests import factories as f


def _semester_with_data(session: Session, phase: Phase, age_days: int):
    sem = f.semester(session, phase, updated_at=utcnow() - timedelta(days=age_days))
    prog = f.programme(session)
    owner = f.partner(session)
    opd = f.opdracht(session, sem, owner)
    student = f.student(session, prog)
    session.add(Preference(semester_id=sem.id, student_id=student.id, opdracht_id=opd.id, rank=1))
    run = MatchRun(
        semester_id=sem.id,
        status=RunStatus.SUCCEEDED,
        is_current=True,
        statistics={"rank_histogram": {"1": 1}},
    )
    session.add(run)
    session.flush()
    team = Team(run_id=run.id, opdracht_id=opd.id, index=1)
    session.add(team)
    session.flush()
    session.add(Member(run_id=run.id, team_id=team.id, student_id=student.id))
    session.add(AuditEvent(action="x", entity="semester", semester_id=sem.id))
    session.flush()
    return sem, student, run


def test_purges_old_closed_semesters_and_keeps_statistics(session: Session):
    old, old_student, old_run = _semester_with_data(session, Phase.CLOSED, 400)
    new, new_student, _ = _semester_with_data(session, Phase.CLOSED, 30)
    report = purge(session=session, months=12)
    assert report.semesters == [old.code]
    assert session.exec(select(Preference).where(Preference.semester_id == old.id)).all() == []
    assert session.exec(select(Member).where(Member.run_id == old_run.id)).all() == []
    assert session.exec(select(AuditEvent).where(AuditEvent.semester_id == old.id)).all() == []
    session.refresh(old_run)
    assert old_run.statistics == {"rank_histogram": {"1": 1}}
    gone = session.get(User, old_student.user_id)
    assert gone is not None
    assert gone.email.startswith("purged-")
    assert not gone.active
    kept = session.get(User, new_student.user_id)
    assert kept is not None
    assert not kept.email.startswith("purged-")
    assert session.exec(select(Preference).where(Preference.semester_id == new.id)).all()


def test_dry_run_changes_nothing(session: Session):
    old, _student, _run = _semester_with_data(session, Phase.CLOSED, 400)
    report = purge(session=session, months=12, dry_run=True)
    assert report.semesters == [old.code]
    assert report.counts["rankings"] == 1
    assert session.exec(select(Preference).where(Preference.semester_id == old.id)).all()


def test_open_semesters_are_never_purged(session: Session):
    _semester_with_data(session, Phase.PUBLISHED, 800)
    assert purge(session=session, months=12).semesters == []
