"""Benchmark of the JSON API: a semester with 5,000 published students.

Usage::

    python -m bench.api                      # 5,000 students, 8 s of load per case
    python -m bench.api --students 1000 --seconds 3

Builds the semester in a throwaway SQLite database, publishes it with ``sync_publication``,
then starts two servers with uvicorn on 127.0.0.1, each in its own subprocess: the real app,
and a bare FastAPI app that returns the same first page of teams from memory (the floor any
FastAPI endpoint pays). A client in this process measures the full sync (following
``Link: rel="next"``), an incremental sync, and requests per second for the team list,
bounded by a request count and a time limit.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path

import httpx
from sqlmodel import Session

from app.api_tokens.services import issue_token
from app.config import Settings
from app.db import make_engine
from app.models import (
    Leerkring,
    MatchRun,
    Member,
    Opdracht,
    OpdrachtStatus,
    Partner,
    Phase,
    Programme,
    Role,
    RunStatus,
    Semester,
    StudentProfile,
    Team,
    TeamStatus,
    User,
    utcnow,
)
from app.runs.snapshot import sync_publication
from tests.db_urls import fresh_database

ROOT = Path(__file__).resolve().parent.parent
TEAM_SIZE = 5
TEAMS_PER_OPDRACHT = 4
BARE_APP = """
import json, pathlib
from fastapi import FastAPI
app = FastAPI()
PAGE = json.loads(pathlib.Path({path!r}).read_text())

@app.get("/teams")
def teams() -> dict:
    return PAGE
"""


def build(session: Session, students: int) -> tuple[Semester, str]:
    """Programmes, leerkringen, partners, opdrachten, students and one approved run."""
    programmes = [
        Programme(code=f"P{i}", name_nl=f"Opleiding {i}", name_en=f"P{i}") for i in range(7)
    ]
    kringen = [Leerkring(name=f"Leerkring {i}") for i in range(7)]
    partners = [Partner(name=f"Partner {i}") for i in range(50)]
    semester = Semester(code="2026-S2", name="Benchmark", phase=Phase.PUBLISHED)
    session.add_all([*programmes, *kringen, *partners, semester])
    session.flush()
    supervisor = User(email="wd@bench.invalid", name="Wijkdocent 1", role=Role.WIJKDOCENT)
    assert semester.id is not None
    run = MatchRun(semester_id=semester.id, status=RunStatus.SUCCEEDED, is_current=True)
    session.add_all([supervisor, run])
    session.flush()
    profiles = _students(session, students, programmes)
    n_opdrachten = -(-students // (TEAM_SIZE * TEAMS_PER_OPDRACHT))
    opdrachten = [
        Opdracht(
            semester_id=semester.id,
            owner_partner_id=partners[i % 50].id,  # type: ignore[arg-type]
            title=f"Opdracht {i}",
            leerkring_id=kringen[i % 7].id,
            location="Elst",
            teams=TEAMS_PER_OPDRACHT,
            status=OpdrachtStatus.APPROVED,
        )
        for i in range(n_opdrachten)
    ]
    session.add_all(opdrachten)
    session.flush()
    teams = [
        Team(
            run_id=run.id,  # type: ignore[arg-type]
            opdracht_id=o.id,  # type: ignore[arg-type]
            index=k + 1,
            status=TeamStatus.APPROVED,
            supervisor_id=supervisor.id,
        )
        for o in opdrachten
        for k in range(TEAMS_PER_OPDRACHT)
    ]
    session.add_all(teams)
    session.flush()
    session.add_all(
        Member(run_id=run.id, team_id=teams[i // TEAM_SIZE].id, student_id=p.id)  # type: ignore[arg-type]
        for i, p in enumerate(profiles)
    )
    secret = bench_token(session, "bench")
    session.commit()
    return semester, secret


def bench_token(session: Session, name: str) -> str:
    """A ``teams:read`` token for a day (added to the session; the caller commits)."""
    _, secret = issue_token(
        session=session, name=name, scopes=["teams:read"], expires_at=utcnow() + timedelta(days=1)
    )
    return secret


def _students(session: Session, n: int, programmes: list[Programme]) -> list[StudentProfile]:
    users = [
        User(email=f"s{i}@bench.invalid", name=f"Student {i:04d}", role=Role.STUDENT)
        for i in range(n)
    ]
    session.add_all(users)
    session.flush()
    profiles = [
        StudentProfile(
            user_id=u.id,  # type: ignore[arg-type]
            student_number=f"{2100000 + i}",
            programme_id=programmes[i % 7].id,  # type: ignore[arg-type]
            year=2 + i % 3,
        )
        for i, u in enumerate(users)
    ]
    session.add_all(profiles)
    session.flush()
    return profiles


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: str, env: dict[str, str], cwd: Path, *options: str) -> Iterator[str]:
    """uvicorn (with more ``options``) on a free port of 127.0.0.1 in a subprocess, stopped
    when the block ends."""
    port = _free_port()
    cmd = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--log-level", "warning", "--no-access-log", *options]
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def full_sync(client: httpx.Client, url: str) -> tuple[float, int, int]:
    """Seconds, pages and teams for one full sync following the next links."""
    start, pages, teams = time.perf_counter(), 0, 0
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        response.raise_for_status()
        pages += 1
        teams += len(response.json()["items"])
        next_url = response.links.get("next", {}).get("url")
    return time.perf_counter() - start, pages, teams


def throughput(
    make_request: Callable[[httpx.Client], int],
    *,
    headers: dict[str, str],
    seconds: float,
    limit: int,
    threads: int,
) -> float:
    """Requests per second from ``threads`` clients, until ``seconds`` or ``limit`` requests."""
    deadline = time.perf_counter() + seconds
    per_thread = limit // threads

    def worker(_: int) -> int:
        done = 0
        with httpx.Client(headers=headers, timeout=30) as client:
            while done < per_thread and time.perf_counter() < deadline:
                assert make_request(client) in (200, 304)
                done += 1
        return done

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(worker, range(threads)))
    return total / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api")
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=8.0, help="load time per case")
    parser.add_argument("--requests", type=int, default=4000, help="at most, per case")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--postgres", default="", help="server URL; the default is a throwaway SQLite file"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, fresh_database("bench", server=args.postgres) as url:
        secret = prepare(url, args.students)
        env = {"OM_DATABASE_URL": url, "OM_API_RATE_LIMIT_PER_MINUTE": "100000000"}
        results = run_cases(args, env, Path(tmp), {"Authorization": f"Bearer {secret}"})
    print_table(args, results, "PostgreSQL" if args.postgres else "SQLite")
    return 0


def prepare(url: str, students: int) -> str:
    """Migrate, build and publish the semester; returns the token's secret."""
    env = {**os.environ, "OM_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT, env=env, check=True
    )
    engine = make_engine(Settings(environment="test", database_url=url))
    with Session(engine) as session:
        start = time.perf_counter()
        semester, secret = build(session, students)
        built = time.perf_counter() - start
        start = time.perf_counter()
        counts = sync_publication(session=session, semester=semester)
        session.commit()
        published = time.perf_counter() - start
        start = time.perf_counter()
        sync_publication(session=session, semester=semester)
        session.commit()
        again = time.perf_counter() - start
    engine.dispose()
    print(f"built {students} students in {built:.1f} s; {counts}")
    print(f"sync_publication: first publication {published:.2f} s, unchanged {again:.2f} s")
    return secret


