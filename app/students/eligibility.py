"""Which opdrachten a student may rank, described for the ranking page, and the filters."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtStatus,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Partner,
    Semester,
    StudentProfile,
    TargetGroup,
    Theme,
)
from app.parsing import parse_id


def is_eligible(opdracht: Opdracht, semester: Semester, profile: StudentProfile) -> bool:
    """Approved, in this semester, open to the student's year and (if restricted) leerkring.

    An empty ``eligible_years`` means every year; an opdracht without a leerkring is open to
    students of every leerkring.
    """
    if opdracht.semester_id != semester.id or opdracht.status != OpdrachtStatus.APPROVED:
        return False
    return _open_to(opdracht.eligible_years, opdracht.leerkring_id, semester, profile)


def _open_to(
    eligible_years: Collection[int],
    leerkring_id: int | None,
    semester: Semester,
    profile: StudentProfile,
) -> bool:
    """The year and leerkring rules of ``is_eligible`` for an approved opdracht of ``semester``."""
    if eligible_years and profile.year not in eligible_years:
        return False
    return not (
        semester.restrict_to_leerkring
        and leerkring_id is not None
        and leerkring_id != profile.leerkring_id
    )


# The approved opdrachten of a semester (bound as ``semester_id``), for both queries below;
# built once: every ranking save runs the second.
_APPROVED = (
    col(Opdracht.semester_id) == bindparam("semester_id"),
    col(Opdracht.status) == OpdrachtStatus.APPROVED,
)
_APPROVED_ROWS = select(Opdracht).where(*_APPROVED).order_by(col(Opdracht.title), col(Opdracht.id))
_APPROVED_IDS = select(Opdracht.id, Opdracht.eligible_years, Opdracht.leerkring_id).where(
    *_APPROVED
)


def eligible_opdrachten(
    *, session: Session, semester: Semester, profile: StudentProfile
) -> list[Opdracht]:
    rows = session.exec(_APPROVED_ROWS, params={"semester_id": semester.id})
    return [o for o in rows if is_eligible(o, semester, profile)]


def eligible_ids(*, session: Session, semester: Semester, profile: StudentProfile) -> set[int]:
    """The ids of ``eligible_opdrachten``, read as three plain columns (no full rows): what a
    ranking save checks against."""
    rows = session.exec(_APPROVED_IDS, params={"semester_id": semester.id})
    return {
        opdracht_id
        for opdracht_id, years, leerkring_id in rows
        if opdracht_id is not None and _open_to(years, leerkring_id, semester, profile)
    }


@dataclass
class Offer:
    """An opdracht as the ranking page shows it."""

    opdracht: Opdracht
    partner: str = ""
    copartners: list[str] = field(default_factory=list)
    leerkring: Leerkring | None = None
    themes: list[Theme] = field(default_factory=list)
    groups: list[TargetGroup] = field(default_factory=list)

    @property
    def id(self) -> int:
        assert self.opdracht.id is not None
        return self.opdracht.id


def describe(session: Session, opdrachten: Iterable[Opdracht]) -> list[Offer]:
    """Load partners, leerkring, themes and target groups of ``opdrachten`` in a few queries."""
    offers = [Offer(o) for o in opdrachten]
    ids = [offer.id for offer in offers]
    partners = {p.id: p.name for p in session.exec(select(Partner))}
    leerkringen = {lk.id: lk for lk in session.exec(select(Leerkring))}
    themes: dict[int, list[Theme]] = {}
    for link, theme in session.exec(
        select(OpdrachtTheme, Theme)
        .join(Theme, col(Theme.id) == OpdrachtTheme.theme_id)
        .where(col(OpdrachtTheme.opdracht_id).in_(ids))
    ):
        themes.setdefault(link.opdracht_id, []).append(theme)
    groups: dict[int, list[TargetGroup]] = {}
    for glink, group in session.exec(
        select(OpdrachtTargetGroup, TargetGroup)
        .join(TargetGroup, col(TargetGroup.id) == OpdrachtTargetGroup.target_group_id)
        .where(col(OpdrachtTargetGroup.opdracht_id).in_(ids))
    ):
        groups.setdefault(glink.opdracht_id, []).append(group)
    co: dict[int, list[str]] = {}
    for clink in session.exec(
        select(OpdrachtCopartner).where(col(OpdrachtCopartner.opdracht_id).in_(ids))
    ):
        co.setdefault(clink.opdracht_id, []).append(partners.get(clink.partner_id, ""))
    for offer in offers:
        offer.partner = partners.get(offer.opdracht.owner_partner_id, "")
        offer.copartners = sorted(co.get(offer.id, []))
        offer.leerkring = leerkringen.get(offer.opdracht.leerkring_id or 0)
        offer.themes = sorted(themes.get(offer.id, []), key=lambda t: t.code)
        offer.groups = sorted(groups.get(offer.id, []), key=lambda g: g.code)
    return offers


def _int_or_none(values: list[str] | None) -> int | None:
    if not values:
        return None
    return parse_id(values[0])


@dataclass(frozen=True)
class Filters:
    """The filters of the ranking page; unknown or malformed values are ignored."""

    theme: int | None = None
    group: int | None = None
    leerkring: int | None = None

    @classmethod
    def parse(cls, query: str) -> Filters:
        values = parse_qs(query[:500])
        return cls(
            theme=_int_or_none(values.get("theme")),
            group=_int_or_none(values.get("group")),
            leerkring=_int_or_none(values.get("leerkring")),
        )

    def query(self) -> str:
        pairs = {"theme": self.theme, "group": self.group, "leerkring": self.leerkring}
        return urlencode({k: v for k, v in pairs.items() if v is not None})

    @property
    def active(self) -> bool:
        return bool(self.query())

    def keep(self, offer: Offer) -> bool:
        if self.theme is not None and self.theme not in {t.id for t in offer.themes}:
            return False
        if self.group is not None and self.group not in {g.id for g in offer.groups}:
            return False
        return self.leerkring is None or offer.opdracht.leerkring_id == self.leerkring


@dataclass
class FilterOptions:
    """The choices of each filter: only values that occur among the eligible opdrachten."""

    themes: list[Theme]
    groups: list[TargetGroup]
    leerkringen: list[Leerkring]

    @classmethod
    def of(cls, offers: Iterable[Offer]) -> FilterOptions:
        themes: dict[int | None, Theme] = {}
        groups: dict[int | None, TargetGroup] = {}
        leerkringen: dict[int | None, Leerkring] = {}
        for offer in offers:
            themes.update((t.id, t) for t in offer.themes)
            groups.update((g.id, g) for g in offer.groups)
            if offer.leerkring is not None:
                leerkringen[offer.leerkring.id] = offer.leerkring
        return cls(
            themes=sorted(themes.values(), key=lambda t: t.name_nl),
            groups=sorted(groups.values(), key=lambda g: g.name_nl),
            leerkringen=sorted(leerkringen.values(), key=lambda lk: lk.name),
        )
