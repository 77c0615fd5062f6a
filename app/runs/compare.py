"""Two runs side by side: objective, rank histograms, and who moved where."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.errors import InvalidInput
from app.i18n import gettext as _
from app.i18n import lazy
from app.models import MatchRun, RunStatus
from app.runs.load import RunState, SemesterData, StudentInfo, load_run, load_semester
from app.runs.results import GroupRow, groups_of, histogram_keys, placement_key, run_students
from app.runs.services import semester_or_404


@dataclass
class Move:
    student: StudentInfo
    before: int | None  # opdracht ids
    after: int | None
    rank_before: str
    rank_after: str
    team_before: int | None = None  # the team's number within its opdracht
    team_after: int | None = None


def _place(state: RunState, student_id: int) -> tuple[int | None, int | None]:
    """(opdracht id, team number) of a student in a run; (None, None) when unplaced."""
    team = state.teams.get(state.team_of.get(student_id, 0))
    return (team.opdracht_id, team.index) if team else (None, None)


@dataclass
class Comparison:
    a: MatchRun
    b: MatchRun
    keys: list[str]
    rows: tuple[GroupRow, GroupRow]
    moves: list[Move]
    data: SemesterData

    def title(self, opdracht_id: int | None, team: int | None = None) -> str:
        info = self.data.opdrachten.get(opdracht_id or 0)
        if info is None:
            return _(lazy("unplaced")) if opdracht_id is None else "—"
        return f"{info.opdracht.title} · {_(lazy('team'))} {team}" if team else info.opdracht.title


def _overall(data: SemesterData, state: RunState) -> GroupRow:
    rows = groups_of(data, state, run_students(data, state), lambda s: "")
    return rows[0] if rows else GroupRow("", dict.fromkeys(histogram_keys(data), 0))


def compare(*, session: Session, a: MatchRun, b: MatchRun) -> Comparison:
    """Compare run ``a`` (before) with run ``b`` (after) of one semester, loading both."""
    _comparable(a, b)
    data = load_semester(session, semester_or_404(session=session, semester_id=a.semester_id))
    return comparison(data, load_run(session, a), load_run(session, b))


def _comparable(a: MatchRun, b: MatchRun) -> None:
    if a.semester_id != b.semester_id:
        raise InvalidInput(lazy("Choose two runs of the same semester."))
    if RunStatus.SUCCEEDED not in (a.status, b.status) or a.status != b.status:
        raise InvalidInput(lazy("Only runs that finished with teams can be compared."))


def comparison(data: SemesterData, sa: RunState, sb: RunState) -> Comparison:
    """Compare two loaded runs of the semester ``data`` (``sa`` before, ``sb`` after)."""
    _comparable(sa.run, sb.run)
    students = {s.id: s for s in run_students(data, sa) + run_students(data, sb)}
    moves = []
    for s in sorted(students.values(), key=lambda s: s.name):
        (before, tb), (after, ta) = _place(sa, s.id), _place(sb, s.id)
        if (before, tb) != (after, ta):  # another team of the same opdracht counts too
            keys = placement_key(s, before), placement_key(s, after)
            moves.append(Move(s, before, after, *keys, team_before=tb, team_after=ta))
    rows = (_overall(data, sa), _overall(data, sb))
    return Comparison(sa.run, sb.run, histogram_keys(data), rows, moves, data)
