"""*Vervolg gewenst*: a draft opdracht in the next semester that continues this one."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.audit import record
from app.models import Opdracht, OpdrachtStatus, Phase, Semester, User
from app.opdrachten.continuation import COPIED
from app.opdrachten.forms import TEXT, OpdrachtForm
from app.opdrachten.services import card_of, set_links
from app.semesters import later_than, oldest_first

PLANNING = (Phase.CONCEPT, Phase.INTAKE)


def next_semester(*, session: Session, semester: Semester) -> Semester | None:
    """The first later semester that still takes opdrachten (concept or intake)."""
    stmt = (
        select(Semester)
        .where(later_than(semester), col(Semester.phase).in_(PLANNING))
        .order_by(*oldest_first())
    )
    return session.exec(stmt).first()


def follow_up_draft(*, session: Session, user: User, source: Opdracht) -> Opdracht | None:
    """The draft continuing ``source`` in the next semester, made when there is none yet;
    None when no later semester takes opdrachten yet. The caller commits."""
    semester = session.get(Semester, source.semester_id)
    target = next_semester(session=session, semester=semester) if semester is not None else None
    if target is None or target.id is None:
        return None
    existing = session.exec(
        select(Opdracht).where(
            Opdracht.continues_id == source.id, Opdracht.semester_id == target.id
        )
    ).first()
    if existing is not None:
        return existing
    copy = Opdracht(
        **{name: getattr(source, name) for name in TEXT + COPIED},
        semester_id=target.id,
        owner_partner_id=source.owner_partner_id,
        status=OpdrachtStatus.DRAFT,
        continues_id=source.id,
        created_by_id=user.id,
    )
    session.add(copy)
    session.flush()
    assert copy.id is not None
    set_links(
        session=session,
        opdracht_id=copy.id,
        form=OpdrachtForm.from_card(card_of(session=session, opdracht=source)),
    )
    record(
        session=session,
        actor=user,
        action="opdracht.follow_up",
        entity="opdracht",
        entity_id=copy.id,
        semester_id=target.id,
        after={"source_id": source.id, "title": copy.title, "status": str(copy.status)},
    )
    return copy
