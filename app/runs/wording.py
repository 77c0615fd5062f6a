"""The solver's explanations (``app.matching.Explanation``: a code with parameters) in words.

The one home of putting every explanation code of ``docs/matching.md`` into the reader's
language through the catalogue, with plural forms, titles and names instead of solver ids.
Staff read "keuze 2 («Kletsbot») Hogere keuzes: keuze 1, «Welzijn op Recept», was vol: ...";
a student reads the same reasons addressed to them ("Je kreeg je keuze 2 ..."). A placement
changed by hand after the run is said to be so, with its reason, instead of the solver's now
stale reason. An infeasible run gets its diagnosis: the rule families that conflict, each
conflict found, and every student involved. Runs stored before the solver returned codes
hold plain strings, which are shown as they are (with titles and names for ids).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.i18n import gettext as _
from app.i18n import lazy, ngettext, nlazy
from app.matching import Explanation
from app.runs.load import SemesterData, key_id
from app.templating import localized_name

# A wording: a message id, or a plural pair with the parameter that counts.
Words = str | tuple[str, str, str]

RULES = {
    "min_size": lazy("rule:min_size"),
    "max_size": lazy("rule:max_size"),
    "max_per_programme": lazy("rule:max_per_programme"),
    "required_programmes": lazy("rule:required_programmes"),
    "min_programmes": lazy("rule:min_programmes"),
    "combined": lazy("rule:combined"),
}
# The rule families an infeasible instance is relaxed by, one at a time.
FAMILIES = {
    "min_size": lazy("family:min_size"),
    "programme_rules": lazy("family:programme_rules"),
    "years": lazy("family:years"),
    "locks": lazy("family:locks"),
    "bans": lazy("family:bans"),
    "groups": lazy("family:groups"),
    "unplaced": lazy("family:unplaced"),
    "unranked": lazy("family:unranked"),
}
# Why an opdracht is closed to a group member (``group_closed``'s ``closed``).
CLOSED = {
    "banned": lazy("closed:banned"),
    "closed": lazy("closed:closed"),
    "years": lazy("closed:years"),
    "locked": lazy("closed:locked"),
    "unranked": lazy("closed:unranked"),
}
# Why a higher choice did not work out: one reason per choice ranked higher.
REASONS: dict[str, Words] = {
    "banned": lazy("choice {choice}, {assignment}, was ruled out by a ban"),
    "closed": lazy("choice {choice}, {assignment}, formed no teams this semester"),
    "years": lazy("choice {choice}, {assignment}, is only open to years {years}"),
    "full": (
        *nlazy(
            "choice {choice}, {assignment}, was full: {teams} team of at most {max_size}",
            "choice {choice}, {assignment}, was full: {teams} teams of at most {max_size}",
        ),
        "teams",
    ),
    "programme_full": lazy(
        "choice {choice}, {assignment}, already had the most {programme} students it allows"
    ),
    "no_team": lazy(
        "choice {choice}, {assignment}, formed no team: too few students could meet its rules"
    ),
    "rule": lazy(
        "choice {choice}, {assignment}, could not take another {programme} student "
        "without breaking its rule on {rule}"
    ),
    "needed": lazy(
        "choice {choice}, {assignment}, had room, but {current} needed this placement "
        "for its rule on {rule}"
    ),
    "no_gain": lazy(
        "choice {choice}, {assignment}, had room, but placing there would not have "
        "improved the match as a whole"
    ),
    "group_closed": lazy(
        "choice {choice}, {assignment}, is not open to group member {member}: {closed}"
    ),
    "group_too_big": (
        *nlazy(
            "choice {choice}, {assignment}, cannot hold the group's {size} member in one team",
            "choice {choice}, {assignment}, cannot hold the group's {size} members in one team",
        ),
        "size",
    ),
    "group_room": (
        *nlazy(
            "choice {choice}, {assignment}, had room for {room} of the group's {size} member",
            "choice {choice}, {assignment}, had room for {room} of the group's {size} members",
        ),
        "size",
    ),
}
# Where a student is (the head of their explanation), for staff and for the student.
STAFF_HEADS: dict[str, Words] = {
    "locked": lazy("locked to {assignment}"),
    "choice": lazy("choice {choice} ({assignment})"),
    "unranked": lazy("placed on {assignment}, which they did not rank"),
    "unplaced": lazy("unplaced"),
    "no_option": lazy("must be placed, but no opdracht is open to them"),
    "locked_conflict": lazy("locked to {assignment}; this lock is part of a conflict above"),
    "group_conflict": lazy("their group {group} fits in no team; see the conflicts above"),
}
STUDENT_HEADS: dict[str, Words] = {
    "locked": lazy("Your wijkdocent placed you on {assignment}."),
    "choice": lazy("You got your choice {choice}, {assignment}."),
    "unranked": lazy("You were placed on {assignment}, which you did not rank."),
    "unplaced": lazy("You are not in a team yet."),
    "no_option": lazy("You must be placed, but no opdracht is open to you."),
    "locked_conflict": lazy("You are locked to {assignment}, and that lock is part of a conflict."),
    "group_conflict": lazy("Your group fits in no team."),
}
STAFF_GROUP = (
    *nlazy("(with their group of {size} student)", "(with their group of {size} students)"),
    "size",
)
STUDENT_GROUP = (
    *nlazy(
        "(Together with your group of {size} student.)",
        "(Together with your group of {size} students.)",
    ),
    "size",
)
# An infeasible instance: the summary (``"*"``) and one reason per conflict found.
CONFLICTS: dict[str, Words] = {
    "forced_on_closed": lazy("{students} must be placed on {assignment}, which forms no teams"),
    "forced_over_capacity": (
        *nlazy(
            "{assignment} must take {count} student ({students}), but has room for {places}",
            "{assignment} must take {count} students ({students}), but has room for {places}",
        ),
        "count",
    ),
    "forced_programme_over_capacity": (
        *nlazy(
            "{assignment} must take {count} {programme} student ({students}), more than its "
            "teams allow: {max_per_programme} per team",
            "{assignment} must take {count} {programme} students ({students}), more than its "
            "teams allow: {max_per_programme} per team",
        ),
        "count",
    ),
    "required_without_candidate": lazy(
        "{assignment} must form a team and requires a {programme} student, "
        "but no such student can go there"
    ),
    "too_few_candidates": (
        *nlazy(
            "{assignment} needs {min_size} members for a team, but only {candidates} student "
            "can go there",
            "{assignment} needs {min_size} members for a team, but only {candidates} students "
            "can go there",
        ),
        "candidates",
    ),
    "too_few_programmes": (
        *nlazy(
            "{assignment} needs students of {min_programmes} programme, its candidates come "
            "from: {programmes}",
            "{assignment} needs students of {min_programmes} programmes, its candidates come "
            "from: {programmes}",
        ),
        "min_programmes",
    ),
    "too_few_places": (
        *nlazy(
            "{count} student must be placed, but there is room for only {places}",
            "{count} students must be placed, but there is room for only {places}",
        ),
        "count",
    ),
    "group_fits_nowhere": (
        *nlazy(
            "group {group} ({size} student: {students}) must be placed but fits in no team",
            "group {group} ({size} students: {students}) must be placed but fits in no team",
        ),
        "size",
    ),
}
INFEASIBLE = lazy("No solution meets all the rules.")
RELAXED = lazy("Without any one of these rules there is a solution: {families}.")
NOT_CHECKED = lazy("Which rules conflict was not tried: too many students.")
# Every code with a wording (``tests/runs/test_wording.py`` holds docs/matching.md to it).
CODES = {"infeasible", *REASONS, *STAFF_HEADS, *CONFLICTS}


def _names(data: SemesterData, keys: Any) -> str:
    values = keys if isinstance(keys, list) else [keys]
    out = []
    for v in values:
        if isinstance(v, str) and re.fullmatch(r"s\d+", v):
            s = data.students.get(key_id(v))
            out.append(s.name if s else _(lazy("another student")))
        else:
            out.append(str(v))
    return ", ".join(out)


def _programme(data: SemesterData, code: Any) -> str:
    p = data.programmes.get(code) if isinstance(code, str) else None
    return localized_name(p) if p else str(code)


def _values(data: SemesterData, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters with titles and names for solver ids, lists joined."""
    out: dict[str, Any] = {}
    for k, v in params.items():
        if k in ("assignment", "current") and isinstance(v, str) and re.fullmatch(r"o\d+", v):
            info = data.opdrachten.get(key_id(v))
            out[k] = f"«{info.opdracht.title}»" if info else v
        elif k in ("students", "member", "locked") and not isinstance(v, int):
            out[k] = _names(data, v)
        elif k in ("programme", "programmes", "required"):
            out[k] = ", ".join(_programme(data, p) for p in (v if isinstance(v, list) else [v]))
        elif k == "rule" and isinstance(v, str):
            out[k] = _(RULES.get(v, v))
        elif k == "closed" and isinstance(v, str):
            out[k] = _(CLOSED.get(v, v))
        elif isinstance(v, list):
            out[k] = ", ".join(map(str, v))
        else:
            out[k] = v
    students = params.get("students")
    if "count" not in params and isinstance(students, list | int):
        out["count"] = students if isinstance(students, int) else len(students)
    return out


