"""Load test: the deadline rush, the catalogue and the API team list, beside a bare endpoint.

Usage::

    python -m bench.load                                  # PostgreSQL on 127.0.0.1:5432
    python -m bench.load --users 8,32 --seconds 4         # a quicker run

Creates a scratch database on the PostgreSQL server (dropped at the end), migrates it and
loads the demo semester (in its ranking phase). Two servers run in subprocesses on
127.0.0.1, each with uvicorn, 2 workers and ``app.server.NoDelayH11Protocol`` (without it,
``--plain-h11``, every response waits some 40 ms for a delayed ACK): the app, and a bare
FastAPI app whose endpoints answer from memory. Each virtual user of this process
(asyncio + httpx, one connection each) logs in as a distinct demo student and then, in
a closed loop without pauses:

* ``ranking``: POSTs the student's whole ranking, in a new order each time, as JSON to
  ``/student/ranking/order`` with the CSRF header (what the drag-and-drop does);
* ``catalogue``: GETs ``/catalogue``;
* ``api teams``: GETs ``/api/v1/semesters/2026-S2/teams`` with a token, after the demo
  match has been run, approved and published with the app's services;
* ``bare small`` / ``bare teams``: a tiny JSON object, and the API's team page as JSON,
  from the bare app: the floor of FastAPI and of this client on this machine.

Each case runs for at most ``--seconds`` or ``--requests``, whichever comes first, after a
short warm-up; every request has a 30 s timeout. A response with another status than
expected, or a failed request, counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine
from app.demo.build import build_demo
from app.demo.publish import publish_demo
from app.demo.vocabulary import DEMO_PASSWORD
from app.models import Preference, Semester, StudentProfile, User
from bench.api import ROOT, bench_token, serve
from tests.db_urls import fresh_database

SEMESTER = "2026-S2"
BARE_APP = """
import json, pathlib
from fastapi import FastAPI
app = FastAPI()
TEAMS = json.loads(pathlib.Path({path!r}).read_text())

@app.get("/small")
def small() -> dict:
    return {{"status": "ok"}}

@app.get("/teams")
def teams() -> dict:
    return TEAMS
"""


@dataclass
class Student:
    email: str
    ranking: list[int]


@dataclass
class Result:
    scenario: str
    users: int
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def row(self) -> str:
        n = len(self.latencies)
        rate = n / self.seconds if self.seconds else 0.0
        p50, p95, p99 = (self.percentile(p) for p in (50, 95, 99))
        return (
            f"| {self.scenario} | {self.users} | {n} | {rate:.0f} | {p50:.0f} | {p95:.0f} "
            f"| {p99:.0f} | {self.errors} |"
        )


# A virtual user's request: it returns the HTTP status.
Call = Callable[[httpx.AsyncClient, int], Awaitable[int]]


async def drive(
    clients: list[httpx.AsyncClient], call: Call, expected: int, seconds: float, limit: int
) -> tuple[list[float], int, float]:
    """Every client sends requests one after another until the time or the count is up."""
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    deadline = start + seconds

    async def user(index: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        n = 0
        while time.perf_counter() < deadline and len(latencies) + errors < limit:
            t0 = time.perf_counter()
            try:
                status = await call(client, n)
            except httpx.HTTPError:
                status = 0
            n += 1
            if status == expected:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    await asyncio.gather(*(user(i, c) for i, c in enumerate(clients)))
    return latencies, errors, time.perf_counter() - start


async def log_in(base: str, students: list[Student]) -> list[httpx.AsyncClient]:
    """One client per student, logged in (eight logins at a time: argon2 is slow on purpose)."""
    gate = asyncio.Semaphore(8)

    async def one(student: Student) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            base_url=base, timeout=30, limits=httpx.Limits(max_connections=1)
        )
        async with gate:
            await client.get("/login")
            csrf = client.cookies["om_csrf"]
            form = {"email": student.email, "password": DEMO_PASSWORD, "csrf_token": csrf}
            response = await client.post("/login", data=form)
        if response.status_code != 303:
            raise SystemExit(f"login of {student.email} failed: {response.status_code}")
        client.headers["X-CSRF-Token"] = csrf
        return client

    return list(await asyncio.gather(*(one(s) for s in students)))


def ranking_call(students: list[Student]) -> Call:
    """Save the whole ranking, rotated by one place more at each request."""

    async def call(client: httpx.AsyncClient, n: int) -> int:
        ranking = students[_index(client)].ranking
        k = (n + 1) % len(ranking)
        body = {"order": ranking[k:] + ranking[:k]}
        response = await client.post("/student/ranking/order", json=body)
        return response.status_code

    return call


def _index(client: httpx.AsyncClient) -> int:
    return int(client.headers["X-Bench-User"])


def get_call(path: str, headers: dict[str, str] | None = None) -> Call:
    async def call(client: httpx.AsyncClient, n: int) -> int:
        return (await client.get(path, headers=headers)).status_code

    return call


async def run_scenario(
    name: str, clients: list[httpx.AsyncClient], call: Call, args: argparse.Namespace
) -> list[Result]:
    results = []
    await drive(clients[:8], call, 200, seconds=1.0, limit=200)  # warm-up, not counted
    for users in args.users:
        latencies, errors, seconds = await drive(
            clients[:users], call, 200, args.seconds, args.requests
        )
        results.append(Result(name, users, latencies, errors, seconds))
        print(results[-1].row(), flush=True)
    return results


def prepare(url: str) -> tuple[list[Student], str]:
    """Migrate, load the demo; the students with a ranking, and an API token's secret."""
    env = {**os.environ, "OM_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT, env=env, check=True
    )
    engine = make_engine(Settings(environment="test", database_url=url))
    with Session(engine) as session:
        build_demo(session)
        semester = session.exec(select(Semester).where(Semester.code == SEMESTER)).one()
        rows = session.exec(
            select(User.email, Preference.opdracht_id)
            .join(StudentProfile, col(StudentProfile.user_id) == User.id)
            .join(Preference, col(Preference.student_id) == StudentProfile.id)
            .where(Preference.semester_id == semester.id)
            .order_by(col(User.email), col(Preference.rank))
        ).all()
        secret = bench_token(session, "load test")
        session.commit()
    engine.dispose()
    rankings: dict[str, list[int]] = {}
    for email, opdracht_id in rows:
        rankings.setdefault(email, []).append(opdracht_id)
    students = [Student(email, ids) for email, ids in rankings.items() if len(ids) > 1]
    random.Random(1).shuffle(students)
    return students, secret


