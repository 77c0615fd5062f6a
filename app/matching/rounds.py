"""Restricted MILP rounds: the proof after the cut LP (step 4 of ``core.py``'s strategy).

With the cut LP's value ``L`` and reduced costs ``d`` at its solution, every solution costing
``C`` satisfies ``sum_j |d_j| * |z_j - z*_j| <= C - L``. So integer columns with ``|d_j| >
delta`` keep their LP value in every solution costing at most ``L + delta``; a round solves
the MILP over the other columns only (HiGHS, from the incumbent) and widens ``delta`` until
the space holds every solution cheaper than the best one found.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from app.matching.highs import INFEASIBLE, OPTIMAL, MixedIntegerResult, solve_mip
from app.matching.model import BoolArray, FloatArray, Model
from app.matching.relaxation import INT_TOL, Constraints, Outcome, Relaxation, Relaxed, remaining

# HiGHS checks its MILP time limit only between some phases (presolve, root cut rounds
# on 500,000 columns run for tens of seconds): hand it this share of the time left.
_MILP_TIME_SHARE = 0.6


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
        frac = np.abs(self.z_lp - np.round(self.z_lp)) > INT_TOL
        out: BoolArray = (np.abs(self.d) <= self.delta + self.tol) | (model.integrality != 1)
        return out | frac

    def covers(self, best: Outcome | None) -> bool:
        """Whether this space holds every solution cheaper than ``best``."""
        return best is not None and covers(best, self.lp_obj, self.delta, self.tol)


def restricted_rounds(
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
    if best is not None and covers(best, space.lp_obj, 0.0, space.tol):
        return finish(out, best, space.lp_obj)  # the incumbent meets the bound
    floor = space.lp_obj  # every solution costs at least this (raised by infeasible rounds)
    cons = rel.constraints()
    while True:
        free = space.free(model)
        res = _milp_round(model, c, cons, free, space.z_lp, best, deadline, out)
        if res.status == "infeasible":
            if free.all() or space.covers(best):
                return finish(out, best, floor)
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
            return finish(out, best, floor, timed_out=True, limit=limit, within=res.bound)
        if free.all() or space.covers(best):
            return finish(out, best, floor)
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


def covers(best: Outcome, lp_obj: float, delta: float, tol: float) -> bool:
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
    left = remaining(deadline)
    if left <= 0:
        return Outcome("unknown")
    if start is not None and np.any(np.abs(start[~free] - fixed_z[~free]) > INT_TOL):
        start = None  # the incumbent moves a fixed column: not a point of this space
    res = solve_mip(
        c[free],
        sub[used],
        lo[used] - shift[used],
        hi[used] - shift[used],
        col_lo[free],
        col_hi[free],
        model.integrality[free],
        time_limit=_MILP_TIME_SHARE * left,
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


def finish(
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
