"""A consistent online backup of the SQLite database (PostgreSQL: see docs/operations.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def backup_sqlite(database_url: str, destination: Path) -> int:
    """Copy the live database to ``destination`` with SQLite's backup API; returns its size.

    The backup API copies a consistent snapshot while the app keeps reading and writing.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError("backup works on the SQLite database; use pg_dump for PostgreSQL")
    source_path = Path(url.database)
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(destination)
    try:
        with target:
            source.backup(target)
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        source.close()
        target.close()
    if ok != "ok":
        raise BackupError(f"integrity check of the backup failed: {ok}")
    return destination.stat().st_size
