"""Load test: the deadline rush, the catalogue and the API team list, beside a bare endpoint.

Usage::

    python -m bench.load                                  # PostgreSQL on 127.0.0.1:5432
    python -m bench.load --users 8,32 --seconds 4         # a quicker run

Creates a scratch database on the PostgreSQL server (dropped at the end), migrates it and
loads the demo semester (in its ranking phase). Two servers run in subprocesses on
127.0.0.1, each with uvicorn, 2 workers, uvloop and
``app.server.NoDelayHttpToolsProtocol`` (without it, ``--protocol plain-h11``, every
response waits some 40 ms for a delayed ACK): the app, and a bare FastAPI app whose
endpoints answer from memory. Each virtual user of this process logs in as a distinct
demo student (with httpx) and then, in a closed loop without pauses, over one keep-alive
connection of its own:

* ``ranking``: POSTs the student's whole ranking, in a new order each time, as JSON to
  ``/student/ranking/order`` with the CSRF header (what the drag-and-drop does);
* ``catalogue``: GETs ``/catalogue``;
* ``api teams``: GETs ``/api/v1/semesters/2026-S2/teams`` with a token, after the demo
  match has been run, approved and published with the app's services;
* ``bare small`` / ``bare teams``: a tiny JSON object, and the API's team page as JSON,
  from the bare app: the floor of FastAPI and of this client on this machine.

Each case runs for at most ``--seconds`` or ``--requests``, whichever comes first, after a
short warm-up; every request has a 30 s timeout. A response with another status than
expected, or a failed request, counts as an error. Beside the rate and the latencies, each
case reports the CPU time per request of the server's processes and of PostgreSQL (all its
processes, read from /proc): where a request's cost lies, whatever the rate.

The load comes from a small HTTP/1.1 client on asyncio streams (``RawUser``): it writes
each request whole, reads the whole response (``Content-Length`` or chunked), keeps the
cookies the server sets, and costs about a tenth of the CPU of httpx per request. The
client shares the machine with the servers, so that CPU would otherwise be taken from
them; ``--client httpx`` measures with httpx instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

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

# uvicorn options per --protocol (see app/server.py).
PROTOCOLS = {
    "httptools": ["--loop", "uvloop", "--http", "app.server:NoDelayHttpToolsProtocol"],
    "h11": ["--loop", "asyncio", "--http", "app.server:NoDelayH11Protocol"],
    "plain-h11": ["--loop", "asyncio", "--http", "h11"],
}
SEMESTER = "2026-S2"
SCENARIOS = ("ranking", "catalogue", "api", "bare")  # --only; bare: both bare endpoints
TIMEOUT = 30.0  # seconds, per request
HEALTH = "/healthz"
JSON = {"Content-Type": "application/json"}
# A request that fails so (refused, reset, timed out, cut short, garbled) counts as an error.
FAILURES = (httpx.HTTPError, OSError, TimeoutError, ValueError, asyncio.IncompleteReadError)
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
    client_cpu: float = 0.0  # CPU seconds of this process (the client) during the case
    server_cpu: float = 0.0  # CPU seconds of the uvicorn processes during the case
    db_cpu: float = 0.0  # CPU seconds of all PostgreSQL processes during the case

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def row(self) -> str:
        n = len(self.latencies)
        rate = n / self.seconds if self.seconds else 0.0
        p50, p95, p99 = (self.percentile(p) for p in (50, 95, 99))
        client = 100 * self.client_cpu / self.seconds if self.seconds else 0.0
        per = 1000 / (n + self.errors) if n + self.errors else 0.0  # ms of CPU per request
        return (
            f"| {self.scenario} | {self.users} | {n} | {rate:.0f} | {p50:.0f} | {p95:.0f} "
            f"| {p99:.0f} | {self.errors} | {client:.0f} % | {self.server_cpu * per:.1f} "
            f"| {self.db_cpu * per:.1f} |"
        )


class VirtualUser(Protocol):
    async def send(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> int:
        """Send a request and read the whole response; its HTTP status."""
        ...

    async def aclose(self) -> None: ...


async def connect(users: list[VirtualUser], path: str) -> None:
    """Before each case, open the users' connections one after another, each with a
    request on it, like users who arrive one by one and keep their connection. (uvicorn
    closes a connection idle for 5 s: the users of a larger case are reconnected here.)

    Opened all at once at the first request of a case, the connections arrive in a burst,
    and the first uvicorn worker to wake accepts the whole burst (asyncio accepts all that
    wait): at 32 users, 8 users on one worker and 24 on the other, which measures that
    imbalance rather than the app.
    """
    for user in users:
        if await user.send("GET", path) != 200:
            raise SystemExit(f"GET {path} failed while connecting")


class HttpxUser:
    """A virtual user on an ``httpx.AsyncClient`` with one connection (``--client httpx``)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> int:
        response = await self.client.request(method, path, content=body or None, headers=headers)
        return response.status_code

    async def aclose(self) -> None:
        await self.client.aclose()


