"""Exports: the teams as CSV and XLSX, the run's instance and result as JSON.

Spreadsheet cells that start with = + - @ (or a tab or carriage return) are prefixed with an
apostrophe so a spreadsheet never runs them as formulas. CSV uses a semicolon and a UTF-8
byte order mark, which is what Excel with Dutch regional settings expects.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from sqlmodel import Session

from app.errors import Conflict, InvalidInput
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import parse_problem
from app.matching.problem import Problem
from app.matching.result import histograms
from app.models import MatchRun, RunStatus, Semester
from app.runs.instance import result_teams
from app.runs.load import RunState, SemesterData, load_run, load_semester, teams_by_title
from app.templating import localized_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = (
    lazy("Opdracht"),
    lazy("Leerkring"),
    lazy("Team"),
    lazy("Student number"),
    lazy("Student"),
    lazy("Programme"),
    lazy("Year"),
    lazy("Rank"),
    lazy("Locked"),
)


def safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def team_rows(data: SemesterData, state: RunState) -> Iterator[list[Any]]:
    """One row per member, teams in title order; unplaced students last without a team."""
    leerkring = {k: lk.name for k, lk in data.leerkringen.items()}
    teams = teams_by_title(data, state)
    for team in teams:
        info = data.opdrachten.get(team.opdracht_id)
        if info is None:
            continue
        for m in sorted(
            state.members.get(team.id or 0, []),
            key=lambda m: (
                data.students[m.student_id].number if m.student_id in data.students else ""
            ),
        ):
            s = data.students.get(m.student_id)
            if s is None:
                continue
            yield [
                info.opdracht.title,
                leerkring.get(info.opdracht.leerkring_id or 0, ""),
                team.index,
                s.number,
                s.name,
                localized_name(s.programme),
                s.year,
                s.rank_of(info.id) or _(lazy("unranked")),
                _(lazy("yes")) if m.locked else "",
            ]
    yield from _unplaced_rows(data, state)


def _unplaced_rows(data: SemesterData, state: RunState) -> Iterator[list[Any]]:
    """The students the run matched but placed in no team."""
    instance_ids = {s["id"] for s in state.run.parameters.get("instance", {}).get("students", [])}
    for s in data.students.values():
        if f"s{s.id}" in instance_ids and s.id not in state.team_of:
            yield [
                _(lazy("unplaced")),
                "",
                "",
                s.number,
                s.name,
                localized_name(s.programme),
                s.year,
                "",
                "",
            ]


def to_csv(data: SemesterData, state: RunState) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(h) for h in HEADER])
    for row in team_rows(data, state):
        writer.writerow([safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(data: SemesterData, state: RunState) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _(lazy("Teams"))
    sheet.append([_(h) for h in HEADER])
    for row in team_rows(data, state):
        sheet.append([safe(v) for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def objective(problem: Problem, placement: dict[str, str]) -> int:
    """The instance's objective for a placement, as ``app.matching.check`` computes it."""
    c, aids = problem.costs, {a.id for a in problem.assignments}
    total = 0
    for s in problem.students:
        aid = placement.get(s.id)
        if aid is None:
            cost = c.unplaced or 0
        elif aid in s.ranking:
            cost = c.rank[s.ranking.index(aid)]
        else:
            cost = c.unranked or 0  # also for a locked placement: its cost is unranked or 0
        before = problem.previous.get(s.id)
        total += cost + (c.move if before is not None and before != aid and before in aids else 0)
    return total


def result_json(run: MatchRun, state: RunState) -> dict[str, Any]:
    """The run's teams as they stand now (after adjustments) in the solver's result format."""
    problem = parse_problem(run.parameters["instance"])
    known = {s.id for s in problem.students}
    teams = []
    for t in result_teams(state):
        members = [m for m in t["members"] if m in known]
        if members:
            teams.append({**t, "members": members})
    placement = {m: t["assignment"] for t in teams for m in t["members"]}
    total, per = histograms(problem, placement)
    value = objective(problem, placement)
    unchanged = value == run.objective
    return {
        "status": run.solver_status if unchanged else "feasible",
        "objective": value,
        "bound": run.bound if unchanged else None,
        "teams": teams,
        "unplaced": [s.id for s in problem.students if s.id not in placement],
        "stats": {"rank_histogram": total, "per_programme": per, "seconds": None},
        "explanations": dict(run.explanations),
    }


def to_json(value: dict[str, Any]) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=2) + "\n").encode()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    filename: str


def export_run(*, session: Session, run: MatchRun, semester: Semester, fmt: str) -> Download:
    """A run as a file: ``instance.json`` (any run), or its teams as ``csv``, ``xlsx`` or
    ``result.json`` (a run with teams); InvalidInput for another format."""
    tag = f"{semester.code}-run{run.id}"
    if fmt == "instance.json":
        content = to_json(run.parameters["instance"])
        return Download(content, "application/json", f"instance-{tag}.json")
    if run.status != RunStatus.SUCCEEDED:
        raise Conflict(lazy("Only a run with teams can be exported."))
    data, state = load_semester(session, semester), load_run(session, run)
    if fmt == "csv":
        return Download(to_csv(data, state), "text/csv; charset=utf-8", f"teams-{tag}.csv")
    if fmt == "xlsx":
        return Download(to_xlsx(data, state), XLSX, f"teams-{tag}.xlsx")
    if fmt == "result.json":
        content = to_json(result_json(run, state))
        return Download(content, "application/json", f"result-{tag}.json")
    raise InvalidInput()
