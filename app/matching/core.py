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
4. Use the LP reduced costs ``d``: any solution costing ``C`` satisfies
   ``sum_j |d_j| * |z_j - z*_j| <= C - LP``. So integer columns with ``|d_j| > delta``
   keep their LP value in every solution costing at most ``LP + delta``. Solve the MILP
   over the remaining columns only (starting from the incumbent), with ``delta = U - 1 -
   LP``: a restricted optimum below ``U`` is optimal, none means ``U`` is. Without an
   incumbent, ``delta`` starts at the rounded-up LP bound and widens; a restricted optimum
   ``V`` with ``V - 1 <= LP + delta`` is optimal (costs are integers).
5. Pure assignment models (no team rules) go to the sparse bipartite matcher (``bipartite.py``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from app.matching.cuts import separate
from app.matching.highs import INFEASIBLE, OPTIMAL, LinearProgram, MixedIntegerResult, solve_mip
from app.matching.model import BoolArray, FloatArray, IntArray, Model

_INT_TOL = 1e-6
# HiGHS checks its MILP time limit only between some phases (presolve, root cut rounds
# on 500,000 columns run for tens of seconds): hand it this share of the time left.
_MILP_TIME_SHARE = 0.6
# Given column values whose placement columns are integral, the same point with integral
# team counts (and programme counts) when teams can be formed, else None.
Accept = Callable[[FloatArray], "FloatArray | None"]
# Cutting-plane rounds on the LP (each a warm dual simplex solve); stop early when a round
# raises the bound by less than this.
_MAX_CUT_ROUNDS = 20
_CUT_PROGRESS = 1e-3


@dataclass
class Outcome:
    """Outcome of one minimisation: column values and integer objective/bound."""

    status: str  # optimal, feasible (time limit), infeasible, unknown (time limit, none found)
    z: FloatArray | None = None
    objective: int | None = None
    bound: int | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # The cut LP the proof started from: its solution, value and reduced costs.
    relaxed: tuple[FloatArray, float, FloatArray] | None = None

    def tick(self, key: str, start: float) -> float:
        now = time.perf_counter()
        self.timings[key] = self.timings.get(key, 0.0) + now - start
        return now


def _remaining(deadline: float | None) -> float:
    return math.inf if deadline is None else max(deadline - time.perf_counter(), 0.0)


def _integral(z: FloatArray, is_int: BoolArray) -> bool:
    v = z[is_int]
    return bool(np.all(np.abs(v - np.round(v)) <= _INT_TOL))


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


def _model_rows(model: Model) -> tuple[sp.csr_matrix, FloatArray, FloatArray]:
    """The model's equality and inequality rows as one matrix with lower/upper limits."""
    a = sp.vstack([model.a_eq, model.a_ub], format="csr")
    lo = np.concatenate([model.b_eq, np.full(len(model.b_ub), -np.inf)])
    return a, lo, np.concatenate([model.b_eq, model.b_ub])


# Rows (matrix, lower and upper limits) and column bounds (lower, upper) of a MILP.
Constraints = tuple[sp.csc_matrix, FloatArray, FloatArray, FloatArray, FloatArray]


class Relaxation:
    """The LP relaxation of a model with every row added so far (cuts, profile stages).

    Kept alive across the stages of a fairness profile: a new objective starts from the
    last basis, and cuts found in one stage stay valid in the next (they hold for every
    integer solution, and stage rows only remove solutions).
    """

    def __init__(self, model: Model) -> None:
        a, lo, hi = _model_rows(model)
        self.rows, self.lo, self.hi = [a], [lo], [hi]
        self.lp = LinearProgram(np.zeros(model.n), a, lo, hi, model.lb, model.ub)
        # Column bounds of the LP: the model's, narrowed by ``fix``.
        self.col_lo, self.col_hi = model.lb.copy(), model.ub.copy()
        self.fixed = False  # whether ``fix`` narrowed any

    def fix(self, cols: IntArray, values: FloatArray) -> None:
        """Fix columns that every solution still of interest has at these values."""
        if len(cols) == 0:
            return
        self.col_lo[cols] = self.col_hi[cols] = values
        self.fixed = True
        self.lp.set_bounds(cols, values, values)

    def add_rows(self, rows: sp.csr_matrix, lo: FloatArray, hi: FloatArray) -> None:
        """Rows ``lo <= rows @ z <= hi`` valid for every solution still of interest."""
        self.lp.add_rows(rows, lo, hi)
        self.rows.append(rows)
        self.lo.append(lo)
        self.hi.append(hi)

    def constraints(self) -> Constraints:
        """All rows as one matrix with their lower and upper limits, and the column bounds."""
        return (
            sp.vstack(self.rows, format="csc"),
            np.concatenate(self.lo),
            np.concatenate(self.hi),
            self.col_lo.copy(),
            self.col_hi.copy(),
        )


Relaxed = tuple[FloatArray, float, FloatArray]  # an LP solution, its value, reduced costs


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
        return _finish(out, given, float(given.objective))  # no solution can cost less
    t = time.perf_counter()
    status = _solve_lp(rel, c, guide, deadline)
    t = out.tick("lp", t)
    if status == INFEASIBLE:
        out.status = "infeasible"
        return out
    if status != OPTIMAL:
        return _restricted_rounds(model, c, rel, None, given, deadline, out)
    relaxed: Relaxed = (rel.lp.x, rel.lp.objective, rel.lp.reduced_costs)
    if given is not None and _covers(given, relaxed[1], 0.0, 1e-6 * (1.0 + abs(relaxed[1]))):
        out.relaxed = relaxed
        return _finish(out, given, relaxed[1])  # the start meets the LP bound
    status, relaxed = _cut_rounds(model, c, rel, accept, deadline, out)
    t = out.tick("cuts", t)
    if out.status != "unknown":
        return out  # the cut LP proved an optimum, or that no solution exists
    incumbent = _dive(model, c, rel, relaxed[0], accept, deadline) if status == OPTIMAL else None
    out.tick("dive", t)
    out.relaxed = relaxed
    return _restricted_rounds(model, c, rel, relaxed, _better(incumbent, given), deadline, out)


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
        lp.solve(_remaining(deadline))
    # From the guide's optimum (also optimal for c) a warm start is cheap; a new objective
    # without a guide starts cold (primal simplex from a far-off basis is slow here).
    lp.set_objective(c, warm=guide is not None, presolve=presolve)
    return lp.solve(_remaining(deadline))


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
        status = lp.solve(_remaining(deadline))
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
    cols = ycols[np.abs(yv - np.round(yv)) > _INT_TOL]
    best: Outcome | None = None
    for values in (np.floor(z[cols] + _INT_TOL), np.ceil(z[cols] - _INT_TOL)):
        lp.set_bounds(cols, values, values)
        if lp.solve(_remaining(deadline)) != OPTIMAL:
            continue
        solution = _as_solution(model, lp.x, accept)
        if solution is not None:
            val = round(float(c @ solution))
            if best is None or best.objective is None or val < best.objective:
                best = Outcome("feasible", solution, val)
    lp.set_bounds(cols, rel.col_lo[cols], rel.col_hi[cols])
    return best


@dataclass
class _Space:
    """The space of a restricted MILP round: every integer column whose reduced cost ``d``
    exceeds ``delta`` keeps its LP value ``z_lp`` (no LP: every column is free)."""

    z_lp: FloatArray | None
    lp_obj: float
    d: FloatArray
    tol: float
    delta: float

    @classmethod
    def around(cls, model: Model, relaxation: Relaxed | None) -> _Space:
        """The first round's space: room for every solution that could meet the rounded-up
        LP bound (cheap, and often enough); later rounds widen up to the incumbent's cost."""
        if relaxation is None:
            return cls(None, -math.inf, np.zeros(model.n), 0.0, math.inf)
        z_lp, lp_obj, d = relaxation
        tol = 1e-6 * (1.0 + abs(lp_obj))
        delta = max(math.ceil(lp_obj - tol) - lp_obj, 0.0) + tol
        return cls(z_lp, lp_obj, d, tol, delta)

    def free(self, model: Model) -> BoolArray:
        """Columns the round leaves free: continuous, fractional or of small reduced cost."""
        if self.z_lp is None:
            return np.ones(model.n, dtype=bool)
        frac = np.abs(self.z_lp - np.round(self.z_lp)) > _INT_TOL
        out: BoolArray = (np.abs(self.d) <= self.delta + self.tol) | (model.integrality != 1)
        return out | frac

    def covers(self, best: Outcome | None) -> bool:
        """Whether this space holds every solution cheaper than ``best``."""
        return best is not None and _covers(best, self.lp_obj, self.delta, self.tol)


def _restricted_rounds(
    model: Model,
    c: FloatArray,
    rel: Relaxation,
    relaxation: Relaxed | None,
    incumbent: Outcome | None,
    deadline: float | None,
    out: Outcome,
) -> Outcome:
    """MILP rounds over the columns that reduced costs cannot fix (see the module doc)."""
    space = _Space.around(model, relaxation)
    best = incumbent
    if best is not None and _covers(best, space.lp_obj, 0.0, space.tol):
        return _finish(out, best, space.lp_obj)  # the incumbent meets the bound
    floor = space.lp_obj  # every solution costs at least this (raised by infeasible rounds)
    cons = rel.constraints()
    while True:
        free = space.free(model)
        res = _milp_round(model, c, cons, free, space.z_lp, best, deadline, out)
        if res.status == "infeasible":
            if free.all() or space.covers(best):
                return _finish(out, best, floor)
            # No solution costs at most LP + delta: the bound rises even without one.
            floor = max(floor, float(math.floor(space.lp_obj + space.delta - space.tol) + 1))
            space.delta = _widen(best, space.lp_obj, 2 * space.delta + 2, space.tol)
            continue
        if res.objective is not None and (
            best is None or best.objective is None or res.objective < best.objective
        ):
            best = res  # a timed-out round may end with a worse solution than the last one
        if res.status in ("unknown", "feasible"):
            limit = _outside(free, space.lp_obj + space.delta)
            return _finish(out, best, floor, timed_out=True, limit=limit, within=res.bound)
        if free.all() or space.covers(best):
            return _finish(out, best, floor)
        space.delta = _widen(best, space.lp_obj, math.inf, space.tol)


def _milp_round(
    model: Model,
    c: FloatArray,
    cons: Constraints,
    free: BoolArray,
    z_lp: FloatArray | None,
    best: Outcome | None,
    deadline: float | None,
    out: Outcome,
) -> Outcome:
    """One restricted MILP from the incumbent ``best``, timed and counted in ``out``."""
    t = time.perf_counter()
    res = _milp_on(model, c, cons, free, z_lp, None if best is None else best.z, deadline)
    out.tick("milp", t)
    out.timings["milp_columns"] = max(out.timings.get("milp_columns", 0), float(free.sum()))
    out.timings["milp_rounds"] = out.timings.get("milp_rounds", 0) + 1
    return res


def _covers(best: Outcome, lp_obj: float, delta: float, tol: float) -> bool:
    """Whether the space of the last round held every solution cheaper than ``best``."""
    assert best.objective is not None
    return best.objective - 1 <= lp_obj + delta - tol


def _widen(best: Outcome | None, lp_obj: float, delta: float, tol: float) -> float:
    """Next ``delta``: at most what every solution cheaper than ``best`` needs."""
    if best is None or best.objective is None:
        return delta
    return min(delta, best.objective - 1 - lp_obj + tol)


def _milp_on(
    model: Model,
    c: FloatArray,
    cons: Constraints,
    free: BoolArray,
    z_lp: FloatArray | None,
    start: FloatArray | None,
    deadline: float | None,
) -> Outcome:
    """Solve the MILP over ``free`` columns with the others fixed at their LP values.

    ``start``, a full solution, is handed to HiGHS when it lies in the restricted space.
    """
    fixed_z = np.zeros(model.n) if z_lp is None else np.where(free, 0.0, np.round(z_lp))
    a, lo, hi, col_lo, col_hi = cons
    shift = a @ fixed_z
    sub = a[:, np.nonzero(free)[0]].tocsr()
    used = np.diff(sub.indptr) > 0
    # Rows without a free column must already hold at the fixed values.
    if np.any(shift[~used] < lo[~used] - 1e-6) or np.any(shift[~used] > hi[~used] + 1e-6):
        return Outcome("infeasible")
    remaining = _remaining(deadline)
    if remaining <= 0:
        return Outcome("unknown")
    if start is not None and np.any(np.abs(start[~free] - fixed_z[~free]) > _INT_TOL):
        start = None  # the incumbent moves a fixed column: not a point of this space
    res = solve_mip(
        c[free],
        sub[used],
        lo[used] - shift[used],
        hi[used] - shift[used],
        col_lo[free],
        col_hi[free],
        model.integrality[free],
        time_limit=_MILP_TIME_SHARE * remaining,
        start=None if start is None else start[free],
    )
    return _lift(model, c, free, fixed_z, res)


def _lift(
    model: Model, c: FloatArray, free: BoolArray, fixed_z: FloatArray, res: MixedIntegerResult
) -> Outcome:
    """The outcome of the restricted MILP ``res`` over the full model: its solution put
    back among the fixed columns, its bound raised by their cost."""
    if res.status == INFEASIBLE:
        return Outcome("infeasible")
    fixed_cost = float(c @ fixed_z)
    lb = math.ceil(res.bound + fixed_cost - 1e-6) if math.isfinite(res.bound) else None
    if res.x is None:
        return Outcome("unknown", bound=lb)
    z = fixed_z.copy()
    z[free] = res.x
    is_int = model.integrality == 1
    z[is_int] = np.round(z[is_int])
    val = round(float(c @ z))
    return Outcome("optimal" if res.status == OPTIMAL else "feasible", z, val, lb)


def _outside(free: BoolArray, limit: float) -> float:
    """Cost every solution outside the restricted space exceeds (none when all is free)."""
    return math.inf if free.all() else limit


def _finish(
    out: Outcome,
    best: Outcome | None,
    floor: float,
    *,
    timed_out: bool = False,
    limit: float = math.inf,
    within: int | None = None,
) -> Outcome:
    """Status and bound; ``within`` bounds the last (timed-out) restricted space."""
    if best is None:
        out.status = "unknown" if timed_out else "infeasible"
        return out
    out.z, out.objective = best.z, best.objective
    if not timed_out:
        out.status, out.bound = "optimal", best.objective
        return out
    # Every solution costs at least ``floor``; those outside the restricted space of the
    # last round cost more than ``limit`` = LP + delta, those inside at least ``within``.
    assert best.objective is not None
    bound = math.ceil(floor - 1e-6) if math.isfinite(floor) else 0  # costs are >= 0
    if within is not None:
        outside = math.ceil(limit - 1e-6) if math.isfinite(limit) else within
        bound = max(bound, min(within, outside))
    out.bound = min(bound, best.objective)
    out.status = "optimal" if out.bound == out.objective else "feasible"
    return out


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
    at_lo = (np.abs(z - model.lb) <= _INT_TOL) & (d > gap)
    at_hi = (np.abs(z - model.ub) <= _INT_TOL) & (d < -gap)
    cols = np.nonzero((model.integrality == 1) & (at_lo | at_hi))[0].astype(np.int64)
    return cols, np.where(at_lo[cols], model.lb[cols], model.ub[cols])


def feasible(model: Model) -> bool:
    """Whether the model has an integer solution (one MILP call, no objective)."""
    if model.n == 0:
        return not np.any(model.b_eq)
    a, lo, hi = _model_rows(model)
    res = solve_mip(np.zeros(model.n), a, lo, hi, model.lb, model.ub, model.integrality)
    return res.x is not None
