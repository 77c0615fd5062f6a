"""Shared steps of the runs tests."""

from __future__ import annotations

import re
import subprocess

from sqlmodel import Session, select

from app.models import MatchRun
from app.runs.services import StartForm, start_run
from tests.runs.conftest import World, worker_for


def run_now(session: Session, world: World, **form: object) -> MatchRun:
    """Start a run as the wijkdocent and let it finish inline; returns the fresh row."""
    run = start_run(
        session=session,
        semester=world.semester,
        user=world.wijkdocent,
        form=StartForm(**form),  # type: ignore[arg-type]
        worker=worker_for(session),
    )
    session.expire_all()
    fresh = session.exec(select(MatchRun).where(MatchRun.id == run.id)).one()
    return fresh


def form_with(page_text: str, button: str) -> dict[str, str]:
    """The hidden fields of the first POST form on the page whose text has ``button``."""
    for match in re.finditer(r"<form method=\"post\"[^>]*>(.*?)</form>", page_text, re.S):
        if button in match.group(1):
            fields = re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(1)
            )
            return {k: v.replace("&amp;", "&") for k, v in fields}
    raise AssertionError(f"no form with {button!r}")


def dead_pid() -> int:
    """The pid of a process that has ended (a worker's process after a restart)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid
