"""What each role sees first: the current semester and their part in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from app.memberships import leerkring_ids_of, partner_ids_of
from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtStatus,
    Partner,
    Preference,
    Semester,
    StudentProfile,
    User,
)
from app.semesters import newest_first, status_counts
from app.students.team import published_team


@dataclass
class OpdrachtRow:
    opdracht: Opdracht
    partner: str
    leerkring: str
    copartners: list[str] = field(default_factory=list)


def _rows(session: Session, opdrachten: list[Opdracht]) -> list[OpdrachtRow]:
    partners = {p.id: p.name for p in session.exec(select(Partner))}
    leerkringen = {lk.id: lk.name for lk in session.exec(select(Leerkring))}
    ids = [o.id for o in opdrachten]
    co: dict[int, list[str]] = {}
    for link in session.exec(
        select(OpdrachtCopartner).where(col(OpdrachtCopartner.opdracht_id).in_(ids))
    ):
        co.setdefault(link.opdracht_id, []).append(partners.get(link.partner_id, ""))
    return [
        OpdrachtRow(
            o,
            partners.get(o.owner_partner_id, ""),
            leerkringen.get(o.leerkring_id or 0, ""),
            sorted(co.get(o.id or 0, [])),
        )
        for o in opdrachten
    ]


def admin_overview(*, session: Session, semester: Semester) -> dict[str, Any]:
    students = session.exec(select(func.count()).select_from(StudentProfile)).one()
    ranked = session.exec(
        select(func.count(func.distinct(Preference.student_id))).where(
            Preference.semester_id == semester.id
        )
    ).one()
    semesters = session.exec(select(Semester).order_by(*newest_first())).all()
    return {
        "counts": status_counts(session=session, semester=semester),
        "students": students,
        "ranked": ranked,
        "semesters": semesters,
    }


def wijkdocent_overview(*, session: Session, user: User, semester: Semester) -> dict[str, Any]:
    leerkring_ids = sorted(leerkring_ids_of(session=session, user=user))
    stmt = select(Opdracht).where(Opdracht.semester_id == semester.id)
    if leerkring_ids:
        stmt = stmt.where(col(Opdracht.leerkring_id).in_(leerkring_ids))
    opdrachten = session.exec(stmt.order_by(Opdracht.title)).all()
    names = session.exec(select(Leerkring.name).where(col(Leerkring.id).in_(leerkring_ids)))
    return {
        "rows": _rows(session, list(opdrachten)),
        "leerkringen": sorted(names),
        "counts": status_counts(session=session, semester=semester),
    }


def partner_overview(*, session: Session, user: User, semester: Semester) -> dict[str, Any]:
    partner_ids = partner_ids_of(session=session, user=user)
    co_ids = select(OpdrachtCopartner.opdracht_id).where(
        col(OpdrachtCopartner.partner_id).in_(partner_ids)
    )
    stmt = select(Opdracht).where(
        Opdracht.semester_id == semester.id,
        col(Opdracht.owner_partner_id).in_(partner_ids) | col(Opdracht.id).in_(co_ids),
    )
    partners = session.exec(select(Partner).where(col(Partner.id).in_(partner_ids))).all()
    return {
        "rows": _rows(session, list(session.exec(stmt.order_by(Opdracht.title)))),
        "partners": partners,
    }


def student_overview(*, session: Session, user: User, semester: Semester) -> dict[str, Any]:
    profile = session.exec(select(StudentProfile).where(StudentProfile.user_id == user.id)).first()
    if profile is None:
        return {"profile": None, "ranking": [], "team": None}
    ranking = session.exec(
        select(Preference, Opdracht)
        .join(Opdracht, col(Opdracht.id) == Preference.opdracht_id)
        .where(Preference.semester_id == semester.id, Preference.student_id == profile.id)
        .order_by(col(Preference.rank))
    ).all()
    team = published_team(session, semester, profile)
    return {"profile": profile, "ranking": ranking, "team": team}


def approved_count(*, session: Session, semester: Semester) -> int:
    return status_counts(session=session, semester=semester).get(OpdrachtStatus.APPROVED, 0)
