"""Exact minimisation of an integer cost over the aggregate model.

Strategy (see ``docs/matching.md``, "How optimality is proven"):

1. Solve the LP relaxation with HiGHS dual simplex (``highs.LinearProgram``), without the
   ``x <= y`` rows.
2. Cutting planes (``cuts.py``): add the ``x <= y`` rows and residual capacity
   inequalities the LP violates, solve again from the last basis, repeat while the bound
   moves. An integral vertex, or one whose placement is integral and can be dealt into
   teams (``accept``), is optimal.
3. Dive for an incumbent: fix the fractional team counts at their floor (then ceiling) and
   solve again; with integral team counts the rest is a network, so the placement usually
   comes out integral. Its cost ``U`` is an upper bound.
4. Restricted MILP rounds (``rounds.py``) on the LP reduced costs ``d``: any solution
   costing ``C`` satisfies ``sum_j |d_j| * |z_j - z*_j| <= C - LP``. So integer columns
   with ``|d_j| > delta`` keep their LP value in every solution costing at most ``LP +
   delta``. Solve the MILP over the remaining columns only (starting from the incumbent),
   with ``delta = U - 1 - LP``: a restricted optimum below ``U`` is optimal, none means
   ``U`` is. Without an incumbent, ``delta`` starts at the rounded-up LP bound and widens;
   a restricted optimum ``V`` with ``V - 1 <= LP + delta`` is optimal (costs are integers).
5. Pure assignment models (no team rules) go to the sparse bipartite matcher (``bipartite.py``).

The LP with every row added so far lives in a ``Relaxation`` (``relaxation.py``), which the
stages of a fairness profile share.
"""

from __future__ import annotations

import time

import numpy as np

from app.matching.cuts import separate
from app.matching.highs import INFEASIBLE, OPTIMAL, solve_mip
from app.matching.model import BoolArray, FloatArray, IntArray, Model
from app.matching.relaxation import (
    INT_TOL,
    Accept,
    Outcome,
    Relaxation,
    Relaxed,
    model_rows,
    remaining,
)
from app.matching.rounds import covers, finish, restricted_rounds

# Cutting-plane rounds on the LP (each a warm dual simplex solve); stop early when a round
# raises the bound by less than this.
_MAX_CUT_ROUNDS = 20
_CUT_PROGRESS = 1e-3


def _integral(z: FloatArray, is_int: BoolArray) -> bool:
    v = z[is_int]
    return bool(np.all(np.abs(v - np.round(v)) <= INT_TOL))


def _as_solution(model: Model, z: FloatArray, accept: Accept | None) -> FloatArray | None:
    """``z`` as an integer solution, or None.

    ``y`` and ``w`` cost nothing, so a vertex with integral ``x`` and ``u`` but a
    fractional team count is as good as integral when some integer team count fits the
    placement (``accept`` finds one, e.g. by dealing).
    """
    is_int = model.integrality == 1
    if _integral(z, is_int):
        out = z.copy()
        out[is_int] = np.round(out[is_int])
        return out
    head = np.zeros(model.n, dtype=bool)
    head[: model.n_x + model.n_u] = True
    if accept is None or not _integral(z, head):
        return None
    return accept(z)


def minimise(
    model: Model,
    c: FloatArray,
    relaxation: Relaxation | None = None,
    deadline: float | None = None,
    accept: Accept | None = None,
    guide: FloatArray | None = None,
    start: FloatArray | None = None,
) -> Outcome:
    """Minimise ``c @ z`` over the model and the rows of ``relaxation`` (a new one if None).

    ``c`` may weigh placement columns (``x``, ``u``) only. ``accept`` turns an integral
    placement into an integer solution when its teams can be formed (team counts of an LP
    vertex need not be integral). Cuts found here are added to ``relaxation``.

    ``guide``, an objective whose optima are optima of ``c`` (such as ``c`` with a small
    tie-breaker), only steers the simplex: the LP is solved with it first and then, from
    that basis, with ``c`` itself. An objective that merely counts
    students leaves the LP so degenerate that this is 50 times faster (``docs/benchmarks.md``).

    ``start``, an integer solution of the model and of every row of ``relaxation`` (such as
    the previous stage's optimum of a profile), is the first incumbent: when its cost meets
    the rounded-up bound of the LP it is optimal without cuts or search.
    """
    out = Outcome("unknown")
    if model.n == 0:
        return _without_columns(model, out)
    rel = Relaxation(model) if relaxation is None else relaxation
    given = None if start is None else Outcome("feasible", start, round(float(c @ start)))
    if given is not None and given.objective == _least(c, rel):
        return finish(out, given, float(given.objective))  # no solution can cost less
    t = time.perf_counter()
    status = _solve_lp(rel, c, guide, deadline)
    out.tick("lp", t)
    if status == INFEASIBLE:
        out.status = "infeasible"
        return out
    if status != OPTIMAL:
        return restricted_rounds(model, c, rel, None, given, deadline, out)
    return _from_lp(model, c, rel, accept, deadline, out, given)


