"""A double-clicked publish sends nothing twice: two publications at the same moment, each
on its own connection, write each recipient's mail once (the unique notification key)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest
from sqlmodel import Session, col, select

from app import csrf
from app.auth.services import start_session
from app.models import (
    MatchRun,
    Notification,
    Opdracht,
    OutboxMessage,
    PartnerUser,
    Role,
    Semester,
    Team,
    TeamStatus,
    User,
)
from app.notifications.publication import plan
from app.notifications.store import send_all
from app.runs.services import StartForm, start_run
from app.runs.worker import Worker, run_inline
from tests import factories as f
from tests.db_urls import is_postgres
from tests.security.live import Live, live_database
from tests.security.test_crash import SECRET_KEY, server


@pytest.fixture
def ready() -> Iterator[tuple[Live, int, int]]:
    """A live database whose current run is solved and approved; the admin's id and the
    number of people publishing mails (nine students and one partner user)."""
    label = "pg" if is_postgres() else "sqlite"
    with live_database(f"notices_{label}") as live:
        yield live, _prepare(live), 10


def _prepare(live: Live) -> int:
    with Session(live.engine, expire_on_commit=False) as session:
        semester = session.get(Semester, live.semester_id)
        wijkdocent = session.get(User, live.wijkdocent_id)
        assert semester is not None
        assert wijkdocent is not None
        admin = f.user(session, Role.ADMIN)
        partner_user = f.user(session, Role.PARTNER)
        for partner_id in {o.owner_partner_id for o in _opdrachten(session, semester)}:
            session.add(PartnerUser(partner_id=partner_id, user_id=partner_user.id))
        session.commit()
        worker = Worker(
            session_factory=lambda: Session(live.engine, expire_on_commit=False),
            runner=run_inline,
        )
        run = start_run(
            session=session, semester=semester, user=wijkdocent, form=StartForm(), worker=worker
        )
        for team in session.exec(select(Team).where(Team.run_id == run.id)):
            team.status = TeamStatus.APPROVED
            session.add(team)
        session.commit()
        assert admin.id is not None
        return admin.id


def _opdrachten(session: Session, semester: Semester) -> list[Opdracht]:
    return list(session.exec(select(Opdracht).where(Opdracht.semester_id == semester.id)))


def _counts(live: Live) -> tuple[Counter[str], int]:
    with Session(live.engine) as session:
        mails = Counter(m.to for m in session.exec(select(OutboxMessage)))
        notifications = len(session.exec(select(Notification)).all())
    return mails, notifications


@pytest.mark.skipif(not is_postgres(), reason="SQLite's single writer runs them one by one")
def test_two_transactions_writing_the_same_mails_at_once_write_them_once(ready):
    live, _admin_id, people = ready
    barrier = threading.Barrier(2)

    def publish_mails(_: int) -> int:
        with Session(live.engine, expire_on_commit=False) as session:
            semester = session.get(Semester, live.semester_id)
            assert semester is not None
            run = session.exec(select(MatchRun).where(col(MatchRun.is_current))).one()
            planned = plan(session=session, semester=semester, run=run)
            barrier.wait(timeout=10)  # both planned before either wrote: both see no mail
            sent = send_all(session=session, planned=planned)
            session.commit()
            return sent

    with ThreadPoolExecutor(2) as pool:
        sent = sorted(pool.map(publish_mails, range(2)))
    assert sent == [0, people]
    mails, notifications = _counts(live)
    assert notifications == people
    assert len(mails) == people
    assert set(mails.values()) == {1}


@pytest.mark.slow
def test_two_publish_requests_at_once_send_each_mail_once(ready):
    live, admin_id, people = ready
    with Session(live.engine) as session:
        admin = session.get(User, admin_id)
        assert admin is not None
        token = start_session(session=session, user=admin)
    csrf_token = csrf.issue(SECRET_KEY, token)  # signed for this session
    cookies = {"om_session": token, "om_csrf": csrf_token}
    with server(live.url) as (base, _proc, _lines):
        barrier = threading.Barrier(2)

        def publish(_: int) -> int:
            barrier.wait(timeout=10)
            response = httpx2.post(
                f"{base}/runs/publish",
                cookies=cookies,
                headers={"X-CSRF-Token": csrf_token},
                timeout=60,
            )
            return response.status_code

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(publish, range(2)))
    # On PostgreSQL both requests usually publish (the publish itself takes no lock on the
    # semester); on SQLite the second waits and is refused. Either way: each mail once.
    assert 303 in statuses
    assert set(statuses) <= {303, 409}
    mails, notifications = _counts(live)
    assert notifications == people
    assert len(mails) == people
    assert set(mails.values()) == {1}
