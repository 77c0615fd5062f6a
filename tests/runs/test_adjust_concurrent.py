"""Every team adjust write path under real concurrent requests, on SQLite and PostgreSQL.

Each change claims the versions of the teams it touches with a conditional UPDATE, so of N
identical requests sent at once exactly one is saved and the others get 409 with nothing
written (one audit event, one member row per student).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from app.config import Settings
from app.models import AuditEvent, Ban, Member, Team
from tests.concurrent import Live, served
from tests.runs.conftest import build_world, ident
from tests.runs.helpers import run_now

N = 4


@dataclass
class Setup:
    live: Live
    run_id: int
    wijkdocent: int
    students: list[int]
    opdrachten: list[int]
    teams: list[Team]  # the team of each opdracht, as the pages showed them


@pytest.fixture
def setup(engine: Engine, settings: Settings) -> Iterator[Setup]:
    with served(engine, settings) as live:
        with live.session() as session:
            world = build_world(session)
            run = run_now(session, world)
            students = [ident(st) for st in world.students]
            opdrachten = [ident(o) for o in world.opdrachten]
            ids = (ident(run), ident(world.wijkdocent))
            session.commit()
            teams = [
                session.exec(select(Team).where(Team.run_id == ids[0], Team.opdracht_id == o)).one()
                for o in opdrachten
            ]
            session.expunge_all()
        yield Setup(live, ids[0], ids[1], students, opdrachten, teams)


def _fire(s: Setup, url: str, data: dict[str, object]) -> list[int]:
    clients = [s.live.login(s.wijkdocent) for _ in range(N)]
    form = {k: str(v) for k, v in data.items()}
    return sorted(r.status_code for r in s.live.post_all(clients, url, form))


def _changes(s: Setup, action: str) -> int:
    with s.live.session() as session:
        return session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        ).one()


def _members(s: Setup, student_id: int | None) -> list[Member]:
    with s.live.session() as session:
        return list(
            session.exec(
                select(Member).where(Member.run_id == s.run_id, Member.student_id == student_id)
            )
        )


def _from(s: Setup, i: int) -> dict[str, object]:
    return {"from_team": s.teams[i].id, "from_version": s.teams[i].version}


ONE_SAVED = [303] + [409] * (N - 1)


def test_concurrent_moves_save_one(setup: Setup):
    student, target = setup.students[3], setup.teams[2]
    data = {
        "action": "move",
        **_from(setup, 0),
        "target": f"team:{target.id}:{target.version}",
        "override": "true",
        "reason": "r",
    }
    assert _fire(setup, f"/runs/{setup.run_id}/students/{student}", data) == ONE_SAVED
    assert [m.team_id for m in _members(setup, student)] == [target.id]
    assert _changes(setup, "run.move") == 1


def test_concurrent_swaps_save_one(setup: Setup):
    a, b, team2 = setup.students[0], setup.students[2], setup.teams[2]
    data = {
        "action": "swap",
        **_from(setup, 0),
        "target": f"member:{b}:{team2.id}:{team2.version}",
        "override": "true",
        "reason": "r",
    }
    assert _fire(setup, f"/runs/{setup.run_id}/students/{a}", data) == ONE_SAVED
    assert [m.team_id for m in _members(setup, a)] == [team2.id]
    assert [m.team_id for m in _members(setup, b)] == [setup.teams[0].id]
    assert _changes(setup, "run.swap") == 1


def test_concurrent_take_outs_save_one(setup: Setup):
    student = setup.students[0]
    data = {"action": "unplace", **_from(setup, 0), "override": "true", "reason": "r"}
    assert _fire(setup, f"/runs/{setup.run_id}/students/{student}", data) == ONE_SAVED
    assert _members(setup, student) == []
    assert _changes(setup, "run.unplace") == 1


def test_concurrent_student_locks_save_one(setup: Setup):
    student = setup.students[0]
    data = {"action": "lock", **_from(setup, 0)}
    assert _fire(setup, f"/runs/{setup.run_id}/students/{student}", data) == ONE_SAVED
    assert [m.locked for m in _members(setup, student)] == [True]
    assert _changes(setup, "run.lock") == 1


def test_concurrent_team_locks_save_one(setup: Setup):
    team = setup.teams[0]
    data = {"version": team.version, "locked": "true"}
    assert _fire(setup, f"/runs/{setup.run_id}/teams/{team.id}/lock", data) == ONE_SAVED
    assert _changes(setup, "run.lock_team") == 1


def test_concurrent_bans_save_one(setup: Setup):
    student, other = setup.students[0], setup.opdrachten[2]
    data = {"action": "ban", **_from(setup, 0), "opdracht_id": other}
    assert _fire(setup, f"/runs/{setup.run_id}/students/{student}", data) == ONE_SAVED
    with setup.live.session() as session:
        assert session.exec(select(func.count()).select_from(Ban)).one() == 1
    assert _changes(setup, "run.ban") == 1


def test_concurrent_undos_save_one(setup: Setup):
    student, target = setup.students[3], setup.teams[2]
    client = setup.live.login(setup.wijkdocent)
    moved = client.post(
        f"/runs/{setup.run_id}/board/change",
        data={
            "action": "move",
            "student_id": str(student),
            "from_team": str(setup.teams[0].id),
            "from_version": str(setup.teams[0].version),
            "target": f"team:{target.id}:{target.version}",
            "override": "true",
            "reason": "r",
        },
    )
    assert moved.status_code == 303
    with setup.live.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "run.move")).one()
    data = {"event_id": event.id, "override": "true", "reason": "terug"}
    assert _fire(setup, f"/runs/{setup.run_id}/board/undo", data) == ONE_SAVED
    assert [m.team_id for m in _members(setup, student)] == [setup.teams[0].id]
    assert _changes(setup, "run.undo") == 1
    with setup.live.session() as session:
        locked = session.exec(select(Member).where(col(Member.locked).is_(True))).all()
        assert locked == []
