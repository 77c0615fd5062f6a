"""The instance format: dataclasses and validation of the JSON contract."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

OBJECTIVES = ("sum", "greedy", "generous")


class ProblemError(ValueError):
    """An instance breaks the format; ``messages`` lists every problem found."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Student:
    """A student with a programme, a study year and a ranking of assignment ids."""

    id: str
    programme: str
    year: int | None = None
    ranking: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    """An assignment hosting up to ``teams`` identical teams."""

    id: str
    teams: int = 1
    min_size: int = 1
    max_size: int | None = None
    max_per_programme: int | None = None
    min_programmes: int = 1
    required_programmes: tuple[str, ...] = ()
    years: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Group:
    """Students who are placed in the same team, or are all unplaced (members sorted)."""

    id: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Costs:
    """Integer costs; ``None`` for unranked/unplaced forbids that outcome."""

    rank: tuple[int, ...] = ()
    unranked: int | None = None
    unplaced: int | None = None
    move: int = 0


@dataclass(frozen=True)
class Problem:
    """A validated instance; students and assignments are sorted by id."""

    students: tuple[Student, ...]
    assignments: tuple[Assignment, ...]
    locks: tuple[tuple[str, str], ...] = ()
    bans: tuple[tuple[str, str], ...] = ()
    costs: Costs = field(default_factory=Costs)
    objective: str = "sum"
    previous: Mapping[str, str] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()

    def group_of(self) -> dict[str, Group]:
        """Student id to their group, for the students in one."""
        return {m: g for g in self.groups for m in g.members}