class RawUser:
    """A virtual user on one keep-alive HTTP/1.1 connection over asyncio streams.

    Every request is written whole and its response read whole (``Content-Length`` or
    chunked) before the next; cookies the server sets or deletes are kept like a browser
    (no attributes but deletion); a failed request or ``Connection: close`` reconnects.
    """

    def __init__(self, base: str, headers: dict[str, str], cookies: dict[str, str]) -> None:
        url = httpx.URL(base)
        self.host, self.port = url.host, url.port or 80
        self.headers = {"Host": f"{self.host}:{self.port}", "Accept": "*/*", **headers}
        self.cookies = dict(cookies)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> int:
        try:
            async with asyncio.timeout(TIMEOUT):
                return await self._exchange(method, path, body, headers or {})
        except BaseException:
            await self.aclose()
            raise

    async def _exchange(self, method: str, path: str, body: bytes, extra: dict[str, str]) -> int:
        if self.reader is not None and self.reader.at_eof():  # the server closed it (idle)
            await self.aclose()
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            sock = self.writer.get_extra_info("socket")
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        assert self.reader is not None
        headers = {**self.headers, **extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body or method not in ("GET", "HEAD"):
            headers["Content-Length"] = str(len(body))
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        self.writer.write(head.encode("latin-1") + b"\r\n" + body)
        status_line, *lines = (
            (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        )
        status = int(status_line.split(" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                chunked = "chunked" in value.lower()
            elif name == "connection":
                close = value.lower() == "close"
            elif name == "set-cookie":
                self._set_cookie(value)
        if chunked:
            await self._read_chunks()
        elif length:
            await self.reader.readexactly(length)
        if close:
            await self.aclose()
        return status

    async def _read_chunks(self) -> None:
        assert self.reader is not None
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                return
            await self.reader.readexactly(size + 2)

    def _set_cookie(self, value: str) -> None:
        pair, *attributes = value.split(";")
        name, _, cookie = pair.strip().partition("=")
        gone = any(
            a.strip().lower() in ("max-age=0", "max-age=-1") or "1970" in a for a in attributes
        )
        if gone:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = cookie

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


class CpuMeter:
    """CPU seconds used so far by a uvicorn server (the process listening on ``base``'s port
    and its workers) and by the PostgreSQL server (every ``postgres`` process), read from
    Linux's /proc: per request, where the cost lies whatever the rate."""

    def __init__(self, base: str) -> None:
        self.port = base.rsplit(":", 1)[1]
        self.tick = os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[float, float]:
        table: dict[int, tuple[int, str, float]] = {}  # pid: parent, name, CPU seconds
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(entry.path, "stat").read_text()
                except OSError:  # gone meanwhile
                    continue
                name = stat[stat.index("(") + 1 : stat.rindex(")")]
                fields = stat[stat.rindex(")") + 2 :].split()
                cpu = (int(fields[11]) + int(fields[12])) / self.tick  # user + system
                table[int(entry.name)] = (int(fields[1]), name, cpu)
        server = {pid for pid in table if self._is_server(pid)}
        grown = True
        while grown:  # add the children of what is in (workers, their helpers)
            before = len(server)
            server |= {pid for pid, (parent, _, _) in table.items() if parent in server}
            grown = len(server) > before
        return (
            sum(table[pid][2] for pid in server),
            sum(cpu for _, name, cpu in table.values() if name == "postgres"),
        )

    def _is_server(self, pid: int) -> bool:
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return b"uvicorn" in args and self.port.encode() in args


# A virtual user's request: it returns the HTTP status.
Call = Callable[[VirtualUser, int, int], Awaitable[int]]  # user, its index, its count


async def drive(
    users: list[VirtualUser], call: Call, expected: int, seconds: float, limit: int
) -> tuple[list[float], int, float]:
    """Every user sends requests one after another until the time or the count is up."""
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    deadline = start + seconds

    async def user(index: int, client: VirtualUser) -> None:
        nonlocal errors
        n = 0
        while time.perf_counter() < deadline and len(latencies) + errors < limit:
            t0 = time.perf_counter()
            try:
                status = await call(client, index, n)
            except FAILURES:
                status = 0
            n += 1
            if status == expected:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    await asyncio.gather(*(user(i, c) for i, c in enumerate(users)))
    return latencies, errors, time.perf_counter() - start


async def log_in(base: str, students: list[Student], kind: str) -> list[VirtualUser]:
    """One user per student, logged in (eight logins at a time: argon2 is slow on purpose)."""
    gate = asyncio.Semaphore(8)

    async def one(student: Student) -> VirtualUser:
        client = httpx.AsyncClient(
            base_url=base, timeout=TIMEOUT, limits=httpx.Limits(max_connections=1)
        )
        async with gate:
            await client.get("/login")
            csrf = client.cookies["om_csrf"]
            form = {"email": student.email, "password": DEMO_PASSWORD, "csrf_token": csrf}
            response = await client.post("/login", data=form)
        if response.status_code != 303:
            raise SystemExit(f"login of {student.email} failed: {response.status_code}")
        csrf = client.cookies["om_csrf"]  # a new token comes with the login's session
        client.headers["X-CSRF-Token"] = csrf
        if kind == "httpx":
            return HttpxUser(client)
        cookies = {cookie.name: cookie.value or "" for cookie in client.cookies.jar}
        await client.aclose()
        return RawUser(base, {"X-CSRF-Token": csrf}, cookies)

    return list(await asyncio.gather(*(one(s) for s in students)))


def anonymous(base: str, kind: str, n: int) -> list[VirtualUser]:
    """Users without a login or cookies (the timetabling system, the bare app)."""
    if kind == "httpx":
        return [HttpxUser(httpx.AsyncClient(base_url=base, timeout=TIMEOUT)) for _ in range(n)]
    return [RawUser(base, {}, {}) for _ in range(n)]


def ranking_call(students: list[Student]) -> Call:
    """Save the whole ranking, rotated by one place more at each request."""

    async def call(user: VirtualUser, index: int, n: int) -> int:
        ranking = students[index].ranking
        k = (n + 1) % len(ranking)
        body = json.dumps({"order": ranking[k:] + ranking[:k]}, separators=(",", ":"))
        return await user.send("POST", "/student/ranking/order", body.encode(), JSON)

    return call


def get_call(path: str, headers: dict[str, str] | None = None) -> Call:
    async def call(user: VirtualUser, index: int, n: int) -> int:
        return await user.send("GET", path, headers=headers)

    return call


async def run_scenario(
    name: str,
    users: list[VirtualUser],
    call: Call,
    args: argparse.Namespace,
    probe: str,
    meter: CpuMeter,
) -> list[Result]:
    """Warm up, then measure at each number of users; ``probe`` is a GET path that answers
    200, used to open the connections."""
    results = []
    await connect(users[:8], probe)
    await drive(users[:8], call, 200, seconds=1.0, limit=200)  # warm-up, not counted
    for n in args.users:
        await connect(users[:n], probe)
        cpu, (server, db) = time.process_time(), meter.read()
        latencies, errors, seconds = await drive(users[:n], call, 200, args.seconds, args.requests)
        cpu, (server_after, db_after) = time.process_time() - cpu, meter.read()
        results.append(
            Result(name, n, latencies, errors, seconds, cpu, server_after - server, db_after - db)
        )
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
    options = ["--workers", "2", *PROTOCOLS[args.protocol]]
    with serve("app.asgi:app", env, ROOT, *options) as base:
        users = await log_in(base, students[: max(args.users)], args.client)
        try:
            meter = CpuMeter(base)
            if "ranking" in args.only:
                call = ranking_call(students)
                results += await run_scenario("ranking", users, call, args, HEALTH, meter)
            if "catalogue" in args.only:
                call = get_call("/catalogue")
                results += await run_scenario("catalogue", users, call, args, HEALTH, meter)
            engine = make_engine(Settings(environment="test", database_url=url))
            publish_demo(engine)
            engine.dispose()
            async with httpx.AsyncClient(base_url=base) as client:
                page = await client.get(teams_path, headers=token)
            (tmp / "teams.json").write_text(page.text)
            print(f"API team page: {len(page.json()['items'])} teams, {len(page.content)} bytes")
            # The timetabling system has a token, no login: clients without cookies.
            api = anonymous(base, args.client, len(users) if "api" in args.only else 0)
            try:
                call = get_call(teams_path, token)
                if "api" in args.only:
                    results += await run_scenario("api teams", api, call, args, HEALTH, meter)
            finally:
                await asyncio.gather(*(u.aclose() for u in api))
        finally:
            await asyncio.gather(*(u.aclose() for u in users))
    if "bare" not in args.only:
        return results
    (tmp / "bare_app.py").write_text(BARE_APP.format(path=str(tmp / "teams.json")))
    with serve("bare_app:app", {"PYTHONPATH": str(ROOT)}, tmp, *options) as base:
        users = anonymous(base, args.client, max(args.users))
        meter = CpuMeter(base)
        try:
            for name, path in (("bare small", "/small"), ("bare teams", "/teams")):
                call = get_call(path)
                results += await run_scenario(name, users, call, args, "/small", meter)
        finally:
            await asyncio.gather(*(u.aclose() for u in users))
    return results


HEADER = (
    "| scenario | users | requests | req/s | p50 ms | p95 ms | p99 ms | errors | client CPU "
    "| server CPU ms/req | PostgreSQL CPU ms/req |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
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
        "--protocol",
        choices=sorted(PROTOCOLS),
        default="httptools",
        help="how uvicorn serves: httptools + uvloop (production), h11 (pure Python), or "
        "plain-h11 (uvicorn's own h11 protocol: Nagle stays on with several workers)",
    )
    parser.add_argument(
        "--client",
        choices=["raw", "httpx"],
        default="raw",
        help="the load client: asyncio streams (RawUser) or httpx (about ten times its CPU)",
    )
    parser.add_argument(
        "--only",
        default=",".join(SCENARIOS),
        help=f"scenarios to run, comma separated, of {', '.join(SCENARIOS)} (default: all)",
    )
    args = parser.parse_args(argv)
    args.only = set(args.only.split(","))
    if not args.only <= set(SCENARIOS):
        parser.error(f"--only takes {', '.join(SCENARIOS)}")
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
