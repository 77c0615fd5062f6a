"""Runs whose worker died: found at start-up and before every new run, and marked failed.

The worker is a thread of the process that started the run, so a run records that process
(host, pid and a random id of this process's life). A queued or running run is orphaned when
its process is gone from this host, or when it is still active well past its time limit
(the only sign left when it ran on another host). The worker writes teams in one
transaction, so an orphaned run has no teams: marking it failed is all that is left to do.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.i18n import lazy
from app.models import MatchRun, RunStatus, Semester, utcnow
from app.models.matching import ACTIVE_RUN_STATUSES

# A run still active this long after its time limit lost its worker (a restart, a crash).
STALE_MARGIN = timedelta(minutes=5)
INTERRUPTED = lazy("The run was interrupted; the previous teams are unchanged.")
_LIVES: dict[int, str] = {}


def this_process() -> dict[str, Any]:
    """Who runs a run started now; the life id tells a reused pid from the original."""
    pid = os.getpid()
    life = _LIVES.setdefault(pid, uuid.uuid4().hex)
    return {"host": socket.gethostname(), "pid": pid, "life": life}


def _pid_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no cheap check elsewhere; the time limit still applies
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def owner_gone(owner: object) -> bool:
    """Whether the process recorded on a run has certainly ended."""
    me = this_process()
    if not isinstance(owner, dict) or owner.get("host") != me["host"]:
        return False
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == me["pid"]:
        return bool(owner.get("life") != me["life"])
    return not _pid_alive(pid)


def _orphaned(run: MatchRun, semester_limit: int, now: datetime) -> bool:
    """The time limit the run was started with counts (the semester's may have changed
    since); the semester's is the fallback for a run that stored none."""
    stored = run.parameters.get("time_limit")
    limit = stored if isinstance(stored, int | float) and stored > 0 else semester_limit
    deadline = now - timedelta(seconds=limit) - STALE_MARGIN
    return (run.started_at or run.created_at) < deadline or owner_gone(run.parameters.get("owner"))


def fail_orphaned_runs(*, session: Session, semester_id: int | None = None) -> list[int]:
    """Mark orphaned active runs (of one semester, or all) failed and commit; their ids."""
    stmt = (
        select(MatchRun, Semester.time_limit_seconds)
        .join(Semester, col(Semester.id) == MatchRun.semester_id)
        .where(col(MatchRun.status).in_(ACTIVE_RUN_STATUSES))
    )
    if semester_id is not None:
        stmt = stmt.where(MatchRun.semester_id == semester_id)
    now, failed = utcnow(), []
    for run, time_limit in session.exec(stmt).all():
        if _orphaned(run, time_limit, now):
            run.status, run.finished_at, run.progress = RunStatus.FAILED, now, 100
            run.message = INTERRUPTED
            session.add(run)
            failed.append(run.id or 0)
    session.commit()
    return failed
