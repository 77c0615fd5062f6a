"""Groups: parsing, kept together exactly, the checker, explanations, diagnosis and the CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching import ProblemError, Violation, check, parse_problem, solve
from app.matching.cli import main
from app.matching.codes import explanation
from app.matching.problem import Assignment
from app.matching.teams import deal_together
from tests.matching.brute import brute_force, teamable


def friends() -> dict[str, Any]:
    """a1 has one team of 3; s1 and s2 rank it first, the group g1 of s3-s5 too."""
    return {
        "students": [
            {"id": "s1", "programme": "FT", "ranking": ["a1"]},
            {"id": "s2", "programme": "VP", "ranking": ["a1"]},
            {"id": "s3", "programme": "SW", "ranking": ["a1", "a2"]},
            {"id": "s4", "programme": "FT", "ranking": ["a1", "a2"]},
            {"id": "s5", "programme": "VP", "ranking": ["a1", "a2"]},
        ],
        "assignments": [{"id": "a1", "max_size": 3}, {"id": "a2", "max_size": 3}],
        "groups": [{"id": "g1", "members": ["s3", "s4", "s5"]}],
        "costs": {"rank": [0, 1], "unranked": None, "unplaced": 100},
    }


def errors_of(inst: dict[str, Any]) -> list[str]:
    with pytest.raises(ProblemError) as exc:
        parse_problem(inst)
    return exc.value.messages


def test_unknown_duplicate_and_shared_members_are_refused_with_exact_messages() -> None:
    inst = friends()
    inst["groups"] = [
        {"id": "g1", "members": ["s3", "s3", "s9"]},
        {"id": "g2", "members": ["s3", "s4"]},
        {"id": "g2", "members": []},
    ]
    assert errors_of(inst) == [
        "group g1 lists student s3 more than once",
        "group g1 has unknown student s9",
        "student s3 is in groups g1 and g2",
        "group g2 has no members",
        "duplicate group id g2 (2 times)",
    ]
    inst["groups"] = {"id": "g1"}
    assert errors_of(inst) == ["groups must be a list"]


def test_a_group_stays_together_and_pays_each_members_own_rank() -> None:
    inst = friends()
    result = solve(parse_problem(inst))
    assert result.status == "optimal"
    # Together on a2 (3 x rank 2 = 3) beats one of them on a1 and two unplaced pairs.
    assert result.placement() == {"s1": "a1", "s2": "a1", "s3": "a2", "s4": "a2", "s5": "a2"}
    assert result.objective == 3
    assert check(parse_problem(inst), result) == []
    without = solve(parse_problem({k: v for k, v in inst.items() if k != "groups"}))
    assert without.objective == 2  # one of s3-s5 alone on a1's last place


def test_check_reports_a_split_group() -> None:
    problem = parse_problem(friends())
    split = {
        "status": "feasible",
        "objective": 2,
        "bound": 0,
        "teams": [
            {"assignment": "a1", "team": 1, "members": ["s1", "s2", "s3"]},
            {"assignment": "a2", "team": 1, "members": ["s4", "s5"]},
        ],
        "unplaced": [],
    }
    assert check(problem, split) == [Violation("group_split", group="g1", value=2)]
    split["teams"] = [{"assignment": "a1", "team": 1, "members": ["s1", "s2", "s3"]}]
    split["unplaced"], split["objective"] = ["s4", "s5"], 200
    assert check(problem, split) == [Violation("group_split", group="g1", value=2)]


def test_explanations_name_the_group_and_how_much_room_there_was() -> None:
    result = solve(parse_problem(friends()))
    room = explanation(
        "group_room",
        choice=1,
        assignment="a1",
        room=1,
        size=3,
        blocked="full",
        teams=1,
        max_size=3,
    )
    for sid in ("s3", "s4", "s5"):
        e = result.explanations[sid]
        assert (e.code, dict(e.params)) == (
            "choice",
            {"choice": 2, "assignment": "a2", "group": "g1", "size": 3},
        )
        assert e.reasons == (room,)


def test_a_member_banned_elsewhere_holds_the_group_and_the_explanation_says_who() -> None:
    inst = friends()
    inst["assignments"][0]["max_size"] = 6
    inst["bans"] = [{"student": "s5", "assignment": "a1"}]
    result = solve(parse_problem(inst))
    assert result.placement()["s3"] == "a2"
    reason = result.explanations["s3"].reasons[0]
    assert (reason.code, reason.params["member"], reason.params["closed"]) == (
        "group_closed",
        "s5",
        "banned",
    )


def test_the_diagnosis_names_a_group_that_fits_nowhere() -> None:
    inst = friends()
    inst["costs"]["unplaced"] = None
    inst["assignments"][1]["max_size"] = 2  # a2 cannot hold the group; a1 is taken
    inst["locks"] = [{"student": "s1", "assignment": "a1"}, {"student": "s2", "assignment": "a1"}]
    result = solve(parse_problem(inst))
    assert result.status == "infeasible"
    summary = result.explanations["*"]
    assert "groups" in summary.params["relaxed"]  # type: ignore[operator]
    inst["assignments"][0]["max_size"] = 2
    result = solve(parse_problem(inst))
    summary = result.explanations["*"]
    assert (
        explanation(
            "group_fits_nowhere", group="g1", size=3, students=["s3", "s4", "s5"], locked=[]
        )
        in summary.reasons
    )
    assert result.explanations["s4"] == explanation("group_conflict", group="g1")


def test_a_locked_member_takes_the_group_along() -> None:
    inst = friends()
    inst["locks"] = [{"student": "s4", "assignment": "a1"}]
    result = solve(parse_problem(inst))
    placed = result.placement()
    assert {placed.get(s) for s in ("s3", "s4", "s5")} == {"a1"}
    assert check(parse_problem(inst), result) == []


def test_groups_that_greedy_dealing_cannot_fit_are_solved_team_by_team() -> None:
    # Two teams of at most 5 with 2 programmes each: the groups (VP, SW), (SW, FT, SW) and
    # (SW, SW, SW) with one more SW fit only one way; the solver deals them exactly.
    progs = ["VP", "SW", "SW", "FT", "SW", "SW", "SW", "SW", "SW"]
    inst: dict[str, Any] = {
        "students": [
            {"id": f"s{i}", "programme": p, "ranking": ["a1", "a2"]} for i, p in enumerate(progs)
        ],
        "assignments": [
            {"id": "a1", "teams": 2, "min_size": 2, "max_size": 5, "min_programmes": 2},
            {"id": "a2", "teams": 2, "max_size": 5},
        ],
        "groups": [
            {"id": "g0", "members": ["s0", "s1"]},
            {"id": "g1", "members": ["s2", "s3", "s4"]},
            {"id": "g2", "members": ["s5", "s6", "s7"]},
        ],
        "costs": {"rank": [0, 4], "unplaced": 20},
    }
    problem = parse_problem(inst)
    result = solve(problem)
    expected = brute_force(inst)
    assert expected is not None
    assert (result.status, result.objective) == ("optimal", expected[0])
    assert check(problem, result) == []


@st.composite
def packings(draw: st.DrawFn) -> tuple[Assignment, list[tuple[str, str]], dict[str, str]]:
    mn = draw(st.integers(1, 3))
    a = Assignment(
        "a",
        teams=draw(st.integers(1, 3)),
        min_size=mn,
        max_size=draw(st.integers(mn, 5)),
        max_per_programme=draw(st.sampled_from([None, 1, 2])),
        min_programmes=draw(st.integers(1, 2)),
        required_programmes=draw(st.sampled_from([(), ("FT",)])),
    )
    progs = draw(st.lists(st.sampled_from(["FT", "SW", "VP"]), min_size=2, max_size=9))
    members = [(f"s{i}", p) for i, p in enumerate(progs)]
    group_of: dict[str, str] = {}
    i = 0
    for g in range(draw(st.integers(1, 3))):
        size = draw(st.integers(2, 3))
        group_of.update((sid, f"g{g}") for sid, _ in members[i : i + size])
        i += size
    return a, members, group_of


@settings(max_examples=400, deadline=None, derandomize=True)
@given(packings())
def test_dealing_with_groups_is_valid_and_misses_no_packing(
    case: tuple[Assignment, list[tuple[str, str]], dict[str, str]],
) -> None:
    a, members, group_of = case
    raw = {
        "id": "a",
        "teams": a.teams,
        "min_size": a.min_size,
        "max_size": a.max_size,
        "min_programmes": a.min_programmes,
        "required_programmes": list(a.required_programmes),
    }
    if a.max_per_programme is not None:
        raw["max_per_programme"] = a.max_per_programme
    units: dict[str, list[str]] = {}
    for sid, p in members:
        units.setdefault(group_of.get(sid, sid), []).append(p)
    possible = teamable(raw, tuple(sorted(tuple(sorted(u)) for u in units.values())), {})
    dealt = deal_together(a, members, group_of)
    assert (dealt is not None) == possible
    if dealt is None:
        return
    programme = dict(members)
    for team in dealt:
        c = Counter(programme[m] for m in team)
        assert a.min_size <= len(team) <= (a.max_size or len(team))
        assert a.max_per_programme is None or max(c.values()) <= a.max_per_programme
        assert len(c) >= a.min_programmes
        assert all(c[p] for p in a.required_programmes)
    where = {m: i for i, team in enumerate(dealt) for m in team}
    assert sorted(where) == sorted(programme)
    for g in set(group_of.values()):
        assert len({where[m] for m, h in group_of.items() if h == g}) == 1


def test_cli_generates_solves_and_checks_groups(tmp_path: Path, capsys: Any) -> None:
    instance, result = tmp_path / "i.json", tmp_path / "r.json"
    assert main(["generate", "--students", "120", "--seed", "3", "--groups", "0.2"]) == 0
    data = json.loads(capsys.readouterr().out)
    members = [m for g in data["groups"] for m in g["members"]]
    assert sorted(set(members)) == sorted(members)
    assert len(members) == 24
    instance.write_text(json.dumps(data), encoding="utf-8")
    assert main(["solve", str(instance), "-o", str(result)]) == 0
    assert main(["check", str(instance), str(result)]) == 0
    assert capsys.readouterr().out.startswith("ok: optimal")
    solved = json.loads(result.read_text(encoding="utf-8"))
    g = data["groups"][0]["members"]
    solved["teams"] = [
        {**t, "members": [m for m in t["members"] if m != g[0]]} for t in solved["teams"]
    ]
    solved["unplaced"] = [*solved["unplaced"], g[0]]
    result.write_text(json.dumps(solved), encoding="utf-8")
    assert main(["check", str(instance), str(result)]) == 1
    assert "group_split group=g1 value=2" in capsys.readouterr().out
    assert main(["generate", "--students", "10", "--groups", "2"]) == 2


def test_counts_that_no_dealing_can_split_into_teams_are_solved_team_by_team() -> None:
    # Nine students in three groups of 3 fit a1's 2 teams of 5 by count, never by team: the
    # counts solution is refused, a1 is modelled team by team and solved again.
    inst: dict[str, Any] = {
        "students": [
            {"id": f"s{i}", "programme": ["FT", "SW", "VP"][i % 3], "ranking": ["a1", "a2"]}
            for i in range(9)
        ],
        "assignments": [
            {"id": "a1", "teams": 2, "max_size": 5},
            {"id": "a2", "teams": 2, "max_size": 5},
        ],
        "groups": [
            {"id": f"g{g}", "members": [f"s{3 * g + k}" for k in range(3)]} for g in range(3)
        ],
        "previous": {"teams": [{"assignment": "a2", "team": 1, "members": ["s0"]}]},
        "costs": {"rank": [0, 2], "unplaced": 20, "move": 1},
    }
    problem = parse_problem(inst)
    result = solve(problem)
    assert result.timings["splits"] == 1
    expected = brute_force(inst)
    assert expected is not None
    assert (result.status, result.objective, result.bound) == ("optimal", expected[0], expected[0])
    assert check(problem, result) == []
    assert sorted(t.assignment for t in result.teams) == ["a1", "a1", "a2"]