def say(words: Words, values: Mapping[str, Any]) -> str:
    """A wording filled in with ``values`` (plural forms by the counting parameter)."""
    if isinstance(words, str):
        return _(words).format(**values)
    singular, plural, counter = words
    n = values.get(counter)
    return ngettext(singular, plural, n if isinstance(n, int) else 0).format(**values)


def _worded(data: SemesterData, e: Explanation, student: bool) -> str | None:
    heads = STUDENT_HEADS if student else STAFF_HEADS
    if e.code not in heads or any(r.code not in REASONS for r in e.reasons):
        return None
    try:
        values = _values(data, e.params)
        head = say(heads[e.code], values)
        if "group" in e.params and "size" in e.params and e.code != "group_conflict":
            head += " " + say(STUDENT_GROUP if student else STAFF_GROUP, values)
        reasons = [say(REASONS[r.code], _values(data, r.params)) for r in e.reasons]
    except (KeyError, IndexError, ValueError):
        return None
    if e.code not in ("choice", "unranked", "unplaced"):
        return head
    if not reasons:
        return f"{head} {_(lazy('They ranked nothing.'))}"
    return f"{head} " + _(lazy("Higher choices: {reasons}.")).format(reasons="; ".join(reasons))


def diagnosis(data: SemesterData, explanations: Mapping[str, Any]) -> list[str]:
    """An infeasible run's explanations as lines: the summary, each conflict, then every
    student involved by name (old plain strings as they are)."""
    lines = []
    summary = explanations.get("*")
    if isinstance(summary, Mapping) and summary.get("code") == "infeasible":
        e = Explanation.from_dict(summary)
        relaxed = e.params.get("relaxed")
        head = _(INFEASIBLE)
        if isinstance(relaxed, list) and relaxed:
            families = ", ".join(_(FAMILIES.get(str(f), str(f))) for f in relaxed)
            head += " " + _(RELAXED).format(families=families)
        elif e.params.get("checked") is False:
            head += " " + _(NOT_CHECKED)
        lines.append(head)
        for r in e.reasons:
            try:
                lines.append(say(CONFLICTS[r.code], _values(data, r.params)))
            except (KeyError, IndexError, ValueError):
                lines.append(r.code)
    elif summary is not None:
        lines.append(explain(data, summary))
    for key, stored in explanations.items():
        if key == "*":
            continue
        text = explain(data, stored)
        lines.append(f"{_names(data, key)}: {text}" if re.fullmatch(r"s\d+", key) else text)
    return lines


