"""Load what a run needs from the database once per request: students, opdrachten, teams.

Students are the active student accounts (a profile carries no semester); their ranking is
their Preference rows for the semester's approved opdrachten, cut to the number of rank costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.groups.queries import confirmed_groups
from app.models import (
    Ban,
    Leerkring,
    MatchRun,
    Member,
    Opdracht,
    OpdrachtRequiredProgramme,
    OpdrachtStatus,
    Preference,
    Programme,
    Semester,
    StudentProfile,
    Team,
    User,
)


def skey(student_id: int) -> str:
    return f"s{student_id}"


def okey(opdracht_id: int) -> str:
    return f"o{opdracht_id}"


def key_id(key: str) -> int:
    return int(key[1:])


@dataclass(frozen=True)
class StudentInfo:
    id: int
    user_id: int
    name: str
    email: str
    number: str
    programme: Programme
    year: int
    leerkring_id: int | None
    ranking: tuple[int, ...]  # opdracht ids, first choice first

    def rank_of(self, opdracht_id: int) -> int | None:
        return self.ranking.index(opdracht_id) + 1 if opdracht_id in self.ranking else None


@dataclass(frozen=True)
class OpdrachtInfo:
    opdracht: Opdracht
    required: tuple[str, ...]  # programme codes

    @property
    def id(self) -> int:
        assert self.opdracht.id is not None
        return self.opdracht.id


@dataclass
class SemesterData:
    semester: Semester
    students: dict[int, StudentInfo]
    opdrachten: dict[int, OpdrachtInfo]
    bans: dict[tuple[int, int], Ban]
    leerkringen: dict[int, Leerkring]
    programmes: dict[str, Programme]
    # The confirmed groups (app.groups): code -> member profile ids.
    groups: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def group_codes(self) -> dict[int, str]:
        """Student id -> the code of their group, for the students in one."""
        return {sid: code for code, ids in self.groups.items() for sid in ids}


@dataclass
class RunState:
    """The teams of one run; ``team_of`` maps student id to team id."""

    run: MatchRun
    teams: dict[int, Team]
    members: dict[int, list[Member]] = field(default_factory=dict)
    team_of: dict[int, int] = field(default_factory=dict)

    def member(self, student_id: int) -> Member | None:
        team_id = self.team_of.get(student_id)
        if team_id is None:
            return None
        return next(m for m in self.members[team_id] if m.student_id == student_id)

    def opdracht_of(self, student_id: int) -> int | None:
        team_id = self.team_of.get(student_id)
        return None if team_id is None else self.teams[team_id].opdracht_id


def _approved_opdrachten(
    session: Session, semester: Semester, programmes: dict[int | None, Programme]
) -> dict[int, OpdrachtInfo]:
    """The semester's approved opdrachten by id, with the codes of their required programmes."""
    # the opdrachten with their required programmes: one statement (a round trip saved)
    found: dict[int, Opdracht] = {}
    required: dict[int, list[str]] = {}
    for o, programme_id in session.exec(
        select(Opdracht, OpdrachtRequiredProgramme.programme_id)
        .outerjoin(
            OpdrachtRequiredProgramme,
            col(OpdrachtRequiredProgramme.opdracht_id) == Opdracht.id,
        )
        .where(Opdracht.semester_id == semester.id, Opdracht.status == OpdrachtStatus.APPROVED)
        .order_by(col(Opdracht.id))
    ):
        found[o.id or 0] = o
        if programme_id is not None:
            required.setdefault(o.id or 0, []).append(programmes[programme_id].code)
    return {
        o.id: OpdrachtInfo(o, tuple(sorted(required.get(o.id, []))))
        for o in found.values()
        if o.id is not None
    }


def _rankings(session: Session, semester: Semester, approved: set[int]) -> dict[int, list[int]]:
    """Each student's choices among the approved opdrachten, first choice first."""
    # Plain column rows, not ORM objects: a semester has thousands of preferences. Those of
    # opdrachten that are not approved are left out here rather than by an IN list of every
    # approved one, which costs SQLite more than the rows it saves.
    rankings: dict[int, list[int]] = {}
    for student_id, opdracht_id in session.exec(
        select(Preference.student_id, Preference.opdracht_id)
        .where(Preference.semester_id == semester.id)
        .order_by(col(Preference.student_id), col(Preference.rank))
    ):
        if opdracht_id in approved:
            rankings.setdefault(student_id, []).append(opdracht_id)
    return rankings


