"""Cutting planes: every cut is violated where it is made and valid for every integer point.

Validity is checked against an independent enumeration: every placement of a tiny instance
that brute force accepts, with every number of teams its members can really be split into.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.matching import parse_problem
from app.matching.build import build_model
from app.matching.cuts import _unit_covers, cover_cut, separate
from app.matching.highs import OPTIMAL, LinearProgram
from app.matching.model import Model
from tests.matching.brute import _options, _team_ok
from tests.matching.strategies import instances


def _team_counts(a: dict[str, Any], progs: list[str]) -> list[int]:
    """Every y such that the members split into exactly y valid teams (0 when none)."""
    if not progs:
        return [0]
    out = []
    for y in range(1, min(a.get("teams", 1), len(progs)) + 1):
        for labels in itertools.product(range(y), repeat=len(progs)):
            if len(set(labels)) == y and all(
                _team_ok(a, [p for p, lab in zip(progs, labels, strict=True) if lab == t])
                for t in range(y)
            ):
                out.append(y)
                break
    return out


def _integer_points(
    inst: dict[str, Any], model: Model, *, every_column: bool = True
) -> list[np.ndarray]:
    """All integer column vectors of feasible solutions (brute force over placements).

    ``every_column``: every placement brute force allows has its columns in the model (not
    so with groups, whose members lose the assignments the group cannot go to together).
    """
    students = inst["students"]
    by_id = {a["id"]: a for a in inst["assignments"]}
    sidx = {s: i for i, s in enumerate(model.index.sids)}
    aidx = {a: i for i, a in enumerate(model.index.aids)}
    n_a = len(aidx)
    keys = model.ps * n_a + model.pa
    upos = {int(s): j for j, s in enumerate(model.u_students)}
    points = []
    for choice in itertools.product(*[_options(inst, s) for s in students]):
        groups: dict[str, list[str]] = {}
        for s, aid in zip(students, choice, strict=True):
            if aid is not None:
                groups.setdefault(aid, []).append(s["programme"])
        options = {a: _team_counts(by_id[a], p) for a, p in groups.items()}
        if any(not ys for ys in options.values()):
            continue
        base = np.zeros(model.n)
        for s, aid in zip(students, choice, strict=True):
            i = sidx[s["id"]]
            if aid is None:
                base[model.n_x + upos[i]] = 1.0
            else:
                j = int(np.searchsorted(keys, i * n_a + aidx[aid]))
                if j == len(keys) or keys[j] != i * n_a + aidx[aid]:
                    assert not every_column, (s["id"], aid)
                    break
                base[j] = 1.0
        else:
            points.extend(_with_team_counts(model, aidx, base, options))
    return points


def _with_team_counts(
    model: Model, aidx: dict[str, int], base: np.ndarray, options: dict[str, list[int]]
) -> list[np.ndarray]:
    """The placement ``base`` with every team count its assignments allow."""
    points = []
    names = sorted(options)
    for ys in itertools.product(*[options[a] for a in names]):
        z = base.copy()
        for a, y in zip(names, ys, strict=True):
            col = model.y_col[aidx[a]]
            if col >= 0:
                z[col] = y
        points.append(z)
    return points


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def crowded(draw: st.DrawFn) -> dict[str, Any]:
    """Multi-team assignments with more candidates than one team holds: where cuts bite."""
    aids = ["a1", "a2"][: draw(st.integers(1, 2))]
    assignments = []
    for aid in aids:
        a: dict[str, Any] = {"id": aid, "teams": draw(st.integers(2, 3))}
        a["max_size"] = draw(st.integers(2, 4))
        a["min_size"] = draw(st.integers(1, 2))
        if draw(st.booleans()):
            a["max_per_programme"] = draw(st.integers(1, 2))
        if draw(st.integers(0, 3)) == 0:
            a["required_programmes"] = [draw(st.sampled_from(["FT", "SW"]))]
        assignments.append(a)
    n = draw(st.integers(3, 7 if len(aids) == 1 else 6))
    students = [
        {"id": f"s{i}", "programme": draw(st.sampled_from(["FT", "SW"])), "ranking": aids}
        for i in range(n)
    ]
    return {
        "students": students,
        "assignments": assignments,
        "costs": {"rank": [0, 1], "unplaced": 5},
    }


def _check_cuts(inst: dict[str, Any], seed: int) -> tuple[int, int]:
    # Groups only remove solutions (and columns): cuts valid without them stay valid.
    inst = {k: v for k, v in inst.items() if k != "groups"}
    problem = parse_problem(inst)
    model = build_model(problem)
    rng = np.random.default_rng(seed)
    z = np.zeros(model.n)
    z[: model.n_x] = rng.choice([0.0, 0.4, 0.7, 1.0, 1.0], size=model.n_x)
    teams = np.array([a.teams for a in problem.assignments], dtype=float)
    has = model.y_col >= 0
    # Any y up to the number of teams (beyond the model's tighter bound, to make cuts).
    z[model.y_col[has]] = rng.uniform(0.0, teams[has])
    rows, rhs = separate(model, z)
    assert np.all(rows @ z > rhs + 1e-7)
    if rows.shape[0] == 0:
        return 0, 0
    for point in _integer_points(inst, model):
        assert np.all(rows @ point <= rhs + 1e-9), (rows.toarray(), rhs, point)
    residual = int(np.sum(np.diff(rows.indptr) > 2))
    return rows.shape[0] - residual, residual


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(crowded(), st.integers(0, 2**32 - 1))
def test_every_cut_is_violated_and_valid(inst: dict[str, Any], seed: int) -> None:
    _check_cuts(inst, seed)


@settings(SETTINGS, max_examples=100)
@given(instances(max_students=5), st.integers(0, 2**32 - 1))
def test_cuts_are_valid_under_every_rule(inst: dict[str, Any], seed: int) -> None:
    """Locks, bans, years, unranked costs, required programmes: cuts stay valid."""
    _check_cuts(inst, seed)


def test_the_validity_sweep_makes_both_kinds_of_cut() -> None:
    """The sweep is not vacuous: its kind of input yields both families of cut."""
    counts: Counter[str] = Counter()
    for seed in range(40):
        inst = _crowded_example(seed)
        xy, residual = _check_cuts(inst, seed)
        counts["xy"] += xy
        counts["residual"] += residual
    assert counts["xy"] > 0, counts
    assert counts["residual"] > 0, counts


def _crowded_example(seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    return {
        "students": [
            {"id": f"s{i}", "programme": str(rng.choice(["FT", "SW"])), "ranking": ["a1"]}
            for i in range(int(rng.integers(4, 7)))
        ],
        "assignments": [{"id": "a1", "teams": 2, "max_size": 3, "max_per_programme": 2}],
        "costs": {"rank": [0], "unplaced": 10},
    }


def test_residual_capacity_cut_for_three_of_one_programme() -> None:
    """Three FT students fill y = 1.5 teams of at most 2 FT: cut x1 + x2 + x3 - y <= 1."""
    problem = parse_problem(
        {
            "students": [{"id": f"s{i}", "programme": "FT", "ranking": ["a1"]} for i in (1, 2, 3)],
            "assignments": [{"id": "a1", "teams": 2, "max_size": 6, "max_per_programme": 2}],
            "costs": {"rank": [0], "unplaced": 10},
        }
    )
    model = build_model(problem)
    z = np.zeros(model.n)
    z[: model.n_x] = 1.0
    z[model.y_col[0]] = 1.5
    rows, rhs = separate(model, z)
    dense = rows.toarray()
    want = np.zeros(model.n)
    want[: model.n_x] = 1.0
    want[model.y_col[0]] = -1.0
    assert any(np.array_equal(r, want) and b == 1.0 for r, b in zip(dense, rhs, strict=True))


def test_linear_program_warm_solve_after_rows_equals_cold_solve() -> None:
    """Adding rows and solving again from the basis gives the cold solve's optimum."""
    rng = np.random.default_rng(7)
    a = rng.integers(0, 3, size=(30, 40)).astype(float)
    c = -rng.integers(1, 9, size=40).astype(float)
    rhs = np.r_[a[:20].sum(axis=1) / 3, a[20:].sum(axis=1) / 4]
    no_lower = np.full(30, -np.inf)
    warm = LinearProgram(c, a[:20], no_lower[:20], rhs[:20], np.zeros(40), np.ones(40))
    assert warm.solve() == OPTIMAL
    first = warm.objective
    warm.add_rows(a[20:], no_lower[20:], rhs[20:])
    assert warm.solve() == OPTIMAL
    cold = LinearProgram(c, a, no_lower, rhs, np.zeros(40), np.ones(40))
    assert cold.solve() == OPTIMAL
    assert abs(warm.objective - cold.objective) < 1e-7
    assert warm.objective > first + 1e-6  # the added rows cut the first optimum off
    assert np.all(a @ warm.x <= rhs + 1e-7)
    # Reduced costs have the signs of an optimum: >= 0 at the lower bound, <= 0 at the upper.
    d = warm.reduced_costs
    x = warm.x
    assert np.all(d[x < 1e-9] >= -1e-7)
    assert np.all(d[x > 1 - 1e-9] <= 1e-7)


