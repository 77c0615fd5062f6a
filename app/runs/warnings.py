"""What a wijkdocent or admin must see before approving or publishing, and acknowledge.

Per leerkring (``None``: the whole semester): teams outside their sizes, placements with
an override, unplaced students, approved opdrachten without a team and students without a
ranking. Approving or publishing while any is listed needs an explicit acknowledgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.errors import InvalidInput
from app.i18n import gettext as _
from app.i18n import lazy
from app.models import RunStatus, Semester
from app.runs.load import RunState, SemesterData, load_run, load_semester
from app.runs.results import TeamView, run_students, team_views
from app.semesters import current_run

# The size rules, by the kinds of app.matching's verdicts.
SIZE_RULES = ("team_too_small", "team_too_large")


@dataclass
class Warnings:
    teams: list[TeamView]  # the leerkring's teams, with their rule breaks
    lines: list[str]  # one sentence per kind of warning, in the current language

    def require_ack(self, acknowledged: bool) -> None:
        if self.lines and not acknowledged:
            raise InvalidInput(
                lazy("Read the warnings and tick that you have seen them before you go on.")
            )


def _in(leerkring_id: int | None, value: int | None) -> bool:
    return leerkring_id is None or (value or 0) == leerkring_id


def warnings_for(
    data: SemesterData,
    state: RunState,
    leerkring_id: int | None,
    all_views: list[TeamView] | None = None,
) -> Warnings:
    """The warnings of one leerkring's teams (0: opdrachten without one; None: all);
    ``all_views`` are the run's ``team_views`` when the caller has them already."""
    views = [v for v in (team_views(data, state) if all_views is None else all_views) if v.members]
    teams = [v for v in views if _in(leerkring_id, v.opdracht.leerkring_id)]
    sizes = [v for v in teams if any(x.kind in SIZE_RULES for x in v.violations)]
    overrides = [m for v in teams for m, _s in v.members if m.override_reason]
    students = [s for s in run_students(data, state) if _in(leerkring_id, s.leerkring_id)]
    unplaced = [s for s in students if s.id not in state.team_of]
    unranked = [s for s in students if not s.ranking]
    formed = {v.opdracht.id for v in views}
    empty = [
        i.opdracht
        for i in data.opdrachten.values()
        if i.id not in formed and _in(leerkring_id, i.opdracht.leerkring_id)
    ]
    lines = []
    if sizes:
        lines.append(_(lazy("Teams outside their sizes: {count}.")).format(count=len(sizes)))
    if overrides:
        lines.append(_(lazy("Placements with an override: {count}.")).format(count=len(overrides)))
    if unplaced:
        lines.append(
            _(lazy("Unplaced students: {names}.")).format(names=", ".join(s.name for s in unplaced))
        )
    if empty:
        lines.append(
            _(lazy("Approved opdrachten without a team: {titles}.")).format(
                titles=", ".join(o.title for o in empty)
            )
        )
    if unranked:
        lines.append(_(lazy("Students without a ranking: {count}.")).format(count=len(unranked)))
    return Warnings(teams, lines)


def loaded_warnings(
    session: Session, semester: Semester, leerkring_id: int | None
) -> Warnings | None:
    """Load the current run once and list its warnings (None: there is no current run)."""
    run = current_run(session=session, semester_id=semester.id)
    if run is None or run.status != RunStatus.SUCCEEDED:
        return None
    return warnings_for(load_semester(session, semester), load_run(session, run), leerkring_id)


def require_acknowledged(
    session: Session, semester: Semester, leerkring_id: int | None, acknowledged: bool
) -> None:
    """Refuse (422) an approval or publication whose warnings were not acknowledged."""
    found = loaded_warnings(session, semester, leerkring_id)
    if found is not None:
        found.require_ack(acknowledged)
