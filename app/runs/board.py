"""The wijkdocent's team board: every team of a run as a card, per leerkring, with filters.

Filters are plain query parameters (leerkring, opdracht, programme, breaks a rule, got choice
>= k, a search on name or student number). Team filters pick cards; student filters pick the
cards with a matching member and mark those members. Unplaced students sit in a tray, each with
up to three suggested placements, those that break no rule first, cheapest first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from app.models import Member
from app.parsing import parse_id
from app.runs.adjust import NEW, Dest, Effect, Plan, evaluate
from app.runs.load import RunState, SemesterData, StudentInfo
from app.runs.results import TeamView, run_students, team_views
from app.runs.rules import student_cost

MAX_QUERY = 80
SUGGESTIONS = 3


@dataclass
class BoardFilter:
    leerkring: int | None = None
    opdracht: int | None = None
    programme: str = ""
    broken: bool = False
    min_rank: int | None = None
    q: str = ""

    @classmethod
    def parse(cls, params: dict[str, str]) -> BoardFilter:
        return cls(
            leerkring=parse_id(params.get("leerkring")),
            opdracht=parse_id(params.get("opdracht")),
            programme=(params.get("programme") or "")[:16],
            broken=params.get("broken") in ("1", "true", "on"),
            min_rank=parse_id(params.get("min_rank")),
            q=(params.get("q") or "").strip()[:MAX_QUERY],
        )

    def query(self, **extra: object) -> str:
        """The filter (and ``extra``) as a query string, for links and redirects."""
        values = {
            "leerkring": self.leerkring,
            "opdracht": self.opdracht,
            "programme": self.programme,
            "broken": "1" if self.broken else "",
            "min_rank": self.min_rank,
            "q": self.q,
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    @property
    def on_students(self) -> bool:
        return bool(self.programme or self.min_rank or self.q)

    def student_hit(self, s: StudentInfo, rank: int | None, placed: bool) -> bool:
        if self.programme and s.programme.code != self.programme:
            return False
        if self.min_rank and placed and rank is not None and rank < self.min_rank:
            return False
        needle = self.q.lower()
        return not needle or needle in s.name.lower() or needle in s.number.lower()


@dataclass
class Chip:
    student: StudentInfo
    member: Member | None
    rank: int | None  # the choice they got (None: unranked, or unplaced)
    hit: bool = False


@dataclass
class Suggestion:
    target: str  # the form value: "team:<id>:<version>" or "new:<opdracht id>"
    title: str
    index: int | None  # the team's number; None for a new team
    effect: Effect


@dataclass
class Card:
    view: TeamView
    chips: list[Chip]

    @property
    def team_id(self) -> int:
        return self.view.team.id or 0

    @property
    def all_locked(self) -> bool:
        return bool(self.chips) and all(c.member and c.member.locked for c in self.chips)


@dataclass
class Lane:
    leerkring_id: int
    name: str
    cards: list[Card] = field(default_factory=list)


@dataclass
class Board:
    filter: BoardFilter
    lanes: list[Lane]
    tray: list[tuple[Chip, list[Suggestion]]]
    total_teams: int
    shown_teams: int
    unplaced: int


def _card(view: TeamView, f: BoardFilter) -> Card:
    chips = []
    for m, s in view.members:
        rank = s.rank_of(view.opdracht.id or 0)
        chips.append(Chip(s, m, rank, f.on_students and f.student_hit(s, rank, placed=True)))
    return Card(view, chips)


def _card_shown(card: Card, f: BoardFilter) -> bool:
    o = card.view.opdracht
    if f.leerkring is not None and (o.leerkring_id or 0) != f.leerkring:
        return False
    if f.opdracht is not None and o.id != f.opdracht:
        return False
    if f.broken and not card.view.violations:
        return False
    return not f.on_students or any(c.hit for c in card.chips)


def _tray_shown(s: StudentInfo, f: BoardFilter) -> bool:
    if f.leerkring is not None and (s.leerkring_id or 0) != f.leerkring:
        return False
    if f.opdracht is not None and f.opdracht not in s.ranking:
        return False
    return f.student_hit(s, None, placed=False)


def targets(data: SemesterData, state: RunState, opdracht_ids: list[int]) -> list[tuple[str, int]]:
    """Every place on these opdrachten: (form value, opdracht id), existing teams first."""
    wanted = set(opdracht_ids)
    out = [
        (f"team:{team.id}:{team.version}", team.opdracht_id)
        for team in state.teams.values()
        if team.opdracht_id in wanted and state.members.get(team.id or 0)
    ]
    formed = Counter(t.opdracht_id for t in state.teams.values())
    for oid in opdracht_ids:
        info = data.opdrachten.get(oid)
        if info is not None and formed[oid] < info.opdracht.teams:
            out.append((f"new:{oid}", oid))
    return out


def suggestions(data: SemesterData, state: RunState, student_id: int) -> list[Suggestion]:
    """The best placements of an unplaced student: those that break no rule, cheapest first;
    when fewer than three do, the ones that break the fewest rules fill the list (those need
    a reason, so they open the preview instead of saving at once).

    The places are judged cheapest first (among equals, existing teams before new ones, as
    listed), and once three break no rule the rest cannot beat them, so they are not judged."""
    student = data.students[student_id]
    allowed = list(student.ranking)
    if data.semester.unranked_cost is not None:
        allowed += [o for o in data.opdrachten if o not in student.ranking]
    now = student_cost(data, student_id, state.opdracht_of(student_id))
    candidates = sorted(
        (student_cost(data, student_id, oid) - now, position, value, oid)
        for position, (value, oid) in enumerate(targets(data, state, allowed))
    )
    found: list[Suggestion] = []
    clean = 0
    for _delta, _position, value, oid in candidates:
        if clean == SUGGESTIONS:
            break
        kind, _sep, rest = value.partition(":")
        team_id = int(rest.split(":")[0]) if kind == "team" else None
        dest: Dest = team_id if team_id is not None else (NEW, oid)
        effect = evaluate(data, state, Plan(dests={student_id: dest}, student_id=student_id))
        if not effect.uncosted:
            index = state.teams[team_id].index if team_id is not None else None
            found.append(Suggestion(value, data.opdrachten[oid].opdracht.title, index, effect))
            clean += not effect.broken
    # stable: among equals, the order they were judged in
    found.sort(key=lambda sug: (len(sug.effect.broken), sug.effect.delta))
    return found[:SUGGESTIONS]


def build_board(
    data: SemesterData,
    state: RunState,
    f: BoardFilter,
    names: dict[int, str],
    only: set[int] | None = None,
) -> Board:
    """The board for one run under a filter; ``names`` are leerkring names by id (0: none).

    ``only`` limits it to these teams and leaves the tray out (a preview shows the teams a
    change touches)."""
    lanes: dict[int, Lane] = {}
    # a preview judges only the teams it shows, not every team of the run
    views = team_views(data, state if only is None else _only(state, only))
    shown = 0
    for view in views:
        card = _card(view, f)
        if not card.chips or not _card_shown(card, f):
            continue
        lk = view.opdracht.leerkring_id or 0
        lanes.setdefault(lk, Lane(lk, names.get(lk, ""))).cards.append(card)
        shown += 1
    placed = set(state.team_of)
    unplaced = [s for s in run_students(data, state) if s.id not in placed]
    tray = [
        (Chip(s, None, None, f.on_students), suggestions(data, state, s.id))
        for s in sorted(unplaced, key=lambda s: s.name.lower())
        if only is None and _tray_shown(s, f)
    ]
    ordered = sorted(lanes.values(), key=lambda lane: (lane.leerkring_id == 0, lane.name.lower()))
    return Board(f, ordered, tray, _formed(data, state), shown, len(unplaced))


def _only(state: RunState, team_ids: set[int]) -> RunState:
    """The run with only these teams (everyone's place kept)."""
    teams = {t: state.teams[t] for t in team_ids if t in state.teams}
    return RunState(state.run, teams, {t: state.members[t] for t in teams}, state.team_of)


def _formed(data: SemesterData, state: RunState) -> int:
    """The teams with members (as the board counts them: of approved opdrachten, with
    students that still exist)."""
    return sum(
        1
        for t in state.teams.values()
        if t.opdracht_id in data.opdrachten
        and any(m.student_id in data.students for m in state.members.get(t.id or 0, []))
    )
