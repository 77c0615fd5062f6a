"""Builders for match runs, teams and API tokens, on top of tests/factories.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.api_tokens.services import issue_token
from app.models import (
    MatchRun,
    Member,
    Opdracht,
    OpdrachtCopartner,
    Phase,
    Programme,
    Role,
    RunStatus,
    Semester,
    StudentProfile,
    Team,
    TeamStatus,
    User,
    utcnow,
)
from app.runs.snapshot import sync_publication
from tests import factories as f


def token(
    session: Session,
    scopes: tuple[str, ...] = ("teams:read", "opdrachten:read"),
    *,
    expires_at: datetime | None = None,
    revoked: bool = False,
) -> str:
    """Store a token and return its secret."""
    expires_at = expires_at or utcnow() + timedelta(days=30)
    obj, secret = issue_token(
        session=session, name="Timetabling", scopes=list(scopes), expires_at=expires_at
    )
    if revoked:
        obj.revoked_at = utcnow()
        session.flush()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def run(session: Session, semester: Semester, *, current: bool = True) -> MatchRun:
    assert semester.id is not None
    obj = MatchRun(semester_id=semester.id, status=RunStatus.SUCCEEDED, is_current=current)
    session.add(obj)
    session.flush()
    return obj


def team(
    session: Session,
    match_run: MatchRun,
    opdracht: Opdracht,
    students: list[StudentProfile],
    *,
    index: int = 1,
    status: TeamStatus = TeamStatus.APPROVED,
    supervisor: User | None = None,
) -> Team:
    assert match_run.id is not None
    assert opdracht.id is not None
    obj = Team(
        run_id=match_run.id,
        opdracht_id=opdracht.id,
        index=index,
        status=status,
        supervisor_id=supervisor.id if supervisor else None,
    )
    session.add(obj)
    session.flush()
    for s in students:
        assert obj.id is not None
        assert s.id is not None
        session.add(Member(run_id=match_run.id, team_id=obj.id, student_id=s.id))
    session.flush()
    return obj


def move(session: Session, student: StudentProfile, to: Team) -> None:
    """What a wijkdocent's move does to the run: the member points at another team."""
    member = session.exec(
        select(Member).where(Member.student_id == student.id, Member.run_id == to.run_id)
    ).one()
    assert to.id is not None
    member.team_id = to.id
    session.add(member)
    session.flush()


@dataclass
class Published:
    semester: Semester
    run: MatchRun
    opdrachten: list[Opdracht]
    teams: list[Team]
    students: list[StudentProfile]
    programme: Programme
    extra: dict[str, object] = field(default_factory=dict)


def published_semester(
    session: Session, *, code: str | None = None, sync: bool = True
) -> Published:
    """A published semester: two opdrachten (one co-owned), three approved teams of three."""
    sem = f.semester(session, Phase.PUBLISHED, **({"code": code} if code else {}))
    kring = f.leerkring(session, "Overbetuwe")
    owner, co = f.partner(session, "Gemeente Overbetuwe"), f.partner(session, "Forte Welzijn")
    first = f.opdracht(session, sem, owner, title="Welzijn op Recept", leerkring_id=kring.id)
    second = f.opdracht(session, sem, co, title="Kletsbot", location="Elst")
    assert first.id is not None
    assert co.id is not None
    session.add(OpdrachtCopartner(opdracht_id=first.id, partner_id=co.id))
    prog = f.programme(session, "SW")
    students = [f.student(session, prog) for _ in range(9)]
    supervisor = f.user(session, Role.WIJKDOCENT)
    match_run = run(session, sem)
    teams = [
        team(session, match_run, first, students[0:3], index=1, supervisor=supervisor),
        team(session, match_run, first, students[3:6], index=2),
        team(session, match_run, second, students[6:9]),
    ]
    if sync:
        sync_publication(session=session, semester=sem)
    return Published(sem, match_run, [first, second], teams, students, prog)
