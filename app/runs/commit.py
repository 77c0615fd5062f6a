"""Save a checked change to the current run: compare-and-set, the write, the audit event.

Each team the change touches must still be at the version the form was rendered with: one
conditional ``UPDATE team ... WHERE id = ... AND version = ...`` per team, and zero rows
rolls everything back with a Conflict. The audit event carries what undoing the change
needs (where the students were, and the versions the change left the teams at).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.audit import record
from app.errors import Conflict, Forbidden, NotFound
from app.i18n import lazy
from app.memberships import staff_scope, supervisors_of
from app.models import Ban, MatchRun, Member, Team, TeamStatus, User, utcnow
from app.runs.adjust import (
    ChangeForm,
    Dest,
    Effect,
    Plan,
    current_state,
    dest_opdracht,
    evaluate,
    next_index,
    plan_change,
)
from app.runs.load import RunState, SemesterData


@dataclass
class Outcome:
    effect: Effect
    saved: bool
    plan: Plan | None = None


def claim(session: Session, state: RunState, plan: Plan) -> None:
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
            # No rollback here: the request's session ends without a commit, which drops the
            # teams claimed so far; rolling back now would expire the signed-in user that the
            # error page still shows. Callers that keep using the session roll back first.
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
        index=next_index(state, opdracht_id),
        supervisor_id=supervisors_of(session=session, opdracht_ids=[opdracht_id]).get(opdracht_id),
    )
    session.add(team)
    session.flush()
    assert team.id is not None
    return team.id


def _move(
    session: Session, data: SemesterData, state: RunState, plan: Plan, reason: str
) -> dict[int, int]:
    """Write the new places; returns the teams created, by id, with their first version."""
    created: dict[int, int] = {}
    for student_id, dest in plan.dests.items():
        member = state.member(student_id)
        opdracht_id = dest_opdracht(state, dest)
        if dest is None:
            if member is not None:
                session.delete(member)
            continue
        team_id = _team_for(session, state, dest)
        if not isinstance(dest, int):
            created[team_id] = 1
        if member is None:
            member = Member(run_id=state.run.id or 0, team_id=team_id, student_id=student_id)
        member.team_id = team_id
        member.rank = data.students[student_id].rank_of(opdracht_id or 0)
        member.override_reason = reason
        session.add(member)
    return created


def _describe(state: RunState, data: SemesterData, student_id: int) -> dict[str, Any]:
    member = state.member(student_id)
    return {
        "student": student_id,
        "opdracht": state.opdracht_of(student_id),
        "team": state.team_of.get(student_id),
        "locked": bool(member and member.locked),
        "bans": sorted(o for s, o in data.bans if s == student_id),
    }


def _undo(state: RunState, plan: Plan, created: dict[int, int]) -> dict[str, Any]:
    """What puts things back: old places, and the versions this change leaves teams at."""
    member = state.member(plan.student_id)
    versions = {t: v + 1 for t, v in plan.versions.items()} | created
    return {
        "student": plan.student_id,
        "dests": [[s, state.team_of.get(s)] for s in sorted(plan.dests)],
        "versions": [[t, v] for t, v in sorted(versions.items())],
        "lock": None if plan.lock is None else bool(member and member.locked),
        "bans": sorted([s, o] for s, o in plan.unbans),
        "unbans": sorted([s, o] for s, o in plan.bans),
    }


def _write(
    session: Session, data: SemesterData, state: RunState, plan: Plan, form: ChangeForm, user: User
) -> dict[int, int]:
    try:
        created = _move(session, data, state, plan, form.reason if form.override else "")
        member = state.member(plan.student_id)
        if plan.lock is not None and member is not None:
            member.locked = plan.lock
            session.add(member)
        for sid, oid in sorted(plan.bans):
            ban = Ban(
                semester_id=data.semester.id or 0,
                student_id=sid,
                opdracht_id=oid,
                reason=form.reason,
                created_by_id=user.id,
            )
            session.add(ban)
        for pair in plan.unbans:
            if pair in data.bans:
                session.delete(data.bans[pair])
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(lazy("Someone else changed this in the meantime.")) from None
    return created


def require_adjust_scope(
    *, session: Session, user: User, data: SemesterData, state: RunState, plan: Plan
) -> None:
    """A wijkdocent changes a student of their own leerkringen, or the teams of their own
    leerkringen: each student a change touches must be in their scope (app.memberships.
    staff_scope), or else every team that student leaves or joins, and every opdracht they are
    banned from or let back into, must belong to a leerkring in it (docs/security.md,
    "Access"). An admin changes anything."""
    scope = staff_scope(session=session, user=user)
    if scope is None:
        return
    students = {plan.student_id, *plan.dests, *(s for s, _o in plan.bans | plan.unbans)}
    for student_id in students:
        student = data.students.get(student_id)
        if student is None or student.leerkring_id in scope:
            continue
        opdrachten = {dest_opdracht(state, state.team_of.get(student_id))}
        if student_id in plan.dests:
            opdrachten.add(dest_opdracht(state, plan.dests[student_id]))
        opdrachten |= {o for s, o in plan.bans | plan.unbans if s == student_id}
        kringen = {data.opdrachten[o].opdracht.leerkring_id for o in opdrachten if o is not None}
        if not kringen or not kringen <= scope:
            raise Forbidden(lazy("You can only change students or teams of your own leerkring."))


def _described_after(
    state: RunState, plan: Plan, effect: Effect, before: dict[str, Any], created: dict[int, int]
) -> dict[str, Any]:
    """The audit's picture of the student after the saved change, with how to undo it."""
    new_team = plan.dests.get(plan.student_id, before["team"])
    if not isinstance(new_team, int | None):
        new_team = next(iter(created), None)
    return {
        **before,
        "opdracht": dest_opdracht(state, plan.dests[plan.student_id])
        if plan.student_id in plan.dests
        else before["opdracht"],
        "team": new_team,
        "locked": before["locked"] if plan.lock is None else plan.lock,
        "bans": sorted(
            (set(before["bans"]) | {o for _s, o in plan.bans}) - {o for _s, o in plan.unbans}
        ),
        "cost_change": effect.delta,
        "broken": [v.message for v in effect.broken],
        "undo": _undo(state, plan, created),
    }


