"""Sparse aggregate model of a :class:`Problem`, built with vectorised numpy.

Variables, in this column order:

* ``x[s,a]`` in {0,1} for every allowed (student, assignment) pair,
* ``u[s]`` in {0,1} "unplaced", only when ``costs.unplaced`` is set and ``s`` is not locked,
* ``y[a]`` integer in [0, teams]: teams formed, only for assignments whose team rules bind,
* ``w[a,p]`` continuous in [0, teams]: programme ``p`` counted towards ``min_programmes``.

Teams are identical, so counts per assignment suffice (see ``teams.deal``).

Groups add equality rows ``x[m,a] = x[m0,a]`` between each member ``m`` and the group's
first member ``m0``, on the assignments every member can go to and whose single team can
hold the group; so the members share an assignment or are all unplaced. Sharing a team
within a multi-team assignment is not expressed in counts: the solver deals the teams with
groups intact and, where that fails, splits the assignment into single-team copies
(``split_assignments``), in which sharing the assignment is sharing the team.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from app.matching.problem import Assignment, Problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Index:
    """Integer encoding of the ids of a problem."""

    sids: list[str]
    aids: list[str]
    progs: list[str]
    prog: IntArray  # programme index per student
    locked: IntArray  # locked assignment per student, -1 if none
    prev: IntArray  # previous assignment per student, -1 if none


@dataclass(frozen=True)
class Model:
    """Matrices for HiGHS plus the maps from columns back to the problem."""

    index: Index
    ps: IntArray  # student of each x column
    pa: IntArray  # assignment of each x column
    prank: IntArray  # rank of each x column, 0 when unranked
    cost: IntArray  # integer cost of each x column
    u_students: IntArray  # student of each u column
    y_assign: IntArray  # assignment of each y column
    n_w: int
    a_eq: sp.csr_matrix
    b_eq: FloatArray
    a_ub: sp.csr_matrix
    b_ub: FloatArray
    lb: FloatArray
    ub: FloatArray
    integrality: IntArray
    unplaced_cost: int
    y_col: IntArray  # y column of each assignment, -1 where no team rule needs one
    w_key: IntArray  # assignment * len(progs) + programme of each w column
    team_max: IntArray  # max_size per assignment (capped at the number of students)
    prog_max: IntArray  # max_per_programme per assignment (the number of students if none)
    work: Problem  # the problem the model's assignments belong to (after any split)
    origin: IntArray  # index in the original problem of each model assignment
    # x column of the group's first member on the same assignment, per x column (the
    # column itself for a student in no group): a group is one unit of the team rules.
    lead: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def n_x(self) -> int:
        return len(self.ps)

    @property
    def n_u(self) -> int:
        return len(self.u_students)

    @property
    def n(self) -> int:
        return self.n_x + self.n_u + len(self.y_assign) + self.n_w

    def base_cost(self) -> FloatArray:
        """Objective of the default ``sum`` profile over all columns."""
        c = np.zeros(self.n)
        c[: self.n_x] = self.cost
        c[self.n_x : self.n_x + self.n_u] = self.unplaced_cost
        return c


def make_index(problem: Problem) -> Index:
    sids = [s.id for s in problem.students]
    aids = [a.id for a in problem.assignments]
    progs = sorted({s.programme for s in problem.students})
    pidx = {p: i for i, p in enumerate(progs)}
    aidx = {a: i for i, a in enumerate(aids)}
    sidx = {s: i for i, s in enumerate(sids)}
    locked = np.full(len(sids), -1, dtype=np.int64)
    for sid, aid in problem.locks:
        locked[sidx[sid]] = aidx[aid]
    prev = np.full(len(sids), -1, dtype=np.int64)
    for sid, aid in problem.previous.items():
        # Students or assignments that disappeared since the previous run are ignored.
        if sid in sidx and aid in aidx:
            prev[sidx[sid]] = aidx[aid]
    prog = np.array([pidx[s.programme] for s in problem.students], dtype=np.int64)
    return Index(sids, aids, progs, prog, locked, prev)


def _rank_matrix(problem: Problem) -> IntArray:
    """Padded S x L matrix of ranked assignment indices (-1 = no choice)."""
    aidx = {a.id: i for i, a in enumerate(problem.assignments)}
    width = max((len(s.ranking) for s in problem.students), default=0)
    out = np.full((len(problem.students), max(width, 1)), -1, dtype=np.int64)
    for i, s in enumerate(problem.students):
        out[i, : len(s.ranking)] = [aidx[a] for a in s.ranking]
    return out


def _year_ok(problem: Problem, ps: IntArray, pa: IntArray) -> BoolArray:
    years = [s.year for s in problem.students]
    codes = sorted({y for y in years if y is not None})
    code = {y: i + 1 for i, y in enumerate(codes)}  # code 0: year unknown
    scode = np.array([code.get(y, 0) if y is not None else 0 for y in years], dtype=np.int64)
    table = np.ones((len(problem.assignments), len(codes) + 1), dtype=bool)
    for i, a in enumerate(problem.assignments):
        if a.years is not None:
            table[i, :] = False
            for y in a.years:
                if y in code:
                    table[i, code[y]] = True
    return table[pa, scode[ps]]


def candidate_pairs(problem: Problem, index: Index) -> tuple[IntArray, IntArray, IntArray]:
    """Allowed (student, assignment, rank) triples, sorted by student then assignment."""
    n_s, n_a = len(index.sids), len(index.aids)
    ranks = _rank_matrix(problem)
    rs, rc = np.nonzero(ranks >= 0)
    ps, pa, pr = rs.astype(np.int64), ranks[rs, rc], (rc + 1).astype(np.int64)
    if problem.costs.unranked is not None:
        all_s = np.repeat(np.arange(n_s, dtype=np.int64), n_a)
        all_a = np.tile(np.arange(n_a, dtype=np.int64), n_s)
        extra = ~np.isin(all_s * n_a + all_a, ps * n_a + pa)
        ps = np.concatenate([ps, all_s[extra]])
        pa = np.concatenate([pa, all_a[extra]])
        pr = np.concatenate([pr, np.zeros(int(extra.sum()), dtype=np.int64)])
    teams = np.array([a.teams for a in problem.assignments], dtype=np.int64)
    maxs = np.array([1 if a.max_size is None else a.max_size for a in problem.assignments])
    keep = _year_ok(problem, ps, pa) & (teams[pa] > 0) & (maxs[pa] > 0)
    keep &= index.locked[ps] < 0
    if problem.bans:
        sidx = {s: i for i, s in enumerate(index.sids)}
        aidx = {a: i for i, a in enumerate(index.aids)}
        banned = np.array([sidx[s] * n_a + aidx[a] for s, a in problem.bans], dtype=np.int64)
        keep &= ~np.isin(ps * n_a + pa, banned)
    ps, pa, pr = ps[keep], pa[keep], pr[keep]
    # A lock replaces every other option of its student.
    ls = np.nonzero(index.locked >= 0)[0].astype(np.int64)
    la = index.locked[ls]
    lr = np.array(
        [_rank_of(problem, int(s), index.aids[int(a)]) for s, a in zip(ls, la, strict=True)],
        dtype=np.int64,
    )
    ps, pa, pr = np.concatenate([ps, ls]), np.concatenate([pa, la]), np.concatenate([pr, lr])
    order = np.lexsort((pa, ps))
    return ps[order], pa[order], pr[order]


def _rank_of(problem: Problem, s: int, aid: str) -> int:
    ranking = problem.students[s].ranking
    return ranking.index(aid) + 1 if aid in ranking else 0


def pair_costs(
    problem: Problem, index: Index, ps: IntArray, pa: IntArray, pr: IntArray
) -> IntArray:
    costs = problem.costs
    table = np.array((0, *costs.rank), dtype=np.int64)
    cost = table[pr]
    unranked = pr == 0
    locked = index.locked[ps] == pa
    cost[unranked] = costs.unranked if costs.unranked is not None else 0
    cost[unranked & locked & (costs.unranked is None)] = 0
    moved = (index.prev[ps] >= 0) & (index.prev[ps] != pa)
    out: IntArray = cost + costs.move * moved.astype(np.int64)
    return out


SPLIT = "#"  # a split assignment's copies are named ``id#1``, ``id#2``, ...


def split_assignments(problem: Problem, split: frozenset[str]) -> tuple[Problem, IntArray]:
    """``problem`` with each assignment in ``split`` replaced by ``teams`` single-team copies.

    Returns the new problem (assignments in the original order, copies in place of their
    original) and, per new assignment, the index of the original one. Rankings, locks and
    bans still name the originals: ``build_model`` maps their columns onto the copies.
    """
    out: list[Assignment] = []
    origin: list[int] = []
    for i, a in enumerate(problem.assignments):
        if a.id in split and a.teams > 1:
            out.extend(replace(a, id=f"{a.id}{SPLIT}{k + 1}", teams=1) for k in range(a.teams))
            origin.extend([i] * a.teams)
        else:
            out.append(a)
            origin.append(i)
    return replace(problem, assignments=tuple(out)), np.array(origin, dtype=np.int64)


def expand_columns(
    origin: IntArray, ps: IntArray, pa: IntArray, *rest: IntArray
) -> tuple[IntArray, ...]:
    """Columns on original assignments as columns on every copy (order kept: by student, then
    assignment, as copies sit where their original was)."""
    n_orig = int(origin.max(initial=-1)) + 1
    count = np.bincount(origin, minlength=n_orig).astype(np.int64)
    first = np.searchsorted(origin, np.arange(n_orig)).astype(np.int64)
    rep = count[pa]
    offset = np.arange(int(rep.sum()), dtype=np.int64) - np.repeat(np.cumsum(rep) - rep, rep)
    new_pa = np.repeat(first[pa], rep) + offset
    return (np.repeat(ps, rep), new_pa, *(np.repeat(r, rep) for r in rest))


def group_columns(
    problem: Problem, index: Index, ps: IntArray, pa: IntArray
) -> npt.NDArray[np.bool_]:
    """Which columns survive the groups: a member keeps an assignment only when every member
    can go there and one team of it can hold the whole group (size, per programme)."""
    keep = np.ones(len(ps), dtype=bool)
    if not problem.groups:
        return keep
    sidx = {s: i for i, s in enumerate(index.sids)}
    programme = {s.id: s.programme for s in problem.students}
    starts = np.searchsorted(ps, np.arange(len(index.sids) + 1))
    for g in problem.groups:
        rows = [sidx[m] for m in g.members]
        common = set.intersection(*(set(pa[starts[r] : starts[r + 1]].tolist()) for r in rows))
        top = max(Counter(programme[m] for m in g.members).values())
        fits = {
            a
            for a in common
            if (problem.assignments[a].max_size or len(rows)) >= len(rows)
            and (problem.assignments[a].max_per_programme or top) >= top
        }
        for r in rows:
            cols = np.arange(starts[r], starts[r + 1])
            keep[cols] = np.isin(pa[cols], list(fits))
    return keep
