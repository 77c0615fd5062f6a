"""Engine and session handling.

SQLite is the embedded default: WAL mode, a busy timeout, and every transaction starts with
BEGIN IMMEDIATE so that a writer takes the write lock up front instead of failing halfway
with "database is locked" when it upgrades a read lock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, create_engine

from app.config import Settings
from app.errors import InvalidInput


def make_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
        _refuse_huge_integers(engine, bits=31)  # INTEGER columns; there is no BIGINT column
        return engine
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    _configure_sqlite(engine)
    _refuse_huge_integers(engine, bits=63)
    return engine


def _refuse_huge_integers(engine: Engine, *, bits: int) -> None:
    """A number in a URL or a form too big for any column cannot match a row; the driver
    would fail on it (a 500). Refused before the statement is sent: the app's 422."""
    low, high = -(2**bits), 2**bits

    @event.listens_for(engine, "before_cursor_execute")
    def _check(*args: Any) -> None:
        # Parameters come as a dict, a tuple, or a list of them (batched inserts).
        stack = [args[3]]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list | tuple):
                stack.extend(item)
            elif type(item) is int and not low <= item < high:
                raise InvalidInput()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session per request. Made in the event loop (no I/O until the first query). Closed
    in a worker thread while a transaction is open, since closing rolls it back on the
    server; after a commit the connection is already back in the pool and closing is plain
    Python, done here. A plain generator would cost a thread hop for each of the two."""
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):  # a client that went away still frees it
                await anyio.to_thread.run_sync(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def add_unique(*, session: Session, row: SQLModel) -> bool:
    """Insert ``row`` in a savepoint; False when a unique key already holds it (the same
    click twice, or two requests at once), with nothing left pending in the session."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True
