"""Hand adjustments to the current run: move, swap, place, unplace, lock, ban.

Every change is checked with the solver's rules before it is saved: the rules it newly
breaks and its cost change are shown, and breaking a rule needs an explicit override with a
reason. Each team the change touches must still be at the version the form was rendered
with (compare-and-set on ``Team.version``), so a stale form never overwrites someone else's
change. Every change is audited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.audit import record
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import lazy
from app.models import Ban, MatchRun, Member, RunStatus, Team, TeamStatus, User, utcnow
from app.parsing import parse_id
from app.runs.data import RunState, SemesterData, load_run, load_semester
from app.runs.rules import (
    Violation,
    member_violations,
    student_cost,
    team_violations,
    unplaced_violation,
)
from app.runs.services import RUN_PHASES, semester_or_404
from app.runs.worker import supervisors_of
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
    target: str = ""  # "team:<id>:<version>", "new:<opdracht id>", "member:<student id>:<version>"
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


def current_state(session: Session, run: MatchRun) -> tuple[SemesterData, RunState]:
    if run.status != RunStatus.SUCCEEDED or not run.is_current:
        raise Conflict(lazy("Only the current run can be adjusted."))
    semester = semester_or_404(session, run.semester_id)
    require_phase(semester, *RUN_PHASES)
    return load_semester(session, semester), load_run(session, run)


def _target(form: ChangeForm, state: RunState) -> tuple[Dest, int | None, int | None]:
    """Parse the target: (destination, team id to version-check, version)."""
    kind, _sep, rest = form.target.partition(":")
    ids = [parse_id(p) for p in rest.split(":")] if rest else []
    parts = [] if None in ids else [i for i in ids if i is not None]
    if kind == NEW and len(parts) == 1:
        return (NEW, parts[0]), None, None
    if kind in ("team", "member") and len(parts) == 2:
        team_id = parts[0] if kind == "team" else state.team_of.get(parts[0])
        if team_id in state.teams:
            return team_id, team_id, parts[1]
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
        if form.opdracht_id not in data.opdrachten:
            form.errors["opdracht_id"] = lazy("Choose an opdracht.")
            raise InvalidInput(errors=list(form.errors.values()))
        pair = (form.student_id, form.opdracht_id)
        if (
            form.action == "ban"
            and member
            and member.locked
            and state.opdracht_of(form.student_id) == form.opdracht_id
        ):
            raise InvalidInput(lazy("This student is locked to this opdracht; unlock them first."))
        (plan.bans if form.action == "ban" else plan.unbans).add(pair)
    else:
        if member is not None and member.locked:
            raise InvalidInput(lazy("This student is locked; unlock them first."))
        if form.action == "unplace":
            plan.dests[form.student_id] = None
        else:
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
    return plan


def _dest_opdracht(state: RunState, dest: Dest) -> int | None:
    if dest is None:
        return None
    if isinstance(dest, tuple):
        return dest[1]
    return state.teams[dest].opdracht_id


def _next_index(state: RunState, opdracht_id: int) -> int:
    used = {t.index for t in state.teams.values() if t.opdracht_id == opdracht_id}
    return next(i for i in range(1, len(used) + 2) if i not in used)


def _violations(
    data: SemesterData,
    state: RunState,
    placement: dict[int, Dest],
    locked: dict[int, bool],
    teams: set[Dest],
    moved: set[int],
) -> list[Violation]:
    out: list[Violation] = []
    for t in teams:
        if t is None:
            continue
        members = sorted(s for s, d in placement.items() if d == t)
        opdracht_id = _dest_opdracht(state, t)
        assert opdracht_id is not None
        index = _next_index(state, opdracht_id) if isinstance(t, tuple) else state.teams[t].index
        out += team_violations(data, opdracht_id, index, members)
        for s in members:
            out += member_violations(data, s, opdracht_id, locked=locked.get(s, False))
    for s in moved:
        if placement.get(s) is None:
            out += unplaced_violation(data, s)
    return out


def evaluate(data: SemesterData, state: RunState, plan: Plan) -> Effect:
    """The rules the change breaks or mends and its cost change, before anything is saved."""
    before: dict[int, Dest] = dict(state.team_of)
    after = {**before, **plan.dests}
    locked = {m.student_id: m.locked for ms in state.members.values() for m in ms}
    new_locked = dict(locked)
    if plan.lock is not None:
        new_locked[plan.student_id] = plan.lock
    moved = set(plan.dests) | {plan.student_id}
    teams = {before.get(s) for s in moved} | {after.get(s) for s in moved} | set(plan.versions)
    old = _violations(data, state, before, locked, teams, moved)
    bans_before = data.bans
    data.bans = {p: b for p, b in bans_before.items() if p not in plan.unbans}
    data.bans.update({p: Ban(semester_id=0, student_id=p[0], opdracht_id=p[1]) for p in plan.bans})
    try:
        new = _violations(data, state, after, new_locked, teams, moved)
    finally:
        data.bans = bans_before
    cost = sum(student_cost(data, s, _dest_opdracht(state, before.get(s))) for s in moved)
    cost_after = sum(student_cost(data, s, _dest_opdracht(state, after.get(s))) for s in moved)
    return Effect(cost, cost_after, _minus(new, old), _minus(old, new))


def _minus(a: list[Violation], b: list[Violation]) -> list[Violation]:
    left = Counter(b)
    out = []
    for v in a:
        if left[v]:
            left[v] -= 1
        else:
            out.append(v)
    return out


@dataclass
class Outcome:
    effect: Effect
    saved: bool


def _claim(session: Session, state: RunState, plan: Plan) -> None:
    """Compare-and-set every touched team's version; a stale form changes nothing."""
    reset = bool(plan.dests)  # a new line-up needs a new approval
    for team_id, version in sorted(plan.versions.items()):
        values: dict[str, object] = {"version": version + 1, "updated_at": utcnow()}
        if reset:
            values.update(status=TeamStatus.PROPOSED, approved_by_id=None, approved_at=None)
        result = session.exec(
            update(Team)
            .where(
                col(Team.id) == team_id,
                col(Team.version) == version,
                col(Team.run_id) == state.run.id,
            )
            .values(**values)
        )
        if result.rowcount != 1:
            session.rollback()
            raise Conflict(
                lazy(
                    "Someone else changed this team in the meantime. "
                    "Nothing was saved; the page now shows the current teams."
                )
            )


