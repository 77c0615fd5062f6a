"""Turn per-assignment counts into concrete teams by dealing members round-robin.

Why this is exact: for ``y`` teams with ``N`` members and ``n_p`` members of programme
``p``, the aggregate conditions

* ``min_size * y <= N <= max_size * y``,
* ``n_p <= max_per_programme * y``,
* ``n_p >= y`` for every required programme,
* ``sum_p min(n_p, y) >= min_programmes * y``

are necessary (sum them over the teams) and sufficient: deal the members sorted by
programme, programmes with ``n_p < y`` first, round-robin over the ``y`` teams. Sizes and
programme counts then differ by at most one between teams, every programme with
``n_p >= y`` reaches every team, and the small programmes fill one contiguous run of
``S = sum_{n_p<y} n_p`` positions in which no team sees a programme twice, so every team
gets at least ``floor(S / y)`` of them plus all ``B`` big programmes, and
``B + floor(S / y) >= min_programmes`` follows from ``B * y + S >= min_programmes * y``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from app.matching.problem import Assignment


def aggregate_ok(a: Assignment, y: int, n: int, counts: Mapping[str, int]) -> bool:
    """Whether ``y`` teams of ``a`` can hold ``n`` members with these programme counts."""
    if y < 1 or y > a.teams or y > n:
        return False
    if n < a.min_size * y or (a.max_size is not None and n > a.max_size * y):
        return False
    if a.max_per_programme is not None and any(
        c > a.max_per_programme * y for c in counts.values()
    ):
        return False
    if any(counts.get(p, 0) < y for p in a.required_programmes):
        return False
    return sum(min(c, y) for c in counts.values()) >= a.min_programmes * y


def team_count(a: Assignment, n: int, counts: Mapping[str, int]) -> int | None:
    """Fewest teams that can hold the members (fewest teams: fewest supervisors), or None."""
    lowest = 1 if a.max_size is None else max(1, -(-n // max(a.max_size, 1)))
    for y in range(lowest, min(a.teams, n) + 1):
        if aggregate_ok(a, y, n, counts):
            return y
    return None


def deal(a: Assignment, members: Sequence[tuple[str, str]]) -> list[list[str]] | None:
    """Split ``(student id, programme)`` members of ``a`` into teams, or None if impossible.

    Teams come back with members sorted by id; the order of the teams is the dealing order.
    """
    if not members:
        return []
    counts = Counter(p for _, p in members)
    y = team_count(a, len(members), counts)
    if y is None:
        return None
    order = sorted(members, key=lambda m: (counts[m[1]] >= y, m[1], m[0]))
    teams: list[list[str]] = [[] for _ in range(y)]
    for i, (sid, _) in enumerate(order):
        teams[i % y].append(sid)
    return [sorted(t) for t in teams]


def _fits(a: Assignment, size: int, counts: Mapping[str, int]) -> bool:
    """Whether one team of ``a`` can still take members up to ``size`` and these counts."""
    if a.max_size is not None and size > a.max_size:
        return False
    return a.max_per_programme is None or all(c <= a.max_per_programme for c in counts.values())


def _pack(
    a: Assignment,
    y: int,
    groups: Sequence[Sequence[tuple[str, str]]],
    singles: Sequence[tuple[str, str]],
    counts: Mapping[str, int],
) -> list[list[str]] | None:
    """Groups first (largest first, each into the smallest team it fits), then the singles
    (small programmes first, each into the smallest team still without its programme), and
    the teams checked rule by rule: None if that greedy packing breaks a rule."""
    teams: list[list[str]] = [[] for _ in range(y)]
    tally: list[Counter[str]] = [Counter() for _ in range(y)]

    def put(t: int, members: Sequence[tuple[str, str]]) -> None:
        teams[t].extend(sid for sid, _ in members)
        tally[t].update(p for _, p in members)

    for g in sorted(groups, key=lambda g: (-len(g), g[0][0])):
        gc = Counter(p for _, p in g)
        fit = [
            t
            for t in range(y)
            if _fits(a, len(teams[t]) + len(g), {p: tally[t][p] + c for p, c in gc.items()})
        ]
        if not fit:
            return None
        put(min(fit, key=lambda t: (len(teams[t]), t)), g)
    for sid, p in sorted(singles, key=lambda m: (counts[m[1]] >= y, m[1], m[0])):
        fit = [t for t in range(y) if _fits(a, len(teams[t]) + 1, {p: tally[t][p] + 1})]
        if not fit:
            return None
        put(min(fit, key=lambda t: (tally[t][p] > 0, len(teams[t]), t)), [(sid, p)])
    if not all(aggregate_ok(a, 1, len(t), c) for t, c in zip(teams, tally, strict=True)):
        return None
    return [sorted(t) for t in teams]


_PACK_NODES = 20_000  # search budget of the exact packing; beyond it the solver splits


def _pack_exact(
    a: Assignment, y: int, units: Sequence[Sequence[tuple[str, str]]]
) -> list[list[str]] | None:
    """Every way of putting the units (a group, or one student) into ``y`` teams, searched
    depth first with identical teams merged; None if none meets the rules (or the search
    exceeds its budget)."""
    search = _ExactSearch(a, y, units)
    if not search.place_from(0):
        return None
    return [sorted(sid for i in t for sid, _ in search.order[i]) for t in search.teams]


class _ExactSearch:
    """The state of :func:`_pack_exact`'s depth-first search: the units in search order, the
    teams built so far (unit indexes, sizes and programme counts) and the states seen."""

    def __init__(self, a: Assignment, y: int, units: Sequence[Sequence[tuple[str, str]]]) -> None:
        self.a, self.y = a, y
        self.order = sorted(units, key=lambda u: (-len(u), sorted(p for _, p in u), u[0][0]))
        self.tallies = [Counter(p for _, p in u) for u in self.order]
        self.left = [0] * (len(self.order) + 1)  # members in the units from i on
        for i in range(len(self.order) - 1, -1, -1):
            self.left[i] = self.left[i + 1] + len(self.order[i])
        self.teams: list[list[int]] = [[] for _ in range(y)]
        self.state: list[Counter[str]] = [Counter() for _ in range(y)]
        self.sizes = [0] * y
        self.seen: set[tuple[int, tuple[tuple[int, tuple[tuple[str, int], ...]], ...]]] = set()
        self.budget = _PACK_NODES

    def _pruned(self, i: int) -> bool:
        """Whether the search stops before unit ``i``: budget spent, too few members left to
        fill the teams, or these teams (in any order) were reached before."""
        self.budget -= 1
        if self.budget < 0:
            return True
        if sum(max(0, self.a.min_size - n) for n in self.sizes) > self.left[i]:
            return True
        if i == len(self.order):
            return False
        pairs = zip(self.sizes, self.state, strict=True)
        key = (i, tuple(sorted((n, tuple(sorted(c.items()))) for n, c in pairs)))
        if key in self.seen:
            return True
        self.seen.add(key)
        return False

    def place_from(self, i: int) -> bool:
        """Place units ``i`` onwards; True when all are placed and every team meets the rules
        (the teams then hold the packing)."""
        if self._pruned(i):
            return False
        if i == len(self.order):
            pairs = zip(self.sizes, self.state, strict=True)
            return all(aggregate_ok(self.a, 1, n, c) for n, c in pairs)
        state, sizes, size = self.state, self.sizes, len(self.order[i])
        tried: set[tuple[int, tuple[tuple[str, int], ...]]] = set()
        for t in range(self.y):
            here = (sizes[t], tuple(sorted(state[t].items())))
            if here in tried:
                continue  # an identical team was tried already
            tried.add(here)
            merged = state[t] + self.tallies[i]
            if not _fits(self.a, sizes[t] + size, merged):
                continue
            before = state[t]
            state[t], sizes[t] = merged, sizes[t] + size
            self.teams[t].append(i)
            if self.place_from(i + 1):
                return True
            self.teams[t].pop()
            state[t], sizes[t] = before, sizes[t] - size
        return False


def deal_together(
    a: Assignment, members: Sequence[tuple[str, str]], group_of: Mapping[str, str]
) -> list[list[str]] | None:
    """Like :func:`deal`, with the members of each group (``group_of``: student id to group
    id) in one team; None when no team count and greedy packing manage that.

    A greedy packing first, then an exact search with a node budget: a None means no way
    exists, or (rarely, for large teams) the budget ran out; the solver answers either by
    modelling the assignment team by team.
    """
    bundles: dict[str, list[tuple[str, str]]] = {}
    singles: list[tuple[str, str]] = []
    for m in members:
        if m[0] in group_of:
            bundles.setdefault(group_of[m[0]], []).append(m)
        else:
            singles.append(m)
    if not bundles:
        return deal(a, members)
    counts = Counter(p for _, p in members)
    n = len(members)
    lowest = 1 if a.max_size is None else max(1, -(-n // max(a.max_size, 1)))
    for y in range(lowest, min(a.teams, n) + 1):
        if aggregate_ok(a, y, n, counts):
            groups = [sorted(b) for b in bundles.values()]
            teams = _pack(a, y, groups, singles, counts)
            if teams is None:
                teams = _pack_exact(a, y, [*groups, *([m] for m in singles)])
            if teams is not None:
                return teams
    return None
