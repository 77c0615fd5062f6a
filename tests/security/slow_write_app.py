"""The app as the crash test serves it: ``app.asgi``'s app, with the worker held inside its
write transaction once a run's teams are written (``OM_CRASH_HOLD`` seconds), so that the
test can kill the server at that moment. Only the test imports this; production code has
no hook for it."""

from __future__ import annotations

import logging
import os
import time

from sqlmodel import Session

from app.matching import Result
from app.models import MatchRun
from app.runs import worker

HOLDING = "not committed; holding"
log = logging.getLogger("app.runs.worker")
_write_members = worker.add_members


def _write_members_and_hold(*, session: Session, run: MatchRun, result: Result) -> None:
    _write_members(session=session, run=run, result=result)
    log.warning("run %s: %d teams written, %s", run.id, len(result.teams), HOLDING)
    time.sleep(float(os.environ.get("OM_CRASH_HOLD", "120")))


worker.add_members = _write_members_and_hold

from app.asgi import app  # noqa: E402  (after the hold is in place)

__all__ = ["app"]
