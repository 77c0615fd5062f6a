"""Crash safety: the real server is killed (SIGKILL) while a match run is writing its teams.

The server runs as a uvicorn subprocess on a database of its own. A first run is already
current. The second run's worker is held inside its write transaction after its teams are
written (the server serves ``tests.security.slow_write_app``, the app with that hold), the
server is killed at that moment, and started again (the plain app): the interrupted run must
be marked failed, no team of it may exist and the first run must be untouched.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx2
import pytest
from sqlmodel import Session, col, func, select

from app import csrf
from app.auth.services import start_session
from app.config import ROOT
from app.models import MatchRun, Member, RunStatus, Semester, Team, User
from app.runs.services import StartForm, start_run
from app.runs.worker import Worker, run_inline
from tests.security.live import Live, live_database

# What tests.security.slow_write_app logs when it holds (not imported here: importing it
# puts the hold into this process's worker).
HOLDING = "not committed; holding"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SECRET_KEY = "crash-test-secret-key-0123456789-abcdef"


@contextmanager
def server(
    url: str, entry: str = "app.asgi:app", **env: str
) -> Iterator[tuple[str, subprocess.Popen[str], queue.Queue[str]]]:
    """A uvicorn process on a free port; yields its base URL, the process and its log lines."""
    port = _free_port()
    environment = {
        **os.environ,
        "OM_ENVIRONMENT": "test",
        "OM_DATABASE_URL": url,
        "OM_SECRET_KEY": SECRET_KEY,
        **env,
    }
    cmd = [sys.executable, "-m", "uvicorn", entry, "--host", "127.0.0.1"]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr = proc.stderr
    assert stderr is not None

    def read() -> None:
        for line in stderr:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield base, proc, lines
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=30)


def _wait_until_up(base: str, proc: subprocess.Popen[str], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited while starting"
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.05)  # polling a process that is still starting
    raise AssertionError("the server did not start")


def _wait_for(lines: queue.Queue[str], text: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while (left := deadline - time.monotonic()) > 0:
        try:
            if text in lines.get(timeout=left):
                return
        except queue.Empty:
            break
    raise AssertionError(f"the server never logged {text!r}")


def _first_run(live: Live) -> tuple[int, int]:
    """A finished, current run made in this process; its id and number of team members."""

    def factory() -> Session:
        return Session(live.engine, expire_on_commit=False)

    with factory() as session:
        semester, user = (
            session.get(Semester, live.semester_id),
            session.get(User, live.wijkdocent_id),
        )
        assert semester is not None
        assert user is not None
        run = start_run(
            session=session,
            semester=semester,
            user=user,
            form=StartForm(objective="sum"),
            worker=Worker(session_factory=factory, runner=run_inline),
        )
        assert run.id is not None
        return run.id, _members(session, run.id)


def _members(session: Session, run_id: int) -> int:
    stmt = select(func.count()).select_from(Member).where(Member.run_id == run_id)
    return session.exec(stmt).one()


@pytest.mark.slow
def test_a_server_killed_while_writing_a_run_loses_nothing_and_marks_it_failed():
    with live_database("crash") as live:
        first_id, first_members = _first_run(live)
        assert first_members == 9
        with Session(live.engine) as session:
            user = session.get(User, live.wijkdocent_id)
            assert user is not None
            token = start_session(session=session, user=user)
        csrf_token = csrf.issue(SECRET_KEY, token)  # signed for this session
        cookies = {"om_session": token, "om_csrf": csrf_token}
        with server(live.url, "tests.security.slow_write_app:app") as (base, proc, lines):
            response = httpx2.post(
                f"{base}/runs",
                data={"objective": "sum", "minimal_disruption": "true"},
                cookies=cookies,
                headers={"X-CSRF-Token": csrf_token},
                timeout=30,
            )
            assert response.status_code == 303, response.text[:500]
            _wait_for(lines, HOLDING)  # the teams are written, not yet committed
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        live.engine.dispose()  # no connection of ours survives from before the crash
        with server(live.url) as (base, _proc, _lines):
            page = httpx2.get(f"{base}/runs", cookies=cookies, timeout=30)
            assert page.status_code == 200
        with Session(live.engine) as session:
            runs = {r.id: r for r in session.exec(select(MatchRun).order_by(col(MatchRun.id)))}
            assert list(runs) == [first_id, first_id + 1]
            interrupted = runs[first_id + 1]
            assert interrupted.status == RunStatus.FAILED
            assert (
                interrupted.message == "The run was interrupted; the previous teams are unchanged."
            )
            assert not interrupted.is_current
            teams = select(func.count()).select_from(Team).where(Team.run_id == interrupted.id)
            assert session.exec(teams).one() == 0
            assert _members(session, interrupted.id or 0) == 0
            assert runs[first_id].status == RunStatus.SUCCEEDED
            assert runs[first_id].is_current
            assert _members(session, first_id) == first_members