class _Errors:
    """Collects messages so one run reports every error at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)


def _int(value: Any, where: str, errors: _Errors, *, minimum: int = 0) -> int | None:
    # bool is an int subclass in Python; JSON true must not pass as 1.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add(f"{where} must be an integer, got {value!r}")
        return None
    if value < minimum:
        word = "negative" if minimum == 0 else f"less than {minimum}"
        errors.add(f"{where} is {word}: {value}")
        return None
    return value


def _opt_int(value: Any, where: str, errors: _Errors, *, minimum: int = 0) -> int | None:
    return None if value is None else _int(value, where, errors, minimum=minimum)


def _str(value: Any, where: str, errors: _Errors) -> str:
    if not isinstance(value, str) or not value:
        errors.add(f"{where} must be a non-empty string, got {value!r}")
        return ""
    return value


def _list(value: Any, where: str, errors: _Errors) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(f"{where} must be a list")
        return []
    return value


def _obj(value: Any, where: str, errors: _Errors) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        errors.add(f"{where} must be an object")
        return {}
    return value


def _student(raw: Any, i: int, errors: _Errors) -> Student:
    d = _obj(raw, f"students[{i}]", errors)
    sid = _str(d.get("id"), f"students[{i}].id", errors)
    where = f"student {sid}"
    ranking = [_str(r, f"{where} ranking", errors) for r in _list(d.get("ranking"), where, errors)]
    return Student(
        id=sid,
        programme=_str(d.get("programme"), f"{where} programme", errors),
        year=_opt_int(d.get("year"), f"{where} year", errors),
        ranking=tuple(ranking),
    )


def _assignment(raw: Any, i: int, errors: _Errors) -> Assignment:
    d = _obj(raw, f"assignments[{i}]", errors)
    aid = _str(d.get("id"), f"assignments[{i}].id", errors)
    w = f"assignment {aid}"
    years = d.get("years")
    req = _list(d.get("required_programmes"), f"{w} required_programmes", errors)
    a = Assignment(
        id=aid,
        teams=_int(d.get("teams", 1), f"{w} teams", errors) or 0,
        min_size=_int(d.get("min_size", 1), f"{w} min_size", errors) or 0,
        max_size=_opt_int(d.get("max_size"), f"{w} max_size", errors),
        max_per_programme=_opt_int(
            d.get("max_per_programme"), f"{w} max_per_programme", errors, minimum=1
        ),
        min_programmes=_int(d.get("min_programmes", 1), f"{w} min_programmes", errors) or 0,
        required_programmes=tuple(
            sorted({_str(p, f"{w} required_programmes", errors) for p in req})
        ),
        years=None
        if years is None
        else tuple(sorted({_int(y, f"{w} years", errors) or 0 for y in _list(years, w, errors)})),
    )
    if a.max_size is not None and a.min_size > a.max_size:
        errors.add(f"assignment {aid} has min_size {a.min_size} > max_size {a.max_size}")
    return a


def _costs(raw: Any, longest: int, errors: _Errors) -> Costs:
    d = _obj(raw if raw is not None else {}, "costs", errors)
    if "rank" in d:
        rank = tuple(
            _int(r, f"costs.rank[{i}]", errors) or 0
            for i, r in enumerate(_list(d["rank"], "costs.rank", errors))
        )
    else:
        # Without explicit costs each rank step costs one.
        rank = tuple(range(longest))
    return Costs(
        rank=rank,
        unranked=_opt_int(d.get("unranked"), "costs.unranked", errors),
        unplaced=_opt_int(d.get("unplaced"), "costs.unplaced", errors),
        move=_int(d.get("move", 0), "costs.move", errors) or 0,
    )


def _duplicates(ids: Sequence[str], kind: str, errors: _Errors) -> None:
    for key, count in sorted(Counter(ids).items()):
        if count > 1 and key:
            errors.add(f"duplicate {kind} id {key} ({count} times)")


def _check_rankings(
    students: Sequence[Student], known: set[str], costs: Costs, errors: _Errors
) -> None:
    for s in students:
        for aid, count in sorted(Counter(s.ranking).items()):
            if count > 1:
                errors.add(f"student {s.id} ranks assignment {aid} more than once")
        for aid in sorted(set(s.ranking) - known):
            errors.add(f"student {s.id} ranks unknown assignment {aid}")
        if len(s.ranking) > len(costs.rank):
            errors.add(
                f"student {s.id} ranks {len(s.ranking)} assignments "
                f"but costs.rank has only {len(costs.rank)} entries"
            )


def _pairs(raw: Any, kind: str, errors: _Errors) -> list[tuple[str, str]]:
    out = []
    for i, item in enumerate(_list(raw, kind, errors)):
        d = _obj(item, f"{kind}[{i}]", errors)
        out.append(
            (
                _str(d.get("student"), f"{kind}[{i}].student", errors),
                _str(d.get("assignment"), f"{kind}[{i}].assignment", errors),
            )
        )
    return out


def _check_pairs(
    pairs: Sequence[tuple[str, str]],
    kind: str,
    students: set[str],
    assignments: set[str],
    errors: _Errors,
) -> None:
    for sid, aid in pairs:
        if sid and sid not in students:
            errors.add(f"{kind} on unknown student {sid} (assignment {aid})")
        if aid and aid not in assignments:
            errors.add(f"{kind} of student {sid} on unknown assignment {aid}")


def _check_locks(
    locks: list[tuple[str, str]], bans: list[tuple[str, str]], errors: _Errors
) -> None:
    for sid, aid in sorted(set(locks) & set(bans)):
        errors.add(f"student {sid} has both a lock and a ban on assignment {aid}")
    by_student: dict[str, list[str]] = {}
    for sid, aid in locks:
        by_student.setdefault(sid, []).append(aid)
    for sid, aids in sorted(by_student.items()):
        if len(aids) > 1:
            errors.add(f"student {sid} has {len(aids)} locks ({', '.join(sorted(aids))})")


def _previous(raw: Any, errors: _Errors) -> dict[str, str]:
    """Map student id to previous assignment id from a previous result's teams."""
    if raw is None:
        return {}
    d = _obj(raw, "previous", errors)
    out: dict[str, str] = {}
    for i, team in enumerate(_list(d.get("teams"), "previous.teams", errors)):
        t = _obj(team, f"previous.teams[{i}]", errors)
        aid = _str(t.get("assignment"), f"previous.teams[{i}].assignment", errors)
        for sid in _list(t.get("members"), f"previous.teams[{i}].members", errors):
            out[_str(sid, f"previous.teams[{i}].members", errors)] = aid
    return out


