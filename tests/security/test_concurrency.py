"""Two match runs started at the same moment, each on its own connection: the database lets
exactly one in (a partial unique index), the other gets the clear refusal."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from app.errors import Conflict
from app.models import MatchRun, RunStatus, Semester, User
from app.runs.services import StartForm, start_run
from app.runs.worker import Worker
from tests.db_urls import is_postgres
from tests.security.live import live_database


def test_two_concurrent_starts_give_one_run_and_one_refusal():
    label = "pg" if is_postgres() else "sqlite"
    with live_database(f"race_{label}") as live:
        barrier = threading.Barrier(2)
        jobs: list[object] = []
        worker = Worker(session_factory=lambda: Session(live.engine), runner=jobs.append)

        def start(_: int) -> str:
            with Session(live.engine, expire_on_commit=False) as session:
                semester = session.get(Semester, live.semester_id)
                user = session.get(User, live.wijkdocent_id)
                assert semester is not None
                assert user is not None
                session.commit()  # SQLite: no transaction (and its write lock) held while waiting
                barrier.wait(timeout=10)  # both requests are in flight together
                try:
                    start_run(
                        session=session,
                        semester=semester,
                        user=user,
                        form=StartForm(),
                        worker=worker,
                    )
                except Conflict as exc:
                    return str(exc.message)
                return "started"

        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(start, range(2)))
        assert outcomes == ["A match run for this semester is already in progress.", "started"]
        with Session(live.engine) as session:
            runs = session.exec(select(MatchRun).where(MatchRun.semester_id == live.semester_id))
            assert [r.status for r in runs] == [RunStatus.QUEUED]
        assert len(jobs) == 1
