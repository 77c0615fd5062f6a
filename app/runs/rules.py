"""The solver's rules, team by team, in words a wijkdocent reads (and the cost of a placement).

``app.matching.check`` judges whole results by instance ids; this module says the same
things about one team with names ("3 Fysiotherapie students, at most 2") so the results page
and every adjustment can show them. A test keeps both in agreement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.i18n import get_language, lazy, ngettext, nlazy
from app.i18n import gettext as _
from app.models import Programme
from app.runs.data import SemesterData


@dataclass(frozen=True)
class Violation:
    """A broken rule: an English message id and its parameters (hashable, comparable)."""

    message: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str = ""  # set for a count: ``message`` and ``plural`` go through ngettext

    def text(self) -> str:
        params = dict(self.params)
        if self.plural:
            return ngettext(self.message, self.plural, params["count"]).format(**params)
        return _(self.message).format(**params)


@dataclass(frozen=True)
class Name:
    """A programme name that prints in the current language (and stays hashable)."""

    nl: str
    en: str

    def __str__(self) -> str:
        return self.en if get_language() == "en" else self.nl


def _v(message: str | tuple[str, str], **params: Any) -> Violation:
    values = {
        k: Name(v.name_nl, v.name_en) if isinstance(v, Programme) else v for k, v in params.items()
    }
    singular, plural = (message, "") if isinstance(message, str) else message
    return Violation(singular, tuple(sorted(values.items())), plural)


def team_violations(
    data: SemesterData, opdracht_id: int, index: int, student_ids: Iterable[int]
) -> list[Violation]:
    """Every team rule the team ``index`` of an opdracht breaks with these members."""
    info = data.opdrachten.get(opdracht_id)
    members = [data.students[s] for s in student_ids if s in data.students]
    if info is None or not members:
        return []
    o, n, out = info.opdracht, len(members), []
    if index > o.teams:
        out.append(
            _v(lazy("team {index}, this opdracht allows {limit} teams"), index=index, limit=o.teams)
        )
    if n < o.min_size:
        out.append(
            _v(
                nlazy("{count} member, at least {limit}", "{count} members, at least {limit}"),
                count=n,
                limit=o.min_size,
            )
        )
    if n > o.max_size:
        out.append(
            _v(
                nlazy("{count} member, at most {limit}", "{count} members, at most {limit}"),
                count=n,
                limit=o.max_size,
            )
        )
    counts = Counter(s.programme.code for s in members)
    by_code = {s.programme.code: s.programme for s in members}
    if o.max_per_programme is not None:
        out.extend(
            _v(
                nlazy(
                    "{count} {programme} student, at most {limit}",
                    "{count} {programme} students, at most {limit}",
                ),
                count=c,
                programme=by_code[code],
                limit=o.max_per_programme,
            )
            for code, c in sorted(counts.items())
            if c > o.max_per_programme
        )
    if len(counts) < o.min_programmes:
        out.append(
            _v(
                nlazy(
                    "{count} programme, at least {limit}", "{count} programmes, at least {limit}"
                ),
                count=len(counts),
                limit=o.min_programmes,
            )
        )
    out.extend(
        _v(lazy("no {programme} student, one is required"), programme=data.programmes[code])
        for code in info.required
        if code not in counts and code in data.programmes
    )
    return out


def member_violations(
    data: SemesterData, student_id: int, opdracht_id: int, *, locked: bool
) -> list[Violation]:
    """Rules on the pairing of one student with an opdracht (a lock overrides them all)."""
    student, info = data.students.get(student_id), data.opdrachten.get(opdracht_id)
    if student is None or info is None:
        return []
    if locked:  # as in app.matching.check: a lock overrides ban, year and rank
        return []
    out = []
    if (student_id, opdracht_id) in data.bans:
        out.append(_v(lazy("{student} is banned from this opdracht"), student=student.name))
    years = sorted(info.opdracht.eligible_years)
    if years and student.year not in years:
        out.append(
            _v(
                lazy("{student} is in year {year}, this opdracht is for years {years}"),
                student=student.name,
                year=student.year,
                years=", ".join(map(str, years)),
            )
        )
    if data.semester.unranked_cost is None and student.rank_of(opdracht_id) is None:
        out.append(_v(lazy("{student} did not rank this opdracht"), student=student.name))
    return out


def unplaced_violation(data: SemesterData, student_id: int) -> list[Violation]:
    if data.semester.unplaced_cost is not None:
        return []
    name = data.students[student_id].name
    return [_v(lazy("{student} is unplaced, but every student must be placed"), student=name)]


def student_cost(data: SemesterData, student_id: int, opdracht_id: int | None) -> int:
    """What this placement adds to the objective (the solver's costs, without move cost)."""
    semester = data.semester
    if opdracht_id is None:
        return semester.unplaced_cost or 0
    rank = data.students[student_id].rank_of(opdracht_id)
    if rank is not None:
        return semester.rank_costs[rank - 1]
    return semester.unranked_cost or 0
