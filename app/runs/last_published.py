"""The teams as last published, read from the API's snapshot, for a semester reopened for review.

Reopening takes a published semester back to review, where wijkdocenten may change the
current run. Until a new publication replaces them, students and partners keep seeing what
was published (as the JSON API does): the snapshot rows without a tombstone, joined to the
live people and opdrachten they name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import (
    Opdracht,
    OpdrachtCopartner,
    Phase,
    Programme,
    PublishedMember,
    PublishedTeam,
    Semester,
    StudentProfile,
    User,
)
from app.semesters import newest_first

PUBLISHED_PHASES = (Phase.PUBLISHED, Phase.CLOSED)


@dataclass(frozen=True)
class TeamRef:
    """The parts of a team the pages show: a stable id and its number within the opdracht."""

    id: int
    index: int


def under_review(*, session: Session, semester: Semester | None) -> bool:
    """True while a semester that was published is back before publication (reopened)."""
    if semester is None or semester.phase in PUBLISHED_PHASES:
        return False
    return (
        session.exec(
            select(PublishedTeam.id).where(
                PublishedTeam.semester_id == semester.id, col(PublishedTeam.deleted_at).is_(None)
            )
        ).first()
        is not None
    )


def team_of_student(
    session: Session, semester: Semester, profile: StudentProfile
) -> tuple[PublishedTeam, list[PublishedMember]] | None:
    """The student's published team and its other members, or None."""
    mine = session.exec(
        select(PublishedMember).where(
            PublishedMember.semester_id == semester.id,
            PublishedMember.student_id == profile.id,
            col(PublishedMember.deleted_at).is_(None),
        )
    ).first()
    if mine is None:
        return None
    team = session.get(PublishedTeam, mine.team_id)
    if team is None or team.deleted_at is not None:
        return None
    return team, [m for m in members(session=session, team=team) if m.student_id != profile.id]


def members(*, session: Session, team: PublishedTeam) -> list[PublishedMember]:
    return list(
        session.exec(
            select(PublishedMember)
            .where(PublishedMember.team_id == team.id, col(PublishedMember.deleted_at).is_(None))
            .order_by(col(PublishedMember.name))
        )
    )


def semester_of_student(*, session: Session, profile: StudentProfile) -> Semester | None:
    """The newest semester in whose last publication the student has a team."""
    return session.exec(
        select(Semester)
        .join(PublishedMember, col(PublishedMember.semester_id) == Semester.id)
        .where(PublishedMember.student_id == profile.id, col(PublishedMember.deleted_at).is_(None))
        .order_by(*newest_first())
    ).first()


def teams_of_partners(
    *, session: Session, semester: Semester, partner_ids: list[int]
) -> list[tuple[Opdracht, PublishedTeam, list[tuple[User, StudentProfile, Programme]]]]:
    """Published teams on opdrachten the partners own or co-own, with their members."""
    co = select(OpdrachtCopartner.opdracht_id).where(
        col(OpdrachtCopartner.partner_id).in_(partner_ids)
    )
    rows = session.exec(
        select(Opdracht, PublishedTeam)
        .join(PublishedTeam, col(PublishedTeam.opdracht_id) == Opdracht.id)
        .where(
            PublishedTeam.semester_id == semester.id,
            col(PublishedTeam.deleted_at).is_(None),
            col(Opdracht.owner_partner_id).in_(partner_ids) | col(Opdracht.id).in_(co),
        )
    ).all()
    out = []
    for opdracht, team in rows:
        people = session.exec(
            select(User, StudentProfile, Programme)
            .join(StudentProfile, col(StudentProfile.user_id) == User.id)
            .join(Programme, col(Programme.id) == StudentProfile.programme_id)
            .join(PublishedMember, col(PublishedMember.student_id) == StudentProfile.id)
            .where(PublishedMember.team_id == team.id, col(PublishedMember.deleted_at).is_(None))
            .order_by(col(User.name))
        ).all()
        out.append((opdracht, team, [(u, p, pr) for u, p, pr in people]))
    return out