@settings(SETTINGS, max_examples=300)
@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=7),
    st.integers(2, 6),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
)
def test_cover_cut_is_violated_and_valid(
    weights: list[int], cap: int, ymax: int, seed: int
) -> None:
    """A group cover cut holds for every binary choice of units and integer team count that
    the rule ``sum w X <= cap * y`` allows, and cuts off the point it was made at."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.choice([0.2, 0.5, 0.8, 1.0, 1.0], size=len(weights)))[::-1].copy()
    y = float(rng.choice([float(rng.integers(1, ymax + 1)), rng.uniform(0.5, ymax)]))
    w = np.array(weights, dtype=np.int64)
    cut = cover_cut(w, x, y, cap, ymax)
    if cut is None:
        return
    m, slope, rhs = cut
    assert m @ x - slope * y > rhs + 1e-7
    for bits in itertools.product((0, 1), repeat=len(weights)):
        chosen = np.array(bits)
        for teams in range(ymax + 1):
            if w @ chosen <= cap * teams:
                assert m @ chosen - slope * teams <= rhs + 1e-9, (bits, teams)


@st.composite
def crowded_groups(draw: st.DrawFn) -> dict[str, Any]:
    """Crowded assignments with groups of 2-3: where group cover cuts bite."""
    inst = draw(crowded())
    sids = [s["id"] for s in inst["students"]]
    size = draw(st.integers(2, min(3, len(sids))))
    inst["groups"] = [{"id": "g1", "members": sids[:size]}]
    if len(sids) >= size + 2 and draw(st.booleans()):
        inst["groups"].append({"id": "g2", "members": sids[size : size + 2]})
    return inst


def _check_group_cuts(inst: dict[str, Any], seed: int) -> int:
    """Cuts made at a random point are valid for every integer point of the model with
    groups (members on one assignment, or all unplaced); returns how many were made."""
    problem = parse_problem(inst)
    model = build_model(problem)
    rng = np.random.default_rng(seed)
    z = np.zeros(model.n)
    z[: model.n_x] = rng.choice([0.0, 0.4, 0.7, 1.0, 1.0], size=model.n_x)
    z[: model.n_x] = z[model.lead]  # members follow their group's first member
    has = model.y_col >= 0
    z[model.y_col[has]] = np.round(rng.uniform(0.0, model.ub[model.y_col[has]]), 1)
    rows, rhs = separate(model, z)
    assert np.all(rows @ z > rhs + 1e-7)
    if rows.shape[0] == 0:
        return 0
    for point in _integer_points(inst, model, every_column=False):
        if np.allclose(model.a_eq @ point, model.b_eq):
            assert np.all(rows @ point <= rhs + 1e-9), (rows.toarray(), rhs, point)
    return int(_unit_covers(model, z)[0].shape[0])


@SETTINGS
@given(crowded_groups(), st.integers(0, 2**32 - 1))
def test_cuts_with_groups_are_valid(inst: dict[str, Any], seed: int) -> None:
    _check_group_cuts(inst, seed)


def test_the_group_sweep_makes_cover_cuts() -> None:
    """The sweep with groups is not vacuous: its kind of input yields group cover cuts."""
    made = 0
    for seed in range(30):
        inst = _crowded_example(seed)
        inst["assignments"][0]["max_size"] = 4
        sids = [s["id"] for s in inst["students"]]
        inst["groups"] = [{"id": "g1", "members": sids[:3]}]
        made += _check_group_cuts(inst, seed)
    assert made > 0


def test_group_cover_cut_for_a_group_filling_the_last_places() -> None:
    """One team of at most 4: two students alone and half of a group of 3 fill it in the LP
    (1 + 1 + 3 * 2/3 = 4); the cover cut x1 + x2 + X_g <= 2 y cuts that off."""
    inst: dict[str, Any] = {
        "students": [
            {"id": f"s{i}", "programme": p, "ranking": ["a1"]}
            for i, p in enumerate(["FT", "SW", "FT", "SW", "ET"], start=1)
        ],
        "assignments": [{"id": "a1", "teams": 1, "min_size": 2, "max_size": 4}],
        "costs": {"rank": [0], "unplaced": 10},
        "groups": [{"id": "g1", "members": ["s3", "s4", "s5"]}],
    }
    model = build_model(parse_problem(inst))
    z = np.zeros(model.n)
    z[: model.n_x] = [1.0, 1.0, 2 / 3, 2 / 3, 2 / 3]
    z[model.y_col[0]] = 1.0
    rows, rhs = separate(model, z)
    want = np.zeros(model.n)
    want[[0, 1, 2]] = 1.0
    want[model.y_col[0]] = -2.0
    dense = rows.toarray()
    assert any(np.array_equal(r, want) and b == 0.0 for r, b in zip(dense, rhs, strict=True)), (
        dense,
        rhs,
    )


def test_group_cover_cut_that_skips_a_unit_of_higher_value() -> None:
    """One team of at most 6: four students alone sure in (x = 1), a fifth at 0.6 and a
    group of 3 at 0.2 fill it (4 + 0.6 + 3 * 0.2 + 0.8 of a sixth = 6). The group and the
    four sure ones weigh 7 > 6, so at most 4 of them fit: X_g + x1 + ... + x4 <= 4 y. Every
    prefix by LP value holds the fifth student, whose 0.6 hides that cover; trying the group
    first finds it (the pattern of a full single-team assignment at 5,000 students)."""
    progs = ["FT", "SW", "VP", "ET", "LO", "TP", "FT", "SW", "VP"]
    inst: dict[str, Any] = {
        "students": [
            {"id": f"s{i}", "programme": p, "ranking": ["a1"]} for i, p in enumerate(progs, start=1)
        ],
        "assignments": [{"id": "a1", "teams": 1, "min_size": 3, "max_size": 6}],
        "costs": {"rank": [0], "unplaced": 10},
        "groups": [{"id": "g1", "members": ["s7", "s8", "s9"]}],
    }
    model = build_model(parse_problem(inst))
    z = np.zeros(model.n)
    z[: model.n_x] = [1.0, 1.0, 1.0, 1.0, 0.6, 0.8, 0.2, 0.2, 0.2]
    z[model.y_col[0]] = 1.0
    rows, rhs = separate(model, z)
    want = np.zeros(model.n)
    want[[0, 1, 2, 3, 6]] = 1.0
    want[model.y_col[0]] = -4.0
    dense = rows.toarray()
    found = [b for r, b in zip(dense, rhs, strict=True) if np.array_equal(r, want)]
    assert found == [0.0], (dense, rhs)
