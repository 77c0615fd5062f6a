from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.ops.backup import BackupError, backup_sqlite

pytestmark = pytest.mark.nodb


def _db(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


def test_backup_is_a_complete_consistent_copy(tmp_path: Path):
    url = _db(tmp_path / "live.db")
    size = backup_sqlite(url, tmp_path / "copy.db")
    assert size > 0
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT count(*), sum(x) FROM t").fetchone() == (1000, 499500)


def test_backup_refuses_to_overwrite_and_postgres(tmp_path: Path):
    url = _db(tmp_path / "live.db")
    (tmp_path / "exists.db").write_text("")
    with pytest.raises(BackupError, match="exists already"):
        backup_sqlite(url, tmp_path / "exists.db")
    with pytest.raises(BackupError, match="pg_dump"):
        backup_sqlite("postgresql+psycopg://x@localhost/db", tmp_path / "pg.db")


def test_cli_reports_failure_with_nonzero_exit(tmp_path: Path):
    env = {"OM_DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}", "PATH": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "app.ops", "backup", str(tmp_path / "b.db")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "no database at" in proc.stderr
