"""Exact solve of models without team rules as a minimum-weight bipartite matching."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from app.matching.model import Model
from app.matching.relaxation import Outcome

# Expanding the slot graph beyond this many edges costs more than the LP it replaces.
_MAX_MATCHING_EDGES = 20_000_000


def match_bipartite(model: Model) -> Outcome:
    """Exact solve of a model without team rules as a min-weight full bipartite matching.

    Each assignment becomes ``teams * max_size`` slots; an unplaced student takes a private
    dummy slot. Weights are shifted by +1 because the sparse matcher ignores zero entries.
    """
    out = Outcome("unknown")
    t = time.perf_counter()
    cap = _slot_counts(model)
    if int(cap[model.pa].sum()) + model.n_u > _MAX_MATCHING_EDGES:
        return out
    if int(cap.sum()) + model.n_u < len(model.index.sids):
        out.status = "infeasible"
        return out
    try:
        row_ind, col_ind = min_weight_full_bipartite_matching(_slot_graph(model, cap))
    except ValueError:
        out.status = "infeasible"
        out.tick("matching", t)
        return out
    out.tick("matching", t)
    z = _placement_vector(model, cap, row_ind, col_ind)
    val = round(float(model.base_cost() @ z))
    out.status, out.z, out.objective, out.bound = "optimal", z, val, val
    return out


def _slot_counts(model: Model) -> np.ndarray:
    """Slots per assignment: its capacity, but no more than the students who may take it."""
    cap_rows = model.b_ub[: len(model.index.aids)].astype(np.int64)
    demand = np.bincount(model.pa, minlength=len(cap_rows))
    return np.minimum(cap_rows, demand)


def _slot_graph(model: Model, cap: np.ndarray) -> sp.csr_matrix:
    """Students by slots (then one dummy slot per unplaced variable), weighted cost + 1."""
    n_s = len(model.index.sids)
    n_slots = int(cap.sum())
    rep = cap[model.pa]
    start = np.concatenate([[0], np.cumsum(cap)[:-1]]) if len(cap) else np.zeros(0, np.int64)
    first = np.repeat(np.cumsum(rep) - rep, rep)
    e_col = np.repeat(start[model.pa], rep) + (np.arange(int(rep.sum())) - first)
    e_row = np.repeat(model.ps, rep)
    e_w = np.repeat(model.cost, rep) + 1.0
    u_cols = n_slots + np.arange(model.n_u)
    rows = np.concatenate([e_row, model.u_students])
    cols = np.concatenate([e_col, u_cols])
    weights = np.concatenate([e_w, np.full(model.n_u, model.unplaced_cost + 1.0)])
    return sp.csr_matrix((weights, (rows, cols)), shape=(n_s, n_slots + model.n_u))


def _placement_vector(
    model: Model, cap: np.ndarray, row_ind: np.ndarray, col_ind: np.ndarray
) -> np.ndarray:
    """The model's 0/1 vector for a matching of students (``row_ind``) to slots."""
    n_s, n_slots = len(model.index.sids), int(cap.sum())
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
    return z
