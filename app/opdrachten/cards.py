"""Opdrachten with their names and tags resolved, for lists, the queue and the catalogue.

A semester holds tens of opdrachten, not thousands: loading them with their tags in a few
queries and filtering in Python keeps the filters identical on SQLite and PostgreSQL
(``eligible_years`` is a JSON list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar
from urllib.parse import urlencode

from sqlalchemy import Select
from sqlmodel import Session, SQLModel, col, select

from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtRequiredProgramme,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Partner,
    Programme,
    Semester,
    TargetGroup,
    Theme,
)

M = TypeVar("M", bound=SQLModel)


@dataclass
class Card:
    opdracht: Opdracht
    semester_code: str
    owner: Partner
    copartners: list[Partner] = field(default_factory=list)
    leerkring: Leerkring | None = None
    themes: list[Theme] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)
    required: list[Programme] = field(default_factory=list)

    @property
    def partner_ids(self) -> set[int]:
        return {p.id for p in [self.owner, *self.copartners] if p.id is not None}

    def text(self) -> str:
        """Everything free-text search looks at, lower-cased."""
        o = self.opdracht
        names = " ".join(p.name for p in [self.owner, *self.copartners])
        return f"{o.title} {o.description} {o.location} {names}".lower()


@dataclass(frozen=True)
class Filters:
    theme_id: int | None = None
    target_group_id: int | None = None
    leerkring_id: int | None = None
    partner_id: int | None = None
    year: int | None = None
    status: str = ""
    q: str = ""

    def matches(self, card: Card, *, skip: str = "") -> bool:
        """True when the card passes every filter except ``skip`` (for facet counts)."""
        o = card.opdracht
        checks: dict[str, Callable[[Any], bool]] = {
            # A broad theme (wonen) also finds opdrachten tagged with its sub-themes.
            "theme_id": lambda v: (
                v in {t.id for t in card.themes} | {t.parent_id for t in card.themes}
            ),
            "target_group_id": lambda v: v in {g.id for g in card.target_groups},
            "leerkring_id": lambda v: o.leerkring_id == v,
            "partner_id": lambda v: v in card.partner_ids,
            # No years listed means open to every year.
            "year": lambda v: not o.eligible_years or v in o.eligible_years,
            "status": lambda v: o.status == v,
            "q": lambda v: all(word in card.text() for word in v.lower().split()),
        }
        return all(
            check(getattr(self, name))
            for name, check in checks.items()
            if name != skip and getattr(self, name) not in (None, "")
        )

    def query(self, **changes: object) -> str:
        """The filters as a query string (``theme_id`` as ``theme``), with ``changes``."""
        values = {**{f.name: getattr(self, f.name) for f in fields(self)}, **changes}
        pairs = {k.removesuffix("_id"): v for k, v in values.items() if v not in (None, "")}
        return urlencode(pairs)


def _by_id(session: Session, model: type[M], ids: Iterable[int | None]) -> dict[int, M]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(model).where(col(model.id).in_(wanted)))  # type: ignore[attr-defined]
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


def _links(
    session: Session, model: type[SQLModel], column: str, ids: list[int] | Select[Any]
) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    # Two plain columns, not link objects: building models dominated the catalogue page.
    key = col(model.opdracht_id)  # type: ignore[attr-defined]
    stmt = select(key, col(getattr(model, column))).where(key.in_(ids))
    for opdracht_id, value in session.exec(stmt):
        found[opdracht_id].append(value)
    return found


def _pick(table: dict[int, M], keys: list[int]) -> list[M]:
    return [table[k] for k in keys if k in table]


def cards(
    *, session: Session, opdrachten: Iterable[Opdracht], scope: Select[Any] | None = None
) -> list[Card]:
    """Cards of ``opdrachten``. ``scope``, the ids of the same opdrachten as a query, lets the
    tags be read with it as a subquery instead of a list of ids (which SQLAlchemy expands
    into one bound parameter per id on every execution)."""
    rows = list(opdrachten)
    if not rows:
        return []
    ids = [o.id for o in rows if o.id is not None]
    keys = ids if scope is None else scope
    co = _links(session, OpdrachtCopartner, "partner_id", keys)
    th = _links(session, OpdrachtTheme, "theme_id", keys)
    tg = _links(session, OpdrachtTargetGroup, "target_group_id", keys)
    rp = _links(session, OpdrachtRequiredProgramme, "programme_id", keys)
    partners = _by_id(
        session, Partner, [o.owner_partner_id for o in rows] + [p for v in co.values() for p in v]
    )
    themes = _by_id(session, Theme, [t for v in th.values() for t in v])
    groups = _by_id(session, TargetGroup, [g for v in tg.values() for g in v])
    programmes = _by_id(session, Programme, [p for v in rp.values() for p in v])
    leerkringen = _by_id(session, Leerkring, [o.leerkring_id for o in rows])
    semesters = _by_id(session, Semester, [o.semester_id for o in rows])

    return [
        Card(
            opdracht=o,
            semester_code=semesters[o.semester_id].code,
            owner=partners[o.owner_partner_id],
            copartners=sorted(_pick(partners, co[o.id or 0]), key=lambda p: p.name),
            leerkring=leerkringen.get(o.leerkring_id or 0),
            themes=sorted(_pick(themes, th[o.id or 0]), key=lambda t: t.name_nl),
            target_groups=sorted(_pick(groups, tg[o.id or 0]), key=lambda g: g.name_nl),
            required=sorted(_pick(programmes, rp[o.id or 0]), key=lambda p: p.sort_order),
        )
        for o in rows
    ]


def semester_cards(
    *, session: Session, semester_id: int, statuses: Iterable[str] = ()
) -> list[Card]:
    where = [col(Opdracht.semester_id) == semester_id]
    wanted = list(statuses)
    if wanted:
        where.append(col(Opdracht.status).in_(wanted))
    rows = session.exec(select(Opdracht).where(*where).order_by(Opdracht.title))
    return cards(session=session, opdrachten=rows, scope=select(col(Opdracht.id)).where(*where))
