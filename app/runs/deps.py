"""Dependencies of the run pages: the worker that solves a run in the background.

Tests replace ``get_worker`` with ``app.dependency_overrides`` (a worker that runs inline).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.runs.worker import Worker


def get_worker(request: Request) -> Worker:
    """A worker with sessions on the app's engine."""
    engine = request.app.state.engine
    return Worker(session_factory=lambda: Session(engine, expire_on_commit=False))


WorkerDep = Annotated[Worker, Depends(get_worker)]
