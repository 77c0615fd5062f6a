"""A semester in the closing phase with one published team of two students."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from app.models import (
    LearningEffect,
    Leerkring,
    Opdracht,
    Partner,
    Phase,
    Programme,
    PublishedTeam,
    Role,
    Semester,
    StudentProfile,
    User,
)
from tests import factories as f
from tests.outcomes.builders import published_team


@dataclass
class Closing:
    semester: Semester
    leerkring: Leerkring
    opdracht: Opdracht
    partner: Partner
    team: PublishedTeam
    student: User
    outsider: User  # a student of another team
    partner_user: User
    other_partner_user: User
    wijkdocent: User
    other_wijkdocent: User
    admin: User
    effects: list[LearningEffect]


def _member(
    session: Session, profile: StudentProfile, prog: Programme
) -> tuple[StudentProfile, User, Programme]:
    user = session.get(User, profile.user_id)
    assert user is not None
    return profile, user, prog


@pytest.fixture
def closing(session: Session) -> Closing:
    return build_closing(session)


def build_closing(session: Session) -> Closing:
    sem = f.semester(session, Phase.CLOSING, code="2098-S1")
    kring, elsewhere = f.leerkring(session, "Overbetuwe"), f.leerkring(session, "Liemers")
    wd, other_wd = f.wijkdocent(session, kring), f.wijkdocent(session, elsewhere)
    partner_user, other_partner_user = f.user(session, Role.PARTNER), f.user(session, Role.PARTNER)
    owner = f.partner(session, "Forte Welzijn", partner_user)
    f.partner(session, "MEE", other_partner_user)
    op = f.opdracht(session, sem, owner, title="Welzijn op Recept", leerkring_id=kring.id)
    other_op = f.opdracht(session, sem, owner, title="Kletsbot", leerkring_id=kring.id)
    prog = f.programme(session, "SW")
    members = [_member(session, f.student(session, prog), prog) for _ in range(2)]
    outsider_profile = f.student(session, prog)
    _, outsider, _ = _member(session, outsider_profile, prog)
    team = published_team(session, sem, op, owner, members, leerkring_name=kring.name)
    published_team(session, sem, other_op, owner, [(outsider_profile, outsider, prog)])
    effects = [
        LearningEffect(leerkring_id=kring.id or 0, code=c, name_nl=n, name_en=n, sort_order=i)
        for i, (c, n) in enumerate([("professional", "Professional"), ("inwoner", "Inwoner")])
    ]
    session.add_all(effects)
    session.flush()
    assert outsider is not None
    assert members[0][1] is not None
    return Closing(
        sem,
        kring,
        op,
        owner,
        team,
        members[0][1],
        outsider,
        partner_user,
        other_partner_user,
        wd,
        other_wd,
        f.user(session, Role.ADMIN),
        effects,
    )


@pytest.fixture
def upload_dir(app: FastAPI, tmp_path: Path) -> Path:
    """Uploads of this test go to a folder of its own."""
    folder = tmp_path / "uploads"
    app.state.settings = app.state.settings.model_copy(update={"upload_dir": folder})
    return folder
