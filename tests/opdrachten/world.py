"""A small intake world for the feature tests: a semester in intake, partners with users,
vocabularies and three programmes, and a helper that fills the opdracht form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Partner,
    Phase,
    Programme,
    Role,
    Semester,
    TargetGroup,
    Theme,
    User,
    utcnow,
)
from tests import factories as f


@dataclass
class World:
    semester: Semester
    kring: Leerkring
    theme: Theme
    group: TargetGroup
    programmes: list[Programme]
    owner: Partner
    owner_user: User
    co: Partner
    co_user: User
    other: Partner
    other_user: User


def build(session: Session, phase: Phase = Phase.INTAKE) -> World:
    users = [f.user(session, Role.PARTNER) for _ in range(3)]
    return World(
        semester=f.semester(session, phase, intake_deadline=utcnow() + timedelta(days=7)),
        kring=f.leerkring(session),
        theme=f.theme(session, "Wonen en zorg"),
        group=f.target_group(session, "Ouderen"),
        programmes=[f.programme(session, code) for code in ("FT", "SW", "VP")],
        owner=f.partner(session, "Gemeente Overbetuwe", users[0]),
        owner_user=users[0],
        co=f.partner(session, "Forte Welzijn", users[1]),
        co_user=users[1],
        other=f.partner(session, "Driestroom", users[2]),
        other_user=users[2],
    )


def form(w: World, **overrides: object) -> dict[str, object]:
    """A valid opdracht form for ``w``; ``overrides`` replace fields."""
    data: dict[str, object] = {
        "semester_id": w.semester.id,
        "owner_partner_id": w.owner.id,
        "title": "Hop-on-Hop-off: wonen met ouderen",
        "description": "Regel een\nRegel twee",
        "theme_ids": [w.theme.id],
        "target_group_ids": [w.group.id],
        "leerkring_id": w.kring.id,
        "location": "Elst",
        "eligible_years": [2, 3],
        "teams": "2",
        "min_size": "3",
        "max_size": "5",
        "max_per_programme": "2",
        "min_programmes": "2",
        "required_programme_ids": [w.programmes[0].id],
        "copartner_ids": [w.co.id],
        "contact_name": "Coördinator wonen",
        "contact_email": "wonen@example.org",
        "action": "submit",
    }
    data.update(overrides)
    return data


def complete(session: Session, w: World, **kw: object) -> Opdracht:
    """An opdracht of ``w`` with everything a submission needs: description, theme, target
    group, leerkring and contact."""
    obj = f.opdracht(
        session,
        w.semester,
        w.owner,
        description="Ouderen willen langer thuis wonen.",
        leerkring_id=w.kring.id,
        contact_name="Coördinator wonen",
        contact_email="wonen@example.org",
        **kw,
    )
    assert obj.id is not None
    session.add(OpdrachtTheme(opdracht_id=obj.id, theme_id=ident(w.theme)))
    session.add(OpdrachtTargetGroup(opdracht_id=obj.id, target_group_id=ident(w.group)))
    session.flush()
    return obj


def ident(row: object) -> int:
    value = getattr(row, "id", None)
    assert isinstance(value, int)
    return value