def commit_plan(
    *,
    session: Session,
    data: SemesterData,
    state: RunState,
    plan: Plan,
    form: ChangeForm,
    user: User,
    preview: bool = False,
) -> Outcome:
    """Check a plan; save it unless it is a preview or breaks a rule without an override."""
    require_adjust_scope(session=session, user=user, data=data, state=state, plan=plan)
    effect = evaluate(data, state, plan)
    form.reason = form.reason.strip()[:500]
    if preview:
        return Outcome(effect, saved=False, plan=plan)
    if effect.broken and not (form.override and form.reason):
        form.errors["override"] = lazy(
            "This change breaks a rule: tick the override box and give a reason."
        )
        return Outcome(effect, saved=False, plan=plan)
    form.override = bool(effect.broken)
    before = _describe(state, data, plan.student_id)
    claim(session, state, plan)
    created = _write(session, data, state, plan, form, user)
    after = _described_after(state, plan, effect, before, created)
    record(
        session=session,
        actor=user,
        action=f"run.{form.action}",
        entity="match_run",
        entity_id=state.run.id,
        semester_id=data.semester.id,
        before=before,
        after=after,
        reason=form.reason,
    )
    session.commit()
    return Outcome(effect, saved=True, plan=plan)


def apply_change(
    *,
    session: Session,
    run: MatchRun,
    form: ChangeForm,
    user: User,
    preview: bool = False,
    loaded: tuple[SemesterData, RunState] | None = None,
) -> Outcome:
    """Plan a change from its form, then check it and save it (``commit_plan``)."""
    data, state = loaded or current_state(session=session, run=run)
    plan = plan_change(form, data, state)
    return commit_plan(
        session=session, data=data, state=state, plan=plan, form=form, user=user, preview=preview
    )


def lock_team(
    *, session: Session, run: MatchRun, team_id: int, version: int, locked: bool, user: User
) -> None:
    """Lock (or unlock) every member of a team, so a re-run keeps it as it is."""
    data, state = current_state(session=session, run=run)
    if team_id not in state.teams:
        raise NotFound()
    members = {m.student_id: state.teams[team_id].id for m in state.members[team_id]}
    plan = Plan(dests=dict(members), student_id=next(iter(members), 0))
    require_adjust_scope(session=session, user=user, data=data, state=state, plan=plan)
    claim(session, state, Plan(versions={team_id: version}))
    for m in state.members[team_id]:
        m.locked = locked
        session.add(m)
    record(
        session=session,
        actor=user,
        action="run.lock_team" if locked else "run.unlock_team",
        entity="team",
        entity_id=team_id,
        semester_id=data.semester.id,
        after={"members": [m.student_id for m in state.members[team_id]], "locked": locked},
    )
    session.commit()
