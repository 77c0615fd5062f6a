"""The board's pages: show a run's teams under a filter, preview and save changes, undo.

Every change made on the board is previewed first (``check``), inside the board; saving
redirects back to the board with the same filter (Post/Redirect/Get).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from app.audit import record_access
from app.auth.deps import StaffUser
from app.db import SessionDep
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import see_other
from app.i18n import gettext as _
from app.i18n import lazy, use_request_language
from app.models import MatchRun, RunStatus, Semester, Team
from app.parsing import parse_id
from app.runs import commit, services
from app.runs.adjust import ChangeForm, current_state
from app.runs.board import BoardFilter, build_board
from app.runs.contexts import key_label, move_options
from app.runs.load import (
    RunState,
    SemesterData,
    load_run,
    load_run_with_semester,
    load_semester,
)
from app.runs.undo import last_change, undo_plan
from app.templating import render

router = APIRouter(prefix="/runs", dependencies=[Depends(use_request_language)])


def hidden_fields(
    csrf: str, back: str, action: str, student_id: int, team: Team | None, direct: bool = False
) -> Markup:
    """The hidden inputs of a board change form (a context function, so that a block that
    htmx renders alone has it too)."""
    fields = {"csrf_token": csrf, "action": action, "student_id": student_id, "back": back}
    if team is not None:
        fields |= {"from_team": team.id, "from_version": team.version}
    if not direct:
        fields["check"] = 1
    return Markup("").join(
        Markup('<input type="hidden" name="{}" value="{}">').format(k, v) for k, v in fields.items()
    )


def rank_labels(choices: int) -> dict[int | None, str]:
    """A chip's label of the choice a student got, by rank (None: unranked), worded once."""
    labels: dict[int | None, str] = {r: key_label(str(r)) for r in range(1, choices + 1)}
    return labels | {None: key_label("unranked")}


def _run(session: SessionDep, run_id: int) -> tuple[MatchRun, Semester]:
    """The run and its semester, loaded together; a route holds the semester for the whole
    request, so that the services' own lookups of it are answered from the session."""
    found = load_run_with_semester(session, run_id)
    if found is None:
        raise NotFound()
    return found


def _loaded(
    session: SessionDep, run: MatchRun, semester: Semester
) -> tuple[SemesterData, RunState]:
    if run.status != RunStatus.SUCCEEDED:
        raise Conflict(lazy("Only a run with teams has a board."))
    return load_semester(session, semester), load_run(session, run)


