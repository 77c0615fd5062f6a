"""A student's team, shown only once the semester's teams are published.

While a published semester is reopened for review, the student keeps the team as last
published (``app.runs.last_published``) until a new publication replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.groups.queries import GroupView, group_of
from app.models import (
    Leerkring,
    MatchRun,
    Member,
    Opdracht,
    Partner,
    Preference,
    Programme,
    Semester,
    StudentProfile,
    Team,
    User,
)
from app.runs import last_published
from app.runs.load import load_titles
from app.runs.wording import explain
from app.semesters import VISIBLE_PHASES, is_current_run, newest_first


@dataclass
class Teammate:
    name: str
    programme: Programme | None


@dataclass
class TeamView:
    index: int  # the team's number within the opdracht
    opdracht: Opdracht
    partner: Partner | None
    leerkring: Leerkring | None
    supervisor: User | None
    rank: int | None  # which of the student's choices this was; None: not ranked
    teammates: list[Teammate] = field(default_factory=list)
    why: str = ""  # why they got this choice, from the solver's reason (or: changed by hand)
    group: GroupView | None = None  # the student's group (app.groups), placed together


def _group(session: Session, semester: Semester, profile: StudentProfile) -> GroupView | None:
    group = group_of(session, semester.id, profile.id)
    return group if group is not None and group.confirmed else None


def is_published(semester: Semester) -> bool:
    return semester.phase in VISIBLE_PHASES


def team_semester(session: Session, profile: StudentProfile) -> Semester | None:
    """The newest published (or closed, or reopened) semester in which the student has a team."""
    live = session.exec(
        select(Semester)
        .join(MatchRun, col(MatchRun.semester_id) == Semester.id)
        .join(Member, col(Member.run_id) == MatchRun.id)
        .where(
            Member.student_id == profile.id,
            col(MatchRun.is_current).is_(True),
            col(Semester.phase).in_(VISIBLE_PHASES),
        )
        .order_by(*newest_first())
    ).first()
    reopened = last_published.semester_of_student(session=session, profile=profile)
    candidates = [s for s in (live, reopened) if s is not None]
    return max(candidates, key=lambda s: s.code) if candidates else None


def _current_placement(
    session: Session, semester: Semester, profile: StudentProfile
) -> tuple[Team, Member, MatchRun] | None:
    """The student's team, membership and run in the semester's current run, if any."""
    return session.exec(
        select(Team, Member, MatchRun)
        .join(Member, col(Member.team_id) == Team.id)
        .join(MatchRun, col(MatchRun.id) == Team.run_id)
        .where(
            Member.student_id == profile.id,
            is_current_run(semester.id),
        )
    ).first()


def _rank_given(
    session: Session, semester: Semester, profile: StudentProfile, opdracht: Opdracht
) -> int | None:
    """The rank the student gave this opdracht; None: not ranked."""
    return session.exec(
        select(Preference.rank).where(
            Preference.semester_id == semester.id,
            Preference.student_id == profile.id,
            Preference.opdracht_id == opdracht.id,
        )
    ).first()


def published_team(
    session: Session, semester: Semester, profile: StudentProfile
) -> TeamView | None:
    """The student's team in the semester's current run; None before publication.

    Teams of a run that is not current, or of a semester still in matching or review, are
    proposals: students never see them.
    """
    if not is_published(semester):
        return _last_published_team(session, semester, profile)
    row = _current_placement(session, semester, profile)
    if row is None:
        return None
    team, member, run = row
    opdracht = session.get(Opdracht, team.opdracht_id)
    assert opdracht is not None
    preference = _rank_given(session, semester, profile, opdracht)
    return TeamView(
        index=team.index,
        opdracht=opdracht,
        partner=session.get(Partner, opdracht.owner_partner_id),
        leerkring=session.get(Leerkring, opdracht.leerkring_id) if opdracht.leerkring_id else None,
        supervisor=session.get(User, team.supervisor_id) if team.supervisor_id else None,
        rank=preference if preference is not None else member.rank,
        teammates=_teammates(session, team, profile),
        why=explain(
            load_titles(session, semester),
            run.explanations.get(f"s{profile.id}"),
            student=True,
            now_on=team.opdracht_id,
            by_hand=member.override_reason,
            check_stale=True,
            first_choice=_first_choice(session, semester, profile),
        ),
        group=_group(session, semester, profile),
    )


def _first_choice(session: Session, semester: Semester, profile: StudentProfile) -> int | None:
    return session.exec(
        select(Preference.opdracht_id).where(
            Preference.semester_id == semester.id,
            Preference.student_id == profile.id,
            Preference.rank == 1,
        )
    ).first()


def _teammates(session: Session, team: Team, profile: StudentProfile) -> list[Teammate]:
    rows = session.exec(
        select(User.name, Programme)
        .select_from(Member)
        .join(StudentProfile, col(StudentProfile.id) == Member.student_id)
        .join(User, col(User.id) == StudentProfile.user_id)
        .join(Programme, col(Programme.id) == StudentProfile.programme_id, isouter=True)
        .where(Member.team_id == team.id, Member.student_id != profile.id)
        .order_by(col(User.name))
    )
    return [Teammate(name, programme) for name, programme in rows]


def _last_published_team(
    session: Session, semester: Semester, profile: StudentProfile
) -> TeamView | None:
    """The team as last published, while the semester is reopened for review; else None."""
    if not last_published.under_review(session=session, semester=semester):
        return None
    found = last_published.team_of_student(session, semester, profile)
    if found is None:
        return None
    team, others = found
    opdracht = session.get(Opdracht, team.opdracht_id)
    assert opdracht is not None
    rank = session.exec(
        select(Preference.rank).where(
            Preference.semester_id == semester.id,
            Preference.student_id == profile.id,
            Preference.opdracht_id == opdracht.id,
        )
    ).first()
    programmes = {p.code: p for p in session.exec(select(Programme))}
    return TeamView(
        index=team.team_number,
        opdracht=opdracht,
        partner=session.get(Partner, opdracht.owner_partner_id),
        leerkring=session.get(Leerkring, team.leerkring_id) if team.leerkring_id else None,
        supervisor=session.get(User, team.supervisor_id) if team.supervisor_id else None,
        rank=rank,
        teammates=[Teammate(m.name, programmes.get(m.programme_code)) for m in others],
        group=_group(session, semester, profile),
    )
