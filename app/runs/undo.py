"""Undo the last change to a run: its audit event says where everyone was before it.

Only the run's latest change can be undone, and only while the teams it touched are still
at the versions it left them at: the undo is an ordinary plan, compare-and-set on those
versions, checked and previewed like every other change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import Conflict
from app.i18n import lazy
from app.models import AuditEvent, MatchRun
from app.runs.adjust import ACTIONS, Dest, Plan
from app.runs.load import RunState

CHANGES = (*tuple(f"run.{a}" for a in ACTIONS), "run.undo")


@dataclass
class LastChange:
    event: AuditEvent
    plan: Plan


def last_change(session: Session, run: MatchRun, state: RunState) -> LastChange | None:
    """The run's latest change and the plan that reverses it (None: nothing to undo)."""
    event = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "match_run",
            AuditEvent.entity_id == str(run.id),
            col(AuditEvent.action).in_(CHANGES),
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    undo = (event.after or {}).get("undo") if event else None
    if event is None or event.action == "run.undo" or not isinstance(undo, dict):
        return None
    dests: dict[int, Dest] = {}
    for student_id, team_id in undo["dests"]:
        if team_id is not None and team_id not in state.teams:
            return None
        dests[student_id] = team_id
    plan = Plan(
        dests=dests,
        versions=dict(undo["versions"]),
        bans={(s, o) for s, o in undo["bans"]},
        unbans={(s, o) for s, o in undo["unbans"]},
        lock=undo["lock"],
        student_id=undo["student"],
    )
    return LastChange(event, plan)


def undo_plan(session: Session, run: MatchRun, state: RunState, event_id: int) -> Plan:
    """The reversing plan of change ``event_id``, if it is still the run's latest change."""
    last = last_change(session, run, state)
    if last is None or last.event.id != event_id:
        raise Conflict(
            lazy("This is no longer the last change, so it cannot be undone. Nothing was saved.")
        )
    return last.plan
