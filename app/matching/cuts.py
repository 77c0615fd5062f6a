"""Valid inequalities that the LP relaxation violates (cutting planes for ``core.py``).

Two families, both valid for every integer solution of the model:

* ``x[s,a] <= y[a]``: a placed student means a team is formed. Implied by the capacity row
  once ``y`` is integral, so they are cuts, not rules; only the few the LP violates are added.
* Residual capacity inequalities. A capacity rule ``sum_{i in G} x_i <= c * y`` (G: the
  candidates of an assignment, or those of one programme, with ``c`` = ``max_size`` or
  ``max_per_programme``) with binary ``x`` and integer ``y`` implies, for every subset
  ``S`` of ``G`` with ``|S| = c*q + r`` (``q >= 1``, ``0 < r < c``)::

      sum_{i in S} x_i <= c*q + r*(y - q)

  (for ``y <= q`` it follows from the rule since ``c > r``, for ``y >= q + 1`` from
  ``|S| = c*q + r``). It cuts off LPs that open ``q + f`` teams (``0 < f < 1``) to fit
  ``c*q + r`` members, which is how the LP relaxation of multi-team assignments cheats: on
  generated instances these cuts raise the LP bound from 33,610 to 33,648 (optimum 33,653)
  at 20,000 students and to the optimum at 5,000. For fixed ``q = floor(y)`` and ``f``, the
  most violated ``S`` takes the largest ``x_i`` (the violation is ``sum_S (x_i - f) -
  c*q*(1 - f)``), so separation is a sort per group.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from app.matching.model import FloatArray, IntArray, Model

_VIOLATION = 1e-6


def separate(model: Model, z: FloatArray) -> tuple[sp.csr_matrix, FloatArray]:
    """Rows ``A z <= b`` of both families that ``z`` violates (``A`` has ``model.n`` columns)."""
    parts = [_xy(model, z), _residual(model, z, by_programme=False)]
    parts.append(_residual(model, z, by_programme=True))
    parts.append(_unit_covers(model, z))
    rows = sp.vstack([p[0] for p in parts], format="csr")
    return rows, np.concatenate([p[1] for p in parts])


def _y_values(model: Model, z: FloatArray) -> FloatArray:
    y = np.zeros(len(model.y_col))
    has = model.y_col >= 0
    y[has] = z[model.y_col[has]]
    return y


def xy_rows(model: Model, cols: IntArray | None = None) -> tuple[sp.csr_matrix, FloatArray]:
    """Rows ``x[s,a] - y[a] <= 0`` for the x columns ``cols`` (all that have a ``y`` if None)."""
    ycol = model.y_col[model.pa]
    if cols is None:
        cols = np.nonzero(ycol >= 0)[0].astype(np.int64)
    k = len(cols)
    rows = np.repeat(np.arange(k, dtype=np.int64), 2)
    idx = np.column_stack([cols, ycol[cols]]).ravel()
    vals = np.tile([1.0, -1.0], k)
    return sp.csr_matrix((vals, (rows, idx)), shape=(k, model.n)), np.zeros(k)


def _xy(model: Model, z: FloatArray) -> tuple[sp.csr_matrix, FloatArray]:
    x = z[: model.n_x]
    ycol = model.y_col[model.pa]
    has = ycol >= 0
    yv = np.where(has, z[np.maximum(ycol, 0)], np.inf)
    return xy_rows(model, np.nonzero(has & (x > yv + _VIOLATION))[0].astype(np.int64))


def _residual(
    model: Model, z: FloatArray, *, by_programme: bool
) -> tuple[sp.csr_matrix, FloatArray]:
    x = z[: model.n_x]
    y = _y_values(model, z)
    q = np.floor(y + 1e-9)
    f = y - q
    cap = model.prog_max if by_programme else model.team_max
    empty = sp.csr_matrix((0, model.n)), np.zeros(0)
    cand = _candidates(model, x, q, f)
    if len(cand) == 0:
        return empty
    cand, starts, group = _grouped(model, x, cand, by_programme=by_programme)
    size = np.arange(len(cand)) - starts[group] + 1  # |S| when S is the group's top `size`
    a = model.pa[cand]
    gain = np.cumsum(x[cand] - f[a])
    gain -= np.r_[0.0, gain][starts[group]]
    c, qa, fa = cap[a], q[a], f[a]
    r = size - c * qa
    violation = gain - c * qa * (1.0 - fa)
    ok = (r > 0) & (r < c) & (violation > _VIOLATION)
    if not ok.any():
        return empty
    # Most violated subset per group: the best prefix length among the allowed ones.
    score = np.where(ok, violation, -np.inf)
    best = _group_argmax(score, group, len(starts))
    best = best[np.isfinite(score[best])]
    members = [cand[starts[group[b]] : b + 1] for b in best.tolist()]
    return _cut_rows(model, members, a[best], r[best], (c[best] - r[best]) * qa[best])


def _candidates(model: Model, x: FloatArray, q: FloatArray, f: FloatArray) -> IntArray:
    """The x columns that can be in a cut: their y lies strictly between two integers >= 1
    and x exceeds the fraction of that y."""
    # Only a y strictly between two integers >= 1 can be cut (q = 0 is x <= y's job).
    open_ = (model.y_col >= 0) & (q >= 1) & (f > 1e-6) & (f < 1 - 1e-6)
    pa = model.pa
    return np.nonzero(open_[pa] & (x > f[pa] + 1e-9))[0].astype(np.int64)


def _grouped(
    model: Model, x: FloatArray, cand: IntArray, *, by_programme: bool
) -> tuple[IntArray, IntArray, IntArray]:
    """The candidates sorted by group (assignment, or assignment and programme), largest x
    first, then column; with each group's first position and each candidate's group."""
    pa = model.pa
    n_p = max(len(model.index.progs), 1)
    key = pa[cand] * n_p + model.index.prog[model.ps[cand]] if by_programme else pa[cand]
    order = np.lexsort((cand, -x[cand], key))  # by group, largest x first, then column
    cand, key = cand[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    group = np.cumsum(np.r_[False, key[1:] != key[:-1]])
    return cand, starts, group


def _cut_rows(
    model: Model,
    members: list[IntArray],
    aids: IntArray,
    r: IntArray | FloatArray,
    rhs: FloatArray,
) -> tuple[sp.csr_matrix, FloatArray]:
    """One cut row per member set: sum of its x minus ``r`` times its y, at most ``rhs``."""
    lens = np.array([len(m) for m in members], dtype=np.int64)
    ycols = model.y_col[aids]
    rows = np.repeat(np.arange(len(members), dtype=np.int64), lens + 1)
    cols = np.concatenate([np.r_[m, y] for m, y in zip(members, ycols.tolist(), strict=True)])
    vals = np.concatenate(
        [np.r_[np.ones(len(m)), -float(rr)] for m, rr in zip(members, r.tolist(), strict=True)]
    )
    shape = (len(members), model.n)
    return sp.csr_matrix((vals, (rows, cols)), shape=shape), rhs.astype(np.float64)


def _group_argmax(score: FloatArray, group: IntArray, n_groups: int) -> IntArray:
    """Index of the largest score in each group (groups are contiguous and in order)."""
    order = np.lexsort((-score, group))
    first = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    out: IntArray = order[first].astype(np.int64)
    assert len(out) == n_groups
    return out


def _units(model: Model) -> tuple[IntArray, IntArray, IntArray]:
    """Per x column: its unit's size and programme counts (a group's members count at the
    lead column, the first member's; the others' own counts are 0), and its lead column."""
    n_x, n_p = model.n_x, max(len(model.index.progs), 1)
    lead = model.lead if len(model.lead) == n_x else np.arange(n_x, dtype=np.int64)
    size = np.bincount(lead, minlength=n_x).astype(np.int64)
    prog = np.zeros((n_x, n_p), dtype=np.int64)
    np.add.at(prog, (lead, model.index.prog[model.ps]), 1)
    return size, prog, lead


def _unit_covers(model: Model, z: FloatArray) -> tuple[sp.csr_matrix, FloatArray]:
    """Cover cuts of groups against capacity (:func:`cover_cut`) on the assignments where a
    group is placed and some unit (a group or a student alone) is fractional."""
    empty = sp.csr_matrix((0, model.n)), np.zeros(0)
    if not model.work.groups or model.n_x == 0:
        return empty
    x = z[: model.n_x]
    size, prog, lead = _units(model)
    unit = (lead == np.arange(model.n_x)) & (x > 1e-9) & (model.y_col[model.pa] >= 0)
    hot = np.intersect1d(model.pa[unit & (x < 1 - 1e-6)], model.pa[unit & (size >= 2)])
    cuts: list[tuple[IntArray, IntArray, int, float, float]] = []
    for a in hot.tolist():
        by_x = np.nonzero(unit & (model.pa == a))[0]
        by_x = by_x[np.lexsort((by_x, -x[by_x]))]
        ycol = int(model.y_col[a])
        # Prefixes of the units by LP value, and of each fractional group first: a cover of
        # a group with the units that are surely in (x = 1) need not be a prefix by value.
        firsts = by_x[(size[by_x] >= 2) & (x[by_x] < 1 - 1e-6)]
        orders = [by_x, *(np.r_[g, by_x[by_x != g]] for g in firsts.tolist())]
        # Programmes with more candidates than a team allows (the same units in every order).
        over = np.nonzero(prog[by_x].sum(axis=0) > model.prog_max[a])[0].tolist()
        for cols in orders:
            families = [(size[cols], int(model.team_max[a]))]
            families += [(prog[cols, p], int(model.prog_max[a])) for p in over]
            for weights, cap in families:
                on = weights > 0
                ub = int(model.ub[ycol])
                cut = cover_cut(weights[on], x[cols[on]], float(z[ycol]), cap, ub)
                if cut is not None:
                    m, slope, bound = cut
                    cuts.append((cols[on][m > 0], m[m > 0], ycol, slope, bound))
    if not cuts:
        return empty
    lens = np.array([len(c[0]) + 1 for c in cuts], dtype=np.int64)
    rows = np.repeat(np.arange(len(cuts), dtype=np.int64), lens)
    idx = np.concatenate([np.r_[c[0], c[2]] for c in cuts])
    vals = np.concatenate([np.r_[c[1].astype(np.float64), -c[3]] for c in cuts])
    rhs = np.array([c[4] for c in cuts], dtype=np.float64)
    return sp.csr_matrix((vals, (rows, idx)), shape=(len(cuts), model.n)), rhs


def cover_cut(
    weights: IntArray, x: FloatArray, y: float, cap: int, ymax: int
) -> tuple[IntArray, float, float] | None:
    """The most violated cover cut of ``sum_u w_u X_u <= cap * y`` over prefixes of the units.

    ``X`` are binary units in the order given (largest LP value first) with weights ``w``
    (a group's size, or its members of one programme) and ``y`` an integer team count in
    ``0..ymax``. For a prefix ``S`` with ``sum_S w_u = cap * q + lam``, ``lam > 0``, take
    ``m_u = min(w_u, lam)`` and ``g(k)``, the most ``sum_S m_u X_u`` that ``k`` teams hold
    (a knapsack over ``S`` alone, so an upper bound). Then ``sum_S m_u X_u <= g(q) +
    s * (y - q)`` holds for every integer ``y`` when the slope ``s`` is at least
    ``(g(k) - g(q)) / (k - q)`` for ``k > q`` and at most ``(g(q) - g(k)) / (q - k)`` for
    ``k < q``; ``g(q) <= sum_S m_u - lam`` (complemented, the units left out must cover
    ``lam``), which is what cuts off a fractional unit filling the last places.

    Returns ``(m, s, rhs)`` for the row ``m @ X - s * y <= rhs``, or None if no prefix
    gives a violated cut.
    """
    best: tuple[float, IntArray, float, float] | None = None
    total = np.cumsum(weights)
    for q in sorted({max(1, math.floor(y + 1e-9)), max(1, math.ceil(y - 1e-9))}):
        if q > ymax:
            continue
        for k in np.nonzero(total > cap * q)[0].tolist():
            lam = int(total[k]) - cap * q
            m = np.zeros(len(weights), dtype=np.int64)
            m[: k + 1] = np.minimum(weights[: k + 1], lam)
            g = _knapsack(weights[: k + 1], m[: k + 1], cap, ymax)
            slope = _slope(g, q, y)
            if slope is None:
                continue
            violation = float(m @ x) - (g[q] + slope * (y - q))
            if violation > _VIOLATION and (best is None or violation > best[0]):
                best = (violation, m, slope, g[q] - slope * q)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _knapsack(weights: IntArray, values: IntArray, cap: int, ymax: int) -> list[float]:
    """``g[k]``: the most value of a subset of the items whose weight fits ``cap * k``."""
    limit = cap * ymax
    table = np.full(limit + 1, -np.inf)
    table[0] = 0.0
    for w, v in zip(weights.tolist(), values.tolist(), strict=True):
        if w <= limit:
            table[w:] = np.maximum(table[w:], table[: limit + 1 - w] + v)
    most = np.maximum.accumulate(table)
    return [float(most[cap * k]) for k in range(ymax + 1)]


def _slope(g: list[float], q: int, y: float) -> float | None:
    """A slope ``s`` with ``g[q] + s * (k - q) >= g[k]`` for every ``k``: the largest when
    ``y <= q`` (strongest below ``q``), else the smallest; None when there is none."""
    low = max([(g[k] - g[q]) / (k - q) for k in range(q + 1, len(g))], default=0.0)
    high = min([(g[q] - g[k]) / (q - k) for k in range(q)], default=math.inf)
    if low > high + 1e-9:
        return None
    return high if y <= q + 1e-9 and math.isfinite(high) else low
