"""The impact overview: what the semesters since publication worked on and what came of it,
per leerkring or network-wide. It reads only rows that outlive the retention purge (the
publication snapshot's teams and programme codes, opdrachten, outcomes), so the figures of
old semesters stay the same after their personal data is gone."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app.models import (
    Deliverable,
    Leerkring,
    Opdracht,
    OpdrachtStatus,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Phase,
    PublishedMember,
    PublishedTeam,
    Semester,
    TargetGroup,
    TeamOutcome,
    Theme,
)
from app.opdrachten.continuation import MAX_CHAIN
from app.semesters import oldest_first

Tag = Theme | TargetGroup
SINCE_PUBLICATION = (Phase.PUBLISHED, Phase.CLOSING, Phase.CLOSED)
DEAD = (OpdrachtStatus.REJECTED, OpdrachtStatus.WITHDRAWN)


@dataclass(frozen=True)
class Filters:
    leerkring_id: int | None = None
    theme_id: int | None = None
    target_group_id: int | None = None


@dataclass
class TeamFacts:
    team: PublishedTeam
    semester: Semester
    students: int
    programmes: set[str]
    outcome: TeamOutcome | None
    deliverables: int


@dataclass
class SemesterRow:
    semester: Semester
    opdrachten: int = 0
    teams: int = 0
    students: int = 0
    programmes: int = 0
    deliverables: int = 0
    rating: float | None = None  # the partners' average usefulness, 1-5
    evaluated: int = 0
    continued: int = 0  # opdrachten that a later one continues
    plans: Counter[str] = field(default_factory=Counter)

    @property
    def continuation_rate(self) -> int | None:
        return round(100 * self.continued / self.opdrachten) if self.opdrachten else None


@dataclass
class ChainStep:
    semester: Semester
    opdracht: Opdracht
    teams: int


@dataclass
class Chain:
    title: str
    steps: list[ChainStep]

    @property
    def teams(self) -> int:
        return sum(s.teams for s in self.steps)

    @property
    def semesters(self) -> int:
        return len({s.semester.id for s in self.steps})


@dataclass
class Overview:
    filters: Filters
    semesters: list[SemesterRow]
    themes: list[tuple[Tag, list[int]]]  # per theme: opdrachten per semester (same order)
    groups: list[tuple[Tag, list[int]]]
    chains: list[Chain]
    facts: list[TeamFacts]
    opdrachten: dict[int, Opdracht]
    theme_names: dict[int, list[Theme]]
    group_names: dict[int, list[TargetGroup]]
    continued_ids: set[int]


def _teams(session: Session, filters: Filters) -> list[tuple[PublishedTeam, Semester]]:
    stmt = (
        select(PublishedTeam, Semester)
        .join(Semester, col(Semester.id) == PublishedTeam.semester_id)
        .where(col(Semester.phase).in_(SINCE_PUBLICATION), col(PublishedTeam.deleted_at).is_(None))
        .order_by(
            *oldest_first(), col(PublishedTeam.opdracht_title), col(PublishedTeam.team_number)
        )
    )
    if filters.leerkring_id is not None:
        stmt = stmt.where(PublishedTeam.leerkring_id == filters.leerkring_id)
    if filters.theme_id is not None:
        tagged = select(OpdrachtTheme.opdracht_id).where(OpdrachtTheme.theme_id == filters.theme_id)
        stmt = stmt.where(col(PublishedTeam.opdracht_id).in_(tagged))
    if filters.target_group_id is not None:
        tagged = select(OpdrachtTargetGroup.opdracht_id).where(
            OpdrachtTargetGroup.target_group_id == filters.target_group_id
        )
        stmt = stmt.where(col(PublishedTeam.opdracht_id).in_(tagged))
    return [(t, s) for t, s in session.exec(stmt)]


def _facts(session: Session, teams: list[tuple[PublishedTeam, Semester]]) -> list[TeamFacts]:
    ids = [t.id for t, _ in teams]
    members: dict[int, list[str]] = defaultdict(list)
    stmt = select(PublishedMember.team_id, PublishedMember.programme_code).where(
        col(PublishedMember.team_id).in_(ids), col(PublishedMember.deleted_at).is_(None)
    )
    for team_id, code in session.exec(stmt):
        members[team_id].append(code)
    outcomes = {
        o.published_team_id: o
        for o in session.exec(
            select(TeamOutcome).where(col(TeamOutcome.published_team_id).in_(ids))
        )
    }
    counts = Counter(
        session.exec(
            select(Deliverable.outcome_id).where(
                col(Deliverable.outcome_id).in_([o.id for o in outcomes.values()])
            )
        )
    )
    result = []
    for team, semester in teams:
        outcome = outcomes.get(team.id or 0)
        codes = members.get(team.id or 0, [])
        delivered = counts.get(outcome.id or 0, 0) if outcome else 0
        result.append(TeamFacts(team, semester, len(codes), set(codes), outcome, delivered))
    return result


def _tags(
    session: Session, ids: set[int]
) -> tuple[dict[int, list[Theme]], dict[int, list[TargetGroup]]]:
    themes: dict[int, list[Theme]] = defaultdict(list)
    for oid, theme in session.exec(
        select(OpdrachtTheme.opdracht_id, Theme)
        .join(Theme, col(Theme.id) == OpdrachtTheme.theme_id)
        .where(col(OpdrachtTheme.opdracht_id).in_(ids))
        .order_by(col(Theme.name_nl))
    ):
        themes[oid].append(theme)
    groups: dict[int, list[TargetGroup]] = defaultdict(list)
    for oid, group in session.exec(
        select(OpdrachtTargetGroup.opdracht_id, TargetGroup)
        .join(TargetGroup, col(TargetGroup.id) == OpdrachtTargetGroup.target_group_id)
        .where(col(OpdrachtTargetGroup.opdracht_id).in_(ids))
        .order_by(col(TargetGroup.name_nl))
    ):
        groups[oid].append(group)
    return themes, groups


def _semester_rows(facts: list[TeamFacts], continued: set[int]) -> list[SemesterRow]:
    rows: dict[int, SemesterRow] = {}
    opdrachten: dict[int, set[int]] = defaultdict(set)
    programmes: dict[int, set[str]] = defaultdict(set)
    ratings: dict[int, list[int]] = defaultdict(list)
    for fact in facts:
        sid = fact.semester.id or 0
        row = rows.setdefault(sid, SemesterRow(fact.semester))
        row.teams += 1
        row.students += fact.students
        row.deliverables += fact.deliverables
        opdrachten[sid].add(fact.team.opdracht_id)
        programmes[sid] |= fact.programmes
        o = fact.outcome
        if o is not None and o.usefulness is not None:
            ratings[sid].append(o.usefulness)
            row.plans[str(o.partner_plan)] += 1
    for sid, row in rows.items():
        row.opdrachten = len(opdrachten[sid])
        row.programmes = len(programmes[sid])
        row.continued = len(opdrachten[sid] & continued)
        row.evaluated = len(ratings[sid])
        row.rating = round(sum(ratings[sid]) / len(ratings[sid]), 1) if ratings[sid] else None
    return list(rows.values())


def _matrix(
    rows: list[SemesterRow],
    facts: list[TeamFacts],
    names: Mapping[int, Sequence[Tag]],
) -> list[tuple[Tag, list[int]]]:
    index = {row.semester.id: i for i, row in enumerate(rows)}
    seen: dict[int, set[tuple[int, int]]] = defaultdict(set)  # tag id -> {(semester, opdracht)}
    tags: dict[int, Tag] = {}
    for fact in facts:
        for tag in names.get(fact.team.opdracht_id, []):
            tags[tag.id or 0] = tag
            seen[tag.id or 0].add((fact.semester.id or 0, fact.team.opdracht_id))
    result: list[tuple[Tag, list[int]]] = []
    for tag_id, tag in tags.items():
        counts = [0] * len(rows)
        for sid, _ in seen[tag_id]:
            counts[index[sid]] += 1
        result.append((tag, counts))
    result.sort(key=lambda item: (-sum(item[1]), item[0].name_nl))
    return result


def _descendants(start: Opdracht, children: dict[int, list[Opdracht]]) -> list[Opdracht]:
    """``start`` and the opdrachten that continue it, breadth first, at most MAX_CHAIN."""
    members: list[Opdracht] = []
    queue = [start]
    while queue and len(members) < MAX_CHAIN:
        o = queue.pop(0)
        if any(m.id == o.id for m in members):
            continue
        members.append(o)
        queue.extend(children.get(o.id or 0, []))
    return members


def _chains(
    session: Session, facts: list[TeamFacts], semesters: dict[int, Semester]
) -> tuple[list[Chain], set[int]]:
    """The follow-up chains through the opdrachten in view, and which of those continue."""
    alive = list(session.exec(select(Opdracht).where(col(Opdracht.status).not_in(DEAD))))
    by_id = {o.id: o for o in alive}
    children: dict[int, list[Opdracht]] = defaultdict(list)
    for o in alive:
        if o.continues_id in by_id:
            children[o.continues_id or 0].append(o)
    teams = Counter(fact.team.opdracht_id for fact in facts)
    in_view = set(teams)

    def root(o: Opdracht) -> Opdracht:
        seen = {o.id}
        while o.continues_id in by_id and o.continues_id not in seen and len(seen) < MAX_CHAIN:
            o = by_id[o.continues_id]
            seen.add(o.id)
        return o

    roots = {root(by_id[i]).id: root(by_id[i]) for i in in_view if i in by_id}
    chains = []
    for start in roots.values():
        members = _descendants(start, children)
        if len(members) < 2:
            continue
        steps = [
            ChainStep(semesters[o.semester_id], o, teams.get(o.id or 0, 0))
            for o in members
            if o.semester_id in semesters
        ]
        steps.sort(key=lambda s: s.semester.code)
        chains.append(Chain(start.title, steps))
    chains.sort(key=lambda c: (-c.semesters, -c.teams, c.title))
    return chains, {i for i in in_view if children.get(i)}


def overview(*, session: Session, filters: Filters) -> Overview:
    facts = _facts(session, _teams(session, filters))
    semesters = {s.id or 0: s for s in session.exec(select(Semester))}
    chains, continued = _chains(session, facts, semesters)
    rows = _semester_rows(facts, continued)
    ids = {fact.team.opdracht_id for fact in facts}
    themes, groups = _tags(session, ids)
    opdrachten = {
        o.id or 0: o for o in session.exec(select(Opdracht).where(col(Opdracht.id).in_(ids)))
    }
    return Overview(
        filters=filters,
        semesters=rows,
        themes=_matrix(rows, facts, themes),
        groups=_matrix(rows, facts, groups),
        chains=chains,
        facts=facts,
        opdrachten=opdrachten,
        theme_names=themes,
        group_names=groups,
        continued_ids=continued,
    )


def choices(*, session: Session) -> dict[str, Any]:
    return {
        "leerkringen": list(session.exec(select(Leerkring).order_by(col(Leerkring.name)))),
        "themes": list(session.exec(select(Theme).order_by(col(Theme.name_nl)))),
        "groups": list(session.exec(select(TargetGroup).order_by(col(TargetGroup.name_nl)))),
    }
