"""``solve``: build the model, optimise (sum or a fairness profile), form teams, explain."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from app.matching.bipartite import match_bipartite
from app.matching.build import build_model
from app.matching.core import minimise, settled
from app.matching.diagnose import diagnose
from app.matching.explain import explain
from app.matching.model import FloatArray, IntArray, Model
from app.matching.problem import Problem
from app.matching.relaxation import Accept, Outcome, Relaxation
from app.matching.result import Result, Team, histograms
from app.matching.teams import deal_together, team_count


def _categories(model: Model, n_ranks: int) -> IntArray:
    """Profile category per column: rank 1..K, K+1 unranked, K+2 unplaced, 0 otherwise."""
    cat = np.zeros(model.n, dtype=np.int64)
    cat[: model.n_x] = np.where(model.prank > 0, model.prank, n_ranks + 1)
    cat[model.n_x : model.n_x + model.n_u] = n_ranks + 2
    return cat


def _profile(model: Model, problem: Problem, deadline: float | None) -> Outcome:
    """Sequential exact optimisation of the rank profile, then of the total cost.

    One LP relaxation serves every stage: each stage adds the row that keeps the count it
    reached, and the next objective starts from the last basis with the cuts found so far.
    Each stage starts from the last one's optimum (it keeps every stage row so far); the
    first generous stage from the total-cost optimum, which usually places as many as can
    be placed already and is proven much faster than a bare count (``docs/matching.md``).
    """
    cat, accept = _categories(model, len(problem.costs.rank)), _formable(problem, model)
    relaxation = Relaxation(model) if model.n else None
    timings: dict[str, float] = {}
    cost = model.base_cost()
    weight, start = _tie_weight(model, cost), None  # start: the last stage's optimum
    if problem.objective == "generous" and relaxation is not None:
        start = _timed(minimise(model, cost, relaxation, deadline, accept), timings).z
    for c, sign in _stages(problem.objective, len(problem.costs.rank)):
        mask = (cat == c).astype(np.float64)
        if not mask.any():
            continue
        # Guide: the same order of counts, ties broken by the total cost (the LP of a bare
        # count is highly degenerate). Only steers the simplex; ``minimise`` proves on c.
        guide = weight * sign * mask + cost
        found = minimise(model, sign * mask, relaxation, deadline, accept, guide, start)
        outcome = _timed(found, timings)
        if outcome.status != "optimal" or outcome.z is None:
            outcome.bound = None
            return outcome
        start = outcome.z
        if relaxation is not None:
            _keep_count(model, relaxation, mask, sign, outcome)
    if start is not None and _cost_by_category(cost, cat, model):
        # Every stage pinned its category's count (the last one follows: each student is
        # placed once or unplaced), so with one cost per category every solution left costs
        # the same as the last stage's optimum.
        value = round(float(cost @ start))
        return Outcome("optimal", start, value, value, timings)
    return _timed(minimise(model, cost, relaxation, deadline, accept, start=start), timings)


def _timed(outcome: Outcome, timings: dict[str, float]) -> Outcome:
    """``outcome`` with its timings added to those of the stages before it."""
    _merge(timings, outcome.timings)
    outcome.timings = timings
    return outcome


def _cost_by_category(cost: FloatArray, cat: IntArray, model: Model) -> bool:
    """Whether all placement columns (``x`` and ``u``) of one profile category cost the same
    (no cost for moving away from a previous assignment, one cost for unranked)."""
    head = model.n_x + model.n_u
    c, k = cost[:head], cat[:head]
    n_cat = int(k.max(initial=0)) + 1
    low = np.full(n_cat, np.inf)
    high = np.full(n_cat, -np.inf)
    np.minimum.at(low, k, c)
    np.maximum.at(high, k, c)
    return bool(np.all(low[np.isfinite(low)] == high[np.isfinite(high)]))


def _stages(objective: str, k: int) -> list[tuple[int, float]]:
    """The profile's stages in order, as (category, sign of its count in the objective)."""
    if objective == "greedy":
        # Most first choices, then most second choices, ..., then most unranked placements.
        return [(c, -1.0) for c in range(1, k + 2)]
    # Fewest unplaced, then fewest unranked, then fewest at rank K, K-1, ..., 2.
    return [(c, 1.0) for c in range(k + 2, 1, -1)]


