"""Wijkdocenten review the opdrachten of their leerkringen; the admin reviews all.

Decisions: approve, reject with a reason, or send back to the partner with a comment (the
opdracht becomes a draft again). Only approved opdrachten enter the ranking phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.audit import record
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.i18n import lazy
from app.memberships import staff_scope
from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtStatus,
    Partner,
    Phase,
    Semester,
    TargetGroup,
    Theme,
    User,
)
from app.notifications.events import opdracht_decided
from app.opdrachten.access import load
from app.opdrachten.cards import Card, Filters, semester_cards
from app.opdrachten.services import STALE, bump
from app.semesters import current_semester, newest_first, require_phase

S = OpdrachtStatus
# decision -> (statuses it may start from, resulting status, comment required)
DECISIONS: dict[str, tuple[set[OpdrachtStatus], OpdrachtStatus, bool]] = {
    "approve": ({S.SUBMITTED, S.REJECTED}, S.APPROVED, False),
    "reject": ({S.SUBMITTED, S.APPROVED}, S.REJECTED, True),
    "send_back": ({S.SUBMITTED, S.APPROVED, S.REJECTED}, S.DRAFT, True),
}
REVIEWABLE = (S.SUBMITTED, S.APPROVED, S.REJECTED)
COMMENT_LIMIT = 2000


@dataclass
class Queue:
    semester: Semester | None
    semesters: list[Semester]
    cards: list[Card]
    leerkringen: list[Leerkring]
    themes: list[Theme]
    target_groups: list[TargetGroup]
    partners: list[Partner]


def scope(*, session: Session, user: User) -> set[int | None] | None:
    """The leerkringen a user reviews (None: all): app.memberships.staff_scope."""
    return staff_scope(session=session, user=user)


def queue(*, session: Session, user: User, semester_id: int | None, filters: Filters) -> Queue:
    semesters = list(session.exec(select(Semester).order_by(*newest_first())))
    semester = next((s for s in semesters if s.id == semester_id), None)
    semester = semester or current_semester(session=session)
    mine = scope(session=session, user=user)
    leerkringen = session.exec(select(Leerkring).order_by(Leerkring.name)).all()
    found: list[Card] = []
    if semester is not None and semester.id is not None:
        found = [
            c
            for c in semester_cards(session=session, semester_id=semester.id, statuses=REVIEWABLE)
            if (mine is None or c.opdracht.leerkring_id in mine) and filters.matches(c)
        ]
    return Queue(
        semester=semester,
        semesters=semesters,
        cards=found,
        leerkringen=[lk for lk in leerkringen if mine is None or lk.id in mine],
        themes=list(session.exec(select(Theme).order_by(Theme.name_nl))),
        target_groups=list(session.exec(select(TargetGroup).order_by(TargetGroup.name_nl))),
        partners=list(session.exec(select(Partner).order_by(Partner.name))),
    )


def get_for_review(*, session: Session, user: User, opdracht_id: int) -> tuple[Opdracht, Semester]:
    opdracht, semester = load(session, opdracht_id)
    mine = scope(session=session, user=user)
    if mine is not None and opdracht.leerkring_id not in mine:
        raise Forbidden(lazy("This opdracht belongs to a leerkring you do not review."))
    if opdracht.status not in REVIEWABLE:
        raise NotFound()  # drafts and withdrawn opdrachten are the partner's own business
    return opdracht, semester


def decide(
    *, session: Session, user: User, opdracht_id: int, decision: str, comment: str, version: str
) -> Opdracht:
    if decision not in DECISIONS:
        raise InvalidInput(lazy("Choose approve, reject or send back."))
    opdracht, semester = get_for_review(session=session, user=user, opdracht_id=opdracht_id)
    require_phase(semester, Phase.INTAKE)
    sources, target, needs_comment = DECISIONS[decision]
    if opdracht.status not in sources:
        raise Conflict(lazy("This is not possible for an opdracht with this status."))
    comment = comment.strip()
    if needs_comment and not comment:
        raise InvalidInput(lazy("Write a comment for the partner: what should change, or why."))
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput(lazy("Use at most %(limit)s characters."), limit=COMMENT_LIMIT)
    before = {"status": str(opdracht.status), "version": opdracht.version}
    if not bump(
        session=session, opdracht=opdracht, status=target, version=version, review_comment=comment
    ):
        raise Conflict(STALE)
    after = {"status": str(target), "version": opdracht.version, "comment": comment}
    record(
        session=session,
        actor=user,
        action=f"opdracht.{decision}",
        entity="opdracht",
        entity_id=opdracht_id,
        semester_id=semester.id,
        before=before,
        after=after,
        reason=comment,
    )
    opdracht_decided(session=session, opdracht=opdracht, decision=decision)
    session.commit()
    return opdracht
