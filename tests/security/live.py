"""A database of its own, with committed rows, for tests that use several connections or a
separate server process (the suite's rolled-back transaction is invisible to them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.models import Phase, Preference, Role
from tests import factories as f
from tests.conftest import migrate
from tests.db_urls import fresh_database


@dataclass(frozen=True)
class Live:
    url: str
    engine: Engine
    semester_id: int
    wijkdocent_id: int


def _populate(session: Session) -> Live:
    """A semester in matching: two opdrachten, nine students of three programmes who ranked."""
    semester = f.semester(session, Phase.MATCHING, rank_costs=[0, 1], unplaced_cost=100)
    partner = f.partner(session)
    rules = {"min_size": 2, "max_size": 5, "max_per_programme": 3, "min_programmes": 2}
    opdrachten = [f.opdracht(session, semester, partner, **rules) for _ in range(2)]
    programmes = [f.programme(session, code) for code in ("FT", "SW", "VP")]
    for i in range(9):
        student = f.student(session, programmes[i % 3])
        for rank, o in enumerate((opdrachten[i % 2], opdrachten[(i + 1) % 2]), start=1):
            session.add(
                Preference(
                    semester_id=semester.id, student_id=student.id, opdracht_id=o.id, rank=rank
                )
            )
    wijkdocent = f.user(session, Role.WIJKDOCENT)
    session.commit()
    assert semester.id is not None
    assert wijkdocent.id is not None
    return Live("", session.get_bind(), semester.id, wijkdocent.id)  # type: ignore[arg-type]


@contextmanager
def live_database(label: str) -> Iterator[Live]:
    """A fresh migrated database (SQLite file or PostgreSQL database) with a small semester."""
    with fresh_database(label) as url:
        engine = make_engine(Settings(environment="test", database_url=url))
        try:
            migrate(engine)
            with Session(engine, expire_on_commit=False) as session:
                live = _populate(session)
            yield Live(url, engine, live.semester_id, live.wijkdocent_id)
        finally:
            engine.dispose()
