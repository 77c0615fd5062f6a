"""Two people saving the same outcome at the same moment, each on its own connection: the
conditional write lets exactly one in; the other gets the 409 and nothing of theirs is kept."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.errors import Conflict
from app.models import TeamOutcome, User
from app.outcomes import services
from app.outcomes.forms import EvaluationForm
from app.semesters import PhaseClosed
from tests.conftest import migrate
from tests.db_urls import fresh_database, is_postgres
from tests.outcomes.conftest import build_closing


def test_an_evaluation_and_a_confirmation_racing_end_in_one_write():
    label = "pg" if is_postgres() else "sqlite"
    with fresh_database(f"outcome_race_{label}") as url:
        engine = make_engine(Settings(environment="test", database_url=url))
        try:
            migrate(engine)
            with Session(engine, expire_on_commit=False) as session:
                c = build_closing(session)
                session.commit()
            # Both forms were shown at version 1; the outcome row exists already.
            with Session(engine) as session:
                session.add(
                    TeamOutcome(
                        published_team_id=c.team.id or 0,
                        semester_id=c.semester.id or 0,
                        opdracht_id=c.opdracht.id or 0,
                    )
                )
                session.commit()
            barrier = threading.Barrier(2)

            def run(action: Callable[[Session, User], None], user_id: int) -> str:
                with Session(engine, expire_on_commit=False) as session:
                    user = session.get(User, user_id)
                    assert user is not None
                    session.commit()  # SQLite: no lock held while waiting
                    barrier.wait(timeout=10)
                    try:
                        action(session, user)
                    except (Conflict, PhaseClosed):  # 409 either way: changed, or confirmed
                        return "refused"
                    return "saved"

            def evaluate(session: Session, user: User) -> None:
                form = EvaluationForm(usefulness="4", plan="use", version="1")
                services.evaluate(session=session, user=user, team_id=c.team.id or 0, form=form)

            def confirm(session: Session, user: User) -> None:
                services.confirm(
                    session=session, user=user, team_id=c.team.id or 0, note="ok", version="1"
                )

            with ThreadPoolExecutor(2) as pool:
                first = pool.submit(run, evaluate, c.partner_user.id or 0)
                second = pool.submit(run, confirm, c.wijkdocent.id or 0)
                results = sorted([first.result(), second.result()])
            assert results == ["refused", "saved"]
            with Session(engine) as session:
                outcome = session.exec(select(TeamOutcome)).one()
                assert outcome.version == 2
                evaluated, confirmed = (
                    outcome.evaluated_at is not None,
                    outcome.confirmed_at is not None,
                )
                assert evaluated != confirmed  # one of the two, never both or a mix
        finally:
            engine.dispose()
