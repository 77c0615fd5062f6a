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

import numpy as np
import scipy.sparse as sp

from app.matching.model import FloatArray, IntArray, Model

_VIOLATION = 1e-6


def separate(model: Model, z: FloatArray) -> tuple[sp.csr_matrix, FloatArray]:
    """Rows ``A z <= b`` of both families that ``z`` violates (``A`` has ``model.n`` columns)."""
    parts = [_xy(model, z), _residual(model, z, by_programme=False)]
    parts.append(_residual(model, z, by_programme=True))
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
    # Only a y strictly between two integers >= 1 can be cut (q = 0 is x <= y's job).
    open_ = (model.y_col >= 0) & (q >= 1) & (f > 1e-6) & (f < 1 - 1e-6)
    pa = model.pa
    cand = np.nonzero(open_[pa] & (x > f[pa] + 1e-9))[0].astype(np.int64)
    empty = sp.csr_matrix((0, model.n)), np.zeros(0)
    if len(cand) == 0:
        return empty
    n_p = max(len(model.index.progs), 1)
    key = pa[cand] * n_p + model.index.prog[model.ps[cand]] if by_programme else pa[cand]
    order = np.lexsort((cand, -x[cand], key))  # by group, largest x first, then column
    cand, key = cand[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    group = np.cumsum(np.r_[False, key[1:] != key[:-1]])
    size = np.arange(len(cand)) - starts[group] + 1  # |S| when S is the group's top `size`
    a = pa[cand]
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
    lens = np.array([len(m) for m in members], dtype=np.int64)
    ycols = model.y_col[a[best]]
    rows = np.repeat(np.arange(len(best), dtype=np.int64), lens + 1)
    cols = np.concatenate([np.r_[m, y] for m, y in zip(members, ycols.tolist(), strict=True)])
    vals = np.concatenate(
        [
            np.r_[np.ones(len(m)), -float(rr)]
            for m, rr in zip(members, r[best].tolist(), strict=True)
        ]
    )
    rhs = ((c[best] - r[best]) * qa[best]).astype(np.float64)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(best), model.n)), rhs


def _group_argmax(score: FloatArray, group: IntArray, n_groups: int) -> IntArray:
    """Index of the largest score in each group (groups are contiguous and in order)."""
    order = np.lexsort((-score, group))
    first = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    out: IntArray = order[first].astype(np.int64)
    assert len(out) == n_groups
    return out