def _active_students(
    session: Session,
    programmes: dict[int | None, Programme],
    rankings: dict[int, list[int]],
    longest: int,
) -> dict[int, StudentInfo]:
    """The active student accounts by profile id, their rankings cut to ``longest``."""
    students = {}
    for sid, user_id, number, programme_id, year, leerkring_id, name, email in session.exec(
        select(  # type: ignore[call-overload]  # eight columns: beyond sqlmodel's overloads
            StudentProfile.id,
            StudentProfile.user_id,
            StudentProfile.student_number,
            StudentProfile.programme_id,
            StudentProfile.year,
            StudentProfile.leerkring_id,
            User.name,
            User.email,
        )
        .join(User, col(User.id) == StudentProfile.user_id)
        .where(col(User.active).is_(True))
        .order_by(col(StudentProfile.id))
    ):
        assert sid is not None
        students[sid] = StudentInfo(
            id=sid,
            user_id=user_id,
            name=name,
            email=email,
            number=number,
            programme=programmes[programme_id],
            year=year,
            leerkring_id=leerkring_id,
            ranking=tuple(rankings.get(sid, [])[:longest]),
        )
    return students


def load_semester(session: Session, semester: Semester) -> SemesterData:
    programmes = {p.id: p for p in session.exec(select(Programme))}
    opdrachten = _approved_opdrachten(session, semester, programmes)
    rankings = _rankings(session, semester, set(opdrachten))
    students = _active_students(session, programmes, rankings, len(semester.rank_costs))
    bans = {
        (b.student_id, b.opdracht_id): b
        for b in session.exec(select(Ban).where(Ban.semester_id == semester.id))
    }
    return SemesterData(
        semester=semester,
        students=students,
        opdrachten=opdrachten,
        bans=bans,
        leerkringen={lk.id: lk for lk in session.exec(select(Leerkring)) if lk.id is not None},
        programmes={p.code: p for p in programmes.values()},
        groups=confirmed_groups(session, semester.id),
    )


def load_run_with_semester(session: Session, run_id: int) -> tuple[MatchRun, Semester] | None:
    """A run and its semester in one statement. While the caller holds the semester, later
    lookups of it (``session.get``) find it in the session instead of asking again."""
    row = session.exec(
        select(MatchRun, Semester)
        .join(Semester, col(Semester.id) == MatchRun.semester_id)
        .where(MatchRun.id == run_id)
    ).first()
    return (row[0], row[1]) if row else None


def load_titles(session: Session, semester: Semester) -> SemesterData:
    """Only the semester's approved opdrachten and the programmes: enough to word a student's
    own explanation without loading every student."""
    opdrachten = session.exec(
        select(Opdracht).where(
            Opdracht.semester_id == semester.id, Opdracht.status == OpdrachtStatus.APPROVED
        )
    )
    return SemesterData(
        semester=semester,
        students={},
        opdrachten={o.id: OpdrachtInfo(o, ()) for o in opdrachten if o.id is not None},
        bans={},
        leerkringen={},
        programmes={p.code: p for p in session.exec(select(Programme))},
    )


def load_run(session: Session, run: MatchRun) -> RunState:
    teams = {
        t.id: t
        for t in session.exec(
            select(Team)
            .where(Team.run_id == run.id)
            .order_by(col(Team.opdracht_id), col(Team.index))
        )
        if t.id is not None
    }
    state = RunState(run=run, teams=teams, members={tid: [] for tid in teams})
    for m in session.exec(select(Member).where(Member.run_id == run.id).order_by(col(Member.id))):
        state.members[m.team_id].append(m)
        state.team_of[m.student_id] = m.team_id
    return state


def teams_by_title(data: SemesterData, state: RunState) -> list[Team]:
    """The run's teams in the order people look for them: opdracht title, then number."""

    def key(team: Team) -> tuple[str, int]:
        info = data.opdrachten.get(team.opdracht_id)
        return (info.opdracht.title.lower() if info else "", team.index)

    return sorted(state.teams.values(), key=key)
