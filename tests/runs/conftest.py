"""A small semester in the matching phase, and a worker that runs inline on the test's
connection (its commits become savepoints, so the test's rollback still cleans up)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session

from app.models import (
    LeerkringWijkdocent,
    Opdracht,
    OpdrachtRequiredProgramme,
    Partner,
    Phase,
    Preference,
    Programme,
    Role,
    Semester,
    StudentProfile,
    User,
)
from app.runs.deps import get_worker
from app.runs.worker import Job, Worker, run_inline
from tests import factories as f


@dataclass
class World:
    semester: Semester
    programmes: dict[str, Programme]
    opdrachten: list[Opdracht]
    students: list[StudentProfile]
    wijkdocent: User
    other_wijkdocent: User
    admin: User
    partner: Partner
    partner_user: User
    jobs: list[Job] = field(default_factory=list)


def ident(row: Any) -> int:
    """The id of a flushed row (typed as int for the model constructors)."""
    assert row.id is not None
    return int(row.id)


def worker_for(session: Session, runner: Callable[[Job], None] = run_inline) -> Worker:
    def factory() -> Session:
        return Session(
            bind=session.connection(),
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )

    return Worker(session_factory=factory, runner=runner)


@pytest.fixture
def world(session: Session) -> World:
    """Two leerkringen, three opdrachten (one required FT), eight students who ranked."""
    return build_world(session)


def build_world(session: Session) -> World:
    """The ``world`` fixture's rows, in any session (tests/concurrent.py commits them)."""
    sem = f.semester(session, Phase.MATCHING, rank_costs=[0, 1, 3], unplaced_cost=100)
    progs = {code: f.programme(session, code) for code in ("FT", "VP", "SW")}
    north, south = f.leerkring(session, "Noord"), f.leerkring(session, "Zuid")
    wd, other = f.user(session, Role.WIJKDOCENT), f.user(session, Role.WIJKDOCENT)
    session.add(LeerkringWijkdocent(leerkring_id=ident(north), user_id=ident(wd)))
    session.add(LeerkringWijkdocent(leerkring_id=ident(south), user_id=ident(other)))
    partner_user = f.user(session, Role.PARTNER)
    owner = f.partner(session, "Forte Welzijn", partner_user)
    rules = {"min_size": 2, "max_size": 4, "max_per_programme": 2, "min_programmes": 2}
    ops = [
        f.opdracht(session, sem, owner, title="Welzijn op Recept", leerkring_id=north.id, **rules),
        f.opdracht(session, sem, owner, title="Leefstijlspreekuur", leerkring_id=north.id, **rules),
        f.opdracht(
            session,
            sem,
            owner,
            title="Kletsbot",
            leerkring_id=south.id,
            eligible_years=[2, 3],
            **rules,
        ),
    ]
    session.add(
        OpdrachtRequiredProgramme(opdracht_id=ident(ops[1]), programme_id=ident(progs["FT"]))
    )
    codes = ["FT", "FT", "FT", "VP", "VP", "SW", "SW", "SW"]
    students = [f.student(session, progs[c], year=2, leerkring_id=north.id) for c in codes]
    for i, s in enumerate(students):
        order = [ops[i % 3], ops[(i + 1) % 3], ops[(i + 2) % 3]]
        for rank, o in enumerate(order, start=1):
            session.add(
                Preference(
                    semester_id=ident(sem), student_id=ident(s), opdracht_id=ident(o), rank=rank
                )
            )
    session.flush()
    return World(
        sem, progs, ops, students, wd, other, f.user(session, Role.ADMIN), owner, partner_user
    )


@pytest.fixture
def inline(app, session: Session) -> Worker:
    """Runs started over HTTP solve at once, inside the request."""
    worker = worker_for(session)
    app.dependency_overrides[get_worker] = lambda: worker
    return worker


@pytest.fixture
def deferred(app, session: Session, world: World) -> Worker:
    """Runs started over HTTP stay queued; the test runs ``world.jobs`` when it wants."""
    worker = worker_for(session, runner=world.jobs.append)
    app.dependency_overrides[get_worker] = lambda: worker
    return worker
