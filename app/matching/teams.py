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
