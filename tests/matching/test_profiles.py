"""Fairness profiles on generated instances: each profile's rank profile is at least as good,
in its own order, as that of any other solution (here the total-cost optimum)."""

from __future__ import annotations

import pytest

from app.matching import check, parse_problem, solve
from app.matching.generate import generate
from app.matching.result import Result

RANKS = 10


def _profile(result: Result, objective: str) -> tuple[int, ...]:
    """The counts a profile optimises, in its order, as numbers to minimise."""
    hist = result.rank_histogram
    counts = [hist.get(str(r), 0) for r in range(1, RANKS + 1)]
    unranked, unplaced = hist.get("unranked", 0), hist.get("unplaced", 0)
    if objective == "greedy":  # most first choices, then most second choices, ...
        return tuple(-c for c in [*counts, unranked])
    # Fewest unplaced, then fewest unranked, then fewest at rank 10, 9, ..., 2.
    return (unplaced, unranked, *reversed(counts[1:]))


@pytest.mark.parametrize("objective", ["greedy", "generous"])
@pytest.mark.parametrize(("students", "seed"), [(300, 1), (300, 2)])
def test_profile_is_no_worse_than_the_total_cost_optimum(
    objective: str, students: int, seed: int
) -> None:
    # (300, 1) generous: the stages fix the columns of empty categories at 0, and the
    # restricted MILP of a later stage once ignored those bounds (everyone unplaced).
    data = generate(students, seed)
    plain = solve(parse_problem(data))
    problem = parse_problem({**data, "objective": objective})
    result = solve(problem, time_limit=60)
    assert result.status == "optimal"
    assert check(problem, result) == []
    assert _profile(result, objective) <= _profile(plain, objective)
