"""A stored solver explanation (a code with parameters, ``app.matching.Explanation``) as text.

A stopgap that keeps the run pages showing what they showed before the solver returned
codes: the same English lines, with solver ids that ``results.readable`` then turns into
titles and names. Runs stored before that change hold plain strings, which pass through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.matching import Explanation

_REASONS = {
    "banned": "is banned for this student",
    "closed": "is closed (no teams)",
    "years": "is open to year(s) {years} only",
    "full": "is full ({teams} team(s) of at most {max_size})",
    "programme_full": "already has the most {programme} students it allows",
    "no_team": "formed no team: too few students could meet its rules",
    "rule": "cannot take another student without breaking its {rule} rule",
    "group_too_big": "cannot hold the {size} members of the group in one team",
    "group_room": "had room for {room} of the {size} members of the group",
    "group_closed": "is closed to group member {member} ({closed})",
    "needed": "has room, but {current} needs this student for its {rule} rule",
    "no_gain": "has room, but the move would not lower the objective",
}
_CONFLICTS = {
    "forced_on_closed": "{students} must be placed on {assignment}, which forms no teams",
    "forced_over_capacity": "{assignment} must take {count} students but has {places} places",
    "forced_programme_over_capacity": "{assignment} must take {count} {programme} students",
    "required_without_candidate": "{assignment} requires {programme}, no such student fits",
    "too_few_candidates": "{assignment} needs {min_size} members, {candidates} can go there",
    "too_few_programmes": "{assignment} needs {min_programmes} programmes",
    "too_few_places": "{students} students must be placed, there are {places} places",
    "group_fits_nowhere": "group {group} ({size} students) fits in no team",
}


def _fill(template: str, params: Mapping[str, Any]) -> str:
    values = {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


def _where(e: Explanation) -> str:
    p = e.params
    group = f" with group {p['group']}" if p.get("group") else ""
    if e.code == "locked":
        return f"locked to {p.get('assignment')}"
    if e.code == "choice":
        return f"choice {p.get('choice')} ({p.get('assignment')}){group}"
    if e.code == "unranked":
        return f"placed on {p.get('assignment')}, which they did not rank{group}"
    if e.code == "unplaced":
        return f"unplaced{group}"
    if e.code == "infeasible":
        relaxed = p.get("relaxed")
        text = "no solution meets all rules"
        if isinstance(relaxed, list) and relaxed:
            text += "; one exists without the rules on " + " or ".join(map(str, relaxed))
        return text
    if e.code == "no_option":
        return "must be placed but no opdracht is open to them"
    if e.code == "group_conflict":
        return f"the group {p.get('group')} fits in no team, see the summary"
    if e.code == "locked_conflict":
        return f"locked to {p.get('assignment')}, see the summary"
    return e.code


def as_text(value: Any) -> str:
    """The explanation ``value`` (its stored JSON form, or an old plain string) as text."""
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping) or "code" not in value:
        return ""
    e = Explanation.from_dict(value)
    head = _where(e)
    if e.code == "infeasible":
        parts = [_fill(_CONFLICTS.get(r.code, r.code), r.params) for r in e.reasons]
        return "; ".join([*parts, head])
    if e.code in ("choice", "unranked", "unplaced") and not e.reasons:
        return f"{head}: ranked no assignments"
    reasons = [
        f"choice {r.params.get('choice')} {r.params.get('assignment')} "
        + _fill(_REASONS.get(r.code, r.code), r.params)
        for r in e.reasons
    ]
    return f"{head}: " + "; ".join(reasons) if reasons else head
