"""Every HTML page of the app: who may see it and in which phase it shows the most.

`test_accessibility.py` visits each page as each of its roles in both languages and fails
when the app has an HTML GET route that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.auth.services import create_invitation
from app.config import Settings
from app.demo.publish import publish_demo
from app.models import (
    Leerkring,
    MatchRun,
    Opdracht,
    OpdrachtStatus,
    OutboxMessage,
    Partner,
    Phase,
    PublishedMember,
    PublishedTeam,
    Role,
    Semester,
    StudentProfile,
    TeamOutcome,
    User,
    utcnow,
)
from tests.routes import api_routes

ANON, ADMIN, WIJKDOCENT, PARTNER, STUDENT = "anon", "beheerder", "wijkdocent", "partner", "student"
STAFF = (ADMIN, WIJKDOCENT)
EVERYONE = (ADMIN, WIJKDOCENT, PARTNER, STUDENT)
SEMESTER = "2026-S2"
# Submitting these forms empty shows their error summary and field errors.
SUBMIT = "main form.stack button.primary"
MATCH_SETTINGS = "/admin/semesters/{semester}/matching"
PROFILES = "/admin/semesters/{semester}/profiles"


@dataclass(frozen=True)
class Visit:
    route: str  # the path as the app declares it
    roles: tuple[str, ...]
    phase: Phase  # the phase the demo semester is put in first
    url: str = ""  # the route with ids filled in (default: the route itself)
    submit: str = ""  # a button to press first, to show the page with its errors
    status: int = 200

    def address(self, ids: dict[str, Any]) -> str:
        return (self.url or self.route).format(**ids)


INTAKE, RANKING, REVIEW, PUBLISHED = Phase.INTAKE, Phase.RANKING, Phase.REVIEW, Phase.PUBLISHED
CLOSING = Phase.CLOSING
TEAM_OUTCOME = "/outcomes/teams/{published_team_id}"
PAGES = [
    Visit("/login", (ANON,), RANKING),
    Visit("/privacy", (ANON, STUDENT), RANKING),
    Visit("/invitation/{token}", (ANON,), RANKING, url="/invitation/{invitation}"),
    Visit("/password/forgot", (ANON,), RANKING),
    Visit("/password/reset/{token}", (ANON,), RANKING, url="/password/reset/unknown", status=404),
    Visit("/dashboard", EVERYONE, RANKING),
    Visit("/account", EVERYONE, RANKING),
    Visit("/catalogue", EVERYONE, RANKING),
    Visit("/admin/users", (ADMIN,), RANKING),
    Visit("/admin/users/new", (ADMIN,), RANKING, submit=SUBMIT, status=422),
    Visit("/admin/semesters", (ADMIN,), INTAKE),
    Visit("/admin/leerkringen", (ADMIN,), RANKING),
    Visit("/admin/deliverable-kinds", (ADMIN,), RANKING),
    Visit("/admin/deliverable-kinds", (ADMIN,), RANKING, submit=SUBMIT, status=422),
    Visit("/admin/semesters/new", (ADMIN,), INTAKE, submit=SUBMIT, status=422),
    Visit("/admin/semesters/{semester_id}", (ADMIN,), INTAKE, url="/admin/semesters/{semester}"),
    Visit("/admin/semesters/{semester_id}/matching", (ADMIN,), INTAKE, url=MATCH_SETTINGS),
    Visit("/admin/semesters/{semester_id}/profiles", (ADMIN,), REVIEW, url=PROFILES),
    Visit("/admin/api-tokens", (ADMIN,), RANKING),
    Visit("/admin/api-tokens/new", (ADMIN,), RANKING, submit=SUBMIT, status=422),
    Visit("/admin/outbox", (ADMIN,), REVIEW),
    Visit("/admin/outbox/preview", (ADMIN,), REVIEW),
    Visit("/admin/outbox/{message_id}", (ADMIN,), REVIEW, url="/admin/outbox/{message}"),
    Visit("/opdrachten", (PARTNER,), INTAKE),
    Visit("/opdrachten/new", (PARTNER,), INTAKE, submit="main button[value=draft]", status=422),
    Visit("/opdrachten/{opdracht_id}", EVERYONE, RANKING, url="/opdrachten/{opdracht}"),
    Visit("/opdrachten/{opdracht_id}/edit", (PARTNER,), INTAKE, url="/opdrachten/{opdracht}/edit"),
    Visit("/review", STAFF, INTAKE),
    Visit("/review/{opdracht_id}", STAFF, INTAKE, url="/review/{submitted}"),
    Visit("/runs", STAFF, REVIEW),
    Visit("/runs/{run_id}", STAFF, REVIEW, url="/runs/{run}"),
    Visit("/runs/{run_id}", (ADMIN,), REVIEW, url="/runs/{candidate}"),
    Visit("/runs/{run_id}/board", STAFF, REVIEW, url="/runs/{run}/board"),
    Visit("/runs/compare", STAFF, REVIEW, url="/runs/compare?a={run}&b={candidate}"),
    Visit("/runs/approvals", STAFF, REVIEW),
    Visit(
        "/runs/{run_id}/students/{student_id}", STAFF, REVIEW, url="/runs/{run}/students/{student}"
    ),
    Visit("/partner/teams", (PARTNER,), PUBLISHED),
    Visit("/student/ranking", (STUDENT,), RANKING),
    Visit(
        "/student/group", (STUDENT,), RANKING, submit="main form[action$=join] button", status=422
    ),
    Visit("/groups", STAFF, RANKING),
    Visit("/student/team", (STUDENT,), PUBLISHED),
    Visit("/student/data", (STUDENT,), RANKING),
    Visit("/students/incomplete", STAFF, RANKING),
    Visit("/students/import", STAFF, RANKING, submit=SUBMIT, status=422),
    Visit("/outcomes", EVERYONE, CLOSING),
    Visit(TEAM_OUTCOME, (STUDENT,), CLOSING, url="/outcomes/teams/{student_team}"),
    Visit(TEAM_OUTCOME, (PARTNER,), CLOSING, url="/outcomes/teams/{partner_team}"),
    Visit(TEAM_OUTCOME, STAFF, CLOSING, url="/outcomes/teams/{kring_team}"),
    Visit(TEAM_OUTCOME, (ADMIN, WIJKDOCENT, PARTNER), CLOSING, url="/outcomes/teams/{past_team}"),
    Visit("/outcomes/overview", STAFF, CLOSING),
    Visit("/outcomes/showcase", (ANON, PARTNER), CLOSING),
    Visit("/admin/login-methods", (ADMIN,), RANKING),
    # This site has no OpenID Connect provider: the callback is the error page. The pages of
    # a sign-in through a provider are scanned in test_oidc.py.
    Visit("/oidc/callback", (ANON,), RANKING, status=404),
    Visit("/api/v1/docs", (ANON, ADMIN), RANKING),
]


def html_get_routes(app: FastAPI) -> set[str]:
    """The paths of all GET routes that answer with HTML, through included routers."""

    return {
        route.path
        for route in api_routes(app)
        if "GET" in route.methods and route.response_class is HTMLResponse
    }


def prepare(engine: Engine) -> dict[str, Any]:
    """Two runs (one current, one candidate), published teams, an open invitation and an
    intake deadline ahead; returns the ids the page addresses need."""
    publish_demo(engine, runs=2)
    with Session(engine, expire_on_commit=False) as session:
        semester = session.exec(select(Semester).where(Semester.code == SEMESTER)).one()
        semester.intake_deadline = utcnow() + timedelta(days=1)
        session.add(semester)
        newcomer = User(email="nieuw@demo.opdrachtmatch.nl", name="Student 900", role=Role.STUDENT)
        session.add(newcomer)
        session.flush()
        settings = Settings(environment="test")
        invitation = create_invitation(
            session=session, user=newcomer, created_by=None, settings=settings
        )
        session.commit()
        return {"invitation": invitation, "semester": semester.id, **_ids(session, semester)}


def _ids(session: Session, semester: Semester) -> dict[str, Any]:
    runs = session.exec(
        select(MatchRun).where(MatchRun.semester_id == semester.id).order_by(col(MatchRun.id))
    ).all()
    own = session.exec(select(Partner).where(Partner.name == "Gemeente Overbetuwe")).one()
    kring = session.exec(select(Leerkring).where(Leerkring.name == "Overbetuwe")).one()
    opdrachten = session.exec(select(Opdracht).where(Opdracht.semester_id == semester.id)).all()
    student = session.exec(
        select(StudentProfile).join(User).where(User.email == "student@demo.opdrachtmatch.nl")
    ).one()
    return {
        "message": session.exec(select(OutboxMessage.id).order_by(col(OutboxMessage.id))).first(),
        **_teams(session, semester, own, kring, student),
        "run": runs[0].id,
        "candidate": runs[1].id,
        "student": student.id,
        "opdracht": next(
            o.id
            for o in opdrachten
            if o.owner_partner_id == own.id and o.status == OpdrachtStatus.APPROVED
        ),
        "submitted": next(
            o.id
            for o in opdrachten
            if o.leerkring_id == kring.id and o.status == OpdrachtStatus.SUBMITTED
        ),
    }


def _teams(
    session: Session, semester: Semester, own: Partner, kring: Leerkring, student: StudentProfile
) -> dict[str, Any]:
    """Published teams of the current semester as the demo student, partner and wijkdocent
    see them (its outcome forms), and one of an earlier semester (a confirmed outcome)."""
    teams = session.exec(
        select(PublishedTeam).where(PublishedTeam.semester_id == semester.id)
    ).all()
    mine = select(PublishedMember.team_id).where(PublishedMember.student_id == student.id)
    earlier = select(TeamOutcome.published_team_id).where(TeamOutcome.semester_id != semester.id)
    return {
        "student_team": session.exec(mine.where(PublishedMember.semester_id == semester.id)).one(),
        "partner_team": next(t.id for t in teams if own.id in {p["id"] for p in t.partners}),
        "kring_team": next(t.id for t in teams if t.leerkring_id == kring.id),
        "past_team": next(
            t.id
            for t in session.exec(select(PublishedTeam).where(col(PublishedTeam.id).in_(earlier)))
            if t.leerkring_id == kring.id and own.id in {p["id"] for p in t.partners}
        ),
    }


def set_phase(engine: Engine, phase: Phase) -> None:
    with Session(engine) as session:
        session.exec(update(Semester).where(col(Semester.code) == SEMESTER).values(phase=phase))
        session.commit()


def speak_dutch(engine: Engine) -> None:
    """Undo the English that other tests chose (the choice is stored per user)."""
    with Session(engine) as session:
        session.exec(update(User).values(preferred_language="nl"))
        session.commit()
