"""Who may see and change a team's outcome.

- The team's students and the wijkdocent (of the team's leerkring, or its supervisor) record
  deliverables and learning effects, and opt a deliverable in for the showcase on the team's
  behalf.
- The users of the owner and co-partners evaluate, and opt in on the partner's behalf.
- The wijkdocent (or the beheerder) confirms the outcome and adds a note.
- The beheerder sees every outcome. Nobody else sees one.
Changes need the *closing* phase; a confirmed outcome no longer changes (sharing excepted).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import Forbidden, NotFound
from app.i18n import lazy
from app.models import (
    LeerkringWijkdocent,
    Opdracht,
    PartnerUser,
    Phase,
    PublishedMember,
    PublishedTeam,
    Role,
    Semester,
    StudentProfile,
    TeamOutcome,
    User,
)
from app.semesters import PhaseClosed, require_phase

CONFIRMED = lazy("This outcome is confirmed by the wijkdocent and can no longer be changed.")


@dataclass
class TeamAccess:
    team: PublishedTeam
    semester: Semester
    opdracht: Opdracht
    outcome: TeamOutcome | None
    member: bool
    partner: bool
    wijkdocent: bool
    admin: bool

    @property
    def can_view(self) -> bool:
        return self.member or self.partner or self.wijkdocent or self.admin

    @property
    def can_record(self) -> bool:
        return self.member or self.wijkdocent

    @property
    def can_evaluate(self) -> bool:
        return self.partner

    @property
    def can_confirm(self) -> bool:
        return self.wijkdocent or self.admin

    @property
    def open(self) -> bool:
        """Whether the outcome can still change: closing phase, not confirmed."""
        confirmed = self.outcome is not None and self.outcome.confirmed_at is not None
        return self.semester.phase == Phase.CLOSING and not confirmed


def partner_ids(session: Session, user: User) -> set[int]:
    stmt = select(PartnerUser.partner_id).where(PartnerUser.user_id == user.id)
    return set(session.exec(stmt))


def leerkring_ids(*, session: Session, user: User) -> set[int]:
    stmt = select(LeerkringWijkdocent.leerkring_id).where(LeerkringWijkdocent.user_id == user.id)
    return set(session.exec(stmt))


def team_ids_of_student(*, session: Session, user: User) -> set[int]:
    stmt = (
        select(PublishedMember.team_id)
        .join(StudentProfile, col(StudentProfile.id) == PublishedMember.student_id)
        .where(StudentProfile.user_id == user.id, col(PublishedMember.deleted_at).is_(None))
    )
    return set(session.exec(stmt))


def team_partner_ids(team: PublishedTeam) -> set[int]:
    return {int(p["id"]) for p in team.partners}


def load(session: Session, user: User, team_id: int) -> TeamAccess:
    """The team's access for ``user``; 404 for an unknown or removed team, 403 for others."""
    team = session.get(PublishedTeam, team_id)
    if team is None or team.deleted_at is not None:
        raise NotFound()
    semester = session.get(Semester, team.semester_id)
    opdracht = session.get(Opdracht, team.opdracht_id)
    if semester is None or opdracht is None:
        raise NotFound()
    outcome = session.exec(
        select(TeamOutcome).where(TeamOutcome.published_team_id == team_id)
    ).first()
    is_wd = user.role == Role.WIJKDOCENT and (
        team.supervisor_id == user.id
        or (team.leerkring_id in leerkring_ids(session=session, user=user))
    )
    found = TeamAccess(
        team=team,
        semester=semester,
        opdracht=opdracht,
        outcome=outcome,
        member=user.role == Role.STUDENT
        and team_id in team_ids_of_student(session=session, user=user),
        partner=user.role == Role.PARTNER
        and bool(team_partner_ids(team) & partner_ids(session, user)),
        wijkdocent=is_wd,
        admin=user.role == Role.ADMIN,
    )
    if not found.can_view:
        raise Forbidden()
    return found


def require_open(found: TeamAccess) -> None:
    require_phase(found.semester, Phase.CLOSING)
    if found.outcome is not None and found.outcome.confirmed_at is not None:
        raise PhaseClosed(CONFIRMED)
