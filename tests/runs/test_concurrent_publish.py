"""Publishing and approving at the same moment (a double click, two admins): one
publication with one batch of mails, one approval per team; the others are refused (409)
and write nothing. The phase and the team versions are changed by conditional statements."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from app.config import Settings
from app.models import AuditEvent, OutboxMessage, Phase, Semester, Team, TeamStatus
from tests.concurrent import served
from tests.runs.conftest import build_world
from tests.runs.helpers import run_now
from tests.runs.test_publish import _tokens


def test_five_publish_clicks_at_once_publish_once(engine: Engine, settings: Settings) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            world = build_world(session)
            run = run_now(session, world)
            session.exec(
                update(Team).where(col(Team.run_id) == run.id).values(status=TeamStatus.APPROVED)
            )
            semester_id, admin_id = world.semester.id, world.admin.id
            session.commit()
        assert admin_id is not None
        clients = [live.login(admin_id) for _ in range(5)]
        responses = live.post_all(clients, "/runs/publish")
        assert sorted(r.status_code for r in responses) == [303, 409, 409, 409, 409]
        with live.session() as session:
            semester = session.get(Semester, semester_id)
            assert semester is not None
            assert semester.phase == Phase.PUBLISHED
            events = session.exec(
                select(AuditEvent).where(AuditEvent.action == "semester.publish")
            ).all()
            assert len(events) == 1
            assert events[0].after is not None
            mails = session.exec(select(func.count()).select_from(OutboxMessage)).one()
            assert mails == events[0].after["mails"] > 0  # one batch, not five


def test_two_approvals_of_one_leerkring_at_once_approve_once(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            world = build_world(session)
            run_now(session, world)
            wijkdocent_id = world.wijkdocent.id
            session.commit()
        assert wijkdocent_id is not None
        clients = [live.login(wijkdocent_id) for _ in range(2)]
        ((leerkring, token),) = _tokens(clients[0]).items()  # type: ignore[arg-type]
        url = f"/runs/approvals/{leerkring}"
        responses = live.post_all(clients, url, {"token": token})
        assert sorted(r.status_code for r in responses) == [303, 409]
        with live.session() as session:
            events = session.exec(select(AuditEvent).where(AuditEvent.action == "run.approve"))
            assert len(events.all()) == 1
            versions = session.exec(select(Team.version).where(Team.status == "approved")).all()
            assert versions
            assert set(versions) == {2}  # each approved team written once