def _groups(raw: Any, students: set[str], errors: _Errors) -> list[Group]:
    """Groups: known, distinct members; a student in at most one group."""
    out: list[Group] = []
    owner: dict[str, str] = {}
    for i, item in enumerate(_list(raw, "groups", errors)):
        d = _obj(item, f"groups[{i}]", errors)
        gid = _str(d.get("id"), f"groups[{i}].id", errors)
        members = [
            _str(m, f"group {gid} members", errors)
            for m in _list(d.get("members"), f"group {gid} members", errors)
        ]
        if not members:
            errors.add(f"group {gid} has no members")
        for sid, count in sorted(Counter(members).items()):
            if not sid:
                continue
            if count > 1:
                errors.add(f"group {gid} lists student {sid} more than once")
            if sid not in students:
                errors.add(f"group {gid} has unknown student {sid}")
            elif sid in owner and owner[sid] != gid:
                errors.add(f"student {sid} is in groups {owner[sid]} and {gid}")
            else:
                owner[sid] = gid
        out.append(Group(gid, tuple(sorted(set(members)))))
    _duplicates([g.id for g in out], "group", errors)
    return out


def parse_problem(data: Mapping[str, Any]) -> Problem:
    """Validate an instance dictionary and build a :class:`Problem`.

    Parameters
    ----------
    data : Mapping
        The instance as decoded from JSON (see ``docs/matching.md``).

    Returns
    -------
    Problem
        Students and assignments sorted by id, locks and bans as sorted pairs.

    Raises
    ------
    ProblemError
        With one message per problem found, each naming the offending ids.

    Examples
    --------
    >>> p = parse_problem({"students": [{"id": "s1", "programme": "FT"}],
    ...                    "assignments": [{"id": "a1", "max_size": 2}]})
    >>> p.students[0].id, p.assignments[0].max_size
    ('s1', 2)
    """
    errors = _Errors()
    d = _obj(data, "instance", errors)
    students, assignments, costs = _records(d, errors)
    sids, aids = {s.id for s in students}, {a.id for a in assignments}
    locks, bans = _locks_and_bans(d, sids, aids, errors)
    objective = _objective(d.get("objective", "sum"), errors)
    previous = _previous(d.get("previous"), errors)
    groups = tuple(sorted(_groups(d.get("groups"), sids, errors), key=lambda g: g.id))
    if errors.messages:
        raise ProblemError(errors.messages)
    return Problem(students, assignments, locks, bans, costs, objective, previous, groups)


def _records(
    d: Mapping[str, Any], errors: _Errors
) -> tuple[tuple[Student, ...], tuple[Assignment, ...], Costs]:
    """The students and assignments (each checked for repeated ids, sorted by id) and the
    costs, with the students' rankings checked against both."""
    students = [
        _student(s, i, errors) for i, s in enumerate(_list(d.get("students"), "students", errors))
    ]
    assignments = [
        _assignment(a, i, errors)
        for i, a in enumerate(_list(d.get("assignments"), "assignments", errors))
    ]
    longest = max((len(s.ranking) for s in students), default=0)
    costs = _costs(d.get("costs"), longest, errors)
    aids = [a.id for a in assignments]
    _duplicates([s.id for s in students], "student", errors)
    _duplicates(aids, "assignment", errors)
    _check_rankings(students, set(aids), costs, errors)
    return (
        tuple(sorted(students, key=lambda s: s.id)),
        tuple(sorted(assignments, key=lambda a: a.id)),
        costs,
    )


def _locks_and_bans(
    d: Mapping[str, Any], sids: set[str], aids: set[str], errors: _Errors
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The locks and bans, each checked against the known ids and each other, as sorted
    pairs without repeats."""
    locks, bans = _pairs(d.get("locks"), "lock", errors), _pairs(d.get("bans"), "ban", errors)
    _check_pairs(locks, "lock", sids, aids, errors)
    _check_pairs(bans, "ban", sids, aids, errors)
    _check_locks(locks, bans, errors)
    return tuple(sorted(set(locks))), tuple(sorted(set(bans)))


def _objective(objective: Any, errors: _Errors) -> str:
    """The objective's name, with an error when it is not one of ``OBJECTIVES``."""
    if objective not in OBJECTIVES:
        errors.add(f"objective must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    return str(objective)
