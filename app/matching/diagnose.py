"""Explanations for infeasible instances: which rules conflict.

Two passes. First direct checks that name the ids involved (a student who must be placed
but can go nowhere, an assignment whose locks break its own rules, a required programme
with no candidate). Then, for instances of moderate size, rule families are relaxed one
at a time to say which families conflict.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np

from app.matching.build import build_model
from app.matching.core import feasible
from app.matching.model import Model
from app.matching.problem import Assignment, Problem

SUMMARY = "*"
_RELAX_LIMIT = 3000  # students; beyond this, relaxation solves would take too long


def _forced(problem: Problem, model: Model) -> dict[str, list[str]]:
    """Students who must be on an assignment: locked, or its only option when all must be placed."""
    out: dict[str, list[str]] = defaultdict(list)
    for sid, aid in problem.locks:
        out[aid].append(sid)
    if problem.costs.unplaced is None:
        counts = np.bincount(model.ps, minlength=len(model.index.sids))
        for j in np.nonzero(counts[model.ps] == 1)[0]:
            sid = model.index.sids[int(model.ps[j])]
            aid = model.index.aids[int(model.pa[j])]
            if sid not in dict(problem.locks):
                out[aid].append(sid)
    return {a: sorted(s) for a, s in out.items()}


def _candidates(model: Model, problem: Problem) -> dict[str, Counter[str]]:
    """Programme counts of the students who could be placed on each assignment."""
    out: dict[str, Counter[str]] = {a.id: Counter() for a in problem.assignments}
    progs = model.index.progs
    for a, p in zip(model.pa, model.index.prog[model.ps], strict=True):
        out[model.index.aids[int(a)]][progs[int(p)]] += 1
    return out


def _assignment_conflicts(
    a: Assignment, forced: list[str], cand: Counter[str], prog: dict[str, str]
) -> list[str]:
    msgs = []
    who = ", ".join(forced)
    need = f"{a.id} must form a team (for {who})"
    if a.teams <= 0:
        return [f"{who} must be placed on {a.id}, but {a.id} forms no teams"]
    fp = Counter(prog[s] for s in forced)
    if a.max_size is not None and len(forced) > a.max_size * a.teams:
        msgs.append(
            f"{a.id} must take {len(forced)} students ({who}) but has {a.max_size * a.teams} places"
        )
    if a.max_per_programme is not None:
        for p, c in sorted(fp.items()):
            if c > a.max_per_programme * a.teams:
                msgs.append(
                    f"{a.id} must take {c} {p} students but allows {a.max_per_programme} per team"
                )
    for p in a.required_programmes:
        if cand.get(p, 0) == 0:
            msgs.append(f"{a.id} requires {p} but no {p} student can be placed there; {need}")
    if sum(cand.values()) < a.min_size:
        msgs.append(
            f"{a.id} needs at least {a.min_size} members but only "
            f"{sum(cand.values())} students can be placed there; {need}"
        )
    if len(cand) < a.min_programmes:
        msgs.append(
            f"{a.id} needs {a.min_programmes} programmes but only "
            f"{', '.join(sorted(cand)) or 'no programme'} can be placed there; {need}"
        )
    return msgs


def _static(problem: Problem, model: Model) -> dict[str, str]:
    out: dict[str, str] = {}
    options = np.bincount(model.ps, minlength=len(model.index.sids))
    must = problem.costs.unplaced is None
    locks = dict(problem.locks)
    for i, sid in enumerate(model.index.sids):
        if options[i] == 0 and must:
            out[sid] = (
                f"{sid} must be placed (costs.unplaced is null) but no assignment is open to them"
            )
    prog = {s.id: s.programme for s in problem.students}
    cand = _candidates(model, problem)
    forced = _forced(problem, model)
    msgs = []
    for a in problem.assignments:
        if a.id in forced:
            msgs.extend(_assignment_conflicts(a, forced[a.id], cand[a.id], prog))
    for sid, aid in sorted(locks.items()):
        if any(sid in m for m in msgs) and sid not in out:
            out[sid] = f"locked to {aid}, see '*'"
    if must:
        places = sum(
            a.teams * (a.max_size if a.max_size is not None else len(prog))
            for a in problem.assignments
        )
        if places < len(prog):
            msgs.append(
                f"{len(prog)} students must be placed but the assignments have {places} places"
            )
    if msgs:
        out[SUMMARY] = "; ".join(msgs)
    return out


def _relaxations(problem: Problem) -> dict[str, Problem]:
    def each(f: Callable[[Assignment], Assignment]) -> tuple[Assignment, ...]:
        return tuple(f(a) for a in problem.assignments)

    big = 10 * (1 + max((*problem.costs.rank, 0)))
    r = dataclasses.replace
    out = {
        "the min_size rules": r(problem, assignments=each(lambda a: r(a, min_size=1))),
        "the programme rules (max_per_programme, min_programmes, required_programmes)": r(
            problem,
            assignments=each(
                lambda a: r(a, max_per_programme=None, min_programmes=1, required_programmes=())
            ),
        ),
        "the years rules": r(problem, assignments=each(lambda a: r(a, years=None))),
        "the locks": r(problem, locks=()),
        "the bans": r(problem, bans=()),
    }
    if problem.costs.unplaced is None:
        out["the rule that every student is placed (costs.unplaced null)"] = r(
            problem, costs=r(problem.costs, unplaced=big)
        )
    if problem.costs.unranked is None:
        out["the rule that students go only to ranked assignments (costs.unranked null)"] = r(
            problem, costs=r(problem.costs, unranked=big)
        )
    return out


def _feasible(problem: Problem) -> bool:
    return feasible(build_model(problem))


def diagnose(problem: Problem, model: Model) -> dict[str, str]:
    """Explanations for an infeasible problem; the key ``"*"`` holds the summary.

    Parameters
    ----------
    problem : Problem
    model : Model
        The model built for ``problem`` (gives the allowed pairs).

    Returns
    -------
    dict
        ``"*"``: the conflicting rules; student ids: why that student is involved.
    """
    out = _static(problem, model)
    if len(problem.students) <= _RELAX_LIMIT:
        helps = [name for name, p in _relaxations(problem).items() if _feasible(p)]
        if helps:
            text = "no solution meets all rules; one exists without " + " or without ".join(helps)
        else:
            text = "no solution meets all rules, and relaxing one family of rules is not enough"
        out[SUMMARY] = f"{out[SUMMARY]}; {text}" if SUMMARY in out else text
    out.setdefault(SUMMARY, "no solution meets all rules")
    return dict(sorted(out.items()))
