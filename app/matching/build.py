"""Constraint matrices of the aggregate model (see ``model.py`` for the variables)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from app.matching.model import (
    FloatArray,
    Index,
    IntArray,
    Model,
    candidate_pairs,
    expand_columns,
    group_columns,
    make_index,
    pair_costs,
    split_assignments,
)
from app.matching.problem import Problem


class _Rows:
    """Accumulates sparse rows ``A z <= b`` chunk by chunk, without per-entry Python loops."""

    def __init__(self) -> None:
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []
        self.rhs: list[FloatArray] = []
        self.count = 0

    def new(self, n: int, rhs: FloatArray | float = 0.0) -> IntArray:
        ids = np.arange(self.count, self.count + n, dtype=np.int64)
        self.rhs.append(np.broadcast_to(np.asarray(rhs, dtype=np.float64), (n,)).copy())
        self.count += n
        return ids

    def add(self, rows: IntArray, cols: IntArray, vals: FloatArray | float) -> None:
        self.rows.append(rows)
        self.cols.append(cols)
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=np.float64), rows.shape).copy())

    def matrix(self, n_cols: int) -> tuple[sp.csr_matrix, FloatArray]:
        if not self.rows:
            return sp.csr_matrix((self.count, n_cols)), np.zeros(self.count)
        a = sp.csr_matrix(
            (np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
            shape=(self.count, n_cols),
        )
        rhs = np.concatenate(self.rhs) if self.rhs else np.zeros(0)
        return a, rhs


def _assignment_arrays(problem: Problem) -> dict[str, IntArray]:
    big = max(len(problem.students), 1)
    arr = problem.assignments

    def col(values: list[int]) -> IntArray:
        return np.array(values, dtype=np.int64).reshape(len(arr))

    out = {
        "teams": col([a.teams for a in arr]),
        "min": col([a.min_size for a in arr]),
        "max": col([big if a.max_size is None else min(a.max_size, big) for a in arr]),
        "mpp": col([big if a.max_per_programme is None else a.max_per_programme for a in arr]),
        "mp": col([a.min_programmes for a in arr]),
        "req": col([len(a.required_programmes) for a in arr]),
    }
    # Teams of at least min_size with at most mpp per programme already span
    # ceil(min_size / mpp) programmes: a min_programmes up to that needs no rows ("mp_rows").
    implied = -(-out["min"] // np.maximum(out["mpp"], 1))
    out["mp_rows"] = np.where(out["mp"] <= implied, 1, out["mp"])
    return out


def build_model(problem: Problem, split: frozenset[str] = frozenset()) -> Model:
    """Build the sparse aggregate model of ``problem`` (students and assignments by index).

    ``split``: assignment ids to model as single-team copies (see ``model.py``); the
    model's assignments are then those of ``model.work``.
    """
    original = make_index(problem)
    ps, pa, pr = candidate_pairs(problem, original)
    cost = pair_costs(problem, original, ps, pa, pr)
    keep = group_columns(problem, original, ps, pa)
    ps, pa, pr, cost = ps[keep], pa[keep], pr[keep], cost[keep]
    work, origin = split_assignments(problem, split)
    index = original
    if len(work.assignments) != len(problem.assignments):
        ps, pa, pr, cost = expand_columns(origin, ps, pa, pr, cost)
        first = np.searchsorted(origin, np.arange(len(problem.assignments)))
        locked = np.where(original.locked >= 0, first[original.locked], -1)
        aids = [a.id for a in work.assignments]
        index = replace(original, aids=aids, locked=locked, prev=np.full_like(locked, -1))
    problem = work
    n_s, n_a, n_p = len(index.sids), len(index.aids), len(index.progs)
    n_x = len(ps)
    ar = _assignment_arrays(problem)
    # Programme groups (a, p) with at least one candidate.
    gkey = pa * max(n_p, 1) + index.prog[ps]
    gkeys, ginv = np.unique(gkey, return_inverse=True)
    ga = gkeys // max(n_p, 1)
    gcount = np.bincount(ginv, minlength=len(gkeys))
    open_ = ar["teams"] > 0  # closed assignments only hold lock columns, capped at 0 below
    mpp_bind = (gcount > ar["mpp"][ga]) & open_[ga]
    need_y = open_ & ((ar["min"] >= 2) | (ar["mp_rows"] >= 2) | (ar["req"] > 0))
    need_y[ga[mpp_bind]] = True
    y_assign = np.nonzero(need_y)[0].astype(np.int64)
    u_students = (
        np.zeros(0, dtype=np.int64)
        if problem.costs.unplaced is None
        else np.nonzero(index.locked < 0)[0].astype(np.int64)
    )
    n_u, n_y = len(u_students), len(y_assign)
    y_col = np.full(n_a, -1, dtype=np.int64)
    y_col[y_assign] = n_x + n_u + np.arange(n_y)
    w_groups = np.nonzero((ar["mp_rows"][ga] >= 2) & need_y[ga])[0]
    n_w = len(w_groups)
    w0 = n_x + n_u + n_y
    n = w0 + n_w

    eq = _Rows()
    srow = eq.new(n_s, 1.0)
    eq.add(srow[ps], np.arange(n_x), 1.0)
    eq.add(srow[u_students], n_x + np.arange(n_u), 1.0)
    _group_rows(problem, index, ps, pa, eq)
    a_eq, b_eq = eq.matrix(n)

    ub = _Rows()
    xcols = np.arange(n_x, dtype=np.int64)
    # Capacity: sum x <= max * y (or max * teams where no team rule binds).
    cap = ub.new(n_a, np.where(need_y, 0, ar["max"] * ar["teams"]).astype(np.float64))
    ub.add(cap[pa], xcols, 1.0)
    ub.add(cap[y_assign], y_col[y_assign], -ar["max"][y_assign].astype(np.float64))
    # Minimum size: min * y <= sum x.
    ma = np.nonzero(need_y & (ar["min"] >= 2))[0]
    mrow = np.full(n_a, -1, dtype=np.int64)
    mrow[ma] = ub.new(len(ma))
    sel = mrow[pa] >= 0
    ub.add(mrow[pa][sel], xcols[sel], -1.0)
    ub.add(mrow[ma], y_col[ma], ar["min"][ma].astype(np.float64))
    # Per programme maximum: n[a,p] <= mpp * y.
    gb = np.nonzero(mpp_bind)[0]
    grow = np.full(len(gkeys), -1, dtype=np.int64)
    grow[gb] = ub.new(len(gb))
    sel = grow[ginv] >= 0
    ub.add(grow[ginv][sel], xcols[sel], 1.0)
    ub.add(grow[gb], y_col[ga[gb]], -ar["mpp"][ga[gb]].astype(np.float64))
    _required_rows(problem, index.progs, gkeys, ginv, y_col, ub)
    # Distinct programmes: w <= n, w <= y, sum_p w >= mp * y.
    wcols = w0 + np.arange(n_w, dtype=np.int64)
    wrow = np.full(len(gkeys), -1, dtype=np.int64)
    wrow[w_groups] = ub.new(n_w)
    sel = wrow[ginv] >= 0
    ub.add(wrow[ginv][sel], xcols[sel], -1.0)
    ub.add(wrow[w_groups], wcols, 1.0)
    r = ub.new(n_w)
    ub.add(r, wcols, 1.0)
    ub.add(r, y_col[ga[w_groups]], -1.0)
    mp_a = np.nonzero(need_y & (ar["mp_rows"] >= 2))[0]
    prow = np.full(n_a, -1, dtype=np.int64)
    prow[mp_a] = ub.new(len(mp_a))
    ub.add(prow[ga[w_groups]], wcols, -1.0)
    ub.add(prow[mp_a], y_col[mp_a], ar["mp_rows"][mp_a].astype(np.float64))
    # The valid cuts x[s,a] <= y[a] are not rows of the model: ``core`` adds the few that
    # the LP violates (``cuts.py``), which keeps about 10 rows per student out of the LP.
    a_ub, b_ub = ub.matrix(n)

    upper = np.ones(n)
    upper[n_x + n_u : w0] = _team_limit(problem, ar, gkeys, gcount, n_p)[y_assign]
    upper[w0:] = ar["teams"][ga[w_groups]]
    integrality = np.ones(n, dtype=np.int64)
    integrality[w0:] = 0
    return Model(
        index=index,
        ps=ps,
        pa=pa,
        prank=pr,
        cost=cost,
        u_students=u_students,
        y_assign=y_assign,
        n_w=n_w,
        a_eq=a_eq,
        b_eq=b_eq,
        a_ub=a_ub,
        b_ub=b_ub,
        lb=np.zeros(n),
        ub=upper,
        integrality=integrality,
        unplaced_cost=problem.costs.unplaced or 0,
        y_col=y_col,
        w_key=gkeys[w_groups].astype(np.int64),
        team_max=ar["max"],
        prog_max=ar["mpp"],
        work=problem,
        origin=origin,
    )


def _group_rows(problem: Problem, index: Index, ps: IntArray, pa: IntArray, eq: _Rows) -> None:
    """Rows ``x[m,a] - x[m0,a] = 0`` for every other member ``m`` of a group with first
    member ``m0``, on each assignment ``m0`` has a column for (``group_columns`` left every
    member the same assignments)."""
    if not problem.groups:
        return
    n_a = max(len(index.aids), 1)
    sidx = {s: i for i, s in enumerate(index.sids)}
    keys = ps * n_a + pa
    starts = np.searchsorted(ps, np.arange(len(index.sids) + 1))
    lead_cols: list[IntArray] = []
    other_cols: list[IntArray] = []
    for g in problem.groups:
        rows = [sidx[m] for m in g.members]
        head = np.arange(starts[rows[0]], starts[rows[0] + 1], dtype=np.int64)
        for r in rows[1:]:
            cols = np.searchsorted(keys, r * n_a + pa[head]).astype(np.int64)
            lead_cols.append(head)
            other_cols.append(cols)
    if not lead_cols:
        return
    lead, other = np.concatenate(lead_cols), np.concatenate(other_cols)
    rid = eq.new(len(lead), 0.0)
    eq.add(rid, other, 1.0)
    eq.add(rid, lead, -1.0)


def _team_limit(
    problem: Problem, ar: dict[str, IntArray], gkeys: IntArray, gcount: IntArray, n_p: int
) -> IntArray:
    """Most teams each assignment can form from its candidates (a valid bound on ``y``).

    With ``C_p`` candidates of programme ``p``, ``k`` teams need ``sum_p min(C_p, mpp k) >=
    min k``, ``sum_p min(C_p, k) >= mp k`` and ``C_p >= k`` for required ``p``. Each side
    is concave in ``k`` and zero at 0, so the feasible ``k`` form a range ``0..limit``.
    """
    n_a, width = len(ar["teams"]), max(n_p, 1)
    cand = np.zeros(n_a * width, dtype=np.int64)
    cand[gkeys] = gcount
    c = cand.reshape(n_a, width)
    need = np.zeros((n_a, width), dtype=bool)
    short = np.zeros(n_a, dtype=bool)  # requires a programme nobody studies
    progs = sorted({s.programme for s in problem.students})
    pidx = {p: i for i, p in enumerate(progs)}
    for i, a in enumerate(problem.assignments):
        for p in a.required_programmes:
            if p in pidx:
                need[i, pidx[p]] = True
            else:
                short[i] = True
    limit = np.zeros(n_a, dtype=np.int64)
    for k in range(1, int(ar["teams"].max(initial=0)) + 1):
        ok = (ar["teams"] >= k) & ~short
        ok &= np.minimum(c, (ar["mpp"] * k)[:, None]).sum(axis=1) >= ar["min"] * k
        ok &= np.minimum(c, k).sum(axis=1) >= ar["mp"] * k
        ok &= ~np.any(need & (c < k), axis=1)
        limit[ok] = k
    return limit


def _required_rows(
    problem: Problem, progs: list[str], gkeys: IntArray, ginv: IntArray, y_col: IntArray, ub: _Rows
) -> None:
    """Rows y[a] - n[a,p] <= 0 for each required programme p of a."""
    n_p = max(len(progs), 1)
    pidx = {p: i for i, p in enumerate(progs)}
    keys: list[int] = []
    for i, a in enumerate(problem.assignments):
        if a.teams <= 0:
            continue
        # A programme nobody studies gets index -1: its row reduces to y <= 0.
        keys.extend(i * n_p + pidx[p] if p in pidx else -1 - i for p in a.required_programmes)
    if not keys:
        return
    karr = np.array(keys, dtype=np.int64)
    rows = ub.new(len(karr))
    a_of = np.where(karr >= 0, karr // n_p, -1 - karr)
    ub.add(rows, y_col[a_of], 1.0)
    pos = np.searchsorted(gkeys, karr)
    pos = np.minimum(pos, max(len(gkeys) - 1, 0))
    # Map every x column to the required row of its group, if any.
    req_of_group = np.full(len(gkeys), -1, dtype=np.int64)
    hit = (karr >= 0) & (len(gkeys) > 0)
    if len(gkeys):
        hit &= gkeys[pos] == karr
        req_of_group[pos[hit]] = rows[hit]
    sel = req_of_group[ginv] >= 0
    ub.add(req_of_group[ginv][sel], np.nonzero(sel)[0].astype(np.int64), -1.0)
