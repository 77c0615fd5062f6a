"""An independent checker: recomputes the objective and tests every rule team by team.

It shares no code with the solver beyond the problem dataclasses, so a solver bug cannot
hide itself here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from app.matching.codes import Violation
from app.matching.problem import Assignment, Costs, Problem, Student
from app.matching.result import Result

STATUSES = ("optimal", "feasible", "infeasible", "unknown")
V = Violation
T = TypeVar("T")


def team_rules(assignment: Assignment, team: int, programmes: Sequence[str]) -> list[V]:
    """Every rule team number ``team`` of ``assignment`` breaks with these members.

    Parameters
    ----------
    assignment : Assignment
    team : int
        The team's number, ``1..assignment.teams``.
    programmes : sequence of str
        The programme of each member, one entry per member (an empty team breaks nothing
        but its minimum size, which ``check`` only asks of listed teams).

    Returns
    -------
    list of Violation
        In this order: ``team_number``, ``team_too_small``, ``team_too_large``,
        ``programme_too_many`` (per programme, by code), ``programmes_too_few``,
        ``programme_missing`` (per required programme, in the assignment's order).

    Examples
    --------
    >>> a = Assignment("a1", min_size=2, max_per_programme=1, required_programmes=("VP",))
    >>> [str(v) for v in team_rules(a, 1, ["FT", "FT"])]
    ['programme_too_many assignment=a1 team=1 programme=FT value=2 limit=1', \
'programme_missing assignment=a1 team=1 programme=VP']
    """
    progs = Counter(programmes)
    return _size_rules(assignment, team, len(programmes)) + _programme_rules(
        assignment, team, progs
    )


def _size_rules(a: Assignment, team: int, n: int) -> list[V]:
    """The team number and size rules a team of ``n`` members breaks."""
    out = []
    if not 1 <= team <= a.teams:
        out.append(V("team_number", assignment=a.id, team=team, value=team, limit=a.teams))
    if n < max(a.min_size, 1):
        out.append(V("team_too_small", assignment=a.id, team=team, value=n, limit=a.min_size))
    if a.max_size is not None and n > a.max_size:
        out.append(V("team_too_large", assignment=a.id, team=team, value=n, limit=a.max_size))
    return out


def _programme_rules(a: Assignment, team: int, progs: Counter[str]) -> list[V]:
    """The programme rules a team with these programme counts breaks."""
    out: list[V] = []
    if a.max_per_programme is not None:
        out.extend(
            V(
                "programme_too_many",
                assignment=a.id,
                team=team,
                programme=p,
                value=c,
                limit=a.max_per_programme,
            )
            for p, c in sorted(progs.items())
            if c > a.max_per_programme
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


def pair_rules(
    student: Student,
    assignment: Assignment,
    *,
    banned: bool = False,
    locked: bool = False,
    unranked_allowed: bool = True,
) -> list[V]:
    """Every rule placing ``student`` on ``assignment`` breaks.

    Parameters
    ----------
    student, assignment
        The pairing; only the student's id, year and ranking count.
    banned : bool
        The pairing is banned.
    locked : bool
        The student is locked to this assignment: a lock overrides ban, years and ranking,
        so nothing is reported (a lock elsewhere is ``check``'s ``lock_broken``).
    unranked_allowed : bool
        ``costs.unranked`` is set, so an assignment the student did not rank is allowed.

    Returns
    -------
    list of Violation
        ``banned``, ``year_not_allowed``, ``unranked_not_allowed``, in this order.

    Examples
    --------
    >>> s = Student("s1", "FT", year=2, ranking=("a2",))
    >>> a = Assignment("a1", years=(3, 4))
    >>> [v.kind for v in pair_rules(s, a, banned=True, unranked_allowed=False)]
    ['banned', 'year_not_allowed', 'unranked_not_allowed']
    >>> pair_rules(s, a, banned=True, locked=True)
    []
    """
    if locked:
        return []
    return _unlocked_pair_rules(student, assignment, banned, unranked_allowed)


def _unlocked_pair_rules(
    s: Student, a: Assignment, banned: bool, unranked_allowed: bool
) -> list[V]:
    """The ban, year and ranking rules placing ``s`` on ``a`` breaks (no lock to override)."""
    out = []
    if banned:
        out.append(V("banned", student=s.id, assignment=a.id))
    if a.years is not None and s.year not in a.years:
        out.append(
            V("year_not_allowed", student=s.id, assignment=a.id, value=s.year, years=a.years)
        )
    if not unranked_allowed and a.id not in s.ranking:
        out.append(V("unranked_not_allowed", student=s.id, assignment=a.id))
    return out


def placement_cost(costs: Costs, ranking: Sequence[T], assignment: T | None) -> int:
    """What placing a student with this ranking on ``assignment`` (None: unplaced) adds to
    the total cost, before any move cost; an outcome the costs forbid (null) adds 0.
    ``ranking`` and ``assignment`` are assignment ids, or any other keys of one kind.

    Examples
    --------
    >>> placement_cost(Costs(rank=(0, 1, 3), unplaced=100), ["a1", "a2"], "a2")
    1
    >>> placement_cost(Costs(rank=(0, 1, 3), unplaced=100), ["a1", "a2"], None)
    100
    """
    if assignment is None:
        return costs.unplaced or 0
    if assignment in ranking:
        return costs.rank[ranking.index(assignment)]
    return costs.unranked or 0


def _cost(problem: Problem, s: Student, aid: str | None, aids: set[str]) -> int:
    cost = placement_cost(problem.costs, s.ranking, aid)
    before = problem.previous.get(s.id)
    moved = aid is not None and before is not None and before != aid and before in aids
    return cost + (problem.costs.move if moved else 0)


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
    aids = {a.id for a in problem.assignments}
    total = sum(_cost(problem, s, placed.get(s.id), aids) for s in problem.students)
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
    status = data.get("status")
    if status not in STATUSES:
        return [V("unknown_status", detail=repr(status))]
    if status in ("infeasible", "unknown"):
        return [] if not data.get("teams") else [V("teams_without_solution", detail=status)]
    return _solution_rules(problem, data)


def _solution_rules(problem: Problem, data: Mapping[str, Any]) -> list[V]:
    """Every rule a result with a solution (status ``optimal`` or ``feasible``) breaks."""
    out: list[V] = []
    placed = _placement(problem, data, out)
    team_of = _team_checks(problem, data, out)
    out.extend(_groups(problem, team_of))
    out.extend(_placed_rules(problem, placed))
    out.extend(_totals(problem, data, placed))
    return out


def _team_checks(
    problem: Problem, data: Mapping[str, Any], out: list[V]
) -> dict[str, tuple[str, int]]:
    """Add the team and pair rules of every listed team, then the repeated team numbers, to
    ``out``; return each member's (assignment, team number)."""
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
        out.extend(team_rules(a, number, [students[m].programme for m in members]))
        out.extend(_member_rules(problem, a, [students[m] for m in members], locks, bans))
    out.extend(
        V("team_repeated", assignment=a, team=n, value=c)
        for (a, n), c in sorted(numbers.items())
        if c > 1
    )
    return team_of


def _member_rules(
    problem: Problem,
    a: Assignment,
    members: Sequence[Student],
    locks: Mapping[str, str],
    bans: set[tuple[str, str]],
) -> list[V]:
    """The pair rules each of these members of a team on ``a`` breaks, member by member."""
    out = []
    for m in members:
        out.extend(
            pair_rules(
                m,
                a,
                banned=(m.id, a.id) in bans,
                locked=locks.get(m.id) == a.id,
                unranked_allowed=problem.costs.unranked is not None,
            )
        )
    return out


def _placed_rules(problem: Problem, placed: Mapping[str, str]) -> list[V]:
    """Broken locks, then students left unplaced when the costs forbid it."""
    out = [
        V("lock_broken", student=sid, assignment=aid)
        for sid, aid in sorted(dict(problem.locks).items())
        if placed.get(sid) != aid
    ]
    if problem.costs.unplaced is None:
        students = {s.id for s in problem.students}
        out.extend(V("unplaced_not_allowed", student=sid) for sid in sorted(students - set(placed)))
    return out


def _groups(problem: Problem, team_of: Mapping[str, tuple[str, int]]) -> list[V]:
    """A group whose members are not all in one team, or not all unplaced."""
    out = []
    for g in problem.groups:
        places = {team_of.get(m) for m in g.members}
        if len(places) > 1:
            out.append(V("group_split", group=g.id, value=len(places)))
    return out