async def measure(
    args: argparse.Namespace, url: str, students: list[Student], secret: str, tmp: Path
) -> list[Result]:
    env = {"OM_DATABASE_URL": url, "OM_API_RATE_LIMIT_PER_MINUTE": "1000000000"}
    results: list[Result] = []
    teams_path = f"/api/v1/semesters/{SEMESTER}/teams"
    token = {"Authorization": f"Bearer {secret}"}
    options = ["--workers", "2"]
    if not args.plain_h11:
        options += ["--http", "app.server:NoDelayH11Protocol"]
    with serve("app.asgi:app", env, ROOT, *options) as base:
        clients = await log_in(base, students[: max(args.users)])
        for i, client in enumerate(clients):
            client.headers["X-Bench-User"] = str(i)
        try:
            results += await run_scenario("ranking", clients, ranking_call(students), args)
            results += await run_scenario("catalogue", clients, get_call("/catalogue"), args)
            engine = make_engine(Settings(environment="test", database_url=url))
            publish_demo(engine)
            engine.dispose()
            page = await clients[0].get(teams_path, headers=token)
            (tmp / "teams.json").write_text(page.text)
            print(f"API team page: {len(page.json()['items'])} teams, {len(page.content)} bytes")
            # The timetabling system has a token, no login: clients without cookies.
            api = [httpx.AsyncClient(base_url=base, timeout=30) for _ in clients]
            try:
                call = get_call(teams_path, token)
                results += await run_scenario("api teams", api, call, args)
            finally:
                await asyncio.gather(*(c.aclose() for c in api))
        finally:
            await asyncio.gather(*(c.aclose() for c in clients))
    (tmp / "bare_app.py").write_text(BARE_APP.format(path=str(tmp / "teams.json")))
    with serve("bare_app:app", {"PYTHONPATH": str(ROOT)}, tmp, *options) as base:
        clients = [httpx.AsyncClient(base_url=base, timeout=30) for _ in range(max(args.users))]
        try:
            results += await run_scenario("bare small", clients, get_call("/small"), args)
            results += await run_scenario("bare teams", clients, get_call("/teams"), args)
        finally:
            await asyncio.gather(*(c.aclose() for c in clients))
    return results


HEADER = (
    "| scenario | users | requests | req/s | p50 ms | p95 ms | p99 ms | errors |\n"
    "|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a server URL; a scratch database is created on it and dropped afterwards",
    )
    parser.add_argument("--users", default="8,32,128", help="concurrent users, comma separated")
    parser.add_argument("--seconds", type=float, default=8.0, help="at most, per case")
    parser.add_argument("--requests", type=int, default=4000, help="at most, per case")
    parser.add_argument(
        "--plain-h11",
        action="store_true",
        help="uvicorn's own protocol: Nagle stays on with several workers (see app/server.py)",
    )
    args = parser.parse_args(argv)
    args.users = [int(u) for u in args.users.split(",")]
    with tempfile.TemporaryDirectory() as tmp, fresh_database("bench", server=args.postgres) as url:
        students, secret = prepare(url)
        if len(students) < max(args.users):
            raise SystemExit(f"only {len(students)} demo students have a ranking")
        print(HEADER, flush=True)
        results = asyncio.run(measure(args, url, students, secret, Path(tmp)))
    print(f"\n{HEADER}")
    for result in results:
        print(result.row())
    rush = [r for r in results if r.scenario == "ranking" and r.users == 32]
    for r in rush:
        met = r.errors == 0 and r.percentile(99) <= 300
        print(
            f"\nranking at 32 users: p99 {r.percentile(99):.0f} ms, {r.errors} errors: "
            f"target {'met' if met else 'NOT met'} (0 errors, p99 <= 300 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