def _keep_count(
    model: Model, relaxation: Relaxation, mask: FloatArray, sign: float, outcome: Outcome
) -> None:
    """Add the row that keeps the count a stage reached to ``relaxation``, and fix what
    that settles."""
    assert outcome.z is not None
    # Keep the count reached: at least it (greedy) or at most it (generous).
    reached = np.array([float(round(float(mask @ outcome.z)))])
    if sign > 0 and reached[0] == 0:
        # None at all in this category: its columns are 0 (as a row, a degenerate one).
        cols = np.nonzero(mask)[0].astype(np.int64)
        relaxation.fix(cols, np.zeros(len(cols)))
        return
    inf = np.array([np.inf])
    lo, hi = (reached, inf) if sign < 0 else (-inf, reached)
    relaxation.add_rows(sp.csr_matrix(mask), lo, hi)
    # Columns that every solution keeping that count has at their LP value.
    relaxation.fix(*settled(model, outcome))


def _tie_weight(model: Model, cost: FloatArray) -> float:
    """A weight above the range of the total cost: one student more or less in a category
    then outweighs any change of cost, so weight * count + cost orders like the count."""
    spread = np.zeros(len(model.index.sids))
    lowest = np.full(len(model.index.sids), np.inf)
    students = np.concatenate([model.ps, model.u_students])
    costs = cost[: model.n_x + model.n_u]  # x then u columns, in the order of ``students``
    np.maximum.at(spread, students, costs)
    np.minimum.at(lowest, students, costs)
    placed = np.isfinite(lowest)
    return float((spread[placed] - lowest[placed]).sum() + 1.0)


def _formable(problem: Problem, model: Model) -> Accept:
    """An integral placement in ``z`` with team counts that deal it into teams, or None.

    With groups, an assignment of several teams that holds group members must also deal
    them into teams with every group together (``deal_together``).
    """
    arr = problem.assignments
    group_of = {m: g.id for g in problem.groups for m in g.members}
    in_group = np.array([sid in group_of for sid in model.index.sids], dtype=bool)
    n_p = max(len(model.index.progs), 1)
    y_of = model.y_col >= 0
    w0 = model.n - model.n_w

    def accept(z: FloatArray) -> FloatArray | None:
        out = z.copy()
        head = model.n_x + model.n_u
        out[:head] = np.round(out[:head])
        chosen = np.nonzero(out[: model.n_x] > 0.5)[0]
        pa = model.pa[chosen]
        prog = model.index.prog[model.ps[chosen]]
        counts = np.bincount(pa * n_p + prog, minlength=len(arr) * n_p).reshape(len(arr), n_p)
        teams = _team_numbers(problem, model, chosen, counts, in_group, group_of)
        if teams is None:
            return None
        out[model.y_col[y_of]] = teams[y_of]
        # Programmes counted towards min_programmes: min(members, teams) each.
        wa = model.w_key // n_p
        out[w0:] = np.minimum(counts.ravel()[model.w_key], teams[wa])
        return out

    return accept


def _team_numbers(
    problem: Problem,
    model: Model,
    chosen: IntArray,
    counts: IntArray,
    in_group: np.ndarray,
    group_of: dict[str, str],
) -> IntArray | None:
    """Teams per assignment for the chosen x columns (programme counts per assignment in
    ``counts``); None when some assignment cannot deal its members into teams."""
    arr = problem.assignments
    progs = model.index.progs
    pa = model.pa[chosen]
    teams = np.zeros(len(arr), dtype=np.int64)
    for a in np.unique(pa).tolist():
        tally = {progs[k]: int(v) for k, v in enumerate(counts[a].tolist()) if v}
        y = team_count(arr[a], sum(tally.values()), tally)
        if y is None:
            return None
        if arr[a].teams > 1 and in_group[model.ps[chosen[pa == a]]].any():
            dealt = _deal_one(problem, model, a, model.ps[chosen[pa == a]], group_of)
            if dealt is None:
                return None
            y = len(dealt)
        teams[a] = y
    return teams


