"""The team rules in words a wijkdocent reads, and the cost of a placement.

``app.matching`` is the only home of the rules (``team_rules``, ``pair_rules``,
``placement_cost``, which ``check`` uses too). This module maps the app's data onto them
and puts each verdict into words through the catalogue, with the names of programmes,
students and opdrachten instead of solver ids ("3 Fysiotherapie-studenten, hoogstens 2").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

from app import matching
from app.i18n import get_language, lazy, ngettext, nlazy
from app.i18n import gettext as _
from app.matching import Assignment, Costs, Student, pair_rules, placement_cost, team_rules
from app.runs.instance import _assignment as assignment_json
from app.runs.load import OpdrachtInfo, SemesterData, StudentInfo, key_id, skey

# Every kind of ``app.matching.Violation`` (docs/matching.md) and its message id; a pair is
# a count with plural forms (``count`` is the verdict's value).
WORDS: dict[str, str | tuple[str, str]] = {
    "team_number": lazy("team {index}, this opdracht allows {limit} teams"),
    "team_too_small": nlazy(
        "{count} member, at least {limit}", "{count} members, at least {limit}"
    ),
    "team_too_large": nlazy("{count} member, at most {limit}", "{count} members, at most {limit}"),
    "programme_too_many": nlazy(
        "{count} {programme} student, at most {limit}",
        "{count} {programme} students, at most {limit}",
    ),
    "programmes_too_few": nlazy(
        "{count} programme, at least {limit}", "{count} programmes, at least {limit}"
    ),
    "programme_missing": lazy("no {programme} student, one is required"),
    "banned": lazy("{student} is banned from this opdracht"),
    "year_not_allowed": lazy("{student} is in year {year}, this opdracht is for years {years}"),
    "unranked_not_allowed": lazy("{student} did not rank this opdracht"),
    "unplaced_not_allowed": lazy("{student} is unplaced, but every student must be placed"),
    "lock_broken": lazy("{student} is locked to {assignment} but placed elsewhere"),
    "group_split": nlazy(
        "group {group} is split over {count} place", "group {group} is split over {count} places"
    ),
    "team_repeated": nlazy(
        "team {index} of {assignment} is listed {count} time",
        "team {index} of {assignment} is listed {count} times",
    ),
    "student_repeated": nlazy(
        "{student} is listed {count} time", "{student} is listed {count} times"
    ),
    "student_missing": lazy("{student} is neither in a team nor unplaced"),
    "unknown_student": lazy("unknown student {student}"),
    "unknown_assignment": lazy("a team on an unknown opdracht {assignment}"),
    "unknown_status": lazy("unknown solver status {detail}"),
    "teams_without_solution": lazy("the solver found no solution ({detail}) but lists teams"),
    "objective_mismatch": lazy("the objective given is {value}, the teams cost {limit}"),
    "bound_above_cost": lazy("the bound {value} is above the cost {limit}"),
    "bound_not_tight": lazy("the solution is called optimal, but its bound {value} is not {limit}"),
}


def _fields(message: str | tuple[str, str]) -> tuple[str, ...]:
    """The parameters a message id uses, so a verdict carries only what it says."""
    singular = message if isinstance(message, str) else message[0]
    return tuple(sorted({name for _t, name, _f, _c in Formatter().parse(singular) if name}))


_FIELDS = {kind: _fields(m) for kind, m in WORDS.items()}


@dataclass(frozen=True)
class Name:
    """A programme name that prints in the current language (and stays hashable)."""

    nl: str
    en: str

    def __str__(self) -> str:
        return self.en if get_language() == "en" else self.nl


@dataclass(frozen=True)
class Violation:
    """A verdict of ``app.matching`` in words: the message id and its parameters (names,
    not ids). Two are equal when they say the same (``verdict``, with the ids, is not
    compared), so an adjustment's rules broken and mended cancel out by their words."""

    message: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str = ""  # set for a count: ``message`` and ``plural`` go through ngettext
    verdict: matching.Violation | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return self.verdict.kind if self.verdict else ""

    def text(self) -> str:
        params = dict(self.params)
        if self.plural:
            count = params.get("count")
            n = count if isinstance(count, int) else 0
            return ngettext(self.message, self.plural, n).format(**params)
        return _(self.message).format(**params)


