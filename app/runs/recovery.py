"""Runs and profile comparisons whose worker died: found at start-up, before every new run
or comparison and when a comparison is shown, and marked failed.

The worker is a thread of the process that started the job, so a job records that process
(host, pid and a random id of this process's life) in its ``parameters``. A queued or running
job is orphaned when its process is gone from this host, or when it is still active well
past its time limit (the only sign left when it ran on another host). The worker writes
teams in one transaction, so an orphaned run has no teams, and a comparison writes no
teams at all: marking the job failed is all that is left to do.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlmodel import Session, col, select

from app.i18n import lazy
from app.models import MatchRun, ProfileComparison, RunStatus, Semester, utcnow
from app.models.matching import ACTIVE_RUN_STATUSES

# A run still active this long after its time limit lost its worker (a restart, a crash).
STALE_MARGIN = timedelta(minutes=5)
INTERRUPTED = lazy("The run was interrupted; the previous teams are unchanged.")
COMPARISON_INTERRUPTED = lazy("The comparison was interrupted; compare again.")
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


Job = MatchRun | ProfileComparison


def _orphaned(job: Job, semester_limit: int, now: datetime) -> bool:
    """The time limit the job was started with counts (the semester's may have changed
    since); the semester's is the fallback for a job that stored none."""
    stored = job.parameters.get("time_limit")
    limit = stored if isinstance(stored, int | float) and stored > 0 else semester_limit
    deadline = now - timedelta(seconds=limit) - STALE_MARGIN
    started = getattr(job, "started_at", None) or job.created_at
    return started < deadline or owner_gone(job.parameters.get("owner"))


def _fail_orphaned(
    session: Session, kind: type[Job], message: str, semester_id: int | None
) -> list[int]:
    """Mark orphaned active jobs of one kind (of one semester, or all) failed and commit."""
    stmt = (
        select(kind, Semester.time_limit_seconds)
        .join(Semester, col(Semester.id) == kind.semester_id)
        .where(col(kind.status).in_(ACTIVE_RUN_STATUSES))
    )
    if semester_id is not None:
        stmt = stmt.where(kind.semester_id == semester_id)
    now, failed = utcnow(), []
    rows = cast(list[tuple[Job, int]], session.exec(stmt).all())  # select() of a union
    for job, time_limit in rows:
        if _orphaned(job, time_limit, now):
            job.status, job.finished_at, job.progress = RunStatus.FAILED, now, 100
            job.message = message
            session.add(job)
            failed.append(job.id or 0)
    session.commit()
    return failed


def fail_orphaned_runs(*, session: Session, semester_id: int | None = None) -> list[int]:
    """Mark orphaned active runs (of one semester, or all) failed and commit; their ids."""
    return _fail_orphaned(session, MatchRun, INTERRUPTED, semester_id)


def fail_orphaned_comparisons(*, session: Session, semester_id: int | None = None) -> list[int]:
    """Mark orphaned profile comparisons (of one semester, or all) failed and commit."""
    return _fail_orphaned(session, ProfileComparison, COMPARISON_INTERRUPTED, semester_id)
