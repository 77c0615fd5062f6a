"""A semester with a finished match run, one user per role and ids for every path parameter.

The match-run world of tests/runs (two leerkringen, three opdrachten, eight students who
ranked) with its current run, plus what the other routes need: an invitation link, an API
token, a bystander account. Runs started over HTTP stay queued (the worker is not run).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api_tokens.services import issue_token
from app.auth.services import create_invitation
from app.config import Settings
from app.mail import queue_mail
from app.models import (
    Deliverable,
    LearningEffect,
    Member,
    Programme,
    Role,
    Team,
    TeamOutcome,
    User,
    utcnow,
)
from app.runs.deps import get_worker
from tests import factories as f
from tests.groups.builders import group
from tests.outcomes.builders import published_team
from tests.runs.conftest import World, ident, worker_for
from tests.runs.conftest import world as world  # the fixture, reused
from tests.runs.helpers import run_now


@dataclass
class Matrix:
    world: World
    actors: dict[Role, User]
    params: dict[str, object]
    secret: str  # an API token with every scope
    # Text that only someone allowed to see the world's data would get in a response.
    private: list[str]


@pytest.fixture
def matrix(app, session: Session, world: World, settings: Settings) -> Matrix:
    app.dependency_overrides[get_worker] = lambda: worker_for(session, runner=lambda job: None)
    run = run_now(session, world)
    team = session.exec(select(Team).where(Team.run_id == run.id)).first()
    member = session.exec(select(Member).where(Member.run_id == run.id)).first()
    assert team is not None
    assert member is not None
    bystander = f.user(session, Role.STUDENT)
    invitation = create_invitation(
        session=session, user=bystander, created_by=None, settings=settings
    )
    token, secret = issue_token(
        session=session,
        name="Timetabling",
        scopes=["teams:read", "opdrachten:read", "outcomes:read"],
        expires_at=utcnow() + timedelta(days=30),
    )
    session.flush()
    student = world.students[0]
    student_user = session.get(User, student.user_id)
    assert student_user is not None
    mail = queue_mail(
        session=session, to=student_user.email, subject="Je team is bekend", body=student_user.name
    )
    session.flush()
    params: dict[str, object] = {
        "token": invitation,
        "user_id": ident(bystander),
        "semester_id": ident(world.semester),
        "opdracht_id": ident(world.opdrachten[0]),
        "leerkring_id": world.opdrachten[0].leerkring_id,
        "run_id": ident(run),
        "team_id": ident(team),
        "student_id": member.student_id,
        "fmt": "csv",
        "token_id": ident(token),
        "code": world.semester.code,
        "student_number": student.student_number,
        "message_id": ident(mail),
        "group_id": ident(group(session, world.semester, [student, world.students[3]])),
    }
    params |= _outcome(session, world, student_user)
    kring = world.opdrachten[0].leerkring_id
    assert kring is not None
    effect = LearningEffect(leerkring_id=kring, code="samenwerken", name_nl="Samen", name_en="Team")
    session.add(effect)
    session.flush()
    params["effect_id"] = ident(effect)
    params["kind_id"] = 1  # the deliverable's kind, seeded by the migrations
    private = [s.student_number for s in world.students] + [o.title for o in world.opdrachten]
    actors = {
        Role.STUDENT: student_user,
        Role.PARTNER: world.partner_user,
        Role.WIJKDOCENT: world.wijkdocent,
        Role.ADMIN: world.admin,
    }
    return Matrix(world, actors, params, secret, private)


def as_role(client: TestClient, session: Session, matrix: Matrix, role: Role | None) -> TestClient:
    """The client with a fresh session of the role's actor (none for anonymous)."""
    client.cookies.delete("om_session", domain="testserver.local")
    if role is not None:
        f.login(client, session, matrix.actors[role])
    else:  # the CSRF token is bound to the session: an anonymous page gives a new one
        client.get("/healthz")
        client.headers["X-CSRF-Token"] = client.cookies["om_csrf"]
    return client


def _outcome(session: Session, world: World, student_user: User) -> dict[str, object]:
    """A published team of the first opdracht with the student actor in it, its outcome and
    a deliverable: the outcome routes find real objects for the actors allowed to see them."""
    student = world.students[0]
    programme = session.get(Programme, student.programme_id)
    assert programme is not None
    team = published_team(
        session,
        world.semester,
        world.opdrachten[0],
        world.partner,
        [(student, student_user, programme)],
    )
    outcome = TeamOutcome(
        published_team_id=ident(team),
        semester_id=ident(world.semester),
        opdracht_id=ident(world.opdrachten[0]),
    )
    session.add(outcome)
    session.flush()
    deliverable = Deliverable(outcome_id=ident(outcome), kind_id=1, title="Adviesrapport")
    session.add(deliverable)
    session.flush()
    return {
        "published_team_id": ident(team),
        "deliverable_id": ident(deliverable),
        "outcome_id": ident(outcome),
    }
