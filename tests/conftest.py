"""Shared fixtures: the schema comes from `alembic upgrade head`, once per test session; each
test runs inside a transaction that is rolled back, so tests never see each other's rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.config import ROOT, Settings
from app.db import get_session, make_engine
from app.main import create_app
from tests.db_urls import fresh_database


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with fresh_database("suite") as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        base_url="http://testserver",
        smtp_host="",
        recover_runs_at_startup=False,
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    conn = engine.connect()
    trans = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        trans.rollback()
        conn.close()


@pytest.fixture
def app(settings: Settings, session: Session):
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session
    yield app
    app.state.engine.dispose()


@pytest.fixture
def anon(app) -> Iterator[TestClient]:
    """A browser without a session; it sends the CSRF header like htmx does."""
    with TestClient(app, follow_redirects=False) as client:
        client.get("/healthz")
        client.headers["X-CSRF-Token"] = client.cookies["om_csrf"]
        client.event_hooks["response"].append(lambda _response: send_csrf_header(client))
        yield client


def send_csrf_header(client: TestClient) -> None:
    """Send the CSRF token of the latest cookie, as htmx sends the one of the latest page
    (a login or logout brings a new one)."""
    token = client.cookies.get("om_csrf")
    if token:
        client.headers["X-CSRF-Token"] = token


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The solver library needs no database: its tests run once, in the SQLite pass.
    for item in items:
        if "tests/matching/" in item.nodeid:
            item.add_marker(pytest.mark.nodb)
