"""Exactness against brute force on hundreds of tiny random instances."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from app.matching import check, parse_problem, solve
from tests.matching.brute import brute_force, profile_key
from tests.matching.strategies import instances

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _compare(inst: dict[str, Any]) -> None:
    problem = parse_problem(inst)
    result = solve(problem)
    expected = brute_force(inst)
    data = result.to_dict()
    if expected is None:
        assert result.status == "infeasible", data
        assert result.explanations.get("*"), data
        return
    assert result.status == "optimal", (data, expected)
    assert check(problem, result) == []
    objective, key = expected
    assert profile_key(inst, data) == key, (data, expected)
    assert result.objective == objective, (data, expected)
    if inst.get("objective", "sum") == "sum":
        assert result.bound == objective


@SETTINGS
@given(instances())
def test_sum_objective_matches_brute_force(inst: dict[str, Any]) -> None:
    _compare(inst)


@settings(SETTINGS, max_examples=120)
@given(instances(objective="greedy", max_students=5))
def test_greedy_profile_matches_brute_force(inst: dict[str, Any]) -> None:
    _compare(inst)


@settings(SETTINGS, max_examples=120)
@given(instances(objective="generous", max_students=5))
def test_generous_profile_matches_brute_force(inst: dict[str, Any]) -> None:
    _compare(inst)