def placed_on(stored: Any) -> str | None:
    """The opdracht key (``o12``) the explanation places the student on; None: unplaced."""
    if isinstance(stored, Mapping) and stored.get("code") in ("choice", "unranked", "locked"):
        value = (stored.get("params") or {}).get("assignment")
        return value if isinstance(value, str) else None
    return None


def explain(
    data: SemesterData,
    stored: Any,
    *,
    student: bool = False,
    now_on: int | None = None,
    by_hand: str = "",
    check_stale: bool = False,
    first_choice: int | None = None,
) -> str:
    """The stored explanation in the current language; for ``student`` in the second person.

    With ``check_stale``, a student now on another opdracht (``now_on``; None: unplaced)
    than the solver put them on, or placed by hand (``by_hand``: the override reason), gets
    "changed by hand" instead of the solver's reason, which no longer applies. The solver
    explains only students off their first choice: with nothing ``stored``, it placed them
    on ``first_choice``. An old plain string is shown as it is, with names for ids.
    """
    if check_stale:
        changed = _changed_by_hand(stored, student, now_on, by_hand, first_choice)
        if changed is not None:
            return changed
    if stored is None and student and first_choice is not None and now_on == first_choice:
        return _(lazy("You got your first choice."))
    if isinstance(stored, str):
        return readable(data, stored)
    if isinstance(stored, Mapping) and "code" in stored:
        e = Explanation.from_dict(stored)
        worded = _worded(data, e, student)
        if worded is not None:
            return worded
        if e.code == "infeasible":
            return " ".join(diagnosis(data, {"*": stored}))
        return str(e.code)
    return ""


def _changed_by_hand(
    stored: Any, student: bool, now_on: int | None, by_hand: str, first_choice: int | None
) -> str | None:
    """The "changed by hand" wording when the student is not where the solver put them."""
    known = isinstance(stored, Mapping) or (stored is None and first_choice is not None)
    solver_on = placed_on(stored) if stored is not None else f"o{first_choice}"
    now = f"o{now_on}" if now_on is not None else None
    if not by_hand and not (known and solver_on != now):
        return None
    if student:
        return _(lazy("Your wijkdocent changed your placement after the match."))
    text = _(lazy("Changed by hand after the run."))
    if not by_hand:
        return text
    return f"{text} {_(lazy('Reason: {reason}')).format(reason=by_hand)}"


def readable(data: SemesterData, text: str) -> str:
    """Replace solver ids (o12, s34) in a text with titles and names."""

    def opdracht(m: re.Match[str]) -> str:
        info = data.opdrachten.get(int(m.group(1)))
        return f"«{info.opdracht.title}»" if info else m.group(0)

    def student(m: re.Match[str]) -> str:
        s = data.students.get(int(m.group(1)))
        return s.name if s else m.group(0)

    return re.sub(r"\bs(\d+)\b", student, re.sub(r"\bo(\d+)\b", opdracht, text))