def _context(
    session: SessionDep,
    run: MatchRun,
    loaded: tuple[SemesterData, RunState],
    f: BoardFilter,
    pick: int | None = None,
    only: set[int] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data, state = loaded
    names = {k: lk.name for k, lk in data.leerkringen.items()} | {0: _(lazy("No leerkring"))}
    picked = data.students.get(pick or 0)
    editable = run.is_current and data.semester.phase in services.RUN_PHASES
    return {
        "run": run,
        "semester": data.semester,
        "data": data,
        "state": state,
        "board": build_board(data, state, f, names, only),
        "names": names,
        "picked": picked,
        "picked_member": state.member(picked.id) if picked else None,
        "picked_team": state.teams.get(state.team_of.get(picked.id, 0)) if picked else None,
        "new_teams": [
            (v, label) for v, label in move_options(data, state, picked.id) if v.startswith("new:")
        ]
        if picked
        else [],
        "last": last_change(session, run, state) if editable and only is None else None,
        "editable": editable,
        "rank_labels": rank_labels(len(data.semester.rank_costs)),
        "group_codes": data.group_codes,  # one dict for every chip's group mark
        "back": f.query(),
        "hidden": hidden_fields,
        "actions_label": _(lazy("Move or change…")),
        "swap_label": _(lazy("Swap with {name}")).format(name=picked.name) if picked else "",
        **extra,
    }


@router.get("/{run_id}/board", response_class=HTMLResponse)
def show_board(request: Request, session: SessionDep, user: StaffUser, run_id: int) -> Response:
    run, semester = _run(session, run_id)
    params = dict(request.query_params)
    f = BoardFilter.parse(params)
    ctx = _context(session, run, _loaded(session, run, semester), f, parse_id(params.get("pick")))
    record_access(  # staff saw students' data (AVG), as on the run page
        session=session,
        actor=user,
        action="run.board",
        entity="match_run",
        entity_id=run.id,
        semester_id=run.semester_id,
    )
    return render(request, "runs/board.html", ctx)


def _back(run_id: int, back: str) -> str:
    """The board's URL with the filter of ``back`` (re-parsed, so it is only a filter)."""
    query = BoardFilter.parse(dict(parse_qsl(back))).query()
    return f"/runs/{run_id}/board" + (f"?{query}" if query else "")


def _outcome_page(
    request: Request,
    session: SessionDep,
    run: MatchRun,
    semester: Semester,
    form: ChangeForm,
    back: str,
    run_change: Any,
    event_id: int | None = None,
) -> Response:
    f = BoardFilter.parse(dict(parse_qsl(back)))
    try:
        loaded = current_state(session=session, run=run)
        outcome = run_change(loaded)
    except (InvalidInput, Conflict) as exc:
        session.rollback()
        ctx = _context(session, run, _loaded(session, run, semester), f, form=form)
        ctx["refusal"] = exc.translated()
        return render(request, "runs/board.html", ctx, status=exc.status_code)
    if outcome.saved:
        return see_other(_back(run.id or 0, back) + "#board_top", lazy("The change is saved."))
    touched = set(outcome.plan.versions) if outcome.plan else set()
    ctx = _context(
        session, run, loaded, f, only=touched, preview=outcome, form=form, event_id=event_id
    )
    return render(request, "runs/board.html", ctx, status=422 if form.errors else 200)


@router.post("/{run_id}/board/change", response_class=HTMLResponse)
def change_on_board(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    run_id: int,
    student_id: Annotated[int, Form()] = 0,
    action: Annotated[str, Form(max_length=16)] = "",
    from_team: Annotated[int | None, Form()] = None,
    from_version: Annotated[int | None, Form()] = None,
    target: Annotated[str, Form(max_length=64)] = "",
    opdracht_id: Annotated[int | None, Form()] = None,
    override: Annotated[bool, Form()] = False,
    reason: Annotated[str, Form(max_length=500)] = "",
    check: Annotated[str, Form(max_length=8)] = "",
    back: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    run, semester = _run(session, run_id)
    form = ChangeForm(
        action, student_id, from_team, from_version, target, opdracht_id, override, reason
    )

    def run_change(loaded: tuple[SemesterData, RunState]) -> commit.Outcome:
        return commit.apply_change(
            session=session, run=run, form=form, user=user, preview=bool(check), loaded=loaded
        )

    return _outcome_page(request, session, run, semester, form, back, run_change)


@router.post("/{run_id}/board/undo", response_class=HTMLResponse)
def undo_on_board(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    run_id: int,
    event_id: Annotated[int, Form()] = 0,
    override: Annotated[bool, Form()] = False,
    reason: Annotated[str, Form(max_length=500)] = "",
    check: Annotated[str, Form(max_length=8)] = "",
    back: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    run, semester = _run(session, run_id)
    form = ChangeForm(action="undo", override=override, reason=reason)

    def run_change(loaded: tuple[SemesterData, RunState]) -> commit.Outcome:
        data, state = loaded
        plan = undo_plan(session, run, state, event_id)
        form.student_id = plan.student_id
        return commit.commit_plan(
            session=session,
            data=data,
            state=state,
            plan=plan,
            form=form,
            user=user,
            preview=bool(check),
        )

    return _outcome_page(request, session, run, semester, form, back, run_change, event_id=event_id)


@router.post("/{run_id}/board/teams/{team_id}/lock")
def lock_team_on_board(
    session: SessionDep,
    user: StaffUser,
    run_id: int,
    team_id: int,
    version: Annotated[int, Form()],
    locked: Annotated[bool, Form()] = False,
    back: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    run, _semester = _run(session, run_id)  # held: lock_team's lookup of it is then free
    commit.lock_team(
        session=session, run=run, team_id=team_id, version=version, locked=locked, user=user
    )
    done = lazy("The team is locked.") if locked else lazy("The team is unlocked.")
    return see_other(_back(run_id, back) + f"#team-{team_id}", done)
