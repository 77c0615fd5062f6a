"""One head; upgrade, downgrade and upgrade again; and no drift between models and migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

import app.models  # noqa: F401
from app.config import Settings
from app.db import make_engine
from app.models import Semester
from tests.conftest import alembic_config
from tests.db_urls import fresh_database


def test_single_head():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1


def test_upgrade_downgrade_upgrade_and_no_drift():
    with fresh_database("migrations") as url:
        engine = make_engine(Settings(environment="test", database_url=url))
        try:
            with engine.begin() as conn:
                cfg = alembic_config(conn)
                command.upgrade(cfg, "head")
                command.downgrade(cfg, "base")
                command.upgrade(cfg, "head")
            with engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
            assert diff == []
        finally:
            engine.dispose()


def test_0005_turns_semester_starts_into_amsterdam_days_across_daylight_saving():
    """Winter (CET, +01:00) and summer (CEST, +02:00) midnights both become their own day."""
    winter = datetime(2027, 2, 8, 23, 0, tzinfo=UTC)  # 9 February 2027, 00:00 in Amsterdam
    summer = datetime(2026, 8, 31, 22, 0, tzinfo=UTC)  # 1 September 2026, 00:00 in Amsterdam
    with fresh_database("dates") as url:
        engine = make_engine(Settings(environment="test", database_url=url))
        try:
            with engine.begin() as conn:
                cfg = alembic_config(conn)
                command.upgrade(cfg, "0002_api")
                table = sa.Table("semester", sa.MetaData(), autoload_with=conn)
                rows = []
                for code, start in (("2026-S2", winter), ("2026-S1", summer), ("2027-S1", None)):
                    row = Semester(code=code).model_dump(exclude={"id", "starts_on"})
                    rows.append({**row, "starts_on": start})
                conn.execute(table.insert(), rows)
                old = sa.table(
                    "semester",
                    sa.column("code", sa.String()),
                    sa.column("starts_on", UTCDateTime()),
                )
                command.upgrade(cfg, "head")
                days: dict[str, object] = dict(
                    conn.execute(sa.text("SELECT code, starts_on FROM semester")).all()
                )
                assert {k: _as_date(v) for k, v in days.items()} == {
                    "2026-S2": date(2027, 2, 9),
                    "2026-S1": date(2026, 9, 1),
                    "2027-S1": None,
                }
                command.downgrade(cfg, "0002_api")
                back = dict(conn.execute(sa.select(old.c.code, old.c.starts_on)).all())
                assert back == {"2026-S2": winter, "2026-S1": summer, "2027-S1": None}
        finally:
            engine.dispose()


def _as_date(value: object) -> date | None:
    """SQLite hands back a DATE column read by raw SQL as text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
