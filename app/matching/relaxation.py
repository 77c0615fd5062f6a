"""The LP relaxation shared by the stages of a minimisation, and a minimisation's outcome."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from app.matching.highs import LinearProgram
from app.matching.model import FloatArray, IntArray, Model

INT_TOL = 1e-6
# Given column values whose placement columns are integral, the same point with integral
# team counts (and programme counts) when teams can be formed, else None.
Accept = Callable[[FloatArray], "FloatArray | None"]


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


def remaining(deadline: float | None) -> float:
    """Seconds left until ``deadline`` (infinite without one, never negative)."""
    return math.inf if deadline is None else max(deadline - time.perf_counter(), 0.0)


def model_rows(model: Model) -> tuple[sp.csr_matrix, FloatArray, FloatArray]:
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
        a, lo, hi = model_rows(model)
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
