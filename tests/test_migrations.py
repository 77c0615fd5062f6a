"""One head; upgrade, downgrade and upgrade again; and no drift between models and migrations."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.config import Settings
from app.db import make_engine
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