def _deal_one(
    problem: Problem, model: Model, a: int, rows: IntArray, group_of: dict[str, str]
) -> list[list[str]] | None:
    sids = model.index.sids
    progs = model.index.progs
    members = [(sids[int(r)], progs[int(model.index.prog[int(r)])]) for r in rows]
    return deal_together(problem.assignments[a], members, group_of)


def _merge(into: dict[str, float], more: dict[str, float]) -> None:
    for key, value in more.items():
        into[key] = into.get(key, 0.0) + value


def _optimise(problem: Problem, model: Model, deadline: float | None) -> Outcome:
    if problem.objective != "sum":
        return _profile(model, problem, deadline)
    if len(model.y_assign) == 0 and model.n_w == 0 and not problem.groups:
        outcome = match_bipartite(model)
        if outcome.status != "unknown":
            return outcome
    return minimise(model, model.base_cost(), None, deadline, _formable(problem, model))


def _placement(model: Model, z: FloatArray) -> dict[str, str]:
    chosen = np.nonzero(z[: model.n_x] > 0.5)[0]
    sids, aids = model.index.sids, model.index.aids
    return {sids[int(model.ps[j])]: aids[int(model.pa[j])] for j in chosen}


def _teams(
    problem: Problem, model: Model, placement: dict[str, str]
) -> tuple[tuple[Team, ...], set[str]]:
    """Teams of the model's assignments, numbered per original assignment, and the ids of the
    multi-team assignments whose members could not be dealt with their groups intact."""
    work = model.work
    programme = {s.id: s.programme for s in work.students}
    group_of = {m: g.id for g in work.groups for m in g.members}
    by_assignment: dict[str, list[tuple[str, str]]] = {}
    for sid, aid in placement.items():
        by_assignment.setdefault(aid, []).append((sid, programme[sid]))
    out: list[Team] = []
    failed: set[str] = set()
    number: dict[str, int] = {}
    for a, i in zip(work.assignments, model.origin.tolist(), strict=True):
        dealt = deal_together(a, by_assignment.get(a.id, []), group_of)
        if dealt is None:
            if a.teams > 1 and group_of:
                failed.add(a.id)
                continue
            raise AssertionError(f"solver counts for {a.id} cannot be dealt into teams")
        name = problem.assignments[i].id
        for members in dealt:
            number[name] = number.get(name, 0) + 1
            out.append(Team(name, number[name], tuple(members)))
    return tuple(out), failed


def _origin_ids(problem: Problem, model: Model) -> dict[str, str]:
    """Model assignment id to the original assignment's id (differs for split copies)."""
    pairs = zip(model.work.assignments, model.origin.tolist(), strict=True)
    return {a.id: problem.assignments[i].id for a, i in pairs}


def _objective(problem: Problem, model: Model, placement: dict[str, str]) -> int:
    """Total cost recomputed from the placement in exact integers."""
    sidx = {sid: i for i, sid in enumerate(model.index.sids)}
    aidx = {aid: i for i, aid in enumerate(model.index.aids)}
    n_a = len(aidx)
    keys = model.ps * n_a + model.pa
    want = np.array([sidx[s] * n_a + aidx[a] for s, a in placement.items()], dtype=np.int64)
    placed = int(model.cost[np.searchsorted(keys, want)].sum()) if len(want) else 0
    unplaced = len(problem.students) - len(placement)
    return placed + unplaced * (problem.costs.unplaced or 0)


