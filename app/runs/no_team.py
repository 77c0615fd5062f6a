"""Which of a partner's opdrachten got no team, and why, once the teams are published.

Partners learn it on ``/partner/teams`` and on the opdracht's page. The teams that count are
the ones partners see: the current run's while the semester is published (or closed), the
last published ones while it is reopened for review. The reason is the one the results page
gives wijkdocenten (``why_no_team``), from the current run's students.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import (
    Member,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtStatus,
    PublishedTeam,
    Semester,
    Team,
)
from app.runs import last_published
from app.runs.load import load_run, load_semester
from app.runs.results import run_students, why_no_team
from app.semesters import current_run


def opdrachten_with_a_team(*, session: Session, semester: Semester) -> set[int] | None:
    """Ids of the opdrachten with a team partners see; None while nothing is published."""
    if semester.phase in last_published.PUBLISHED_PHASES:
        run = current_run(session=session, semester_id=semester.id)
        if run is None:
            return set()
        return set(
            session.exec(
                select(Team.opdracht_id)
                .join(Member, col(Member.team_id) == Team.id)
                .where(Team.run_id == run.id)
            )
        )
    if last_published.under_review(session=session, semester=semester):
        return set(
            session.exec(
                select(PublishedTeam.opdracht_id).where(
                    PublishedTeam.semester_id == semester.id,
                    col(PublishedTeam.deleted_at).is_(None),
                )
            )
        )
    return None


def without_team(
    *, session: Session, semester: Semester, opdrachten: list[Opdracht]
) -> list[tuple[Opdracht, str]]:
    """The approved ones of ``opdrachten`` that got no team, each with the reason."""
    with_team = opdrachten_with_a_team(session=session, semester=semester)
    if with_team is None:
        return []
    empty = [o for o in opdrachten if o.status == OpdrachtStatus.APPROVED and o.id not in with_team]
    if not empty:
        return []
    data = load_semester(session, semester)
    run = current_run(session=session, semester_id=semester.id)
    students = run_students(data, load_run(session, run)) if run else []
    return [
        (o, why_no_team(data, data.opdrachten[o.id], students))
        for o in sorted(empty, key=lambda o: o.title.lower())
        if o.id in data.opdrachten
    ]


def partner_without_team(
    *, session: Session, semester: Semester, partner_ids: list[int]
) -> list[tuple[Opdracht, str]]:
    """The partners' own or co-owned opdrachten of the semester that got no team, with why."""
    co = select(OpdrachtCopartner.opdracht_id).where(
        col(OpdrachtCopartner.partner_id).in_(partner_ids)
    )
    mine = session.exec(
        select(Opdracht).where(
            Opdracht.semester_id == semester.id,
            col(Opdracht.owner_partner_id).in_(partner_ids) | col(Opdracht.id).in_(co),
        )
    ).all()
    return without_team(session=session, semester=semester, opdrachten=list(mine))
