"""Rows the student tests need beyond tests/factories.py: vocabulary, runs and teams."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.models import (
    MatchRun,
    Member,
    Opdracht,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Phase,
    Role,
    RunStatus,
    Semester,
    StudentProfile,
    TargetGroup,
    Team,
    Theme,
    User,
    utcnow,
)
from tests import factories as f


def ranking_semester(session: Session, **kw: object) -> Semester:
    """A semester in the ranking phase with the deadline a few days ahead."""
    kw.setdefault("ranking_deadline", utcnow() + timedelta(days=3))
    return f.semester(session, Phase.RANKING, **kw)


def theme(session: Session, code: str) -> Theme:
    obj = Theme(code=code, name_nl=code, name_en=code)
    session.add(obj)
    session.flush()
    return obj


def target_group(session: Session, code: str) -> TargetGroup:
    obj = TargetGroup(code=code, name_nl=code, name_en=code)
    session.add(obj)
    session.flush()
    return obj


def tag(session: Session, opdracht: Opdracht, *tags: Theme | TargetGroup) -> None:
    assert opdracht.id is not None
    for t in tags:
        assert t.id is not None
        if isinstance(t, Theme):
            session.add(OpdrachtTheme(opdracht_id=opdracht.id, theme_id=t.id))
        else:
            session.add(OpdrachtTargetGroup(opdracht_id=opdracht.id, target_group_id=t.id))
    session.flush()


def student_user(session: Session, profile: StudentProfile) -> User:
    user = session.get(User, profile.user_id)
    assert user is not None
    return user


def team(
    session: Session,
    semester: Semester,
    opdracht: Opdracht,
    members: list[StudentProfile],
    *,
    current: bool = True,
    supervisor: User | None = None,
    ranks: list[int | None] | None = None,
) -> Team:
    """A run of the semester (current or not) with one team of ``members``."""
    assert semester.id is not None
    assert opdracht.id is not None
    run = MatchRun(semester_id=semester.id, status=RunStatus.SUCCEEDED, is_current=current)
    session.add(run)
    session.flush()
    assert run.id is not None
    obj = Team(
        run_id=run.id,
        opdracht_id=opdracht.id,
        index=1,
        supervisor_id=supervisor.id if supervisor else None,
    )
    session.add(obj)
    session.flush()
    assert obj.id is not None
    for i, profile in enumerate(members):
        assert profile.id is not None
        rank = ranks[i] if ranks else None
        session.add(Member(run_id=run.id, team_id=obj.id, student_id=profile.id, rank=rank))
    session.flush()
    return obj


def wijkdocent(session: Session) -> User:
    return f.user(session, Role.WIJKDOCENT)