def _from_lp(
    model: Model,
    c: FloatArray,
    rel: Relaxation,
    accept: Accept | None,
    deadline: float | None,
    out: Outcome,
    given: Outcome | None,
) -> Outcome:
    """The rest of :func:`minimise` once the LP is solved: the start against the LP bound,
    cuts, the dive and the restricted MILP rounds."""
    relaxed: Relaxed = (rel.lp.x, rel.lp.objective, rel.lp.reduced_costs)
    if given is not None and covers(given, relaxed[1], 0.0, 1e-6 * (1.0 + abs(relaxed[1]))):
        out.relaxed = relaxed
        return finish(out, given, relaxed[1])  # the start meets the LP bound
    t = time.perf_counter()
    status, relaxed = _cut_rounds(model, c, rel, accept, deadline, out)
    t = out.tick("cuts", t)
    if out.status != "unknown":
        return out  # the cut LP proved an optimum, or that no solution exists
    incumbent = _dive(model, c, rel, relaxed[0], accept, deadline) if status == OPTIMAL else None
    out.tick("dive", t)
    out.relaxed = relaxed
    return restricted_rounds(model, c, rel, relaxed, _better(incumbent, given), deadline, out)


def _least(c: FloatArray, rel: Relaxation) -> int:
    """The least ``c @ z`` any point within the column bounds can have (such as 0 for a
    count of students)."""
    return round(float(np.minimum(c * rel.col_lo, c * rel.col_hi).sum()))


def _better(a: Outcome | None, b: Outcome | None) -> Outcome | None:
    """The cheaper of two incumbents (either may be missing)."""
    if a is None or a.objective is None:
        return b
    if b is None or b.objective is None:
        return a
    return a if a.objective <= b.objective else b


def _without_columns(model: Model, out: Outcome) -> Outcome:
    """A model without columns: feasible only when no student row demands a placement."""
    empty = not np.any(model.b_eq)
    out.status, out.z = ("optimal", np.zeros(0)) if empty else ("infeasible", None)
    out.objective = out.bound = 0 if empty else None
    return out


def _solve_lp(
    rel: Relaxation, c: FloatArray, guide: FloatArray | None, deadline: float | None
) -> str:
    """Solve the LP with objective ``c``, from the guide's optimum when there is a guide.

    The cold solve presolves once a profile stage has fixed columns: at 5,000 students a
    stage's LP then takes 0.3 s instead of up to 1.1 s (presolve would cost more than it
    saves without them).
    """
    lp = rel.lp
    presolve = rel.fixed
    if guide is not None:
        lp.set_objective(guide, warm=False, presolve=presolve)
        lp.solve(remaining(deadline))
    # From the guide's optimum (also optimal for c) a warm start is cheap; a new objective
    # without a guide starts cold (primal simplex from a far-off basis is slow here).
    lp.set_objective(c, warm=guide is not None, presolve=presolve)
    return lp.solve(remaining(deadline))


