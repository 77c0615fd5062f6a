"""Benchmark of the team board: a generated semester of 1,000 students, solved for real.

Usage::

    python -m bench.board                     # throwaway SQLite file
    python -m bench.board --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python -m bench.board --students 1000 --repeat 20

Builds the semester (7 programmes, 7 leerkringen, one opdracht per 16 students with up to
4 teams of 3 to 5, five choices per student), runs the solver through the app's worker,
then times the board's requests against the real app in this process (Starlette's test
client: server time, without a network): the board page, a change preview and saving a
change (each save moves another student, with an override so every one is written).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.auth.services import start_session
from app.config import Settings
from app.cookies import SESSION_COOKIE
from app.db import make_engine
from app.main import create_app
from app.models import (
    Leerkring,
    LeerkringWijkdocent,
    MatchRun,
    Member,
    Opdracht,
    OpdrachtStatus,
    Partner,
    Phase,
    Preference,
    Programme,
    Role,
    Semester,
    StudentProfile,
    Team,
    User,
)
from app.runs.services import StartForm, start_run
from app.runs.worker import Worker, run_inline
from tests.conftest import migrate
from tests.db_urls import fresh_database


def build(session: Session, students: int, seed: int) -> tuple[User, Semester]:
    rng = random.Random(seed)
    programmes = [
        Programme(code=f"P{i}", name_nl=f"Opleiding {i}", name_en=f"P{i}") for i in range(7)
    ]
    kringen = [Leerkring(name=f"Leerkring {i}") for i in range(7)]
    partner = Partner(name="Partner")
    semester = Semester(code="2026-S2", phase=Phase.MATCHING, unplaced_cost=100)
    wd = User(email="wd@bench.invalid", name="Wijkdocent", role=Role.WIJKDOCENT)
    session.add_all([*programmes, *kringen, partner, semester, wd])
    session.flush()
    session.add_all(LeerkringWijkdocent(leerkring_id=k.id, user_id=wd.id) for k in kringen)  # type: ignore[arg-type]
    opdrachten = [
        Opdracht(
            semester_id=semester.id,  # type: ignore[arg-type]
            owner_partner_id=partner.id,  # type: ignore[arg-type]
            title=f"Opdracht {i}",
            leerkring_id=kringen[i % 7].id,
            teams=4,
            min_size=3,
            max_size=5,
            max_per_programme=2,
            min_programmes=2,
            status=OpdrachtStatus.APPROVED,
        )
        for i in range(max(1, students // 16))
    ]
    session.add_all(opdrachten)
    session.flush()
    for i in range(students):
        user = User(email=f"s{i}@bench.invalid", name=f"Student {i:04d}", role=Role.STUDENT)
        session.add(user)
        session.flush()
        profile = StudentProfile(
            user_id=user.id,  # type: ignore[arg-type]
            programme_id=programmes[i % 7].id,  # type: ignore[arg-type]
            student_number=f"{3000000 + i}",
            year=2,
            leerkring_id=kringen[i % 7].id,
        )
        session.add(profile)
        session.flush()
        for rank, o in enumerate(rng.sample(opdrachten, 5), start=1):
            session.add(
                Preference(
                    semester_id=semester.id,  # type: ignore[arg-type]
                    student_id=profile.id,  # type: ignore[arg-type]
                    opdracht_id=o.id,  # type: ignore[arg-type]
                    rank=rank,
                )
            )
    session.commit()
    return wd, semester


@dataclass
class Timings:
    """One figure per request: wall time, the process's CPU time, statements sent."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    database: list[float] = field(default_factory=list)

    def add(self, other: Timings) -> None:
        self.wall += other.wall
        self.cpu += other.cpu
        self.queries += other.queries
        self.database += other.database


class Counter:
    """Counts the statements an engine sends (each one a round trip to the database) and the
    time from sending each to its answer (on PostgreSQL: the round trip and the server's work,
    which the process's CPU time leaves out)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.seconds = 0.0
        self._sent = 0.0
        event.listen(engine, "before_cursor_execute", self._send)
        event.listen(engine, "after_cursor_execute", self._answered)

    def _send(self, *_args: Any) -> None:
        self.count += 1
        self._sent = time.perf_counter()

    def _answered(self, *_args: Any) -> None:
        self.seconds += time.perf_counter() - self._sent


def _time(call: Callable[[], Any], repeat: int, expect: int, counter: Counter) -> Timings:
    out = Timings()
    for _ in range(repeat):
        before, waited = counter.count, counter.seconds
        cpu = time.process_time()
        start = time.perf_counter()
        response = call()
        out.wall.append((time.perf_counter() - start) * 1000)
        out.cpu.append((time.process_time() - cpu) * 1000)
        out.queries.append(counter.count - before)
        out.database.append((counter.seconds - waited) * 1000)
        assert response.status_code == expect, (response.status_code, response.text[-600:])
    return out


class Profiler:
    """cProfile in every thread started after ``start`` (the test client serves the app
    from worker threads), merged into one report."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []

    def _hook(self, *_args: Any) -> None:
        profile = cProfile.Profile()
        self.profiles.append(profile)
        profile.enable()  # replaces this hook for the thread

    def start(self) -> None:
        threading.setprofile(self._hook)

    def report(self, lines: int) -> None:
        threading.setprofile(None)  # type: ignore[arg-type]
        for profile in self.profiles:
            profile.disable()
        stats = [p for p in self.profiles if p.getstats()]
        if stats:
            report = pstats.Stats(*stats)
            report.sort_stats("cumulative").print_stats(lines)
            report.sort_stats("tottime").print_stats(lines)


