"""Hand adjustments to the current run: move, swap, place, unplace, lock, ban, as plans.

A form becomes a :class:`Plan` (where students go, the team versions the form saw) and the
plan's :class:`Effect` (cost change, rules broken and mended) is worked out before anything is
saved; ``app.runs.commit`` writes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import lazy
from app.models import Ban, MatchRun, RunStatus
from app.parsing import parse_id
from app.runs.load import RunState, SemesterData, load_run, load_semester
from app.runs.rules import (
    Violation,
    member_violations,
    student_cost,
    team_violations,
    unplaced_violation,
)
from app.runs.services import RUN_PHASES, semester_or_404
from app.semesters import require_phase

NEW = "new"
ACTIONS = ("move", "swap", "unplace", "lock", "unlock", "ban", "unban")
Dest = int | tuple[str, int] | None  # a team id, ("new", opdracht id), or unplaced


@dataclass
class ChangeForm:
    action: str = "move"
    student_id: int = 0
    from_team: int | None = None  # the team the form was rendered with, and its version
    from_version: int | None = None
    # "team:<id>:<version>", "new:<opdracht id>", "member:<student id>:<team id>:<version>"
    target: str = ""
    opdracht_id: int | None = None  # for ban / unban
    override: bool = False
    reason: str = ""
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Effect:
    cost_before: int
    cost_after: int
    broken: list[Violation]
    fixed: list[Violation]
    # students the change puts on an opdracht they did not rank, which this semester gives no
    # cost (the solver never does it): the cost change is unknown, not the number above
    uncosted: list[str] = field(default_factory=list)

    @property
    def delta(self) -> int:
        return self.cost_after - self.cost_before


@dataclass
class Plan:
    dests: dict[int, Dest] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)  # team id -> version the form saw
    bans: set[tuple[int, int]] = field(default_factory=set)
    unbans: set[tuple[int, int]] = field(default_factory=set)
    lock: bool | None = None
    student_id: int = 0


def current_state(*, session: Session, run: MatchRun) -> tuple[SemesterData, RunState]:
    if run.status != RunStatus.SUCCEEDED or not run.is_current:
        raise Conflict(lazy("Only the current run can be adjusted."))
    semester = semester_or_404(session=session, semester_id=run.semester_id)
    require_phase(semester, *RUN_PHASES)
    return load_semester(session, semester), load_run(session, run)


def _target(form: ChangeForm, state: RunState) -> tuple[Dest, int | None, int | None]:
    """Parse the target: (destination, team id to version-check, version).

    A swap names the other student together with the team and version the form showed, so
    a student who moved since is a conflict, not a swap into a team nobody was shown.
    """
    kind, _sep, rest = form.target.partition(":")
    ids = [parse_id(p) for p in rest.split(":")] if rest else []
    parts = [] if None in ids else [i for i in ids if i is not None]
    if kind == NEW and len(parts) == 1:
        return (NEW, parts[0]), None, None
    if kind == "team" and len(parts) == 2 and parts[0] in state.teams:
        return parts[0], parts[0], parts[1]
    if kind == "member" and len(parts) == 3 and parts[1] in state.teams:
        if state.team_of.get(parts[0]) != parts[1]:
            raise Conflict(
                lazy(
                    "The other student was moved by someone else in the meantime. "
                    "Nothing was saved."
                )
            )
        return parts[1], parts[1], parts[2]
    form.errors["target"] = lazy("Choose where the student goes.")
    raise InvalidInput(errors=list(form.errors.values()))


def plan_change(form: ChangeForm, data: SemesterData, state: RunState) -> Plan:
    """Translate a form into destinations and the versions it was based on."""
    if form.action not in ACTIONS or form.student_id not in data.students:
        raise NotFound()
    plan = Plan(student_id=form.student_id)
    current = state.team_of.get(form.student_id)
    if current != form.from_team:
        raise Conflict(
            lazy("This student was moved by someone else in the meantime. Nothing was saved.")
        )
    if current is not None:
        plan.versions[current] = form.from_version or 0
    member = state.member(form.student_id)
    if form.action in ("lock", "unlock"):
        if member is None:
            raise InvalidInput(lazy("Only a student in a team can be locked."))
        plan.lock = form.action == "lock"
    elif form.action in ("ban", "unban"):
        _plan_ban(form, data, state, plan)
    else:
        if member is not None and member.locked:
            raise InvalidInput(lazy("This student is locked; unlock them first."))
        _plan_move(form, state, plan, current)
    return plan


def _plan_ban(form: ChangeForm, data: SemesterData, state: RunState, plan: Plan) -> None:
    """A ban keeps the student out of one opdracht (an unban lets them back in)."""
    if form.opdracht_id not in data.opdrachten:
        form.errors["opdracht_id"] = lazy("Choose an opdracht.")
        raise InvalidInput(errors=list(form.errors.values()))
    member = state.member(form.student_id)
    pair = (form.student_id, form.opdracht_id)
    if (
        form.action == "ban"
        and member
        and member.locked
        and state.opdracht_of(form.student_id) == form.opdracht_id
    ):
        raise InvalidInput(lazy("This student is locked to this opdracht; unlock them first."))
    (plan.bans if form.action == "ban" else plan.unbans).add(pair)


def _plan_move(form: ChangeForm, state: RunState, plan: Plan, current: int | None) -> None:
    """Move, swap or unplace: where the student (and for a swap, the other) goes."""
    if form.action == "unplace":
        plan.dests[form.student_id] = None
        return
    dest, team_id, version = _target(form, state)
    if team_id is not None:
        plan.versions[team_id] = version or 0
    plan.dests[form.student_id] = dest
    if form.action == "swap":
        other = parse_id(form.target.split(":")[1]) or 0
        other_member = state.member(other)
        if current is None or other_member is None or other_member.locked:
            raise InvalidInput(lazy("Swap needs two students in teams, neither locked."))
        plan.dests[other] = current


def dest_opdracht(state: RunState, dest: Dest) -> int | None:
    if dest is None:
        return None
    if isinstance(dest, tuple):
        return dest[1]
    return state.teams[dest].opdracht_id


def next_index(state: RunState, opdracht_id: int) -> int:
    used = {t.index for t in state.teams.values() if t.opdracht_id == opdracht_id}
    return next(i for i in range(1, len(used) + 2) if i not in used)


def _line_up(state: RunState, dests: dict[int, Dest], team: Dest) -> list[int]:
    """Who is in ``team`` once ``dests`` (student id -> destination) apply, sorted."""
    stay = (
        [m.student_id for m in state.members.get(team, []) if m.student_id not in dests]
        if isinstance(team, int)
        else []
    )
    return sorted(stay + [s for s, d in dests.items() if d == team])


def _violations(
    data: SemesterData,
    state: RunState,
    dests: dict[int, Dest],
    locked: dict[int, bool],
    teams: set[Dest],
    moved: set[int],
) -> list[Violation]:
    """The rules broken in these teams and by these moved students once ``dests`` apply
    (only what the change touches: a preview of one move does not judge the whole run)."""
    out: list[Violation] = []
    for t in teams:
        if t is None:
            continue
        members = _line_up(state, dests, t)
        opdracht_id = dest_opdracht(state, t)
        assert opdracht_id is not None
        index = next_index(state, opdracht_id) if isinstance(t, tuple) else state.teams[t].index
        out += team_violations(data, opdracht_id, index, members)
        for s in members:
            out += member_violations(data, s, opdracht_id, locked=locked.get(s, False))
    for s in moved:
        if (dests[s] if s in dests else state.team_of.get(s)) is None:
            out += unplaced_violation(data, s)
    return out


def _locked(state: RunState, student_id: int) -> bool:
    member = state.member(student_id)
    return bool(member and member.locked)


def evaluate(data: SemesterData, state: RunState, plan: Plan) -> Effect:
    """The rules the change breaks or mends and its cost change, before anything is saved."""
    moved = set(plan.dests) | {plan.student_id}
    after: dict[int, Dest] = {s: plan.dests.get(s, state.team_of.get(s)) for s in moved}
    teams = {state.team_of.get(s) for s in moved} | {after[s] for s in moved} | set(plan.versions)
    # the locks of everyone in the touched teams, and of the moved students
    present = {s for t in teams if isinstance(t, int) for s in _line_up(state, {}, t)}
    locked = {s: _locked(state, s) for s in present | moved}
    new_locked = dict(locked)
    if plan.lock is not None:
        new_locked[plan.student_id] = plan.lock
    old = _violations(data, state, {}, locked, teams, moved)
    bans_before = data.bans
    data.bans = {p: b for p, b in bans_before.items() if p not in plan.unbans}
    data.bans.update({p: Ban(semester_id=0, student_id=p[0], opdracht_id=p[1]) for p in plan.bans})
    try:
        new = _violations(data, state, plan.dests, new_locked, teams, moved)
    finally:
        data.bans = bans_before
    cost = sum(student_cost(data, s, state.opdracht_of(s)) for s in moved)
    cost_after = sum(student_cost(data, s, dest_opdracht(state, after[s])) for s in moved)
    uncosted = sorted(
        data.students[s].name
        for s in moved
        if data.semester.unranked_cost is None
        and (o := dest_opdracht(state, after[s])) is not None
        and data.students[s].rank_of(o) is None
    )
    return Effect(cost, cost_after, _minus(new, old), _minus(old, new), uncosted)


def _minus(a: list[Violation], b: list[Violation]) -> list[Violation]:
    """``a`` without ``b``, judged by verdict (kind, opdracht, team and numbers), not by
    words alone: one team's break and another's mend that read the same do not cancel."""
    left = Counter((v, v.verdict) for v in b)
    out = []
    for v in a:
        if left[v, v.verdict]:
            left[v, v.verdict] -= 1
        else:
            out.append(v)
    return out
