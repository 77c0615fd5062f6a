"""A published team of a semester, built directly (the publication snapshot's tables)."""

from __future__ import annotations

from sqlmodel import Session

from app.models import (
    Opdracht,
    Partner,
    Programme,
    PublishedMember,
    PublishedTeam,
    Semester,
    StudentProfile,
    User,
)


def published_team(
    session: Session,
    semester: Semester,
    opdracht: Opdracht,
    partner: Partner,
    students: list[tuple[StudentProfile, User, Programme]],
    *,
    number: int = 1,
    supervisor: User | None = None,
    leerkring_name: str = "",
) -> PublishedTeam:
    team = PublishedTeam(
        semester_id=semester.id or 0,
        opdracht_id=opdracht.id or 0,
        team_number=number,
        opdracht_title=opdracht.title,
        partners=[{"id": partner.id, "name": partner.name, "owner": True}],
        leerkring_id=opdracht.leerkring_id,
        leerkring_name=leerkring_name or None,
        supervisor_id=supervisor.id if supervisor else None,
        supervisor_name=supervisor.name if supervisor else None,
        content_hash="0" * 64,
    )
    session.add(team)
    session.flush()
    for profile, user, programme in students:
        session.add(
            PublishedMember(
                semester_id=semester.id or 0,
                team_id=team.id or 0,
                student_id=profile.id or 0,
                student_number=profile.student_number,
                name=user.name,
                programme_code=programme.code,
                programme_name=programme.name_nl,
                year=profile.year,
            )
        )
    session.flush()
    return team
