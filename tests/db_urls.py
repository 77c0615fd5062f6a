"""Throwaway databases for tests: a file per run on SQLite, a database per run on PostgreSQL.

Set OM_TEST_DATABASE_URL to a PostgreSQL URL (e.g. postgresql+psycopg://127.0.0.1:5432/test)
to run the suite there; each pytest worker gets databases of its own beside that one.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

BASE_URL = os.environ.get("OM_TEST_DATABASE_URL", "")


def is_postgres(server: str = BASE_URL) -> bool:
    return server.startswith("postgresql")


@contextmanager
def fresh_database(label: str, server: str = BASE_URL) -> Iterator[str]:
    """Yield the URL of a new empty database, dropped afterwards: a SQLite file, or a new
    database beside ``server`` when that is a PostgreSQL URL (the benchmarks use this too)."""
    name = f"om_{label}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    if not is_postgres(server):
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / name}.db"
        return
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
