"""Why a student did not get their first choice, in terms of the final teams."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from app.matching.problem import Assignment, Problem, Student
from app.matching.result import Team
from app.matching.teams import team_count

__all__ = ["broken_rule", "explain", "rules_of"]


def rules_of(a: Assignment) -> dict[str, Callable[[int, int, Mapping[str, int]], bool]]:
    """Each team rule of ``a`` as a test on (teams y, members n, programme counts)."""
    return {
        f"min_size {a.min_size}": lambda y, n, c: n >= a.min_size * y,
        f"max_size {a.max_size}": lambda y, n, c: a.max_size is None or n <= a.max_size * y,
        f"at most {a.max_per_programme} per programme": lambda y, n, c: (
            a.max_per_programme is None or all(v <= a.max_per_programme * y for v in c.values())
        ),
        "required programmes " + ", ".join(a.required_programmes): lambda y, n, c: all(
            c.get(p, 0) >= y for p in a.required_programmes
        ),
        f"at least {a.min_programmes} programmes": lambda y, n, c: (
            sum(min(v, y) for v in c.values()) >= a.min_programmes * y
        ),
    }


def broken_rule(a: Assignment, n: int, counts: Mapping[str, int]) -> str:
    """The first rule of ``a`` whose removal would let these members form teams."""
    rules = rules_of(a)
    for name in rules:
        others = [r for key, r in rules.items() if key != name]
        if any(all(r(y, n, counts) for r in others) for y in range(1, min(a.teams, n) + 1)):
            return name
    return "its combined team rules"


class _Teams:
    """Final counts per assignment, with cached move tests per (assignment, programme)."""

    def __init__(self, problem: Problem, teams: Sequence[Team]) -> None:
        self.by_id = {a.id: a for a in problem.assignments}
        programme = {s.id: s.programme for s in problem.students}
        self.counts: dict[str, Counter[str]] = {a.id: Counter() for a in problem.assignments}
        self.formed: Counter[str] = Counter()
        for t in teams:
            self.formed[t.assignment] += 1
            self.counts[t.assignment].update(programme[m] for m in t.members)
        self._join: dict[tuple[str, str], str | None] = {}
        self._leave: dict[tuple[str, str], str | None] = {}

    def join(self, aid: str, prog: str) -> str | None:
        """Why ``aid`` cannot take one more ``prog`` student (None: it can)."""
        key = (aid, prog)
        if key not in self._join:
            self._join[key] = self._join_reason(self.by_id[aid], prog)
        return self._join[key]

    def _join_reason(self, a: Assignment, prog: str) -> str | None:
        counts = Counter(self.counts[a.id])
        n = sum(counts.values())
        counts[prog] += 1
        if team_count(a, n + 1, counts) is not None:
            return None
        if a.max_size is not None and n + 1 > a.max_size * a.teams:
            return f"is full ({a.teams} team(s) of at most {a.max_size})"
        if a.max_per_programme is not None and counts[prog] > a.max_per_programme * a.teams:
            return f"already has the most {prog} students it allows"
        if n == 0:
            return f"formed no team: too few students could meet its rules ({_summary(a)})"
        rule = broken_rule(a, n + 1, counts)
        return f"cannot take another {prog} student without breaking its {rule}"

    def leave(self, aid: str, prog: str) -> str | None:
        """Why a ``prog`` student cannot leave ``aid`` (None: they can)."""
        key = (aid, prog)
        if key not in self._leave:
            a = self.by_id[aid]
            counts = Counter(self.counts[aid])
            counts[prog] -= 1
            n = sum(counts.values())
            ok = n == 0 or team_count(a, n, +counts) is not None
            self._leave[key] = None if ok else broken_rule(a, n, +counts)
        return self._leave[key]


def _summary(a: Assignment) -> str:
    parts = [f"min_size {a.min_size}"]
    if a.min_programmes > 1:
        parts.append(f"{a.min_programmes} programmes")
    if a.required_programmes:
        parts.append("requires " + ", ".join(a.required_programmes))
    return ", ".join(parts)


def _closed(
    problem: Problem, s: Student, a: Assignment, banned: set[tuple[str, str]]
) -> str | None:
    if (s.id, a.id) in banned:
        return "is banned for this student"
    if a.teams <= 0 or a.max_size == 0:
        return "is closed (no teams)"
    if a.years is not None and s.year not in a.years:
        return "is open to year(s) " + ", ".join(map(str, a.years)) + " only"
    return None


def _reason(
    problem: Problem,
    s: Student,
    b: Assignment,
    current: str | None,
    state: _Teams,
    banned: set[tuple[str, str]],
) -> str:
    closed = _closed(problem, s, b, banned)
    if closed:
        return closed
    blocked = state.join(b.id, s.programme)
    if blocked:
        return blocked
    if current is not None:
        kept = state.leave(current, s.programme)
        if kept:
            return f"has room, but {current} needs this student for its {kept}"
    return "has room, but the move would not lower the objective (costs, move cost or profile)"


def explain(
    problem: Problem, placement: Mapping[str, str], teams: Sequence[Team]
) -> dict[str, str]:
    """One sentence for every student not placed on their first choice.

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
        Student id to explanation, sorted by student id.
    """
    state = _Teams(problem, teams)
    banned = set(problem.bans)
    locks = dict(problem.locks)
    out: dict[str, str] = {}
    for s in problem.students:
        current = placement.get(s.id)
        if s.ranking and current == s.ranking[0]:
            continue
        if s.id in locks:
            out[s.id] = f"locked to {locks[s.id]}"
            continue
        if current is None:
            where = "unplaced"
        elif current in s.ranking:
            where = f"choice {s.ranking.index(current) + 1} ({current})"
        else:
            where = f"placed on {current}, which they did not rank"
        higher = s.ranking if current not in s.ranking else s.ranking[: s.ranking.index(current)]
        if not higher:
            out[s.id] = f"{where}: ranked no assignments"
            continue
        reasons = [
            f"choice {i + 1} {b} {_reason(problem, s, state.by_id[b], current, state, banned)}"
            for i, b in enumerate(higher)
        ]
        out[s.id] = f"{where}: " + "; ".join(reasons)
    return out