def _team_for(session: Session, state: RunState, dest: Dest) -> int:
    if isinstance(dest, int):
        return dest
    assert isinstance(dest, tuple)
    opdracht_id = dest[1]
    team = Team(
        run_id=state.run.id or 0,
        opdracht_id=opdracht_id,
        index=_next_index(state, opdracht_id),
        supervisor_id=supervisors_of(session, [opdracht_id]).get(opdracht_id),
    )
    session.add(team)
    session.flush()
    assert team.id is not None
    return team.id


def _move(session: Session, data: SemesterData, state: RunState, plan: Plan, reason: str) -> None:
    for student_id, dest in plan.dests.items():
        member = state.member(student_id)
        opdracht_id = _dest_opdracht(state, dest)
        if dest is None:
            if member is not None:
                session.delete(member)
            continue
        team_id = _team_for(session, state, dest)
        if member is None:
            member = Member(run_id=state.run.id or 0, team_id=team_id, student_id=student_id)
        member.team_id = team_id
        member.rank = data.students[student_id].rank_of(opdracht_id or 0)
        member.override_reason = reason
        session.add(member)


def _describe(state: RunState, data: SemesterData, student_id: int) -> dict[str, object]:
    member = state.member(student_id)
    return {
        "student": student_id,
        "opdracht": state.opdracht_of(student_id),
        "team": state.team_of.get(student_id),
        "locked": bool(member and member.locked),
        "bans": sorted(o for s, o in data.bans if s == student_id),
    }


def apply_change(
    *, session: Session, run: MatchRun, form: ChangeForm, user: User, preview: bool = False
) -> Outcome:
    """Check a change; save it unless it is a preview or breaks a rule without an override."""
    data, state = current_state(session, run)
    plan = plan_change(form, data, state)
    effect = evaluate(data, state, plan)
    form.reason = form.reason.strip()[:500]
    if preview:
        return Outcome(effect, saved=False)
    if effect.broken and not (form.override and form.reason):
        form.errors["override"] = lazy(
            "This change breaks a rule: tick the override box and give a reason."
        )
        return Outcome(effect, saved=False)
    before = _describe(state, data, form.student_id)
    _claim(session, state, plan)
    try:
        _move(session, data, state, plan, form.reason if effect.broken else "")
        member = state.member(form.student_id)
        if plan.lock is not None and member is not None:
            member.locked = plan.lock
            session.add(member)
        for sid, oid in plan.bans:
            session.add(
                Ban(
                    semester_id=data.semester.id or 0,
                    student_id=sid,
                    opdracht_id=oid,
                    reason=form.reason,
                    created_by_id=user.id,
                )
            )
        for pair in plan.unbans:
            if pair in data.bans:
                session.delete(data.bans[pair])
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(lazy("Someone else changed this in the meantime.")) from None
    after_state = load_run(session, run)
    after_data = load_semester(session, data.semester)
    record(
        session,
        actor=user,
        action=f"run.{form.action}",
        entity="match_run",
        entity_id=run.id,
        semester_id=data.semester.id,
        before=before,
        after={
            **_describe(after_state, after_data, form.student_id),
            "cost_change": effect.delta,
            "broken": [v.message for v in effect.broken],
        },
        reason=form.reason,
    )
    session.commit()
    return Outcome(effect, saved=True)


def lock_team(
    *, session: Session, run: MatchRun, team_id: int, version: int, locked: bool, user: User
) -> None:
    """Lock (or unlock) every member of a team, so a re-run keeps it as it is."""
    data, state = current_state(session, run)
    if team_id not in state.teams:
        raise NotFound()
    _claim(session, state, Plan(versions={team_id: version}))
    for m in state.members[team_id]:
        m.locked = locked
        session.add(m)
    record(
        session,
        actor=user,
        action="run.lock_team" if locked else "run.unlock_team",
        entity="team",
        entity_id=team_id,
        semester_id=data.semester.id,
        after={"members": [m.student_id for m in state.members[team_id]], "locked": locked},
    )
    session.commit()
