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
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi.testclient import TestClient
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


def _time(call: Callable[[], Any], repeat: int, expect: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == expect, (response.status_code, response.text[:300])
    return out


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
    args = parser.parse_args()
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
        client = TestClient(create_app(settings), follow_redirects=False)
        client.get("/healthz")
        client.headers["X-CSRF-Token"] = client.cookies["om_csrf"]
        client.cookies.set(SESSION_COOKIE, cookie, domain="testserver.local")
        board = _time(lambda: client.get(f"/runs/{run_id}/board"), args.repeat, 200)
        form = _move(engine, run_id, 0)
        preview = _time(
            lambda: client.post(f"/runs/{run_id}/board/change", data={**form, "check": "1"}),
            args.repeat,
            200,
        )
        saves: list[float] = []
        for k in range(args.repeat):
            data = _move(engine, run_id, k + 1)
            saves += _time(partial(client.post, f"/runs/{run_id}/board/change", data=data), 1, 303)
        engine.dispose()
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{kind}, {args.students} students, solved in {solve_s:.1f} s; ms, {args.repeat} requests"
    )
    for name, values in (
        ("board page", board),
        ("change preview", preview),
        ("save a change", saves),
    ):
        q = statistics.quantiles(values, n=20)
        p50 = statistics.median(values)
        print(f"  {name:15} p50 {p50:7.1f}   p95 {q[-1]:7.1f}   max {max(values):7.1f}")


if __name__ == "__main__":
    main()
