"""Follow-up across semesters (*borging*): duplicating an opdracht, and the chain of
opdrachten that continue one another with the teams that worked on them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from app.audit import record
from app.errors import Forbidden, NotFound
from app.models import MatchRun, Member, Opdracht, OpdrachtStatus, Phase, Semester, Team, User
from app.opdrachten import access
from app.opdrachten.cards import Card, cards
from app.opdrachten.forms import TEXT, OpdrachtForm
from app.opdrachten.services import card_of, set_links, snapshot
from app.semesters import oldest_first

MAX_CHAIN = 20  # a guard: continues_id is user data and could loop
COPIED: tuple[str, ...] = ("leerkring_id", "eligible_years", "teams", "min_size", "max_size")
COPIED += ("max_per_programme", "min_programmes")


@dataclass
class ChainLink:
    card: Card
    team_sizes: list[int] = field(default_factory=list)


def duplicate_targets(*, session: Session) -> list[Semester]:
    """Semesters a copy can go to: those open for intake."""
    stmt = select(Semester).where(Semester.phase == Phase.INTAKE).order_by(*oldest_first())
    return [s for s in session.exec(stmt) if access.intake_open(s)]


def duplicate_opdracht(
    *, session: Session, user: User, opdracht_id: int, semester_id: int
) -> Opdracht:
    """A draft copy in an intake semester; a copy into a later semester continues the source."""
    source, source_semester = access.load(session, opdracht_id)
    if not access.can_edit(session=session, user=user, opdracht=source):
        raise Forbidden()
    target = session.get(Semester, semester_id)
    if target is None:
        raise NotFound()
    access.require_intake_open(target)
    later = source_semester.code < target.code
    copy = Opdracht(
        **{name: getattr(source, name) for name in TEXT + COPIED},
        semester_id=semester_id,
        owner_partner_id=source.owner_partner_id,
        status=OpdrachtStatus.DRAFT,
        continues_id=source.id if later else source.continues_id,
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
    after = {**snapshot(session, copy), "source_id": source.id}
    record(
        session=session,
        actor=user,
        action="opdracht.duplicate",
        entity="opdracht",
        entity_id=copy.id,
        semester_id=semester_id,
        after=after,
    )
    session.commit()
    return copy


def _team_sizes(session: Session, opdracht_ids: list[int]) -> dict[int, list[int]]:
    """Member counts of the teams of the current match run, per opdracht."""
    stmt = (
        select(Team.opdracht_id, Team.index, func.count(col(Member.id)))
        .join(MatchRun, col(MatchRun.id) == Team.run_id)
        .join(Member, col(Member.team_id) == Team.id)
        .where(col(Team.opdracht_id).in_(opdracht_ids), col(MatchRun.is_current).is_(True))
        .group_by(col(Team.opdracht_id), col(Team.index))
        .order_by(col(Team.opdracht_id), col(Team.index))
    )
    sizes: dict[int, list[int]] = {}
    for opdracht_id, _index, size in session.exec(stmt):
        sizes.setdefault(opdracht_id, []).append(size)
    return sizes


def chain(
    *, session: Session, user: User, opdracht: Opdracht
) -> tuple[list[ChainLink], list[Card]]:
    """What this opdracht continues (oldest first, with team sizes) and what continues it."""
    earlier: list[Opdracht] = []
    seen = {opdracht.id}
    next_id = opdracht.continues_id
    while next_id is not None and next_id not in seen and len(earlier) < MAX_CHAIN:
        seen.add(next_id)
        row = session.get(Opdracht, next_id)
        if row is None:
            break
        earlier.append(row)
        next_id = row.continues_id
    later = session.exec(select(Opdracht).where(Opdracht.continues_id == opdracht.id)).all()
    earlier = [o for o in reversed(earlier) if _visible(session, user, o)]
    sizes = _team_sizes(session, [o.id for o in earlier if o.id is not None])
    links = [
        ChainLink(c, sizes.get(c.opdracht.id or 0, []))
        for c in cards(session=session, opdrachten=earlier)
    ]
    return links, cards(
        session=session, opdrachten=[o for o in later if _visible(session, user, o)]
    )


def _visible(session: Session, user: User, opdracht: Opdracht) -> bool:
    semester = session.get(Semester, opdracht.semester_id)
    return semester is not None and access.can_view(session, user, opdracht, semester)
