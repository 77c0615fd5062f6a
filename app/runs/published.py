"""What students and partners see of the teams, once the semester is published.

While a published semester is reopened for review, partners keep the teams as last published
(``app.runs.last_published``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import (
    MatchRun,
    Member,
    Opdracht,
    OpdrachtCopartner,
    Programme,
    Semester,
    StudentProfile,
    Team,
    User,
)
from app.runs import last_published
from app.runs.last_published import TeamRef
from app.semesters import VISIBLE_PHASES, current_run, current_semester


@dataclass
class PublishedTeam:
    opdracht: Opdracht
    team: Team | TeamRef
    members: list[tuple[User, StudentProfile, Programme]]
    supervisor: User | None


def visible_run(*, session: Session) -> tuple[Semester | None, MatchRun | None]:
    """The current semester and, once it is published, its current run."""
    semester = current_semester(session=session)
    if semester is None or semester.phase not in VISIBLE_PHASES:
        return semester, None
    return semester, current_run(session=session, semester_id=semester.id)


def _teams(session: Session, teams: list[Team]) -> list[PublishedTeam]:
    out = []
    for team in teams:
        rows = session.exec(
            select(User, StudentProfile, Programme)
            .join(StudentProfile, col(StudentProfile.user_id) == User.id)
            .join(Programme, col(Programme.id) == StudentProfile.programme_id)
            .join(Member, col(Member.student_id) == StudentProfile.id)
            .where(Member.team_id == team.id)
            .order_by(col(User.name))
        ).all()
        if not rows:
            continue
        opdracht = session.get(Opdracht, team.opdracht_id)
        assert opdracht is not None
        supervisor = session.get(User, team.supervisor_id) if team.supervisor_id else None
        out.append(PublishedTeam(opdracht, team, [tuple(r) for r in rows], supervisor))  # type: ignore[misc]
    return sorted(out, key=lambda t: (t.opdracht.title.lower(), t.team.index))


def partner_teams(
    *, session: Session, partner_ids: list[int]
) -> tuple[Semester | None, list[PublishedTeam] | None]:
    """Teams on the partner's opdrachten (owned or co-owned); None before publication."""
    semester, run = visible_run(session=session)
    if run is None:
        if semester is not None and last_published.under_review(session=session, semester=semester):
            return semester, _last_published(session, semester, partner_ids)
        return semester, None
    co = select(OpdrachtCopartner.opdracht_id).where(
        col(OpdrachtCopartner.partner_id).in_(partner_ids)
    )
    teams = session.exec(
        select(Team)
        .join(Opdracht, col(Opdracht.id) == Team.opdracht_id)
        .where(
            Team.run_id == run.id,
            col(Opdracht.owner_partner_id).in_(partner_ids) | col(Opdracht.id).in_(co),
        )
    ).all()
    return semester, _teams(session, list(teams))


def _last_published(
    session: Session, semester: Semester, partner_ids: list[int]
) -> list[PublishedTeam]:
    out = []
    for opdracht, team, people in last_published.teams_of_partners(
        session=session, semester=semester, partner_ids=partner_ids
    ):
        assert team.id is not None
        supervisor = session.get(User, team.supervisor_id) if team.supervisor_id else None
        out.append(PublishedTeam(opdracht, TeamRef(team.id, team.team_number), people, supervisor))
    return sorted(out, key=lambda t: (t.opdracht.title.lower(), t.team.index))
