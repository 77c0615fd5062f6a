"""The solver's explanations (a code with parameters) in the reader's language.

Staff read "choice 2 («Kletsbot»): choice 1 «Welzijn op Recept» was full (...)"; a student
reads the same reasons addressed to them ("Je kreeg je keuze 2 ..."). Solver ids become
titles and names; a placement changed by hand after the run is said to be so, with its
reason, instead of repeating the solver's now stale reason. Codes without a wording here
(groups, infeasible instances) fall back to ``app.runs.explanations.as_text``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import Explanation
from app.runs.data import SemesterData, key_id
from app.runs.explanations import as_text
from app.templating import localized_name

RULES = {
    "min_size": lazy("rule:min_size"),
    "max_size": lazy("rule:max_size"),
    "max_per_programme": lazy("rule:max_per_programme"),
    "required_programmes": lazy("rule:required_programmes"),
    "min_programmes": lazy("rule:min_programmes"),
    "combined": lazy("rule:combined"),
}
REASONS = {
    "banned": lazy("choice {choice}, {assignment}, was ruled out by a ban"),
    "closed": lazy("choice {choice}, {assignment}, formed no teams this semester"),
    "years": lazy("choice {choice}, {assignment}, is only open to years {years}"),
    "full": lazy("choice {choice}, {assignment}, was full: {teams} team(s) of at most {max_size}"),
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
}
STAFF_HEADS = {
    "locked": lazy("locked to {assignment}"),
    "choice": lazy("choice {choice} ({assignment})"),
    "unranked": lazy("placed on {assignment}, which they did not rank"),
    "unplaced": lazy("unplaced"),
}
STUDENT_HEADS = {
    "locked": lazy("Your wijkdocent placed you on {assignment}."),
    "choice": lazy("You got your choice {choice}, {assignment}."),
    "unranked": lazy("You were placed on {assignment}, which you did not rank."),
    "unplaced": lazy("You are not in a team yet."),
}


def _values(data: SemesterData, params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in params.items():
        if k in ("assignment", "current") and isinstance(v, str) and v.startswith("o"):
            info = data.opdrachten.get(key_id(v))
            out[k] = f"«{info.opdracht.title}»" if info else v
        elif k == "programme" and isinstance(v, str) and v in data.programmes:
            out[k] = localized_name(data.programmes[v])
        elif k == "rule" and isinstance(v, str):
            out[k] = _(RULES.get(v, v))
        elif isinstance(v, list):
            out[k] = ", ".join(map(str, v))
        else:
            out[k] = v
    return out


def _worded(data: SemesterData, e: Explanation, heads: Mapping[str, str]) -> str | None:
    if e.code not in heads or any(r.code not in REASONS for r in e.reasons):
        return None
    try:
        head = _(heads[e.code]).format(**_values(data, e.params))
        reasons = [_(REASONS[r.code]).format(**_values(data, r.params)) for r in e.reasons]
    except (KeyError, IndexError):
        return None
    if not reasons:
        return head if e.code == "locked" else f"{head} {_(lazy('They ranked nothing.'))}"
    return f"{head} " + _(lazy("Higher choices: {reasons}.")).format(reasons="; ".join(reasons))


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
    on ``first_choice``.
    """
    if check_stale:
        known = isinstance(stored, Mapping) or (stored is None and first_choice is not None)
        solver_on = placed_on(stored) if stored is not None else f"o{first_choice}"
        now = f"o{now_on}" if now_on is not None else None
        if by_hand or (known and solver_on != now):
            if student:
                return _(lazy("Your wijkdocent changed your placement after the match."))
            text = _(lazy("Changed by hand after the run."))
            if not by_hand:
                return text
            return f"{text} {_(lazy('Reason: {reason}')).format(reason=by_hand)}"
    if stored is None and student and first_choice is not None and now_on == first_choice:
        return _(lazy("You got your first choice."))
    if isinstance(stored, Mapping) and "code" in stored:
        e = Explanation.from_dict(stored)
        worded = _worded(data, e, STUDENT_HEADS if student else STAFF_HEADS)
        if worded is not None:
            return worded
    return readable(data, as_text(stored))


def readable(data: SemesterData, text: str) -> str:
    """Replace solver ids (o12, s34) in a text with titles and names."""

    def opdracht(m: re.Match[str]) -> str:
        info = data.opdrachten.get(int(m.group(1)))
        return f"«{info.opdracht.title}»" if info else m.group(0)

    def student(m: re.Match[str]) -> str:
        s = data.students.get(int(m.group(1)))
        return s.name if s else m.group(0)

    return re.sub(r"\bs(\d+)\b", student, re.sub(r"\bo(\d+)\b", opdracht, text))
