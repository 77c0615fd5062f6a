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
from app.matching.codes import Explanation, Param, explanation
from app.matching.core import feasible
from app.matching.model import Model, candidate_pairs, make_index
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
) -> list[Explanation]:
    """What makes ``a`` impossible on its own: the students ``forced`` onto it (locked
    there, or with nowhere else to go) against its capacity, and its candidates (programme
    counts ``cand``) against its team rules."""
    at: dict[str, Param] = {"assignment": a.id, "students": forced}
    if a.teams <= 0:
        return [explanation("forced_on_closed", **at)]
    return _forced_conflicts(a, forced, prog, at) + _candidate_conflicts(a, cand, at)


def _forced_conflicts(
    a: Assignment, forced: list[str], prog: dict[str, str], at: dict[str, Param]
) -> list[Explanation]:
    """More forced students than ``a`` has places, in all or per programme."""
    msgs = []
    fp = Counter(prog[s] for s in forced)
    if a.max_size is not None and len(forced) > a.max_size * a.teams:
        msgs.append(
            explanation(
                "forced_over_capacity", **at, count=len(forced), places=a.max_size * a.teams
            )
        )
    if a.max_per_programme is not None:
        for p, c in sorted(fp.items()):
            if c > a.max_per_programme * a.teams:
                msgs.append(
                    explanation(
                        "forced_programme_over_capacity",
                        **at,
                        programme=p,
                        count=c,
                        max_per_programme=a.max_per_programme,
                        teams=a.teams,
                    )
                )
    return msgs


def _candidate_conflicts(
    a: Assignment, cand: Counter[str], at: dict[str, Param]
) -> list[Explanation]:
    """Too few candidates for ``a``'s team rules: a required programme, size or spread."""
    msgs = []
    for p in a.required_programmes:
        if cand.get(p, 0) == 0:
            msgs.append(explanation("required_without_candidate", **at, programme=p))
    if sum(cand.values()) < a.min_size:
        msgs.append(
            explanation(
                "too_few_candidates", **at, min_size=a.min_size, candidates=sum(cand.values())
            )
        )
    if len(cand) < a.min_programmes:
        msgs.append(
            explanation(
                "too_few_programmes",
                **at,
                min_programmes=a.min_programmes,
                programmes=sorted(cand),
            )
        )
    return msgs


def _static(problem: Problem, model: Model) -> tuple[dict[str, Explanation], list[Explanation]]:
    """Explanations per student and the conflicts found without solving."""
    out: dict[str, Explanation] = {}
    # Options before groups narrowed them (a group's conflict is told as the group's).
    ps = candidate_pairs(problem, make_index(problem))[0]
    options = np.bincount(ps, minlength=len(model.index.sids))
    must = problem.costs.unplaced is None
    locks = dict(problem.locks)
    for i, sid in enumerate(model.index.sids):
        if options[i] == 0 and must:
            out[sid] = explanation("no_option")
    prog = {s.id: s.programme for s in problem.students}
    cand = _candidates(model, problem)
    forced = _forced(problem, model)
    msgs: list[Explanation] = []
    for a in problem.assignments:
        if a.id in forced:
            msgs.extend(_assignment_conflicts(a, forced[a.id], cand[a.id], prog))
    named = {sid for m in msgs for sid in _students_of(m)}
    for sid, aid in sorted(locks.items()):
        if sid in named and sid not in out:
            out[sid] = explanation("locked_conflict", assignment=aid)
    msgs.extend(_group_conflicts(problem, model, out))
    if must:
        places = sum(
            a.teams * (a.max_size if a.max_size is not None else len(prog))
            for a in problem.assignments
        )
        if places < len(prog):
            msgs.append(explanation("too_few_places", students=len(prog), places=places))
    return out, msgs


def _students_of(e: Explanation) -> list[str]:
    value = e.params.get("students")
    return [str(v) for v in value] if isinstance(value, list) else []


def _group_conflicts(
    problem: Problem, model: Model, out: dict[str, Explanation]
) -> list[Explanation]:
    """Groups that must be placed (everyone must be, or a member is locked) but that no
    assignment can take whole: not every member can go there, or no team holds them all."""
    options = np.bincount(model.ps, minlength=len(model.index.sids))
    sidx = {s: i for i, s in enumerate(model.index.sids)}
    locks = dict(problem.locks)
    msgs = []
    for g in problem.groups:
        locked = sorted(m for m in g.members if m in locks)
        if problem.costs.unplaced is not None and not locked:
            continue
        if options[sidx[g.members[0]]] > 0:
            continue
        msgs.append(
            explanation(
                "group_fits_nowhere",
                group=g.id,
                size=len(g.members),
                students=list(g.members),
                locked=locked,
            )
        )
        for m in g.members:
            out.setdefault(m, explanation("group_conflict", group=g.id))
    return msgs


def _relaxations(problem: Problem) -> dict[str, Problem]:
    def each(f: Callable[[Assignment], Assignment]) -> tuple[Assignment, ...]:
        return tuple(f(a) for a in problem.assignments)

    big = 10 * (1 + max((*problem.costs.rank, 0)))
    r = dataclasses.replace
    out = {
        "min_size": r(problem, assignments=each(lambda a: r(a, min_size=1))),
        "programme_rules": r(
            problem,
            assignments=each(
                lambda a: r(a, max_per_programme=None, min_programmes=1, required_programmes=())
            ),
        ),
        "years": r(problem, assignments=each(lambda a: r(a, years=None))),
        "locks": r(problem, locks=()),
        "bans": r(problem, bans=()),
    }
    if problem.groups:
        out["groups"] = r(problem, groups=())
    if problem.costs.unplaced is None:
        out["unplaced"] = r(problem, costs=r(problem.costs, unplaced=big))
    if problem.costs.unranked is None:
        out["unranked"] = r(problem, costs=r(problem.costs, unranked=big))
    return out


def _feasible(problem: Problem) -> bool:
    return feasible(build_model(problem))


def diagnose(problem: Problem, model: Model) -> dict[str, Explanation]:
    """Explanations for an infeasible problem; the key ``"*"`` holds the summary.

    Parameters
    ----------
    problem : Problem
    model : Model
        The model built for ``problem`` (gives the allowed pairs).

    Returns
    -------
    dict
        ``"*"``: code ``infeasible`` with the conflicts found as reasons and, for instances
        of up to 3,000 students, ``relaxed``: the rule families (``min_size``,
        ``programme_rules``, ``years``, ``locks``, ``bans``, ``groups``, ``unplaced``,
        ``unranked``) each of whose removal alone makes it feasible (``checked`` says
        whether that was tried). Student ids: why that student is involved.
    """
    out, conflicts = _static(problem, model)
    checked = len(problem.students) <= _RELAX_LIMIT
    relaxed = [name for name, p in _relaxations(problem).items() if _feasible(p)] if checked else []
    out[SUMMARY] = Explanation(
        "infeasible", {"relaxed": relaxed, "checked": checked}, tuple(conflicts)
    )
    return dict(sorted(out.items()))
