"""Page contexts: what each runs page shows, assembled from the services."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.errors import NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching.problem import OBJECTIVES
from app.models import MatchRun, Opdracht, RunStatus, Semester, User
from app.runs import services
from app.runs.adjust import ChangeForm
from app.runs.approval import groups
from app.runs.charts import Series, bar_chart
from app.runs.commit import Outcome
from app.runs.compare import Comparison, comparison
from app.runs.load import RunState, SemesterData, load_run, load_semester, teams_by_title
from app.runs.results import Dashboard, GroupRow, dashboard, team_views
from app.runs.warnings import warnings_for
from app.runs.wording import diagnosis, explain
from app.semesters import current_run


def key_label(key: str) -> str:
    if key == "unranked":
        return _(lazy("unranked"))
    if key == "unplaced":
        return _(lazy("unplaced"))
    return _(lazy("choice {rank}")).format(rank=key)


def histogram_chart(chart_id: str, keys: list[str], rows: list[tuple[str, GroupRow]]) -> Any:
    return bar_chart(
        chart_id,
        _(lazy("Rank distribution")),
        _(lazy("Students per choice they were placed on; the table has the same numbers.")),
        [key_label(k) for k in keys],
        [Series(label, [row.histogram.get(k, 0) for k in keys]) for label, row in rows],
    )


def index_context(
    session: Session, semester: Semester, form: services.StartForm | None = None
) -> dict[str, Any]:
    runs = services.list_runs(session=session, semester=semester)
    users = {u.id: u.name for u in session.exec(select(User).where(User.role != "student"))}
    return {
        "semester": semester,
        "runs": runs,
        "users": users,
        "form": form or services.StartForm(),
        "objectives": OBJECTIVES,
        "current": current_run(session=session, semester_id=semester.id),
        "can_run": semester.phase in services.RUN_PHASES,
        "active": any(r.status in (RunStatus.QUEUED, RunStatus.RUNNING) for r in runs),
    }


def run_context(session: Session, run: MatchRun) -> dict[str, Any]:
    """The run page: the semester, the run and (for a candidate) the current run are loaded
    once each and passed down."""
    semester = services.semester_or_404(session=session, semester_id=run.semester_id)
    ctx: dict[str, Any] = {"run": run, "semester": semester, "key_label": key_label}
    ctx["active"] = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    if run.status != RunStatus.SUCCEEDED:
        data = load_semester(session, semester)
        ctx["explanations"] = diagnosis(data, run.explanations)
        return ctx
    data, state = load_semester(session, semester), load_run(session, run)
    board: Dashboard = dashboard(data, state)
    ctx.update(data=data, state=state, board=board)
    ctx["chart"] = histogram_chart(
        f"chart-{run.id}", board.keys, [(_(lazy("All students")), board.overall)]
    )
    current = run if run.is_current else current_run(session=session, semester_id=semester.id)
    ctx["current"] = current
    if current is not None and current.id != run.id and current.status == RunStatus.SUCCEEDED:
        ctx["diff"] = comparison(data, load_run(session, current), state)
    ctx["editable"] = run.is_current and semester.phase in services.RUN_PHASES
    return ctx


def comparison_context(cmp: Comparison) -> dict[str, Any]:
    label_a = _(lazy("Run {id}")).format(id=cmp.a.id)
    label_b = _(lazy("Run {id}")).format(id=cmp.b.id)
    chart = histogram_chart(
        "chart-compare", cmp.keys, [(label_a, cmp.rows[0]), (label_b, cmp.rows[1])]
    )
    return {"cmp": cmp, "chart": chart, "labels": (label_a, label_b), "key_label": key_label}


def _title(data: SemesterData, opdracht_id: int) -> str:
    info = data.opdrachten.get(opdracht_id)
    return info.opdracht.title if info else ""


def move_options(data: SemesterData, state: RunState, student_id: int) -> list[tuple[str, str]]:
    """(value, label) for every place a student can go: existing teams, then new teams."""
    out = []
    own = state.team_of.get(student_id)
    for team in teams_by_title(data, state):
        info = data.opdrachten.get(team.opdracht_id)
        if info is None or team.id == own:
            continue
        size = len(state.members.get(team.id or 0, []))
        label = _(lazy("{title} · team {index} ({size} of at most {max})")).format(
            title=info.opdracht.title, index=team.index, size=size, max=info.opdracht.max_size
        )
        out.append((f"team:{team.id}:{team.version}", label))
    for info in sorted(data.opdrachten.values(), key=lambda i: i.opdracht.title.lower()):
        formed = sum(1 for t in state.teams.values() if t.opdracht_id == info.id)
        if formed < info.opdracht.teams:
            label = _(lazy("{title} · new team")).format(title=info.opdracht.title)
            out.append((f"new:{info.id}", label))
    return out


def _swap_options(
    data: SemesterData, state: RunState, team_id: int | None
) -> list[tuple[str, str]]:
    """(value, label) of every unlocked member of another team, by label."""
    swap = [
        (
            f"member:{m.student_id}:{tid}:{state.teams[tid].version}",
            f"{data.students[m.student_id].name} · {_title(data, state.teams[tid].opdracht_id)}",
        )
        for tid, members in state.members.items()
        if tid != team_id and state.teams[tid].opdracht_id in data.opdrachten
        for m in members
        if not m.locked and m.student_id in data.students
    ]
    return sorted(swap, key=lambda pair: pair[1])


def _banned_from(data: SemesterData, student_id: int) -> list[Opdracht]:
    """The opdrachten the student is banned from, by title."""
    return sorted(
        (
            data.opdrachten[o].opdracht
            for s, o in data.bans
            if s == student_id and o in data.opdrachten
        ),
        key=lambda o: o.title,
    )


def student_context(
    session: Session,
    run: MatchRun,
    student_id: int,
    form: ChangeForm | None = None,
    outcome: Outcome | None = None,
) -> dict[str, Any]:
    semester = services.semester_or_404(session=session, semester_id=run.semester_id)
    data, state = load_semester(session, semester), load_run(session, run)
    student = data.students.get(student_id)
    if student is None:
        raise NotFound()
    team_id = state.team_of.get(student_id)
    team = state.teams.get(team_id or 0)
    explanation = run.explanations.get(f"s{student_id}")
    return {
        "run": run,
        "semester": semester,
        "data": data,
        "student": student,
        "member": state.member(student_id),
        "team": team,
        "opdracht": data.opdrachten[team.opdracht_id].opdracht
        if team and team.opdracht_id in data.opdrachten
        else None,
        "moves": move_options(data, state, student_id),
        "swaps": _swap_options(data, state, team_id),
        "bans": _banned_from(data, student_id),
        "explanation": explain(
            data,
            explanation,
            now_on=state.opdracht_of(student_id),
            by_hand=getattr(state.member(student_id), "override_reason", ""),
            check_stale=True,
            first_choice=student.ranking[0] if student.ranking else None,
        ),
        "form": form or ChangeForm(student_id=student_id),
        "outcome": outcome,
        "editable": run.is_current and semester.phase in services.RUN_PHASES,
    }


def approvals_context(session: Session, semester: Semester, user: User) -> dict[str, Any]:
    """The approvals page: the semester and the current run are loaded once and passed down."""
    run = current_run(session=session, semester_id=semester.id)
    state = load_run(session, run) if run else None
    found = groups(session=session, run=run, user=user, state=state) if run else []
    data = None
    if run is not None and run.status == RunStatus.SUCCEEDED:
        data = load_semester(session, semester)
    views = team_views(data, state) if data and state else []
    return {
        "semester": semester,
        "run": run,
        "groups": found,
        "warnings": {
            g.leerkring_id: warnings_for(data, state, g.leerkring_id, views) for g in found
        }
        if data and state
        else {},
        "all_warnings": warnings_for(data, state, None, views) if data and state else None,
        "all_approved": bool(found) and all(g.approved == len(g.teams) for g in found),
    }
