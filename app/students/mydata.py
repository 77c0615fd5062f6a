"""A student's own data as one JSON document: profile, rankings, published teams."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.models import (
    Leerkring,
    Opdracht,
    Preference,
    Programme,
    Semester,
    StudentProfile,
    User,
    utcnow,
)
from app.semesters import oldest_first
from app.students.team import TeamView, published_team


def _profile(session: Session, user: User, profile: StudentProfile | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": user.name,
        "email": user.email,
        "role": str(user.role),
        "preferred_language": str(user.preferred_language),
        "created_at": user.created_at.isoformat(),
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }
    if profile is not None:
        programme = session.get(Programme, profile.programme_id)
        leerkring = session.get(Leerkring, profile.leerkring_id) if profile.leerkring_id else None
        data.update(
            student_number=profile.student_number,
            programme=programme.name_nl if programme else None,
            year=profile.year,
            leerkring=leerkring.name if leerkring else None,
            school=profile.school,
        )
    return data


def _team(view: TeamView) -> dict[str, Any]:
    return {
        "opdracht": view.opdracht.title,
        "team": view.index,
        "partner": view.partner.name if view.partner else None,
        "location": view.opdracht.location,
        "your_choice": view.rank,
        "teammates": [
            {"name": m.name, "programme": m.programme.name_nl if m.programme else None}
            for m in view.teammates
        ],
        "supervisor": view.supervisor.name if view.supervisor else None,
    }


def export(*, session: Session, user: User) -> dict[str, Any]:
    """Everything opdrachtmatch keeps about this student, readable by a person."""
    profile = session.exec(select(StudentProfile).where(StudentProfile.user_id == user.id)).first()
    semesters: list[dict[str, Any]] = []
    if profile is not None:
        prefs = session.exec(
            select(Preference, Opdracht)
            .join(Opdracht, col(Opdracht.id) == Preference.opdracht_id)
            .where(Preference.student_id == profile.id)
            .order_by(col(Preference.semester_id), col(Preference.rank))
        ).all()
        ids = {p.semester_id for p, _ in prefs}
        stmt = select(Semester).order_by(*oldest_first())
        for semester in session.exec(stmt):
            team = published_team(session, semester, profile)
            if semester.id not in ids and team is None:
                continue
            ranking = [
                {"rank": p.rank, "opdracht": o.title, "saved_at": p.updated_at.isoformat()}
                for p, o in prefs
                if p.semester_id == semester.id
            ]
            semesters.append(
                {
                    "semester": semester.code,
                    "ranking": ranking,
                    "team": _team(team) if team else None,
                }
            )
    return {
        "exported_at": utcnow().isoformat(),
        "profile": _profile(session, user, profile),
        "semesters": semesters,
    }
