"""Exact minimisation of an integer cost over the aggregate model.

Strategy (see ``docs/matching.md``, "How optimality is proven"):

1. Solve the LP relaxation with HiGHS dual simplex. An integral vertex is optimal.
2. Otherwise use LP reduced costs ``d``: any solution costing ``C`` satisfies
   ``sum_j |d_j| * |z_j - z*_j| <= C - LP``. So integer columns with ``|d_j| > delta``
   keep their LP value in every solution costing at most ``LP + delta``. Solve the
   MILP over the remaining columns only; a restricted optimum ``V`` with
   ``V - 1 <= LP + delta`` is globally optimal (costs are integers). Otherwise widen
   ``delta`` and repeat; the last round is the full MILP.
3. Pure assignment models (no team rules) go to the sparse bipartite matcher.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from app.matching.cuts import separate
from app.matching.highs import INFEASIBLE, OPTIMAL, LinearProgram
from app.matching.model import BoolArray, FloatArray, Model

_INT_TOL = 1e-6
# HiGHS checks its MILP time limit only between some phases (presolve, root cut rounds
# on 500,000 columns run for tens of seconds): hand it this share of the time left.
_MILP_TIME_SHARE = 0.6
# Accepts column values whose placement columns are integral when teams can be formed.
Accept = Callable[[FloatArray], bool]
# Cutting-plane rounds on the LP (each a warm dual simplex solve); stop early when a round
# raises the bound by less than this.
_MAX_CUT_ROUNDS = 20
_CUT_PROGRESS = 1e-3
# Expanding the slot graph beyond this many edges costs more than the LP it replaces.
_MAX_MATCHING_EDGES = 20_000_000


@dataclass
class Core:
    """Outcome of one minimisation: column values and integer objective/bound."""

    status: str  # optimal, feasible (time limit), infeasible, unknown (time limit, none found)
    z: FloatArray | None = None
    objective: int | None = None
    bound: int | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def tick(self, key: str, start: float) -> float:
        now = time.perf_counter()
        self.timings[key] = self.timings.get(key, 0.0) + now - start
        return now


def _remaining(deadline: float | None) -> float:
    return math.inf if deadline is None else max(deadline - time.perf_counter(), 0.0)


def _integral(z: FloatArray, is_int: BoolArray) -> bool:
    v = z[is_int]
    return bool(np.all(np.abs(v - np.round(v)) <= _INT_TOL))


def _placement_integral(model: Model, z: FloatArray, accept: Accept | None) -> bool:
    """Whether ``z`` places students integrally and ``accept`` can form its teams.

    ``y`` and ``w`` cost nothing, so a vertex with integral ``x`` and ``u`` but a
    fractional team count is as good as integral when some integer team count fits the
    placement (``accept``, e.g. by dealing).
    """
    if accept is None:
        return False
    head = np.zeros(model.n, dtype=bool)
    head[: model.n_x + model.n_u] = True
    return _integral(z, head) and accept(z)


def minimise(
    model: Model,
    c: FloatArray,
    extra: tuple[sp.csr_matrix, FloatArray] | None = None,
    deadline: float | None = None,
    accept: Accept | None = None,
) -> Core:
    """Minimise ``c @ z`` over the model plus optional extra equality rows.

    ``c`` may weigh placement columns (``x``, ``u``) only. ``accept`` tells whether an
    integral placement can be formed into teams (then team counts need not be integral).
    """
    out = Core("unknown")
    a_eq, b_eq = model.a_eq, model.b_eq
    if extra is not None:
        a_eq = sp.vstack([a_eq, extra[0]], format="csr")
        b_eq = np.concatenate([b_eq, extra[1]])
    a_ub, b_ub = model.a_ub, model.b_ub
    if model.n == 0:
        # No columns at all: feasible only when no student row demands a placement.
        empty = not np.any(b_eq)
        out.status, out.z = ("optimal", np.zeros(0)) if empty else ("infeasible", None)
        out.objective = out.bound = 0 if empty else None
        return out
    t = time.perf_counter()
    lp = LinearProgram(
        c,
        sp.vstack([a_eq, a_ub], format="csc"),
        np.concatenate([b_eq, np.full(len(b_ub), -np.inf)]),
        np.concatenate([b_eq, b_ub]),
        model.lb,
        model.ub,
    )
    status = lp.solve(_remaining(deadline))
    t = out.tick("lp", t)
    if status == INFEASIBLE:
        out.status = "infeasible"
        return out
    if status != OPTIMAL:
        return _restricted_rounds(model, c, (a_ub, b_ub, a_eq, b_eq), None, deadline, out)
    is_int = model.integrality == 1
    for rounds in range(_MAX_CUT_ROUNDS + 1):
        z, bound = lp.x, lp.objective
        if _integral(z, is_int) or _placement_integral(model, z, accept):
            z[is_int] = np.round(z[is_int])
            val = round(float(c @ z))
            out.status, out.z, out.objective, out.bound = "optimal", z, val, val
            out.tick("cuts", t)
            return out
        relaxation = (z, bound, lp.reduced_costs)
        rows, rhs = separate(model, z) if rounds < _MAX_CUT_ROUNDS else (None, None)
        if rows is None or rhs is None or rows.shape[0] == 0:
            break
        lp.add_rows(rows, np.full(len(rhs), -np.inf), rhs)
        status = lp.solve(_remaining(deadline))
        out.timings["cut_rows"] = out.timings.get("cut_rows", 0) + float(len(rhs))
        if status == INFEASIBLE:  # valid cuts leave no room: no integer solution exists
            out.status = "infeasible"
            out.tick("cuts", t)
            return out
        if status != OPTIMAL:
            break  # time is up: go on with the last solved relaxation and its cuts
        a_ub, b_ub = sp.vstack([a_ub, rows], format="csr"), np.concatenate([b_ub, rhs])
        if lp.objective < bound + _CUT_PROGRESS and rounds >= 1:
            relaxation = (lp.x, lp.objective, lp.reduced_costs)
            break  # tailing off: the MILP rounds do the rest
    out.tick("cuts", t)
    return _restricted_rounds(model, c, (a_ub, b_ub, a_eq, b_eq), relaxation, deadline, out)


def _restricted_rounds(
    model: Model,
    c: FloatArray,
    cons: tuple[sp.csr_matrix, FloatArray, sp.csr_matrix, FloatArray],
    relaxation: tuple[FloatArray, float, FloatArray] | None,
    deadline: float | None,
    out: Core,
) -> Core:
    """MILP rounds over the columns that reduced costs cannot fix (see the module doc)."""
    is_int = model.integrality == 1
    z_lp: FloatArray | None = None
    if relaxation is None:
        free = np.ones(model.n, dtype=bool)
        lp_obj, d, delta, tol = -math.inf, np.zeros(model.n), math.inf, 0.0
    else:
        z_lp, lp_obj, d = relaxation
        tol = 1e-6 * (1.0 + abs(lp_obj))
        # First round: room for every solution that could meet the rounded-up LP bound.
        delta = max(math.ceil(lp_obj - tol) - lp_obj, 0.0) + tol
    best: Core | None = None
    floor = lp_obj  # every solution costs at least this (raised by infeasible rounds)
    a_ub, b_ub, a_eq, b_eq = cons
    csc = (a_ub.tocsc(), b_ub, a_eq.tocsc(), b_eq)
    while True:
        if z_lp is not None:
            frac = np.abs(z_lp - np.round(z_lp)) > _INT_TOL
            free = (np.abs(d) <= delta + tol) | ~is_int | frac
        t = time.perf_counter()
        res = _milp_on(model, c, csc, free, z_lp, deadline)
        out.tick("milp", t)
        out.timings["milp_columns"] = max(out.timings.get("milp_columns", 0), float(free.sum()))
        out.timings["milp_rounds"] = out.timings.get("milp_rounds", 0) + 1
        if res.status == "infeasible":
            if best is not None or free.all():
                return _finish(out, best, floor)
            # No solution costs at most LP + delta: the bound rises even without one.
            floor = max(floor, float(math.floor(lp_obj + delta - tol) + 1))
            delta = 2 * delta + 2
            continue
        if res.status == "unknown":
            return _finish(
                out,
                best,
                floor,
                timed_out=True,
                limit=_outside(free, lp_obj + delta),
                within=res.bound,
            )
        assert res.objective is not None
        if best is None or best.objective is None or res.objective < best.objective:
            best = res  # a timed-out round may end with a worse solution than the last one
        if res.status == "feasible":
            return _finish(
                out,
                best,
                floor,
                timed_out=True,
                limit=_outside(free, lp_obj + delta),
                within=res.bound,
            )
        if free.all() or res.objective - 1 <= lp_obj + delta - tol:
            return _finish(out, best, floor)
        delta = res.objective - 1 - lp_obj + tol


def _outside(free: BoolArray, limit: float) -> float:
    """Cost every solution outside the restricted space exceeds (none when all is free)."""
    return math.inf if free.all() else limit


def _finish(
    out: Core,
    best: Core | None,
    floor: float,
    *,
    timed_out: bool = False,
    limit: float = math.inf,
    within: int | None = None,
) -> Core:
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


def _milp_on(
    model: Model,
    c: FloatArray,
    csc: tuple[sp.csc_matrix, FloatArray, sp.csc_matrix, FloatArray],
    free: BoolArray,
    z_lp: FloatArray | None,
    deadline: float | None,
) -> Core:
    """Solve the MILP over ``free`` columns with the others fixed at their LP values."""
    fixed_z = np.zeros(model.n) if z_lp is None else np.where(free, 0.0, np.round(z_lp))
    cons = []
    for a, b, is_eq in ((csc[0], csc[1], False), (csc[2], csc[3], True)):
        if a.shape[0] == 0:
            continue
        rhs = b - a @ fixed_z
        sub = a[:, np.nonzero(free)[0]].tocsr()
        used = np.diff(sub.indptr) > 0
        slack = rhs[~used]
        if (is_eq and np.any(np.abs(slack) > 1e-6)) or np.any(slack < -1e-6):
            return Core("infeasible")
        lo = rhs[used] if is_eq else np.full(int(used.sum()), -np.inf)
        cons.append(LinearConstraint(sub[used], lo, rhs[used]))
    remaining = _remaining(deadline)
    if remaining <= 0:
        return Core("unknown")
    res = milp(
        c[free],
        constraints=cons,
        integrality=model.integrality[free],
        bounds=Bounds(model.lb[free], model.ub[free]),
        options={"time_limit": min(_MILP_TIME_SHARE * remaining, 1e9), "mip_rel_gap": 0.0},
    )
    if res.status == 2 or (res.status == 0 and res.x is None):
        return Core("infeasible")
    raw = getattr(res, "mip_dual_bound", None)
    bound = math.nan if raw is None else float(raw)  # -inf or nan before any bound
    fixed_cost = float(c @ fixed_z)
    lb = math.ceil(bound + fixed_cost - 1e-6) if math.isfinite(bound) else None
    if res.x is None:
        return Core("unknown", bound=lb)
    z = fixed_z.copy()
    z[free] = res.x
    is_int = model.integrality == 1
    z[is_int] = np.round(z[is_int])
    val = round(float(c @ z))
    return Core("optimal" if res.status == 0 else "feasible", z, val, lb)


def feasible(model: Model) -> bool:
    """Whether the model has an integer solution (one MILP call, no objective)."""
    if model.n == 0:
        return not np.any(model.b_eq)
    cons = [LinearConstraint(model.a_eq, model.b_eq, model.b_eq)]
    if model.a_ub.shape[0]:
        cons.append(LinearConstraint(model.a_ub, -np.inf, model.b_ub))
    res = milp(
        np.zeros(model.n),
        constraints=cons,
        integrality=model.integrality,
        bounds=Bounds(model.lb, model.ub),
    )
    return res.x is not None


def match_pure(model: Model) -> Core:
    """Exact solve of a model without team rules as a min-weight full bipartite matching.

    Each assignment becomes ``teams * max_size`` slots; an unplaced student takes a private
    dummy slot. Weights are shifted by +1 because the sparse matcher ignores zero entries.
    """
    out = Core("unknown")
    t = time.perf_counter()
    n_s = len(model.index.sids)
    cap_rows = model.b_ub[: len(model.index.aids)].astype(np.int64)
    demand = np.bincount(model.pa, minlength=len(cap_rows))
    cap = np.minimum(cap_rows, demand)
    rep = cap[model.pa]
    n_edges = int(rep.sum()) + model.n_u
    n_slots = int(cap.sum())
    if n_edges > _MAX_MATCHING_EDGES:
        return out
    if n_slots + model.n_u < n_s:
        out.status = "infeasible"
        return out
    start = np.concatenate([[0], np.cumsum(cap)[:-1]]) if len(cap) else np.zeros(0, np.int64)
    first = np.repeat(np.cumsum(rep) - rep, rep)
    e_col = np.repeat(start[model.pa], rep) + (np.arange(int(rep.sum())) - first)
    e_row = np.repeat(model.ps, rep)
    e_w = np.repeat(model.cost, rep) + 1.0
    u_cols = n_slots + np.arange(model.n_u)
    rows = np.concatenate([e_row, model.u_students])
    cols = np.concatenate([e_col, u_cols])
    weights = np.concatenate([e_w, np.full(model.n_u, model.unplaced_cost + 1.0)])
    graph = sp.csr_matrix((weights, (rows, cols)), shape=(n_s, n_slots + model.n_u))
    try:
        row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    except ValueError:
        out.status = "infeasible"
        out.tick("matching", t)
        return out
    out.tick("matching", t)
    slot_assign = np.repeat(np.arange(len(cap)), cap)
    z = np.zeros(model.n)
    placed = col_ind < n_slots
    # Pairs are sorted by (student, assignment), so their keys are sorted too.
    n_a = len(cap)
    keys = model.ps * n_a + model.pa
    z[np.searchsorted(keys, row_ind[placed] * n_a + slot_assign[col_ind[placed]])] = 1.0
    upos = np.full(n_s, -1, dtype=np.int64)
    upos[model.u_students] = np.arange(model.n_u)
    z[model.n_x + upos[row_ind[~placed]]] = 1.0
    val = round(float(model.base_cost() @ z))
    out.status, out.z, out.objective, out.bound = "optimal", z, val, val
    return out
