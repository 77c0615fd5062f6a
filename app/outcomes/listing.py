"""The outcome pages a user can open: the teams of semesters in closing or closed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Phase, PublishedTeam, Role, Semester, TeamOutcome, User
from app.outcomes import access
from app.semesters import newest_first

LISTED = (Phase.CLOSING, Phase.CLOSED)


@dataclass
class TeamRow:
    team: PublishedTeam
    outcome: TeamOutcome | None


@dataclass
class SemesterTeams:
    semester: Semester
    rows: list[TeamRow]


def _mine(session: Session, user: User, team: PublishedTeam, cache: dict[str, set[int]]) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.WIJKDOCENT:
        return team.supervisor_id == user.id or team.leerkring_id in cache["leerkringen"]
    if user.role == Role.PARTNER:
        return bool(access.team_partner_ids(team) & cache["partners"])
    return (team.id or 0) in cache["teams"]


def my_teams(*, session: Session, user: User) -> list[SemesterTeams]:
    """Newest semester first; teams in title order."""
    cache = {
        "leerkringen": access.leerkring_ids(session=session, user=user),
        "partners": access.partner_ids(session, user),
        "teams": access.team_ids_of_student(session=session, user=user),
    }
    stmt = (
        select(Semester, PublishedTeam, TeamOutcome)
        .join(PublishedTeam, col(PublishedTeam.semester_id) == Semester.id)
        .outerjoin(TeamOutcome, col(TeamOutcome.published_team_id) == PublishedTeam.id)
        .where(col(Semester.phase).in_(LISTED), col(PublishedTeam.deleted_at).is_(None))
        .order_by(
            *newest_first(),
            col(PublishedTeam.opdracht_title),
            col(PublishedTeam.team_number),
        )
    )
    found: dict[int, SemesterTeams] = {}
    for semester, team, outcome in session.exec(stmt):
        if _mine(session, user, team, cache):
            entry = found.setdefault(semester.id or 0, SemesterTeams(semester, []))
            entry.rows.append(TeamRow(team, outcome))
    return list(found.values())
