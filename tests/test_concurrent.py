"""The concurrency helper itself: committed rows reach the served app, the requests leave
together, posts carry their page's CSRF token, and nothing is left for the other tests."""

from __future__ import annotations

import time

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app.config import Settings
from app.models import Role, User, UserSession
from tests import factories as f
from tests.concurrent import served


def test_logged_in_clients_see_committed_rows_and_everything_is_removed_afterwards(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            admin = f.user(session, Role.ADMIN, name="Beheerder Een")
            session.commit()
        clients = [live.login(admin) for _ in range(3)]
        responses = live.each(clients, lambda c: c.get("/account"))
        assert [r.status_code for r in responses] == [200, 200, 200]
        assert all("Beheerder Een" in r.text for r in responses)
        with live.session() as session:
            assert session.exec(select(func.count()).select_from(UserSession)).one() == 3
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 0
        assert session.exec(select(func.count()).select_from(UserSession)).one() == 0


def test_the_calls_are_released_together(engine: Engine, settings: Settings) -> None:
    with served(engine, settings) as live:
        clients = [live.anonymous() for _ in range(5)]
        started: list[float] = []

        def call(client: httpx.Client) -> httpx.Response:
            started.append(time.monotonic())
            return client.get("/healthz")

        responses = live.each(clients, call)
    assert [r.status_code for r in responses] == [200] * 5
    assert max(started) - min(started) < 0.2


def test_posts_carry_the_csrf_token_of_their_page(engine: Engine, settings: Settings) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            user = f.user(session, Role.STUDENT)
            session.commit()
        client = live.login(user)
        assert client.post("/language", data={"language": "en"}).status_code == 303
        client.headers.pop("X-CSRF-Token")
        assert client.post("/language", data={"language": "nl"}).status_code == 403
        with live.session() as session:
            stored = session.get(User, user.id)
            assert stored is not None
            assert stored.preferred_language == "en"


def test_the_rows_the_migrations_seed_are_there_afterwards(engine, settings):
    # Emptying every table once removed the deliverable kinds, and later tests failed on them.
    def kinds() -> list[tuple[int, str]]:
        with engine.connect() as conn:
            return [
                tuple(r) for r in conn.execute(sa.text("SELECT id, code FROM deliverable_kind"))
            ]

    before = kinds()
    with served(engine, settings) as live, live.session() as session:
        session.execute(sa.text("DELETE FROM deliverable_kind WHERE code = 'spel'"))
        session.commit()
    assert before  # the migrations seed them
    assert sorted(kinds()) == sorted(before)