def solve(problem: Problem, *, time_limit: float | None = None) -> Result:
    """Form teams of minimum total cost (or best rank profile) for ``problem``.

    Parameters
    ----------
    problem : Problem
        A validated instance, e.g. from :func:`parse_problem` or :func:`load`.
    time_limit : float, optional
        Seconds of search. When it stops the search, the best solution found is returned
        with status ``feasible`` and its proven lower ``bound``.

    Returns
    -------
    Result
        Status ``optimal``, ``feasible``, ``infeasible`` or ``unknown`` (time limit hit
        before any solution was found), teams, unplaced students, statistics and
        explanations.

    Examples
    --------
    >>> from app.matching import parse_problem, solve
    >>> p = parse_problem({
    ...     "students": [{"id": "s1", "programme": "FT", "ranking": ["a1", "a2"]},
    ...                  {"id": "s2", "programme": "VP", "ranking": ["a1"]},
    ...                  {"id": "s3", "programme": "FT", "ranking": ["a1", "a2"]}],
    ...     "assignments": [{"id": "a1", "max_size": 2, "max_per_programme": 1},
    ...                     {"id": "a2", "max_size": 3}],
    ...     "costs": {"rank": [0, 1], "unranked": None, "unplaced": 10}})
    >>> r = solve(p)
    >>> r.status, r.objective, r.bound
    ('optimal', 1, 1)
    >>> [(t.assignment, t.members) for t in r.teams]
    [('a1', ('s1', 's2')), ('a2', ('s3',))]
    """
    start = time.perf_counter()
    found = _search(problem, _deadline(problem, start, time_limit))
    if found.outcome.z is None:
        return _without_solution(problem, found, start)
    return _with_solution(problem, found, start)


def _deadline(problem: Problem, start: float, time_limit: float | None) -> float | None:
    """When the search must end for the call to end within ``time_limit``.

    Forming teams and explaining take about a second per 50,000 students after the
    search; that and 2 % of the limit are kept in reserve.
    """
    if time_limit is None:
        return None
    reserve = 0.02 * time_limit + 2e-5 * len(problem.students)
    return start + max(time_limit - reserve, 0.0)


@dataclass
class _Found:
    """What the search ends with: the last model solved, its outcome and, with a solution,
    the placement and its teams (``teams_from``: when forming them started)."""

    model: Model
    outcome: Outcome
    split: frozenset[str]
    timings: dict[str, float]
    placement: dict[str, str] = field(default_factory=dict)
    teams: tuple[Team, ...] = ()
    teams_from: float = 0.0


def _search(problem: Problem, deadline: float | None) -> _Found:
    """Optimise, and while the teams of a solution cannot keep a group together, model the
    assignments concerned team by team and optimise again."""
    split: frozenset[str] = frozenset()
    timings: dict[str, float] = {}
    while True:
        t = time.perf_counter()
        model = build_model(problem, split)
        built = time.perf_counter()
        outcome = _optimise(model.work, model, deadline)
        _merge(timings, {"build": built - t, **outcome.timings})
        found = _Found(model, outcome, split, timings)
        if outcome.z is None:
            return found
        found.teams_from = time.perf_counter()
        found.placement = _placement(model, outcome.z)
        found.teams, failed = _teams(problem, model, found.placement)
        if not failed:
            return found
        # A group does not fit in the teams dealt from these counts: model the assignments
        # concerned team by team and solve again (the proof then covers them exactly).
        split = split | failed
        timings["splits"] = timings.get("splits", 0) + len(failed)


def _without_solution(problem: Problem, found: _Found, start: float) -> Result:
    """An ``infeasible`` result with its diagnosis, or ``unknown`` (out of time)."""
    status = found.outcome.status if found.outcome.status == "unknown" else "infeasible"
    unsplit = found.model if not found.split else build_model(problem)
    explanations = diagnose(problem, unsplit) if status == "infeasible" else {}
    seconds = time.perf_counter() - start
    return Result(
        status, None, None, explanations=explanations, seconds=seconds, timings=found.timings
    )


def _with_solution(problem: Problem, found: _Found, start: float) -> Result:
    """The result of a solution: teams, cost, statistics and explanations."""
    model, outcome = found.model, found.outcome
    objective = _objective(problem, model, found.placement)
    origin = _origin_ids(problem, model)
    placement = {sid: origin[aid] for sid, aid in found.placement.items()}
    total, per = histograms(problem, placement)
    unplaced = tuple(s.id for s in problem.students if s.id not in placement)
    explanations = explain(problem, placement, found.teams)
    found.timings["teams_and_explanations"] = time.perf_counter() - found.teams_from
    bound = outcome.bound
    if problem.objective == "sum" and bound is not None:
        bound = min(bound, objective)
    return Result(
        status=outcome.status,
        objective=objective,
        bound=bound,
        teams=found.teams,
        unplaced=unplaced,
        rank_histogram=total,
        per_programme=per,
        explanations=explanations,
        seconds=time.perf_counter() - start,
        timings=found.timings,
    )
