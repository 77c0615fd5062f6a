"""An independent checker: recomputes the objective and tests every rule team by team.

It shares no code with the solver beyond the problem dataclasses, so a solver bug cannot
hide itself here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from app.matching.codes import Violation
from app.matching.problem import Assignment, Problem, Student
from app.matching.result import Result

STATUSES = ("optimal", "feasible", "infeasible", "unknown")
V = Violation


def _team_rules(a: Assignment, team: int, members: list[str], progs: Counter[str]) -> list[V]:
    out = []
    if not 1 <= team <= a.teams:
        out.append(V("team_number", assignment=a.id, team=team, value=team, limit=a.teams))
    if len(members) < max(a.min_size, 1):
        out.append(
            V("team_too_small", assignment=a.id, team=team, value=len(members), limit=a.min_size)
        )
    if a.max_size is not None and len(members) > a.max_size:
        out.append(
            V("team_too_large", assignment=a.id, team=team, value=len(members), limit=a.max_size)
        )
    for p, c in sorted(progs.items()):
        if a.max_per_programme is not None and c > a.max_per_programme:
            out.append(
                V(
                    "programme_too_many",
                    assignment=a.id,
                    team=team,
                    programme=p,
                    value=c,
                    limit=a.max_per_programme,
                )
            )
    if len(progs) < a.min_programmes:
        out.append(
            V(
                "programmes_too_few",
                assignment=a.id,
                team=team,
                value=len(progs),
                limit=a.min_programmes,
            )
        )
    out.extend(
        V("programme_missing", assignment=a.id, team=team, programme=p)
        for p in a.required_programmes
        if progs[p] == 0
    )
    return out


def _pair_rules(
    problem: Problem,
    s: Student,
    a: Assignment,
    locks: Mapping[str, str],
    bans: set[tuple[str, str]],
) -> list[V]:
    lock = locks.get(s.id)
    if lock == a.id:
        return []
    # A lock elsewhere is reported once, by the lock loop of ``check``.
    out = []
    if (s.id, a.id) in bans:
        out.append(V("banned", student=s.id, assignment=a.id))
    if a.years is not None and s.year not in a.years:
        out.append(
            V("year_not_allowed", student=s.id, assignment=a.id, value=s.year, years=a.years)
        )
    if a.id not in s.ranking and problem.costs.unranked is None:
        out.append(V("unranked_not_allowed", student=s.id, assignment=a.id))
    return out


def _cost(
    problem: Problem, s: Student, aid: str | None, locks: Mapping[str, str], aids: set[str]
) -> int:
    c = problem.costs
    if aid is None:
        return c.unplaced or 0
    if aid in s.ranking:
        cost = c.rank[s.ranking.index(aid)]
    elif locks.get(s.id) == aid:
        cost = c.unranked if c.unranked is not None else 0
    else:
        cost = c.unranked or 0
    before = problem.previous.get(s.id)
    moved = before is not None and before != aid and before in aids
    return cost + (c.move if moved else 0)


def _placement(problem: Problem, data: Mapping[str, Any], out: list[V]) -> dict[str, str]:
    students = {s.id for s in problem.students}
    assignments = {a.id: a for a in problem.assignments}
    placed: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for t in data.get("teams", []):
        aid = t.get("assignment")
        if aid not in assignments:
            out.append(V("unknown_assignment", assignment=str(aid)))
            continue
        for m in t.get("members", []):
            seen[m] += 1
            placed[m] = aid
    for m in data.get("unplaced", []):
        seen[m] += 1
    for sid, n in sorted(seen.items()):
        if sid not in students:
            out.append(V("unknown_student", student=str(sid)))
        elif n > 1:
            out.append(V("student_repeated", student=sid, value=n))
    out.extend(V("student_missing", student=sid) for sid in sorted(students - set(seen)))
    return {k: v for k, v in placed.items() if k in students}


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _totals(problem: Problem, data: Mapping[str, Any], placed: Mapping[str, str]) -> list[V]:
    """The objective and bound claimed by the result against the recomputed total cost."""
    out = []
    locks, aids = dict(problem.locks), {a.id for a in problem.assignments}
    total = sum(_cost(problem, s, placed.get(s.id), locks, aids) for s in problem.students)
    if data.get("objective") != total:
        out.append(V("objective_mismatch", value=_int_or_none(data.get("objective")), limit=total))
    bound = data.get("bound")
    if bound is not None and bound > total:
        out.append(V("bound_above_cost", value=_int_or_none(bound), limit=total))
    if data.get("status") == "optimal" and problem.objective == "sum" and bound != total:
        out.append(V("bound_not_tight", value=_int_or_none(bound), limit=total))
    return out


def check(problem: Problem, result: Result | Mapping[str, Any]) -> list[Violation]:
    """List every rule ``result`` breaks for ``problem`` (empty list: all rules hold).

    Parameters
    ----------
    problem : Problem
    result : Result or Mapping
        A :class:`Result` or its JSON form (``Result.to_dict()``).

    Returns
    -------
    list of Violation
        One :class:`Violation` per broken rule, with its kind, ids and numbers (the kinds
        are listed in ``docs/matching.md``); also flags a wrong objective, a bound above
        the objective and an ``optimal`` status whose bound differs.

    Examples
    --------
    >>> from app.matching import parse_problem
    >>> p = parse_problem({"students": [{"id": "s1", "programme": "FT"}],
    ...                    "assignments": [{"id": "a1", "max_size": 2}],
    ...                    "costs": {"rank": [], "unplaced": 5}})
    >>> check(p, {"status": "optimal", "objective": 5, "bound": 5, "teams": [],
    ...           "unplaced": ["s1"]})
    []
    >>> [str(v) for v in check(p, {"status": "feasible", "objective": 5, "bound": 0,
    ...     "teams": [{"assignment": "a1", "team": 2, "members": ["s1"]}], "unplaced": []})]
    ['team_number assignment=a1 team=2 value=2 limit=1', \
'unranked_not_allowed student=s1 assignment=a1', 'objective_mismatch value=5 limit=0']
    """
    data = result.to_dict() if isinstance(result, Result) else result
    out: list[V] = []
    status = data.get("status")
    if status not in STATUSES:
        return [V("unknown_status", detail=repr(status))]
    if status in ("infeasible", "unknown"):
        return [] if not data.get("teams") else [V("teams_without_solution", detail=status)]
    placed = _placement(problem, data, out)
    students = {s.id: s for s in problem.students}
    assignments = {a.id: a for a in problem.assignments}
    numbers: Counter[tuple[str, int]] = Counter()
    team_of: dict[str, tuple[str, int]] = {}
    locks, bans = dict(problem.locks), set(problem.bans)
    for t in data.get("teams", []):
        a = assignments.get(t.get("assignment"))
        members = [m for m in t.get("members", []) if m in students]
        if a is None or not members:
            continue
        number = int(t.get("team", 0))
        numbers[(a.id, number)] += 1
        team_of.update((m, (a.id, number)) for m in members)
        progs = Counter(students[m].programme for m in members)
        out.extend(_team_rules(a, number, members, progs))
        for m in members:
            out.extend(_pair_rules(problem, students[m], a, locks, bans))
    out.extend(
        V("team_repeated", assignment=a, team=n, value=c)
        for (a, n), c in sorted(numbers.items())
        if c > 1
    )
    out.extend(_groups(problem, team_of))
    out.extend(
        V("lock_broken", student=sid, assignment=aid)
        for sid, aid in sorted(locks.items())
        if placed.get(sid) != aid
    )
    if problem.costs.unplaced is None:
        out.extend(
            V("unplaced_not_allowed", student=sid) for sid in sorted(set(students) - set(placed))
        )
    out.extend(_totals(problem, data, placed))
    return out


def _groups(problem: Problem, team_of: Mapping[str, tuple[str, int]]) -> list[V]:
    """A group whose members are not all in one team, or not all unplaced."""
    out = []
    for g in problem.groups:
        places = {team_of.get(m) for m in g.members}
        if len(places) > 1:
            out.append(V("group_split", group=g.id, value=len(places)))
    return out
