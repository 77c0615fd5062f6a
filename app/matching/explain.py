"""Why a student did not get their first choice, in terms of the final teams (as codes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import combinations

from app.matching.codes import Explanation, Param, explanation
from app.matching.problem import Assignment, Group, Problem, Student
from app.matching.result import Team
from app.matching.teams import team_count

__all__ = ["broken_rule", "explain", "rules_of"]

Rule = Callable[[int, int, Mapping[str, int]], bool]


def rules_of(a: Assignment) -> dict[str, Rule]:
    """Each team rule of ``a``, by code, as a test on (teams y, members n, programme counts)."""
    return {
        "min_size": lambda y, n, c: n >= a.min_size * y,
        "max_size": lambda y, n, c: a.max_size is None or n <= a.max_size * y,
        "max_per_programme": lambda y, n, c: (
            a.max_per_programme is None or all(v <= a.max_per_programme * y for v in c.values())
        ),
        "required_programmes": lambda y, n, c: all(c.get(p, 0) >= y for p in a.required_programmes),
        "min_programmes": lambda y, n, c: (
            sum(min(v, y) for v in c.values()) >= a.min_programmes * y
        ),
    }


def rule_limit(a: Assignment, rule: str) -> Param:
    """The number (or programmes) a rule code of ``a`` stands for; None for ``combined``."""
    limits: dict[str, Param] = {
        "min_size": a.min_size,
        "max_size": a.max_size,
        "max_per_programme": a.max_per_programme,
        "required_programmes": list(a.required_programmes),
        "min_programmes": a.min_programmes,
    }
    return limits.get(rule)


def broken_rule(a: Assignment, n: int, counts: Mapping[str, int]) -> str:
    """The code of the first rule of ``a`` whose removal would let these members form teams
    (``combined`` when no single rule is to blame)."""
    rules = rules_of(a)
    for name in rules:
        others = [r for key, r in rules.items() if key != name]
        if any(all(r(y, n, counts) for r in others) for y in range(1, min(a.teams, n) + 1)):
            return name
    return "combined"


def _rule(a: Assignment, rule: str) -> dict[str, Param]:
    return {"rule": rule, "limit": rule_limit(a, rule)}


class _Teams:
    """Final counts per assignment, with cached move tests per (assignment, programmes)."""

    def __init__(self, problem: Problem, teams: Sequence[Team]) -> None:
        self.by_id = {a.id: a for a in problem.assignments}
        programme = {s.id: s.programme for s in problem.students}
        self.counts: dict[str, Counter[str]] = {a.id: Counter() for a in problem.assignments}
        self.formed: Counter[str] = Counter()
        for t in teams:
            self.formed[t.assignment] += 1
            self.counts[t.assignment].update(programme[m] for m in t.members)
        self._join: dict[tuple[str, tuple[str, ...]], Explanation | None] = {}
        self._leave: dict[tuple[str, tuple[str, ...]], Explanation | None] = {}

    def join(self, aid: str, progs: tuple[str, ...]) -> Explanation | None:
        """Why ``aid`` cannot take students of these programmes (None: it can)."""
        key = (aid, tuple(sorted(progs)))
        if key not in self._join:
            self._join[key] = self._join_reason(self.by_id[aid], key[1])
        return self._join[key]

    def _join_reason(self, a: Assignment, progs: tuple[str, ...]) -> Explanation | None:
        counts = Counter(self.counts[a.id])
        n = sum(counts.values())
        counts.update(progs)
        k = len(progs)
        if team_count(a, n + k, counts) is not None:
            return None
        if a.max_size is not None and n + k > a.max_size * a.teams:
            return explanation("full", teams=a.teams, max_size=a.max_size)
        for p in sorted(set(progs)):
            if a.max_per_programme is not None and counts[p] > a.max_per_programme * a.teams:
                return explanation(
                    "programme_full",
                    programme=p,
                    max_per_programme=a.max_per_programme,
                    teams=a.teams,
                )
        if n == 0:
            return explanation(
                "no_team",
                min_size=a.min_size,
                min_programmes=a.min_programmes,
                required=list(a.required_programmes),
            )
        rule = broken_rule(a, n + k, counts)
        return explanation("rule", programme=progs[0] if k == 1 else None, **_rule(a, rule))

    def leave(self, aid: str, progs: tuple[str, ...]) -> str | None:
        """The rule code that keeps students of these programmes on ``aid`` (None: free)."""
        key = (aid, tuple(sorted(progs)))
        if key not in self._leave:
            a = self.by_id[aid]
            counts = Counter(self.counts[aid])
            counts.subtract(progs)
            n = sum(counts.values())
            ok = n == 0 or team_count(a, n, +counts) is not None
            self._leave[key] = None if ok else explanation(broken_rule(a, n, +counts))
        kept = self._leave[key]
        return None if kept is None else kept.code


def _closed(s: Student, a: Assignment, banned: set[tuple[str, str]]) -> Explanation | None:
    if (s.id, a.id) in banned:
        return explanation("banned")
    if a.teams <= 0 or a.max_size == 0:
        return explanation("closed")
    if a.years is not None and s.year not in a.years:
        return explanation("years", years=list(a.years))
    return None


def _reason(
    s: Student,
    b: Assignment,
    current: str | None,
    state: _Teams,
    banned: set[tuple[str, str]],
    grouped: bool = False,
) -> Explanation:
    """Why ``s`` is not on ``b``; ``alone`` when ``b`` is open to ``s`` and ``s`` is in a group
    (the group's own test follows)."""
    closed = _closed(s, b, banned)
    if closed:
        return closed
    if grouped:
        return explanation("alone")
    blocked = state.join(b.id, (s.programme,))
    if blocked:
        return blocked
    return _stay_reason(current, (s.programme,), state)


def _stay_reason(current: str | None, progs: tuple[str, ...], state: _Teams) -> Explanation:
    """``needed`` when a rule of ``current`` keeps students of these programmes there, else
    ``no_gain`` (the move is open but would not lower the cost)."""
    if current is not None:
        kept = state.leave(current, progs)
        if kept:
            return explanation("needed", current=current, **_rule(state.by_id[current], kept))
    return explanation("no_gain")


def _group_reason(
    problem: Problem,
    s: Student,
    group: Group,
    b: Assignment,
    current: str | None,
    state: _Teams,
    banned: set[tuple[str, str]],
) -> Explanation:
    """Why the group of ``s`` is not on ``b`` together (``b`` is open to ``s`` alone)."""
    closed = _member_closed(problem, s, group, b, banned)
    if closed is not None:
        return closed
    programme = {t.id: t.programme for t in problem.students}
    progs = tuple(sorted(programme[m] for m in group.members))
    too_big = _group_too_big(b, progs)
    if too_big is not None:
        return too_big
    blocked = state.join(b.id, progs)
    if blocked:
        return _group_room(b, progs, blocked, state)
    return _stay_reason(current, progs, state)


def _member_closed(
    problem: Problem, s: Student, group: Group, b: Assignment, banned: set[tuple[str, str]]
) -> Explanation | None:
    """``group_closed`` for the first other member of the group ``b`` is closed to (banned,
    closed, years, locked elsewhere or unranked where that is forbidden); None if none is."""
    students = {t.id: t for t in problem.students}
    locks = dict(problem.locks)
    for m in group.members:
        other = students[m]
        closed = _closed(other, b, banned)
        if closed is None and locks.get(m, b.id) != b.id:
            closed = explanation("locked", assignment=locks[m])
        if closed is None and b.id not in other.ranking and problem.costs.unranked is None:
            closed = explanation("unranked")
        if closed is not None and m != s.id:
            return explanation("group_closed", member=m, closed=closed.code)
    return None


def _group_too_big(b: Assignment, progs: tuple[str, ...]) -> Explanation | None:
    """``group_too_big`` when a group of these programmes cannot fit in one team of ``b``."""
    top = max(Counter(progs).values())
    if (b.max_size is not None and len(progs) > b.max_size) or (
        b.max_per_programme is not None and top > b.max_per_programme
    ):
        return explanation(
            "group_too_big",
            size=len(progs),
            max_size=b.max_size,
            max_per_programme=b.max_per_programme,
        )
    return None


def _group_room(
    b: Assignment, progs: tuple[str, ...], blocked: Explanation, state: _Teams
) -> Explanation:
    """``group_room``: how many of the group ``b`` could still take (the largest part of it
    that could join), beside the reason the whole group is ``blocked``."""
    room = next(
        (
            k
            for k in range(len(progs) - 1, 0, -1)
            if any(state.join(b.id, c) is None for c in set(combinations(progs, k)))
        ),
        0,
    )
    return Explanation(
        "group_room",
        {"room": room, "size": len(progs), "blocked": blocked.code, **blocked.params},
    )


def _at(choice: int, assignment: str, why: Explanation) -> Explanation:
    """``why`` with the choice number and assignment in front of its own parameters."""
    return Explanation(why.code, {"choice": choice, "assignment": assignment, **why.params})


def explain(
    problem: Problem, placement: Mapping[str, str], teams: Sequence[Team]
) -> dict[str, Explanation]:
    """Why every student not placed on their first choice is where they are.

    Parameters
    ----------
    problem : Problem
    placement : Mapping
        Student id to assignment id of the placed students.
    teams : sequence of Team
        The formed teams; their programme counts decide "full" and "needed" verdicts.

    Returns
    -------
    dict
        Student id to :class:`Explanation`, sorted by student id: code ``locked``
        (``assignment``), ``unplaced``, ``choice`` (``choice``, ``assignment``) or
        ``unranked`` (``assignment``), with one reason per choice ranked higher (each
        with ``choice``, ``assignment`` and a reason code; see ``docs/matching.md``).
    """
    state = _Teams(problem, teams)
    banned = set(problem.bans)
    locks = dict(problem.locks)
    group_of = problem.group_of()
    out: dict[str, Explanation] = {}
    for s in problem.students:
        current = placement.get(s.id)
        if s.ranking and current == s.ranking[0]:
            continue
        if s.id in locks:
            out[s.id] = explanation("locked", assignment=locks[s.id])
            continue
        group = group_of.get(s.id)
        code, params = _where(s, current, group)
        out[s.id] = Explanation(code, params, _reasons(problem, s, group, current, state, banned))
    return out


def _where(s: Student, current: str | None, group: Group | None) -> tuple[str, dict[str, Param]]:
    """The code and parameters of where ``s`` ended up: ``unplaced``, ``choice`` or
    ``unranked``, with the group's id and size when ``s`` is in one."""
    params: dict[str, Param]
    if current is None:
        code, params = "unplaced", {}
    elif current in s.ranking:
        params = {"choice": s.ranking.index(current) + 1, "assignment": current}
        code = "choice"
    else:
        code, params = "unranked", {"assignment": current}
    if group is not None:
        params.update(group=group.id, size=len(group.members))
    return code, params


def _reasons(
    problem: Problem,
    s: Student,
    group: Group | None,
    current: str | None,
    state: _Teams,
    banned: set[tuple[str, str]],
) -> tuple[Explanation, ...]:
    """One reason per choice ``s`` ranked above ``current``, each with its choice number."""
    higher = s.ranking if current not in s.ranking else s.ranking[: s.ranking.index(current)]
    reasons = []
    for i, b in enumerate(higher):
        why = _reason(s, state.by_id[b], current, state, banned, group is not None)
        if group is not None and why.code == "alone":
            why = _group_reason(problem, s, group, state.by_id[b], current, state, banned)
        reasons.append(_at(i + 1, b, why))
    return tuple(reasons)
