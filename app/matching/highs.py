"""A linear program that stays alive between solves, on the HiGHS bundled with SciPy.

``scipy.optimize.linprog`` solves from scratch every time. The cutting-plane loop of
``core.py`` adds a few hundred rows to an LP of 200,000 columns and solves again; from the
previous basis (dual simplex) that takes a fraction of a second instead of the seconds of a
cold solve. SciPy ships the full HiGHS bindings as ``scipy.optimize._highspy._core`` (the
module its own ``linprog``/``milp`` call); this module is the only place that touches them,
so a SciPy upgrade that moves them breaks one file, and ``tests/matching`` catches it.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.optimize._highspy import _core as _hc

from app.matching.model import FloatArray, IntArray

OPTIMAL, INFEASIBLE, LIMIT = "optimal", "infeasible", "limit"


def _seconds(time_limit: float) -> float:
    """A time limit HiGHS accepts: finite and not negative."""
    return float(min(max(time_limit, 0.0), 1e9))


class LinearProgram:
    """``min c @ z`` subject to ``row_lo <= A z <= row_hi``, ``col_lo <= z <= col_hi``.

    Solved with HiGHS dual simplex without presolve (presolve costs more than it saves on
    these models). :meth:`add_rows` keeps the last basis, so the next :meth:`solve` is warm.
    """

    def __init__(
        self,
        c: FloatArray,
        a: sp.csr_matrix | sp.csc_matrix,
        row_lo: FloatArray,
        row_hi: FloatArray,
        col_lo: FloatArray,
        col_hi: FloatArray,
        integrality: IntArray | None = None,
    ) -> None:
        csc = sp.csc_matrix(a)
        csc.sort_indices()
        n_rows, n_cols = csc.shape
        lp = _hc.HighsLp()
        lp.num_col_ = n_cols
        lp.num_row_ = n_rows
        lp.col_cost_ = np.asarray(c, dtype=np.float64)
        lp.col_lower_ = np.asarray(col_lo, dtype=np.float64)
        lp.col_upper_ = np.asarray(col_hi, dtype=np.float64)
        lp.row_lower_ = np.asarray(row_lo, dtype=np.float64)
        lp.row_upper_ = np.asarray(row_hi, dtype=np.float64)
        matrix = lp.a_matrix_
        matrix.num_col_ = n_cols
        matrix.num_row_ = n_rows
        matrix.format_ = _hc.MatrixFormat.kColwise
        matrix.start_ = csc.indptr.astype(np.int32)
        matrix.index_ = csc.indices.astype(np.int32)
        matrix.value_ = csc.data.astype(np.float64)
        if integrality is not None:
            kinds = (_hc.HighsVarType.kContinuous, _hc.HighsVarType.kInteger)
            lp.integrality_ = [kinds[int(k)] for k in integrality]
        self._h: Any = _hc._Highs()
        self._h.setOptionValue("output_flag", False)
        self._h.setOptionValue("presolve", "off")
        self._h.setOptionValue("solver", "simplex")
        self._h.setOptionValue("simplex_strategy", 1)  # dual simplex
        self._h.passModel(lp)
        self.n_cols = n_cols
        self._primal_next = False
        self._solved = False  # whether a basis exists to start from

    def solve(self, time_limit: float = math.inf) -> str:
        """Solve from the current basis; ``optimal``, ``infeasible`` or ``limit``."""
        self._h.setOptionValue("time_limit", _seconds(time_limit))
        self._h.setOptionValue("simplex_strategy", 4 if self._primal_next else 1)
        self._primal_next = False
        self._h.run()
        self._h.setOptionValue("presolve", "off")  # a warm solve never presolves
        status = self._h.getModelStatus()
        if status == _hc.HighsModelStatus.kOptimal:
            self._solved = True
            return OPTIMAL
        # Every column is bounded, so "unbounded or infeasible" means infeasible.
        if status in (
            _hc.HighsModelStatus.kInfeasible,
            _hc.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return INFEASIBLE
        return LIMIT

    def set_bounds(self, cols: IntArray, lo: FloatArray, hi: FloatArray) -> None:
        """Change column bounds; the basis is kept for a warm solve."""
        self._h.changeColsBounds(
            len(cols),
            np.asarray(cols, dtype=np.int32),
            np.asarray(lo, dtype=np.float64),
            np.asarray(hi, dtype=np.float64),
        )

    def set_objective(self, c: FloatArray, *, warm: bool = True, presolve: bool = False) -> None:
        """Replace the objective.

        ``warm``: the last basis stays primal feasible, so the next solve runs primal
        simplex from it; worth it when the optimum hardly moves (the same order of
        solutions). Otherwise (``warm=False``) the basis is dropped and the next solve is
        a cold dual simplex, which on these models beats a long primal one by far.
        ``presolve``: run HiGHS presolve before that cold solve (only then), which pays
        once many columns are fixed (``docs/benchmarks.md``).
        """
        self._h.changeColsCost(self.n_cols, np.arange(self.n_cols, dtype=np.int32), c)
        if not warm:
            self._h.clearSolver()
            self._h.setOptionValue("presolve", "on" if presolve else "off")
        self._primal_next = warm and self._solved
        self._solved = self._solved and warm

    def add_rows(self, rows: sp.csr_matrix, lo: FloatArray, hi: FloatArray) -> None:
        """Append rows ``lo <= rows @ z <= hi``; the basis is kept for a warm solve."""
        csr = sp.csr_matrix(rows)
        csr.sort_indices()
        if csr.shape[0] == 0:
            return
        self._h.addRows(
            csr.shape[0],
            np.asarray(lo, dtype=np.float64),
            np.asarray(hi, dtype=np.float64),
            csr.nnz,
            csr.indptr[:-1].astype(np.int32),
            csr.indices.astype(np.int32),
            csr.data.astype(np.float64),
        )

    @property
    def x(self) -> FloatArray:
        """Column values of the last solve."""
        return np.array(self._h.getSolution().col_value, dtype=np.float64)

    @property
    def reduced_costs(self) -> FloatArray:
        """Reduced costs ``c - A^T y`` of the last solve (>= 0 at lower, <= 0 at upper)."""
        return np.array(self._h.getSolution().col_dual, dtype=np.float64)

    @property
    def objective(self) -> float:
        """Objective value of the last solve."""
        return float(self._h.getInfo().objective_function_value)


class MixedIntegerResult(NamedTuple):
    """Outcome of :func:`solve_mip`: status, best point (or None) and proven lower bound."""

    status: str  # optimal, infeasible or limit
    x: FloatArray | None
    bound: float  # nan before HiGHS proved any bound


def solve_mip(
    c: FloatArray,
    a: sp.csr_matrix | sp.csc_matrix,
    row_lo: FloatArray,
    row_hi: FloatArray,
    col_lo: FloatArray,
    col_hi: FloatArray,
    integrality: IntArray,
    *,
    time_limit: float = math.inf,
    start: FloatArray | None = None,
) -> MixedIntegerResult:
    """Solve a MILP to proven optimality (gap 0) with HiGHS, optionally from a known point.

    ``start``, a feasible point, gives HiGHS an incumbent from the beginning, so it prunes
    with it instead of first searching for one (``scipy.optimize.milp`` has no such option).
    """
    prog = LinearProgram(c, a, row_lo, row_hi, col_lo, col_hi, integrality=integrality)
    h = prog._h
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("presolve", "on")
    h.setOptionValue("solver", "choose")
    h.setOptionValue("time_limit", _seconds(time_limit))
    if start is not None:
        sol = _hc.HighsSolution()
        sol.col_value = np.asarray(start, dtype=np.float64)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    bound = float(info.mip_dual_bound)
    has_point = info.primal_solution_status == _hc.SolutionStatus.kSolutionStatusFeasible
    x = np.array(h.getSolution().col_value, dtype=np.float64) if has_point else None
    if status == _hc.HighsModelStatus.kOptimal:
        return MixedIntegerResult(OPTIMAL, x, bound)
    if status in (_hc.HighsModelStatus.kInfeasible, _hc.HighsModelStatus.kUnboundedOrInfeasible):
        return MixedIntegerResult(INFEASIBLE, None, math.inf)
    return MixedIntegerResult(LIMIT, x, bound if math.isfinite(bound) else math.nan)
