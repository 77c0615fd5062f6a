"""Input errors, CLI exit codes, determinism, explanations, dealing and library purity."""

from __future__ import annotations

import ast
import doctest
import importlib
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching import ProblemError, check, dumps, parse_problem, solve
from app.matching.cli import main
from app.matching.codes import explanation
from app.matching.generate import generate
from app.matching.problem import Assignment
from app.matching.teams import aggregate_ok, deal

PKG = Path(__file__).resolve().parents[2] / "app" / "matching"


def base() -> dict[str, Any]:
    return {
        "students": [
            {"id": "s1", "programme": "FT", "year": 2, "ranking": ["a1", "a2"]},
            {"id": "s2", "programme": "VP", "year": 2, "ranking": ["a1"]},
            {"id": "s3", "programme": "SW", "year": 3, "ranking": ["a2", "a1"]},
        ],
        "assignments": [{"id": "a1", "max_size": 3}, {"id": "a2", "max_size": 3}],
        "costs": {"rank": [0, 1], "unranked": None, "unplaced": 10},
    }


def errors_of(inst: dict[str, Any]) -> str:
    with pytest.raises(ProblemError) as info:
        parse_problem(inst)
    assert info.value.messages
    return "\n".join(info.value.messages)


def test_unknown_and_duplicate_ids() -> None:
    inst = base()
    inst["students"].append({"id": "s1", "programme": "FT"})
    inst["assignments"].append({"id": "a2", "max_size": 1})
    inst["students"][1]["ranking"] = ["a9"]
    inst["locks"] = [{"student": "s7", "assignment": "a1"}]
    inst["bans"] = [{"student": "s2", "assignment": "a8"}]
    msg = errors_of(inst)
    for needle in ("duplicate student id s1", "duplicate assignment id a2", "a9", "s7", "a8"):
        assert needle in msg


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        (lambda i: i["students"][0].update(ranking=["a1", "a1"]), ["s1", "a1", "more than once"]),
        (lambda i: i["costs"].update(rank=[0]), ["s1", "costs.rank"]),
        (
            lambda i: i.update(
                locks=[{"student": "s1", "assignment": "a1"}],
                bans=[{"student": "s1", "assignment": "a1"}],
            ),
            ["s1", "a1", "lock and a ban"],
        ),
        (
            lambda i: i.update(
                locks=[{"student": "s2", "assignment": "a1"}, {"student": "s2", "assignment": "a2"}]
            ),
            ["s2", "2 locks"],
        ),
        (lambda i: i["assignments"][0].update(min_size=4), ["a1", "min_size 4 > max_size 3"]),
        (lambda i: i["costs"].update(rank=[0, -1]), ["costs.rank[1]", "negative"]),
        (lambda i: i["costs"].update(unplaced=-5), ["costs.unplaced", "negative"]),
        (lambda i: i["costs"].update(unranked=-1), ["costs.unranked", "negative"]),
        (lambda i: i["costs"].update(move=-2), ["costs.move", "negative"]),
        (lambda i: i.update(objective="fair"), ["objective"]),
    ],
)
def test_each_input_error_names_the_ids(change: Any, needles: list[str]) -> None:
    inst = base()
    change(inst)
    msg = errors_of(inst)
    for needle in needles:
        assert needle in msg


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real ``python -m app.matching`` in a fresh interpreter (slow: imports scipy)."""
    return subprocess.run(
        [sys.executable, "-m", "app.matching", *args], capture_output=True, text=True, check=False
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``app.matching.cli.main`` in-process: exit code, stdout, stderr."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad, broken = tmp_path / "good.json", tmp_path / "bad.json", tmp_path / "broken.json"
    good.write_text(json.dumps(base()))
    inst = base()
    inst["costs"]["unplaced"] = None
    inst["assignments"] = [{"id": "a1", "max_size": 1}, {"id": "a2", "max_size": 1}]
    bad.write_text(json.dumps(inst))
    broken.write_text("{not json")
    out = tmp_path / "r.json"
    assert cli(capsys, "solve", str(good), "-o", str(out))[0] == 0
    assert cli(capsys, "check", str(good), str(out))[0] == 0
    code, stdout, _ = cli(capsys, "solve", str(bad))
    assert code == 1
    assert json.loads(stdout)["status"] == "infeasible"
    assert cli(capsys, "solve", str(broken))[0] == 2
    inst = base()
    inst["students"][0]["ranking"] = ["zz"]
    bad.write_text(json.dumps(inst))
    code, _, stderr = cli(capsys, "solve", str(bad))
    assert code == 2
    assert "zz" in stderr
    code, stdout, _ = cli(capsys, "generate", "--students", "40", "--seed", "5")
    assert code == 0
    assert json.loads(stdout) == generate(40, 5)


def test_same_input_gives_identical_bytes(tmp_path: Path) -> None:
    path = tmp_path / "i.json"
    path.write_text(json.dumps(generate(150, 11)))
    # One real subprocess: another interpreter (other hash seed) must print the same bytes.
    first = run_cli("solve", str(path))
    assert first.returncode == 0
    problem = parse_problem(generate(150, 11))
    assert dumps(solve(problem)) == dumps(solve(problem)) == first.stdout
    assert json.loads(dumps(solve(problem), timings=True))["stats"]["seconds"] >= 0


def test_generated_instance_is_optimal_and_checks() -> None:
    problem = parse_problem(generate(300, 2))
    result = solve(problem)
    assert result.status == "optimal"
    assert result.objective == result.bound
    assert check(problem, result) == []
    assert len({s.programme for s in problem.students}) == 7


def test_required_programme_conflict_is_explained() -> None:
    inst = base()
    inst["assignments"][0].update(required_programmes=["ET"])
    inst["locks"] = [{"student": "s2", "assignment": "a1"}]
    result = solve(parse_problem(inst))
    assert result.status == "infeasible"
    summary = result.explanations["*"]
    assert summary.code == "infeasible"
    assert (
        explanation("required_without_candidate", assignment="a1", students=["s2"], programme="ET")
        in summary.reasons
    )
    assert "programme_rules" in summary.params["relaxed"]  # type: ignore[operator]
    assert result.explanations["s2"] == explanation("locked_conflict", assignment="a1")


def test_must_place_everyone_conflict_names_student() -> None:
    inst = base()
    inst["costs"]["unplaced"] = None
    inst["bans"] = [{"student": "s2", "assignment": "a1"}]
    result = solve(parse_problem(inst))
    assert result.status == "infeasible"
    assert result.explanations["s2"] == explanation("no_option")
    assert result.explanations["*"].params["relaxed"] == ["bans", "unplaced", "unranked"]


def test_explanations_cover_everyone_not_on_first_choice() -> None:
    problem = parse_problem(generate(120, 4))
    result = solve(problem)
    placed = result.placement()
    for s in problem.students:
        first = s.ranking[0] if s.ranking else None
        assert (placed.get(s.id) != first) == (s.id in result.explanations)
    inst = base()
    inst["assignments"][0].update(max_size=1)
    r = solve(parse_problem(inst))
    loser = next(iter(r.explanations))
    full = explanation("full", choice=1, assignment="a1", teams=1, max_size=1)
    assert r.explanations[loser].reasons[0] == full


def test_previous_and_move_keep_students_in_place() -> None:
    inst = base()
    inst["assignments"] = [{"id": "a1", "max_size": 3}, {"id": "a2", "max_size": 3}]
    inst["previous"] = {"teams": [{"assignment": "a2", "team": 1, "members": ["s1"]}]}
    inst["costs"]["move"] = 5
    result = solve(parse_problem(inst))
    assert result.placement()["s1"] == "a2"
    assert result.objective == 1  # rank 2 instead of rank 1 plus a move of 5
    inst["costs"]["move"] = 0
    assert solve(parse_problem(inst)).placement()["s1"] == "a1"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.integers(1, 3),
    st.integers(1, 4),
    st.one_of(st.none(), st.integers(1, 3)),
    st.integers(1, 3),
    st.lists(st.sampled_from("ABCD"), min_size=1, max_size=12),
)
def test_dealing_realises_every_feasible_count(
    teams: int, lo: int, mpp: int | None, mp: int, progs: list[str]
) -> None:
    a = Assignment(
        "a",
        teams=teams,
        min_size=lo,
        max_size=lo + 2,
        max_per_programme=mpp,
        min_programmes=mp,
        required_programmes=("A",),
    )
    counts = Counter(progs)
    members = [(f"s{i:02d}", p) for i, p in enumerate(progs)]
    feasible = any(aggregate_ok(a, y, len(progs), counts) for y in range(1, teams + 1))
    dealt = deal(a, members)
    assert (dealt is not None) == feasible
    for team in dealt or []:
        c = Counter(dict(members)[m] for m in team)
        assert lo <= len(team) <= lo + 2
        assert mpp is None or max(c.values()) <= mpp
        assert len(c) >= mp
        assert c["A"] >= 1


ALLOWED = {"numpy", "scipy", "app"}


def test_library_imports_only_stdlib_numpy_scipy() -> None:
    for path in sorted(PKG.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED, (path.name, name)
                assert not name.startswith("app.") or name.startswith("app.matching"), name


def test_doctests() -> None:
    for path in sorted(PKG.glob("*.py")):
        if path.stem == "__main__":
            continue
        module = importlib.import_module(f"app.matching.{path.stem}")
        failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0, path.name


def _single_team_copies(data: dict[str, Any]) -> dict[str, Any]:
    """Each assignment of ``k`` teams as ``k`` assignments of one team (rankings list the
    copies in place of the original, cut to the 10 ranks that have a cost)."""
    names: dict[str, list[str]] = {}
    assignments: list[dict[str, Any]] = []
    for a in data["assignments"]:
        names[a["id"]] = [f"{a['id']}-{i}" for i in range(1, a["teams"] + 1)]
        assignments.extend({**a, "id": n, "teams": 1} for n in names[a["id"]])
    students = [
        {**s, "ranking": [n for a in s["ranking"] for n in names[a]][:10]} for s in data["students"]
    ]
    return {**data, "assignments": assignments, "students": students}


def test_time_limit_returns_best_found_with_bound() -> None:
    """60 % of the students in groups, every team its own assignment: the LP, its cuts and
    the dive's solution take about a second, the proof well over 5 s of CPU, so a limit of
    5 s stops the search with a solution and a proven lower bound (or, on a much faster
    machine, with the optimum). With one team per assignment no group can fail to be
    dealt, so no split re-solve runs out of time without a solution."""
    problem = parse_problem(_single_team_copies(generate(500, 3, 0.6)))
    start = time.perf_counter()
    result = solve(problem, time_limit=5.0)
    assert time.perf_counter() - start < 5.0 + 2.0
    assert result.status in ("optimal", "feasible"), result.status
    assert result.objective is not None
    assert result.bound is not None
    assert 0 < result.bound <= result.objective
    if result.status == "optimal":
        assert result.bound == result.objective
    assert check(problem, result) == []


def test_nobody_placed_is_optimal() -> None:
    problem = parse_problem(
        {
            "students": [
                {"id": "s1", "programme": "A", "ranking": ["a1"]},
                {"id": "s2", "programme": "B", "ranking": ["a1"]},
            ],
            "assignments": [{"id": "a1", "min_size": 3, "max_size": 4}],
            "costs": {"rank": [0], "unranked": None, "unplaced": 5},
        }
    )
    result = solve(problem)
    assert (result.status, result.objective, result.bound) == ("optimal", 10, 10)
    assert result.unplaced == ("s1", "s2")
    assert check(problem, result) == []
