"""The checker's public rules: one team, one pairing, one placement's cost; ``check`` uses
the same functions, so what the app shows for a team is what ``check`` says."""

from __future__ import annotations

import doctest

import pytest

from app.matching import (
    Assignment,
    Costs,
    Student,
    Violation,
    check,
    checker,
    pair_rules,
    parse_problem,
    placement_cost,
    team_rules,
)

pytestmark = pytest.mark.nodb


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(checker).failed == 0


def test_team_rules_name_every_rule_a_team_breaks_with_its_numbers():
    a = Assignment(
        "a1",
        teams=1,
        min_size=3,
        max_size=4,
        max_per_programme=1,
        min_programmes=3,
        required_programmes=("VP", "SW"),
    )
    assert team_rules(a, 2, ["FT", "FT"]) == [
        Violation("team_number", assignment="a1", team=2, value=2, limit=1),
        Violation("team_too_small", assignment="a1", team=2, value=2, limit=3),
        Violation("programme_too_many", assignment="a1", team=2, programme="FT", value=2, limit=1),
        Violation("programmes_too_few", assignment="a1", team=2, value=1, limit=3),
        Violation("programme_missing", assignment="a1", team=2, programme="VP"),
        Violation("programme_missing", assignment="a1", team=2, programme="SW"),
    ]
    assert team_rules(a, 1, ["FT", "VP", "SW"]) == []
    assert [v.kind for v in team_rules(a, 1, ["FT", "VP", "SW", "ET", "LO"])] == ["team_too_large"]


def test_pair_rules_and_a_lock_that_overrides_them():
    s = Student("s1", "FT", year=2, ranking=("a2",))
    a = Assignment("a1", years=(3, 4))
    assert pair_rules(s, a, banned=True, unranked_allowed=False) == [
        Violation("banned", student="s1", assignment="a1"),
        Violation("year_not_allowed", student="s1", assignment="a1", value=2, years=(3, 4)),
        Violation("unranked_not_allowed", student="s1", assignment="a1"),
    ]
    assert pair_rules(s, a, banned=True, locked=True, unranked_allowed=False) == []
    assert pair_rules(s, Assignment("a2")) == []


def test_placement_cost_by_rank_unranked_and_unplaced():
    costs = Costs(rank=(0, 1, 3), unranked=7, unplaced=100)
    assert [placement_cost(costs, ["a1", "a2"], a) for a in ("a1", "a2", "a9", None)] == [
        0,
        1,
        7,
        100,
    ]
    assert placement_cost(Costs(rank=(0,)), [1], 2) == 0  # forbidden outcomes add nothing


def test_check_reports_what_the_public_rules_say():
    problem = parse_problem(
        {
            "students": [
                {"id": "s1", "programme": "FT", "year": 2, "ranking": ["a1"]},
                {"id": "s2", "programme": "FT", "year": 2, "ranking": []},
            ],
            "assignments": [{"id": "a1", "max_per_programme": 1, "years": [3]}],
            "bans": [{"student": "s1", "assignment": "a1"}],
            "costs": {"rank": [0], "unplaced": 5},
        }
    )
    result = {
        "status": "feasible",
        "objective": 0,
        "bound": 0,
        "teams": [{"assignment": "a1", "team": 1, "members": ["s1", "s2"]}],
        "unplaced": [],
    }
    students = {s.id: s for s in problem.students}
    a = problem.assignments[0]
    expected = team_rules(a, 1, ["FT", "FT"])
    for sid in ("s1", "s2"):
        banned = (sid, "a1") in problem.bans
        expected += pair_rules(students[sid], a, banned=banned, unranked_allowed=False)
    assert [v for v in check(problem, result) if v.kind != "objective_mismatch"] == expected
