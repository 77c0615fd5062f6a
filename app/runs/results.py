"""What the results dashboard shows: rank distribution, fairness per group, teams, rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.i18n import gettext as _
from app.i18n import lazy, ngettext
from app.models import Member, Opdracht, Team
from app.runs.load import OpdrachtInfo, RunState, SemesterData, StudentInfo, key_id
from app.runs.rules import (
    Violation,
    student_cost,
    team_and_member_violations,
    unplaced_violation,
)
from app.runs.wording import explain
from app.templating import localized_name

UNRANKED, UNPLACED = "unranked", "unplaced"


@dataclass
class GroupRow:
    """Fairness figures of one group of students (a programme, a leerkring, everyone)."""

    label: str
    histogram: dict[str, int]
    cost: int = 0

    @property
    def total(self) -> int:
        return sum(self.histogram.values())

    def share(self, *keys: str) -> float:
        return (
            100.0 * sum(self.histogram.get(k, 0) for k in keys) / self.total if self.total else 0.0
        )

    @property
    def mean_cost(self) -> float:
        return self.cost / self.total if self.total else 0.0


@dataclass
class TeamView:
    team: Team
    opdracht: Opdracht
    members: list[tuple[Member, StudentInfo]]
    violations: list[Violation] = field(default_factory=list)

    @property
    def programmes(self) -> list[str]:
        return sorted({s.programme.code for _m, s in self.members})


@dataclass
class Dashboard:
    keys: list[str]
    overall: GroupRow
    per_programme: list[GroupRow]
    per_leerkring: list[GroupRow]
    teams: list[TeamView]
    empty: list[tuple[OpdrachtInfo, str]]
    unplaced: list[StudentInfo]
    explanations: list[tuple[StudentInfo, str, str]]  # student, placement key, text

    def reason(self, student_id: int) -> str:
        return next((text for s, _k, text in self.explanations if s.id == student_id), "")

    @property
    def broken(self) -> int:
        return sum(1 for t in self.teams if t.violations)


def histogram_keys(data: SemesterData) -> list[str]:
    return [str(r) for r in range(1, len(data.semester.rank_costs) + 1)] + [UNRANKED, UNPLACED]


def placement_key(student: StudentInfo, opdracht_id: int | None) -> str:
    if opdracht_id is None:
        return UNPLACED
    rank = student.rank_of(opdracht_id)
    return UNRANKED if rank is None else str(rank)


def run_students(data: SemesterData, state: RunState) -> list[StudentInfo]:
    """The run's students that still exist (the instance is the run's snapshot)."""
    ids = [key_id(s["id"]) for s in state.run.parameters.get("instance", {}).get("students", [])]
    return [data.students[i] for i in ids if i in data.students]


def groups_of(
    data: SemesterData,
    state: RunState,
    students: Iterable[StudentInfo],
    label: Callable[[StudentInfo], str],
) -> list[GroupRow]:
    rows: dict[str, GroupRow] = {}
    keys = histogram_keys(data)
    for s in students:
        row = rows.setdefault(label(s), GroupRow(label(s), dict.fromkeys(keys, 0)))
        opdracht_id = state.opdracht_of(s.id)
        row.histogram[placement_key(s, opdracht_id)] += 1
        row.cost += student_cost(data, s.id, opdracht_id)
    return [rows[k] for k in sorted(rows)]


def team_views(data: SemesterData, state: RunState) -> list[TeamView]:
    views = []
    for team in state.teams.values():
        info = data.opdrachten.get(team.opdracht_id)
        if info is None:
            continue
        members = [
            (m, data.students[m.student_id])
            for m in state.members[team.id or 0]
            if m.student_id in data.students
        ]
        violations = team_and_member_violations(
            data, info.id, team.index, [(s.id, m.locked) for m, s in members]
        )
        views.append(TeamView(team, info.opdracht, members, violations))
    return sorted(views, key=lambda v: (v.opdracht.title.lower(), v.team.index))


def why_no_team(data: SemesterData, info: OpdrachtInfo, students: list[StudentInfo]) -> str:
    """A plain reason an opdracht got no team, from who could have joined it."""
    o = info.opdracht
    rankers = [s for s in students if info.id in s.ranking]
    if not rankers:
        return _(lazy("Nobody ranked this opdracht."))
    eligible = [
        s
        for s in rankers
        if (not o.eligible_years or s.year in o.eligible_years) and (s.id, info.id) not in data.bans
    ]
    if len(eligible) < o.min_size:
        return ngettext(
            "Only {count} eligible student ranked it; a team needs at least {limit}.",
            "Only {count} eligible students ranked it; a team needs at least {limit}.",
            len(eligible),
        ).format(count=len(eligible), limit=o.min_size)
    programmes = Counter(s.programme.code for s in eligible)
    for code in info.required:
        if code not in programmes and code in data.programmes:
            return _(lazy("No {programme} student ranked it, and one is required.")).format(
                programme=localized_name(data.programmes[code])
            )
    if len(programmes) < o.min_programmes:
        return ngettext(
            "Its candidates come from {count} programme; a team needs {limit}.",
            "Its candidates come from {count} programmes; a team needs {limit}.",
            len(programmes),
        ).format(count=len(programmes), limit=o.min_programmes)
    return ngettext(
        "Its {count} candidate was placed on a choice ranked higher, "
        "or no valid team could be formed with them.",
        "Its {count} candidates were placed on choices they ranked higher, "
        "or no valid team could be formed from them.",
        len(eligible),
    ).format(count=len(eligible))


def _explain(data: SemesterData, state: RunState, student_id: int) -> str:
    member = state.member(student_id)
    return explain(
        data,
        state.run.explanations.get(f"s{student_id}"),
        now_on=state.opdracht_of(student_id),
        by_hand=member.override_reason if member else "",
        check_stale=True,
    )


def dashboard(data: SemesterData, state: RunState) -> Dashboard:
    students = run_students(data, state)
    keys = histogram_keys(data)
    overall = groups_of(data, state, students, lambda s: "")
    leerkring = {k: lk.name for k, lk in data.leerkringen.items()}
    placed_on = {s.id: state.opdracht_of(s.id) for s in students}
    empty_ids = set(data.opdrachten) - {
        t.opdracht_id for t in state.teams.values() if state.members.get(t.id or 0)
    }
    explanations = [
        (s, placement_key(s, placed_on[s.id]), _explain(data, state, s.id))
        for s in students
        if f"s{s.id}" in state.run.explanations
    ]
    return Dashboard(
        keys=keys,
        overall=overall[0] if overall else GroupRow("", dict.fromkeys(keys, 0)),
        per_programme=groups_of(data, state, students, lambda s: localized_name(s.programme)),
        per_leerkring=groups_of(
            data, state, students, lambda s: leerkring.get(s.leerkring_id or 0, "—")
        ),
        teams=team_views(data, state),
        empty=sorted(
            (
                (data.opdrachten[o], why_no_team(data, data.opdrachten[o], students))
                for o in empty_ids
            ),
            key=lambda pair: pair[0].opdracht.title.lower(),
        ),
        unplaced=[s for s in students if placed_on[s.id] is None],
        explanations=explanations,
    )


def unplaced_rules(data: SemesterData, students: list[StudentInfo]) -> list[Violation]:
    return [v for s in students for v in unplaced_violation(data, s.id)]