def run_cases(
    args: argparse.Namespace, env: dict[str, str], tmp: Path, headers: dict[str, str]
) -> dict[str, float]:
    results: dict[str, float] = {}
    teams_url = "/api/v1/semesters/2026-S2/teams"
    load = partial(
        throughput,
        headers=headers,
        seconds=args.seconds,
        limit=args.requests,
        threads=args.threads,
    )
    with serve("app.asgi:app", env, ROOT) as base, httpx.Client(headers=headers, timeout=60) as c:
        for limit in (100, 500):
            runs = [full_sync(c, f"{base}{teams_url}?limit={limit}") for _ in range(3)]
            results[f"full sync, limit={limit} (s, median of 3)"] = statistics.median(
                r[0] for r in runs
            )
            results[f"full sync, limit={limit} (pages)"] = runs[0][1]
            results["teams"] = runs[0][2]
        first = c.get(f"{base}{teams_url}")
        (tmp / "page.json").write_text(first.text)
        etag, watermark = first.headers["etag"], first.json()["watermark"]
        start = time.perf_counter()
        c.get(f"{base}{teams_url}", params={"updated_since": watermark})
        results["incremental sync, nothing changed (s)"] = time.perf_counter() - start

        def page(client: httpx.Client) -> int:
            return client.get(f"{base}{teams_url}").status_code

        def revalidate(client: httpx.Client) -> int:
            return client.get(f"{base}{teams_url}", headers={"If-None-Match": etag}).status_code

        results["api: team list, 100 teams (req/s)"] = load(page)
        results["api: team list, 304 revalidation (req/s)"] = load(revalidate)
    bare = tmp / "bare_api.py"
    bare.write_text(BARE_APP.format(path=str(tmp / "page.json")))
    with serve("bare_api:app", {}, tmp) as base:

        def bare_page(client: httpx.Client) -> int:
            return client.get(f"{base}/teams").status_code

        results["bare FastAPI: same JSON from memory (req/s)"] = load(bare_page)
    return results


def print_table(args: argparse.Namespace, results: dict[str, float], db: str) -> None:
    print(f"\n{args.students} students in {results.pop('teams'):.0f} published teams on {db}; ")
    print(f"{args.threads} client threads, at most {args.seconds:g} s / {args.requests} requests")
    print("| measure | value |\n|---|---|")
    for name, value in results.items():
        shown = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.3f}"
        print(f"| {name} | {shown} |")


if __name__ == "__main__":
    sys.exit(main())
