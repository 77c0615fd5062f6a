"""Saving the matching settings under real concurrent requests, on SQLite and PostgreSQL.

Two admins saving the same form: one is saved, the other told someone was first. A save and
a run starting at the same moment: the run uses the saved settings, or the save is refused
because the run has started; never a save accepted after the run read the old settings.
"""

from __future__ import annotations

import time
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from app.config import Settings
from app.models import AuditEvent, MatchRun, Phase, Semester
from tests.concurrent import Live, served
from tests.runs.conftest import build_world, ident

N = 4
NEW = "0, 2, 4"  # the custom costs the admin saves; the world's semester has 0, 1, 3


def _form(version: int, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(version),
        "preset": "custom",
        "rank_costs": NEW,
        "unplaced_cost": "100",
        "min_ranking_length": "3",
        "max_ranking_length": "3",
        "objective": "sum",
    }
    return data | overrides


def _world(live: Live) -> tuple[int, int, int]:
    """A semester in the matching phase (the only one at work); its id, admin, wijkdocent."""
    with live.session() as session:
        for old in session.exec(select(Semester)):
            old.phase = Phase.CLOSED
            session.add(old)
        world = build_world(session)
        world.semester.number_of_ranks = 3
        session.add(world.semester)
        ids = ident(world.semester), ident(world.admin), ident(world.wijkdocent)
        session.commit()
    return ids


def _wait_for_runs(live: Live, semester_id: int) -> None:
    """The served app's worker thread solves in the background; let it finish."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with live.session() as session:
            active = session.exec(
                select(func.count())
                .select_from(MatchRun)
                .where(
                    MatchRun.semester_id == semester_id,
                    col(MatchRun.status).in_(("queued", "running")),
                )
            ).one()
        if not active:
            return
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def test_two_saves_of_one_form(engine: Engine, settings: Settings):
    with served(engine, settings) as live:
        semester_id, admin, _wd = _world(live)
        clients = [live.login(admin) for _ in range(N)]
        url = f"/admin/semesters/{semester_id}/matching"
        responses = live.post_all(clients, url, _form(1))
        assert sorted(r.status_code for r in responses) == [303] + [409] * (N - 1)
        with live.session() as session:
            semester = session.get(Semester, semester_id)
            assert semester is not None
            assert (semester.version, semester.rank_costs) == (2, [0, 2, 4])
            saves = select(func.count()).select_from(AuditEvent)
            events = session.exec(saves.where(AuditEvent.action == "semester.match_settings"))
            assert events.one() == 1


def test_a_save_and_a_run_at_the_same_moment(engine: Engine, settings: Settings):
    with served(engine, settings) as live:
        for _round in range(3):
            semester_id, admin, wijkdocent = _world(live)
            saver, starter = live.login(admin), live.login(wijkdocent)
            url = f"/admin/semesters/{semester_id}/matching"
            saved, started = live.fire(
                [
                    partial(saver.post, url, data=_form(1)),
                    partial(starter.post, "/runs", data={"objective": "sum"}),
                ]
            )
            assert started.status_code == 303
            assert saved.status_code in (303, 409)
            _wait_for_runs(live, semester_id)
            with live.session() as session:
                run = session.exec(select(MatchRun).where(MatchRun.semester_id == semester_id))
                used = run.one().parameters
                semester = session.get(Semester, semester_id)
                assert semester is not None
                if saved.status_code == 303:  # saved first: the run waited and used it
                    assert used["settings"]["rank_costs"] == [0, 2, 4]
                    assert used["instance"]["costs"]["rank"] == [0, 2, 4]
                else:  # the run was first: the save saw it and changed nothing
                    assert "De instellingen liggen vast" in saved.text
                    assert used["settings"]["rank_costs"] == [0, 1, 3]
                    assert semester.rank_costs == [0, 1, 3]
                    assert semester.version == 1