def _value(data: SemesterData, v: matching.Violation, name: str) -> Any:
    """The parameter ``name`` of a verdict's message, with names for ids."""
    if name in ("count", "value", "year"):
        return v.value
    if name == "limit":
        return v.limit
    if name == "index":
        return v.team
    if name == "years":
        return ", ".join(map(str, v.years or ()))
    if name == "programme" and v.programme is not None:
        p = data.programmes.get(v.programme)
        return Name(p.name_nl, p.name_en) if p else v.programme
    if name == "student" and v.student is not None and v.student[1:].isdigit():
        s = data.students.get(key_id(v.student))
        return s.name if s else v.student
    if name == "assignment" and v.assignment is not None and v.assignment[1:].isdigit():
        info = data.opdrachten.get(key_id(v.assignment))
        return f"«{info.opdracht.title}»" if info else v.assignment
    return getattr(v, name, None)


def worded(data: SemesterData, verdict: matching.Violation) -> Violation:
    """One verdict of ``app.matching`` (``check`` or the rules) in words."""
    message = WORDS.get(verdict.kind, verdict.kind)
    singular, plural = (message, "") if isinstance(message, str) else message
    params = tuple((k, _value(data, verdict, k)) for k in _FIELDS.get(verdict.kind, ()))
    return Violation(singular, params, plural, verdict)


def assignment_of(info: OpdrachtInfo) -> Assignment:
    """The opdracht as the solver sees it (the instance's mapping)."""
    a = assignment_json(info)
    years = a["years"]
    a.update(required_programmes=tuple(a["required_programmes"]), years=years and tuple(years))
    return Assignment(**a)


def costs_of(data: SemesterData) -> Costs:
    s = data.semester
    return Costs(tuple(s.rank_costs), s.unranked_cost, s.unplaced_cost, s.move_cost)


def team_violations(
    data: SemesterData, opdracht_id: int, index: int, student_ids: Iterable[int]
) -> list[Violation]:
    """Every team rule the team ``index`` of an opdracht breaks with these members."""
    return team_and_member_violations(data, opdracht_id, index, [(s, True) for s in student_ids])


def member_violations(
    data: SemesterData, student_id: int, opdracht_id: int, *, locked: bool
) -> list[Violation]:
    """Rules on the pairing of one student with an opdracht (a lock overrides them all)."""
    info = data.opdrachten.get(opdracht_id)
    if info is None or locked or student_id not in data.students:
        return []
    student, allowed = data.students[student_id], data.semester.unranked_cost is not None
    code = student.programme.code
    return _pair(data, student, code, assignment_of(info), opdracht_id, allowed)


def team_and_member_violations(
    data: SemesterData, opdracht_id: int, index: int, members: Iterable[tuple[int, bool]]
) -> list[Violation]:
    """The team rules of team ``index`` with these ``(student id, locked)`` members, then
    each member's pairing rules: ``team_violations`` and ``member_violations`` in one go."""
    info = data.opdrachten.get(opdracht_id)
    found = [(data.students[s], locked) for s, locked in members if s in data.students]
    if info is None or not found:
        return []
    a, oid = assignment_of(info), info.id
    programmes = [s.programme.code for s, _l in found]
    out = [worded(data, v) for v in team_rules(a, index, programmes)]
    unranked_allowed = data.semester.unranked_cost is not None
    for (s, locked), code in zip(found, programmes, strict=True):
        if not locked:
            out += _pair(data, s, code, a, oid, unranked_allowed)
    return out


def _pair(
    data: SemesterData,
    student: StudentInfo,
    programme: str,
    a: Assignment,
    oid: int,
    unranked_allowed: bool,
) -> list[Violation]:
    # Only this pairing counts: the ranking as far as this opdracht goes (cheaper than all).
    ranked = (a.id,) if oid in student.ranking else ()
    verdicts = pair_rules(
        Student(skey(student.id), programme, student.year, ranked),
        a,
        banned=(student.id, oid) in data.bans,
        unranked_allowed=unranked_allowed,
    )
    return [worded(data, v) for v in verdicts] if verdicts else []


def unplaced_violation(data: SemesterData, student_id: int) -> list[Violation]:
    """The rule an unplaced student breaks when every student must be placed."""
    if data.semester.unplaced_cost is not None:
        return []
    return [worded(data, matching.Violation("unplaced_not_allowed", student=skey(student_id)))]


def student_cost(data: SemesterData, student_id: int, opdracht_id: int | None) -> int:
    """What this placement adds to the objective (the solver's costs, without move cost)."""
    ranking = data.students[student_id].ranking
    return placement_cost(costs_of(data), ranking, opdracht_id)
