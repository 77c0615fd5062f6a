"""SQLite as the embedded default: concurrent writers lose nothing and never see
"database is locked" (WAL, busy timeout, BEGIN IMMEDIATE)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.config import Settings
from app.db import make_engine

pytestmark = pytest.mark.nodb
WRITERS, TRANSACTIONS = 4, 200


def test_concurrent_read_modify_write_loses_nothing(tmp_path: Path):
    engine = make_engine(Settings(environment="test", database_url=f"sqlite:///{tmp_path}/c.db"))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        conn.execute(sa.text("CREATE TABLE log (writer INTEGER, i INTEGER)"))
        conn.execute(sa.text("INSERT INTO counter VALUES (1, 0)"))

    def writer(w: int) -> int:
        for i in range(TRANSACTIONS):
            with engine.begin() as conn:
                # Read, then write: without the write lock up front two writers could read
                # the same n and one increment would be lost.
                n = conn.execute(sa.text("SELECT n FROM counter WHERE id = 1")).scalar_one()
                conn.execute(sa.text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})
                conn.execute(sa.text("INSERT INTO log VALUES (:w, :i)"), {"w": w, "i": i})
        return w

    with ThreadPoolExecutor(WRITERS) as pool:
        assert sorted(pool.map(writer, range(WRITERS))) == list(range(WRITERS))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT n FROM counter")).scalar_one() == WRITERS * TRANSACTIONS
        assert conn.execute(sa.text("SELECT count(*) FROM log")).scalar_one() == (
            WRITERS * TRANSACTIONS
        )
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar_one() == "wal"
    engine.dispose()
