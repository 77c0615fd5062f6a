"""Constraint matrices of the aggregate model (see ``model.py`` for the variables)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from app.matching.model import (
    BoolArray,
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


@dataclass(frozen=True)
class _Layout:
    """Columns of the model being built, and the (assignment, programme) pairs they touch."""

    problem: Problem  # after any split
    index: Index
    origin: IntArray
    ps: IntArray
    pa: IntArray
    pr: IntArray
    cost: IntArray
    ar: dict[str, IntArray]
    gkeys: IntArray  # assignment * programmes + programme of each pair with a candidate
    ginv: IntArray  # pair of each x column
    gcount: IntArray  # candidates per pair
    mpp_bind: BoolArray  # pairs whose max_per_programme can bind
    need_y: BoolArray  # assignments that get a team count y
    u_students: IntArray
    y_col: IntArray
    w_groups: IntArray  # pairs that get a w column

    @property
    def ga(self) -> IntArray:
        """Assignment of each pair."""
        out: IntArray = self.gkeys // max(len(self.index.progs), 1)
        return out

    @property
    def n_x(self) -> int:
        return len(self.ps)

    @property
    def w0(self) -> int:
        return self.n_x + len(self.u_students) + int(self.need_y.sum())

    @property
    def n(self) -> int:
        return self.w0 + len(self.w_groups)


def build_model(problem: Problem, split: frozenset[str] = frozenset()) -> Model:
    """Build the sparse aggregate model of ``problem`` (students and assignments by index).

    ``split``: assignment ids to model as single-team copies (see ``model.py``); the
    model's assignments are then those of ``model.work``.
    """
    lay = _layout(problem, split)
    eq = _Rows()
    srow = eq.new(len(lay.index.sids), 1.0)
    eq.add(srow[lay.ps], np.arange(lay.n_x), 1.0)
    eq.add(srow[lay.u_students], lay.n_x + np.arange(len(lay.u_students)), 1.0)
    lead = _group_rows(lay.problem, lay.index, lay.ps, lay.pa, eq)
    a_eq, b_eq = eq.matrix(lay.n)
    ub = _Rows()
    _capacity_rows(lay, ub)
    _min_size_rows(lay, ub)
    _programme_max_rows(lay, ub)
    _required_rows(lay.problem, lay.index.progs, lay.gkeys, lay.ginv, lay.y_col, ub)
    _programme_count_rows(lay, ub)
    # The valid cuts x[s,a] <= y[a] are not rows of the model: ``core`` adds the few that
    # the LP violates (``cuts.py``), which keeps about 10 rows per student out of the LP.
    a_ub, b_ub = ub.matrix(lay.n)
    return replace(_model(lay, a_eq, b_eq, a_ub, b_ub), lead=lead)


def _placement_columns(
    problem: Problem, split: frozenset[str]
) -> tuple[Problem, Index, IntArray, tuple[IntArray, ...]]:
    """The problem after splitting, its index, the origin of each assignment, and the x
    columns (student, assignment, rank, cost) that survive bans, years, locks and groups."""
    original = make_index(problem)
    ps, pa, pr = candidate_pairs(problem, original)
    cost = pair_costs(problem, original, ps, pa, pr)
    keep = group_columns(problem, original, ps, pa)
    cols: tuple[IntArray, ...] = (ps[keep], pa[keep], pr[keep], cost[keep])
    work, origin = split_assignments(problem, split)
    if len(work.assignments) == len(problem.assignments):
        return work, original, origin, cols
    cols = expand_columns(origin, *cols)
    first = np.searchsorted(origin, np.arange(len(problem.assignments)))
    locked = np.where(original.locked >= 0, first[original.locked], -1)
    aids = [a.id for a in work.assignments]
    index = replace(original, aids=aids, locked=locked, prev=np.full_like(locked, -1))
    return work, index, origin, cols


def _layout(problem: Problem, split: frozenset[str]) -> _Layout:
    """Which columns the model gets: x per allowed pair, u, y where team rules bind, w."""
    work, index, origin, (ps, pa, pr, cost) = _placement_columns(problem, split)
    n_p = max(len(index.progs), 1)
    ar = _assignment_arrays(work)
    gkeys, ginv = np.unique(pa * n_p + index.prog[ps], return_inverse=True)
    ga = gkeys // n_p
    gcount = np.bincount(ginv, minlength=len(gkeys))
    open_ = ar["teams"] > 0  # closed assignments only hold lock columns, capped at 0 below
    mpp_bind = (gcount > ar["mpp"][ga]) & open_[ga]
    need_y = open_ & ((ar["min"] >= 2) | (ar["mp_rows"] >= 2) | (ar["req"] > 0))
    need_y[ga[mpp_bind]] = True
    u_students = (
        np.zeros(0, dtype=np.int64)
        if work.costs.unplaced is None
        else np.nonzero(index.locked < 0)[0].astype(np.int64)
    )
    y_assign = np.nonzero(need_y)[0].astype(np.int64)
    y_col = np.full(len(index.aids), -1, dtype=np.int64)
    y_col[y_assign] = len(ps) + len(u_students) + np.arange(len(y_assign))
    w_groups = np.nonzero((ar["mp_rows"][ga] >= 2) & need_y[ga])[0]
    return _Layout(
        work,
        index,
        origin,
        ps,
        pa,
        pr,
        cost,
        ar,
        gkeys,
        ginv,
        gcount,
        mpp_bind,
        need_y,
        u_students,
        y_col,
        w_groups,
    )


def _capacity_rows(lay: _Layout, ub: _Rows) -> None:
    """Capacity: sum x <= max * y (or max * teams where no team rule binds)."""
    ar, y_assign = lay.ar, np.nonzero(lay.need_y)[0]
    cap = ub.new(len(ar["teams"]), np.where(lay.need_y, 0, ar["max"] * ar["teams"]))
    ub.add(cap[lay.pa], np.arange(lay.n_x, dtype=np.int64), 1.0)
    ub.add(cap[y_assign], lay.y_col[y_assign], -ar["max"][y_assign].astype(np.float64))


def _min_size_rows(lay: _Layout, ub: _Rows) -> None:
    """Minimum size: min * y <= sum x."""
    ar = lay.ar
    ma = np.nonzero(lay.need_y & (ar["min"] >= 2))[0]
    mrow = np.full(len(ar["teams"]), -1, dtype=np.int64)
    mrow[ma] = ub.new(len(ma))
    sel = mrow[lay.pa] >= 0
    ub.add(mrow[lay.pa][sel], np.nonzero(sel)[0].astype(np.int64), -1.0)
    ub.add(mrow[ma], lay.y_col[ma], ar["min"][ma].astype(np.float64))


def _programme_max_rows(lay: _Layout, ub: _Rows) -> None:
    """Per programme maximum: n[a,p] <= mpp * y."""
    gb, ga = np.nonzero(lay.mpp_bind)[0], lay.ga
    grow = np.full(len(lay.gkeys), -1, dtype=np.int64)
    grow[gb] = ub.new(len(gb))
    sel = grow[lay.ginv] >= 0
    ub.add(grow[lay.ginv][sel], np.nonzero(sel)[0].astype(np.int64), 1.0)
    ub.add(grow[gb], lay.y_col[ga[gb]], -lay.ar["mpp"][ga[gb]].astype(np.float64))


def _programme_count_rows(lay: _Layout, ub: _Rows) -> None:
    """Distinct programmes: w <= n, w <= y, sum_p w >= mp * y."""
    ar, ga, w_groups = lay.ar, lay.ga, lay.w_groups
    n_w = len(w_groups)
    wcols = lay.w0 + np.arange(n_w, dtype=np.int64)
    wrow = np.full(len(lay.gkeys), -1, dtype=np.int64)
    wrow[w_groups] = ub.new(n_w)
    sel = wrow[lay.ginv] >= 0
    ub.add(wrow[lay.ginv][sel], np.nonzero(sel)[0].astype(np.int64), -1.0)
    ub.add(wrow[w_groups], wcols, 1.0)
    r = ub.new(n_w)
    ub.add(r, wcols, 1.0)
    ub.add(r, lay.y_col[ga[w_groups]], -1.0)
    mp_a = np.nonzero(lay.need_y & (ar["mp_rows"] >= 2))[0]
    prow = np.full(len(ar["teams"]), -1, dtype=np.int64)
    prow[mp_a] = ub.new(len(mp_a))
    ub.add(prow[ga[w_groups]], wcols, -1.0)
    ub.add(prow[mp_a], lay.y_col[mp_a], ar["mp_rows"][mp_a].astype(np.float64))


def _model(
    lay: _Layout, a_eq: sp.csr_matrix, b_eq: FloatArray, a_ub: sp.csr_matrix, b_ub: FloatArray
) -> Model:
    """The model with column bounds and integrality from the layout."""
    n, w0, ar, ga = lay.n, lay.w0, lay.ar, lay.ga
    y_assign = np.nonzero(lay.need_y)[0].astype(np.int64)
    upper = np.ones(n)
    limit = _team_limit(lay.problem, ar, lay.gkeys, lay.gcount, len(lay.index.progs))
    upper[lay.n_x + len(lay.u_students) : w0] = limit[y_assign]
    upper[w0:] = ar["teams"][ga[lay.w_groups]]
    integrality = np.ones(n, dtype=np.int64)
    integrality[w0:] = 0
    return Model(
        index=lay.index,
        ps=lay.ps,
        pa=lay.pa,
        prank=lay.pr,
        cost=lay.cost,
        u_students=lay.u_students,
        y_assign=y_assign,
        n_w=len(lay.w_groups),
        a_eq=a_eq,
        b_eq=b_eq,
        a_ub=a_ub,
        b_ub=b_ub,
        lb=np.zeros(n),
        ub=upper,
        integrality=integrality,
        unplaced_cost=lay.problem.costs.unplaced or 0,
        y_col=lay.y_col,
        w_key=lay.gkeys[lay.w_groups].astype(np.int64),
        team_max=ar["max"],
        prog_max=ar["mpp"],
        work=lay.problem,
        origin=lay.origin,
    )


def _group_rows(problem: Problem, index: Index, ps: IntArray, pa: IntArray, eq: _Rows) -> IntArray:
    """Rows ``x[m,a] - x[m0,a] = 0`` for every other member ``m`` of a group with first
    member ``m0``, on each assignment ``m0`` has a column for (``group_columns`` left every
    member the same assignments). Returns the lead column of each x column: that of
    ``m0`` on the same assignment for a group member, the column itself otherwise."""
    lead = np.arange(len(ps), dtype=np.int64)
    if not problem.groups:
        return lead
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
        return lead
    head_of, other = np.concatenate(lead_cols), np.concatenate(other_cols)
    rid = eq.new(len(head_of), 0.0)
    eq.add(rid, other, 1.0)
    eq.add(rid, head_of, -1.0)
    lead[other] = head_of
    return lead


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