def _cut_rounds(
    model: Model,
    c: FloatArray,
    rel: Relaxation,
    accept: Accept | None,
    deadline: float | None,
    out: Outcome,
) -> tuple[str, Relaxed]:
    """Add violated cuts and re-solve warm while the bound moves.

    Returns the LP status and the last solved relaxation. Sets ``out`` when the cut LP
    settles the question: an optimum that is an integer solution, or infeasibility.
    """
    lp, status = rel.lp, OPTIMAL
    relaxed: Relaxed | None = None
    for rounds in range(_MAX_CUT_ROUNDS + 1):
        z, bound = lp.x, lp.objective
        relaxed = (z, bound, lp.reduced_costs)
        solution = _as_solution(model, z, accept)
        if solution is not None:
            val = round(float(c @ solution))
            out.status, out.z, out.objective, out.bound = "optimal", solution, val, val
            out.relaxed = relaxed
            return status, relaxed
        rows, rhs = separate(model, z) if rounds < _MAX_CUT_ROUNDS else (None, None)
        if rows is None or rhs is None or rows.shape[0] == 0:
            break
        rel.add_rows(rows, np.full(len(rhs), -np.inf), rhs)
        status = lp.solve(remaining(deadline))
        out.timings["cut_rows"] = out.timings.get("cut_rows", 0) + float(len(rhs))
        if status == INFEASIBLE:  # valid cuts leave no room: no integer solution exists
            out.status = "infeasible"
            break
        if status != OPTIMAL:
            break  # time is up: go on with the last solved relaxation
        if lp.objective < bound + _CUT_PROGRESS and rounds >= 1:
            relaxed = (lp.x, lp.objective, lp.reduced_costs)
            break  # tailing off: the MILP rounds do the rest
    assert relaxed is not None  # the loop runs at least once
    return status, relaxed


def _dive(
    model: Model,
    c: FloatArray,
    rel: Relaxation,
    z: FloatArray,
    accept: Accept | None,
    deadline: float | None,
) -> Outcome | None:
    """Best integer solution found by fixing fractional team counts down, then up.

    The dive goes on from the LP's optimal basis with dual simplex (a profile stage's
    count objective too: switching to its guide here cost 12 s at 5,000 students warm, and
    1-5 s a stage cold). The bounds are restored afterwards; the LP's last solution is then
    a dive's.
    """
    lp = rel.lp
    ycols = model.y_col[model.y_col >= 0]
    yv = z[ycols]
    cols = ycols[np.abs(yv - np.round(yv)) > INT_TOL]
    best: Outcome | None = None
    for values in (np.floor(z[cols] + INT_TOL), np.ceil(z[cols] - INT_TOL)):
        lp.set_bounds(cols, values, values)
        if lp.solve(remaining(deadline)) != OPTIMAL:
            continue
        solution = _as_solution(model, lp.x, accept)
        if solution is not None:
            val = round(float(c @ solution))
            if best is None or best.objective is None or val < best.objective:
                best = Outcome("feasible", solution, val)
    lp.set_bounds(cols, rel.col_lo[cols], rel.col_hi[cols])
    return best


def settled(model: Model, outcome: Outcome, tol: float = 1e-6) -> tuple[IntArray, FloatArray]:
    """Integer columns that keep their LP value in every solution as good as ``outcome``'s.

    With the cut LP's value ``L`` and reduced costs ``d`` at its solution ``z*``, every
    solution costs at least ``L + sum_j |d_j| |z_j - z*_j|``; one that costs no more than
    ``outcome.objective`` therefore keeps each integer column with ``|d_j| > objective - L`` at
    ``z*_j`` (a bound of the column, as the sign of ``d_j`` says). A profile stage adds the
    row that keeps its optimum, so later stages may fix these columns.
    """
    if outcome.relaxed is None or outcome.objective is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    z, lp_obj, d = outcome.relaxed
    gap = outcome.objective - lp_obj + tol * (1.0 + abs(lp_obj))
    at_lo = (np.abs(z - model.lb) <= INT_TOL) & (d > gap)
    at_hi = (np.abs(z - model.ub) <= INT_TOL) & (d < -gap)
    cols = np.nonzero((model.integrality == 1) & (at_lo | at_hi))[0].astype(np.int64)
    return cols, np.where(at_lo[cols], model.lb[cols], model.ub[cols])


def feasible(model: Model) -> bool:
    """Whether the model has an integer solution (one MILP call, no objective)."""
    if model.n == 0:
        return not np.any(model.b_eq)
    a, lo, hi = model_rows(model)
    res = solve_mip(np.zeros(model.n), a, lo, hi, model.lb, model.ub, model.integrality)
    return res.x is not None
