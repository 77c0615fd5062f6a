"""The catalogue: a semester's approved opdrachten, filtered, with counts per tag."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from app.models import Leerkring, OpdrachtStatus, Phase, Semester, TargetGroup, Theme, User
from app.opdrachten.access import catalogue_open
from app.opdrachten.cards import Card, Filters, semester_cards
from app.semesters import current_semester, newest_first

YEARS = (1, 2, 3, 4)


@dataclass
class Catalogue:
    semester: Semester | None
    semesters: list[Semester]
    cards: list[Card] = field(default_factory=list)
    theme_counts: list[tuple[Theme, int]] = field(default_factory=list)
    group_counts: list[tuple[TargetGroup, int]] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)
    leerkringen: list[Leerkring] = field(default_factory=list)
    years: tuple[int, ...] = YEARS
    not_open: Semester | None = None


def open_semesters(*, session: Session, user: User) -> list[Semester]:
    """Semesters whose catalogue this user may browse, newest first."""
    stmt = select(Semester).where(Semester.phase != Phase.CONCEPT)
    rows = session.exec(stmt.order_by(*newest_first()))
    return [s for s in rows if catalogue_open(user, s)]


def _counts(
    cards: list[Card], filters: Filters, skip: str, tags: Callable[[Card], Iterable[Any]]
) -> list[tuple[Any, int]]:
    """How many results each tag would give: every filter applies except its own."""
    counted: dict[int, tuple[Any, int]] = {}
    for card in cards:
        if filters.matches(card, skip=skip):
            for tag in tags(card):
                counted[tag.id] = (tag, counted.get(tag.id, (tag, 0))[1] + 1)
    return sorted(counted.values(), key=lambda pair: (-pair[1], pair[0].name_nl))


def catalogue(
    *, session: Session, user: User, semester_id: int | None, filters: Filters
) -> Catalogue:
    semesters = open_semesters(session=session, user=user)
    wanted = semester_id
    if wanted is None:
        current = current_semester(session=session)
        wanted = current.id if current else None
    semester = next((s for s in semesters if s.id == wanted), None)
    page = Catalogue(semester=semester, semesters=semesters)
    if semester is None and wanted is not None:
        # Not open to this user yet (a student during intake): say so rather than 404.
        asked = session.get(Semester, wanted)
        page.not_open = asked if asked and asked.phase != Phase.CONCEPT else None
    if semester is None or semester.id is None:
        return page
    approved = semester_cards(
        session=session, semester_id=semester.id, statuses=[OpdrachtStatus.APPROVED]
    )
    page.cards = [c for c in approved if filters.matches(c)]
    page.theme_counts = _counts(approved, filters, "theme_id", lambda c: c.themes)
    page.group_counts = _counts(approved, filters, "target_group_id", lambda c: c.target_groups)
    page.themes = list(session.exec(select(Theme).order_by(Theme.name_nl)))
    page.target_groups = list(session.exec(select(TargetGroup).order_by(TargetGroup.name_nl)))
    page.leerkringen = list(session.exec(select(Leerkring).order_by(Leerkring.name)))
    return page
