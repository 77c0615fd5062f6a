"""Submitted opdrachten that nobody reviewed before their semester left the intake.

Only approved opdrachten enter the ranking, so such an opdracht silently drops out; the
dashboards of wijkdocenten (their leerkringen) and admins (all) list them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Leerkring, Opdracht, OpdrachtStatus, Partner, Phase, Semester, User
from app.review.services import scope
from app.semesters import newest_first

BEFORE_INTAKE_ENDS = (Phase.CONCEPT, Phase.INTAKE)


@dataclass(frozen=True)
class Unreviewed:
    opdracht: Opdracht
    semester: Semester
    partner: str
    leerkring: str


def unreviewed(*, session: Session, user: User) -> list[Unreviewed]:
    """Submitted opdrachten of semesters past the intake, in the user's leerkringen."""
    mine = scope(session=session, user=user)
    rows = session.exec(
        select(Opdracht, Semester, Partner)
        .join(Semester, col(Semester.id) == Opdracht.semester_id)
        .join(Partner, col(Partner.id) == Opdracht.owner_partner_id)
        .where(
            Opdracht.status == OpdrachtStatus.SUBMITTED,
            col(Semester.phase).not_in(BEFORE_INTAKE_ENDS),
        )
        .order_by(*newest_first(), col(Opdracht.title))
    ).all()
    names = {lk.id: lk.name for lk in session.exec(select(Leerkring))}
    return [
        Unreviewed(o, s, p.name, names.get(o.leerkring_id, ""))
        for o, s, p in rows
        if mine is None or o.leerkring_id in mine
    ]
