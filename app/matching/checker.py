"""An independent checker: recomputes the objective and tests every rule team by team.

It shares no code with the solver beyond the problem dataclasses, so a solver bug cannot
hide itself here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from app.matching.problem import Assignment, Problem, Student
from app.matching.result import Result

STATUSES = ("optimal", "feasible", "infeasible", "unknown")


def _team_rules(a: Assignment, team: int, members: list[str], progs: Counter[str]) -> list[str]:
    name = f"team {team} of {a.id}"
    out = []
    if not 1 <= team <= a.teams:
        out.append(f"{name}: {a.id} allows teams 1..{a.teams}")
    if len(members) < max(a.min_size, 1):
        out.append(f"{name} has {len(members)} members, min_size is {a.min_size}")
    if a.max_size is not None and len(members) > a.max_size:
        out.append(f"{name} has {len(members)} members, max_size is {a.max_size}")
    for p, c in sorted(progs.items()):
        if a.max_per_programme is not None and c > a.max_per_programme:
            out.append(f"{name} has {c} {p} students, max_per_programme is {a.max_per_programme}")
    if len(progs) < a.min_programmes:
        out.append(f"{name} has {len(progs)} programmes, min_programmes is {a.min_programmes}")
    out.extend(
        f"{name} has no {p} student, {p} is required"
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
) -> list[str]:
    lock = locks.get(s.id)
    if lock == a.id:
        return []
    out = []
    if lock is not None:
        out.append(f"{s.id} is locked to {lock} but placed on {a.id}")
    if (s.id, a.id) in bans:
        out.append(f"{s.id} is banned from {a.id}")
    if a.years is not None and s.year not in a.years:
        out.append(f"{s.id} (year {s.year}) placed on {a.id} open to years {list(a.years)}")
    if a.id not in s.ranking and problem.costs.unranked is None:
        out.append(f"{s.id} placed on unranked {a.id} but costs.unranked is null")
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


def _placement(problem: Problem, data: Mapping[str, Any], out: list[str]) -> dict[str, str]:
    students = {s.id for s in problem.students}
    assignments = {a.id: a for a in problem.assignments}
    placed: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for t in data.get("teams", []):
        aid = t.get("assignment")
        if aid not in assignments:
            out.append(f"team on unknown assignment {aid}")
            continue
        for m in t.get("members", []):
            seen[m] += 1
            placed[m] = aid
    for m in data.get("unplaced", []):
        seen[m] += 1
    for sid, n in sorted(seen.items()):
        if sid not in students:
            out.append(f"unknown student {sid} in result")
        elif n > 1:
            out.append(f"{sid} appears {n} times")
    out.extend(f"{sid} is neither in a team nor unplaced" for sid in sorted(students - set(seen)))
    return {k: v for k, v in placed.items() if k in students}


def check(problem: Problem, result: Result | Mapping[str, Any]) -> list[str]:
    """List every rule ``result`` breaks for ``problem`` (empty list: all rules hold).

    Parameters
    ----------
    problem : Problem
    result : Result or Mapping
        A :class:`Result` or its JSON form (``Result.to_dict()``).

    Returns
    -------
    list of str
        One message per violation, naming the ids; also flags a wrong objective, a
        bound above the objective and an ``optimal`` status whose bound differs.

    Examples
    --------
    >>> from app.matching import parse_problem
    >>> p = parse_problem({"students": [{"id": "s1", "programme": "FT"}],
    ...                    "assignments": [{"id": "a1", "max_size": 2}],
    ...                    "costs": {"rank": [], "unplaced": 5}})
    >>> check(p, {"status": "optimal", "objective": 5, "bound": 5, "teams": [],
    ...           "unplaced": ["s1"]})
    []
    """
    data = result.to_dict() if isinstance(result, Result) else result
    out: list[str] = []
    status = data.get("status")
    if status not in STATUSES:
        return [f"unknown status {status!r}"]
    if status in ("infeasible", "unknown"):
        return [] if not data.get("teams") else [f"status {status} but teams are listed"]
    placed = _placement(problem, data, out)
    students = {s.id: s for s in problem.students}
    assignments = {a.id: a for a in problem.assignments}
    numbers: Counter[tuple[str, int]] = Counter()
    locks, bans = dict(problem.locks), set(problem.bans)
    for t in data.get("teams", []):
        a = assignments.get(t.get("assignment"))
        members = [m for m in t.get("members", []) if m in students]
        if a is None or not members:
            continue
        numbers[(a.id, int(t.get("team", 0)))] += 1
        progs = Counter(students[m].programme for m in members)
        out.extend(_team_rules(a, int(t.get("team", 0)), members, progs))
        for m in members:
            out.extend(_pair_rules(problem, students[m], a, locks, bans))
    out.extend(f"team {n} of {a} listed twice" for (a, n), c in sorted(numbers.items()) if c > 1)
    for sid, aid in sorted(locks.items()):
        if placed.get(sid) != aid:
            out.append(f"{sid} is locked to {aid} but not placed there")
    if problem.costs.unplaced is None:
        out.extend(
            f"{sid} is unplaced but costs.unplaced is null"
            for sid in sorted(set(students) - set(placed))
        )
    aids = set(assignments)
    total = sum(_cost(problem, s, placed.get(s.id), locks, aids) for s in problem.students)
    if data.get("objective") != total:
        out.append(f"objective is {data.get('objective')} but the teams cost {total}")
    bound = data.get("bound")
    if bound is not None and bound > total:
        out.append(f"bound {bound} exceeds the cost {total}")
    if status == "optimal" and problem.objective == "sum" and bound != total:
        out.append(f"status optimal but bound {bound} differs from the cost {total}")
    return out
