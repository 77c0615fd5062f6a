"""Take the demo semester through matching to published, with the app's own services.

For screenshots, accessibility scans and load tests that need published teams without
clicking through the whole semester first (the browser journey does that).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import MatchRun, Phase, Role, User
from app.runs.approval import approve, groups, publish
from app.runs.services import StartForm, start_run
from app.runs.worker import Worker, run_inline
from app.semesters import current_semester


def _session(engine: Engine) -> Session:
    # Nothing expires at commit: reading an attribute afterwards would open a transaction,
    # and on SQLite (BEGIN IMMEDIATE) that would lock out the worker's own session.
    return Session(engine, expire_on_commit=False)


def run_demo_match(engine: Engine, *, runs: int = 1) -> list[MatchRun]:
    """Move the current semester to matching and solve it ``runs`` times in this thread
    (the first run holds the current teams, later ones wait as candidates)."""
    with _session(engine) as session:
        return _run(session, engine, runs)


def _run(session: Session, engine: Engine, runs: int) -> list[MatchRun]:
    semester = current_semester(session=session)
    admin = session.exec(select(User).where(User.role == Role.ADMIN)).first()
    assert semester is not None, "load the demo data first"
    assert admin is not None
    semester.phase = Phase.MATCHING
    session.add(semester)
    session.commit()
    worker = Worker(session_factory=lambda: _session(engine), runner=run_inline)
    done = []
    for number in range(runs):
        # A later run optimises another fairness profile, so that it differs from the first.
        form = StartForm(objective="greedy" if number else "", minimal_disruption=False)
        run = start_run(session=session, semester=semester, user=admin, form=form, worker=worker)
        session.refresh(run)  # the worker has finished and written the result
        session.commit()
        done.append(run)
    return done


def publish_demo(engine: Engine, *, runs: int = 1) -> list[MatchRun]:
    """Run the match, approve every leerkring as the beheerder and publish the teams."""
    done = run_demo_match(engine, runs=runs)
    with _session(engine) as session:
        _approve_and_publish(session, done[0])
    return done


def _approve_and_publish(session: Session, run: MatchRun) -> None:
    semester = current_semester(session=session)
    admin = session.exec(select(User).where(User.role == Role.ADMIN)).one()
    assert semester is not None
    for group in groups(session=session, run=run, user=admin):
        approve(
            session=session,
            semester=semester,
            leerkring_id=group.leerkring_id,
            token=group.token,
            user=admin,
        )
    publish(session=session, semester=semester, user=admin)