def _move(engine: Engine, run_id: int, k: int) -> dict[str, str]:
    """A move of the k-th member to a team of another opdracht, with the current versions."""
    with Session(engine) as session:
        return _move_in(session, run_id, k)


def _move_in(session: Session, run_id: int, k: int) -> dict[str, str]:
    members = session.exec(
        select(Member).where(Member.run_id == run_id).order_by(col(Member.id))
    ).all()
    teams = {t.id: t for t in session.exec(select(Team).where(Team.run_id == run_id))}
    m = members[(k * 37) % len(members)]
    source = teams[m.team_id]
    target = next(
        t for t in teams.values() if t.opdracht_id != source.opdracht_id and t.id != source.id
    )
    return {
        "action": "move",
        "student_id": str(m.student_id),
        "from_team": str(source.id),
        "from_version": str(source.version),
        "target": f"team:{target.id}:{target.version}",
        "override": "true",
        "reason": "benchmark",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", default="sqlite://")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--unplaced",
        type=int,
        default=0,
        help="take this many students out of their teams first (the tray and its suggestions)",
    )
    parser.add_argument(
        "--profile",
        choices=("board", "preview", "save"),
        help="time only these requests, and print a cProfile report of them",
    )
    args = parser.parse_args()
    profiler = Profiler()
    load_before = os.getloadavg()
    with fresh_database("bench_board", args.postgres) as url:
        settings = Settings(environment="test", database_url=url, secret_key="b" * 40)
        engine = make_engine(settings)
        migrate(engine)
        with Session(engine, expire_on_commit=False) as session:
            wd, semester = build(session, args.students, args.seed)
        started = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            worker = Worker(
                session_factory=lambda: Session(engine, expire_on_commit=False), runner=run_inline
            )
            run = start_run(
                session=session, semester=semester, user=wd, form=StartForm(), worker=worker
            )
            run_id = run.id or 0
        solve_s = time.perf_counter() - started
        with Session(engine, expire_on_commit=False) as session:
            run = session.exec(select(MatchRun).where(MatchRun.id == run_id)).one()
            assert run.status == "succeeded", run.message
            cookie = start_session(session=session, user=wd)
            session.commit()
        if args.profile:
            profiler.start()
        app = create_app(settings)
        counter = Counter(app.state.engine)
        client = TestClient(app, follow_redirects=False)
        # the CSRF token is bound to the session: ask for the one of this session
        client.cookies.set(SESSION_COOKIE, cookie, domain="testserver.local")
        client.get("/healthz")
        client.headers["X-CSRF-Token"] = client.cookies["om_csrf"]
        for k in range(args.unplaced):
            out = {**_move(engine, run_id, 5000 + k), "action": "unplace", "target": ""}
            response = client.post(f"/runs/{run_id}/board/change", data=out)
            assert response.status_code == 303, response.text[-600:]
        client.get(f"/runs/{run_id}/board")  # warm up: templates compiled, catalogues read
        board, preview, saves = Timings(), Timings(), Timings()
        wanted = {args.profile} if args.profile else {"board", "preview", "save"}
        if "board" in wanted:
            board = _time(lambda: client.get(f"/runs/{run_id}/board"), args.repeat, 200, counter)
        if "preview" in wanted:
            form = _move(engine, run_id, 0)
            preview = _time(
                lambda: client.post(f"/runs/{run_id}/board/change", data={**form, "check": "1"}),
                args.repeat,
                200,
                counter,
            )
        for k in range(args.repeat if "save" in wanted else 0):
            data = _move(engine, run_id, k + 1)
            call = partial(client.post, f"/runs/{run_id}/board/change", data=data)
            saves.add(_time(call, 1, 303, counter))
        client.close()
        app.state.engine.dispose()
        engine.dispose()
    load_after = os.getloadavg()
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{kind}, {args.students} students ({args.unplaced} taken out), solved in {solve_s:.1f} s;"
        f" {args.repeat} requests;"
        f" load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print(
        "  ms (wall: elapsed; cpu: this process's CPU time), statements per request and the"
        " time from sending them to their answers"
    )
    for name, t in (("board page", board), ("change preview", preview), ("save a change", saves)):
        if not t.wall:
            continue
        print(
            f"  {name:15} wall p50 {statistics.median(t.wall):7.1f}  p95 {_p95(t.wall):7.1f}"
            f"   cpu p50 {statistics.median(t.cpu):7.1f}  p95 {_p95(t.cpu):7.1f}"
            f"   statements {statistics.median(t.queries):.0f}"
            f" (database p50 {statistics.median(t.database):5.1f})"
        )
    if args.profile:
        profiler.report(40)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


if __name__ == "__main__":
    main()
