"""Saves of one student's ranking at the same moment (two tabs, a double click), each on its
own connection: every save succeeds, in some order, and the audit trail is one unbroken chain.

Without a lock on the student's row, two saves on PostgreSQL both deleted the old rows and
both inserted new ones: a unique violation, a 500 for the student.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine
from app.models import AuditEvent, Preference, User
from app.students.ranking import save_ranking
from tests import factories as f
from tests.conftest import migrate
from tests.db_urls import fresh_database, is_postgres
from tests.students import builders as b

WRITERS, SAVES = 4, 12


def test_concurrent_saves_of_one_student_all_succeed_one_after_another():
    label = "rank_pg" if is_postgres() else "rank_sqlite"
    with fresh_database(label) as url:
        engine = make_engine(Settings(environment="test", database_url=url))
        try:
            migrate(engine)
            with Session(engine, expire_on_commit=False) as session:
                semester = b.ranking_semester(session, number_of_ranks=4)
                partner = f.partner(session)
                ids = [f.opdracht(session, semester, partner).id for _ in range(4)]
                student = f.student(session, f.programme(session))
                user_id = b.student_user(session, student).id
                session.commit()
            barrier = threading.Barrier(WRITERS)

            def writer(seed: int) -> list[str]:
                rng, failures = random.Random(seed), []
                barrier.wait(timeout=10)
                for _ in range(SAVES):
                    order = rng.sample(ids, len(ids))
                    with Session(engine, expire_on_commit=False) as session:
                        user = session.get(User, user_id)
                        assert user is not None
                        try:
                            save_ranking(session=session, user=user, order=order)
                        except Exception as exc:  # any failure is the finding
                            failures.append(f"{type(exc).__name__}: {exc}"[:200])
                return failures

            with ThreadPoolExecutor(WRITERS) as pool:
                failures = [msg for msgs in pool.map(writer, range(WRITERS)) for msg in msgs]
            assert failures == []
            with Session(engine) as session:
                events = session.exec(
                    select(AuditEvent)
                    .where(AuditEvent.action == "ranking.save")
                    .order_by(col(AuditEvent.id))
                ).all()
                stored = list(
                    session.exec(
                        select(Preference.opdracht_id)
                        .where(Preference.semester_id == semester.id)
                        .order_by(col(Preference.rank))
                    )
                )
            # Each save saw the one before it (a save of the order already stored writes
            # nothing, so there may be fewer events than saves).
            assert events
            assert events[0].before == {"order": []}
            for earlier, later in pairwise(events):
                assert later.before == earlier.after
            assert events[-1].after == {"order": stored}
        finally:
            engine.dispose()
