"""sync_publication: additions, changes, removals as tombstones, stable ids, only approved."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from app.models import (
    Member,
    PublishedMember,
    PublishedTeam,
    StudentProfile,
    Team,
    TeamStatus,
    User,
    utcnow,
)
from app.runs.snapshot import sync_publication
from tests import factories as f
from tests.api import builders as b


def _teams(session: Session, semester_id: int | None) -> dict[tuple[int, int], PublishedTeam]:
    rows = session.exec(select(PublishedTeam).where(PublishedTeam.semester_id == semester_id))
    return {(t.opdracht_id, t.team_number): t for t in rows}


def test_first_sync_copies_the_approved_teams_of_the_current_run(session: Session):
    p = b.published_semester(session, sync=False)
    counts = sync_publication(session=session, semester=p.semester)
    assert counts["teams_added"] == 3
    assert counts["members_added"] == 9
    teams = _teams(session, p.semester.id)
    first = teams[(p.opdrachten[0].id or 0, 1)]
    assert first.opdracht_title == "Welzijn op Recept"
    assert [x["owner"] for x in first.partners] == [True, False]
    assert first.supervisor_name is not None
    assert first.leerkring_name is not None
    assert first.leerkring_name.startswith("Overbetuwe")


def test_proposed_teams_and_other_runs_are_not_copied(session: Session):
    p = b.published_semester(session, sync=False)
    p.teams[2].status = TeamStatus.PROPOSED
    session.add(p.teams[2])
    old = b.run(session, p.semester, current=False)
    extra = f.student(session, p.programme)
    b.team(session, old, p.opdrachten[1], [extra], index=5)
    counts = sync_publication(session=session, semester=p.semester)
    assert counts["teams_added"] == 2
    assert counts["members_added"] == 6
    numbers = session.exec(select(PublishedMember.student_number)).all()
    assert extra.student_number not in numbers


def test_unchanged_rows_are_left_alone(session: Session):
    p = b.published_semester(session)
    before = {k: t.updated_at for k, t in _teams(session, p.semester.id).items()}
    counts = sync_publication(session=session, semester=p.semester, now=utcnow() + timedelta(1))
    assert counts["teams_unchanged"] == 3
    assert counts["teams_changed"] == counts["members_changed"] == 0
    after = {k: t.updated_at for k, t in _teams(session, p.semester.id).items()}
    assert after == before


def test_a_moved_student_changes_both_teams_and_the_member(session: Session):
    p = b.published_semester(session)
    student = p.students[0]
    b.move(session, student, p.teams[1])
    later = utcnow() + timedelta(hours=1)
    counts = sync_publication(session=session, semester=p.semester, now=later)
    assert counts["teams_changed"] == 2
    assert counts["teams_unchanged"] == 1
    assert counts["members_changed"] == 1
    teams = _teams(session, p.semester.id)
    second = teams[(p.opdrachten[0].id or 0, 2)]
    assert second.updated_at == later
    member = session.exec(
        select(PublishedMember).where(PublishedMember.student_id == student.id)
    ).one()
    assert (member.team_id, member.updated_at) == (second.id, later)


def test_a_removed_team_becomes_a_tombstone_and_comes_back_with_its_id(session: Session):
    p = b.published_semester(session)
    gone = p.teams[2]
    key = (gone.opdracht_id, gone.index)
    published_id = _teams(session, p.semester.id)[key].id
    for m in session.exec(select(Member).where(Member.team_id == gone.id)):
        session.delete(m)
    session.delete(gone)
    session.flush()
    later = utcnow() + timedelta(hours=1)
    counts = sync_publication(session=session, semester=p.semester, now=later)
    assert (counts["teams_removed"], counts["members_removed"]) == (1, 3)
    tombstone = _teams(session, p.semester.id)[key]
    assert (tombstone.deleted_at, tombstone.updated_at) == (later, later)
    members = session.exec(
        select(PublishedMember).where(PublishedMember.team_id == published_id)
    ).all()
    assert all(m.deleted_at == later for m in members)

    # Reopen and republish with the team back: a new run, the same published id.
    new_run = b.run(session, p.semester)
    p.run.is_current = False
    session.add(p.run)
    for team in p.teams[:2]:
        rows = session.exec(select(Member).where(Member.team_id == team.id)).all()
        students = [session.get(StudentProfile, m.student_id) for m in rows]
        supervisor = session.get(User, team.supervisor_id) if team.supervisor_id else None
        b.team(
            session,
            new_run,
            p.opdrachten[0],
            [s for s in students if s],
            index=team.index,
            supervisor=supervisor,
        )
    b.team(session, new_run, p.opdrachten[1], p.students[6:9])
    counts = sync_publication(session=session, semester=p.semester, now=later + timedelta(1))
    assert counts["teams_added"] == 1
    assert counts["teams_unchanged"] == 2
    revived = _teams(session, p.semester.id)[key]
    assert (revived.id, revived.deleted_at) == (published_id, None)


def test_no_current_run_removes_everything(session: Session):
    p = b.published_semester(session)
    p.run.is_current = False
    session.add(p.run)
    counts = sync_publication(session=session, semester=p.semester)
    assert counts["teams_removed"] == 3
    live = session.exec(
        select(PublishedTeam).where(
            PublishedTeam.semester_id == p.semester.id, col(PublishedTeam.deleted_at).is_(None)
        )
    ).all()
    assert live == []
    assert session.exec(select(Team).where(Team.run_id == p.run.id)).first() is not None
