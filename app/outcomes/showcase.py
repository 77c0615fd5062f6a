"""What may be shown publicly: deliverables both the team and the partner opted in, of
semesters in closing or closed, with the opdracht, its partners and themes. No names of
students or staff: a team is its opdracht, its leerkring and its semester."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.errors import NotFound
from app.models import (
    Deliverable,
    DeliverableKind,
    OpdrachtTheme,
    Phase,
    PublishedTeam,
    Semester,
    TeamOutcome,
    Theme,
)
from app.outcomes import uploads
from app.semesters import newest_first

SHOWN_PHASES = (Phase.CLOSING, Phase.CLOSED)


@dataclass
class Shown:
    deliverable: Deliverable
    kind: DeliverableKind
    team: PublishedTeam
    semester: Semester


@dataclass
class ThemeGroup:
    theme: Theme | None  # None: opdrachten without a theme
    items: list[Shown] = field(default_factory=list)


def shared() -> sa.ColumnElement[bool]:
    return sa.and_(
        col(Deliverable.public_by_team).is_(True), col(Deliverable.public_by_partner).is_(True)
    )


def _query() -> Select[Deliverable, DeliverableKind, PublishedTeam, Semester]:
    return (
        select(Deliverable, DeliverableKind, PublishedTeam, Semester)
        .join(DeliverableKind, col(DeliverableKind.id) == Deliverable.kind_id)
        .join(TeamOutcome, col(TeamOutcome.id) == Deliverable.outcome_id)
        .join(PublishedTeam, col(PublishedTeam.id) == TeamOutcome.published_team_id)
        .join(Semester, col(Semester.id) == TeamOutcome.semester_id)
        .where(shared(), col(Semester.phase).in_(SHOWN_PHASES))
    )


def showcase(*, session: Session, theme_id: int | None = None) -> list[ThemeGroup]:
    """Results by theme, newest semester first; an opdracht with two themes shows under both."""
    rows = [Shown(*row) for row in session.exec(_query().order_by(*newest_first()))]
    themes: dict[int, list[Theme]] = defaultdict(list)
    ids = {r.team.opdracht_id for r in rows}
    for oid, theme in session.exec(
        select(OpdrachtTheme.opdracht_id, Theme)
        .join(Theme, col(Theme.id) == OpdrachtTheme.theme_id)
        .where(col(OpdrachtTheme.opdracht_id).in_(ids))
    ):
        themes[oid].append(theme)
    groups: dict[int | None, ThemeGroup] = {}
    for row in rows:
        options: list[Theme | None] = [*themes.get(row.team.opdracht_id, [])] or [None]
        for option in options:
            if theme_id is not None and (option is None or option.id != theme_id):
                continue
            key = option.id if option else None
            groups.setdefault(key, ThemeGroup(option)).items.append(row)
    return sorted(
        groups.values(), key=lambda g: (g.theme is None, g.theme.name_nl if g.theme else "")
    )


def themes_shown(*, session: Session) -> list[Theme]:
    ids = select(TeamOutcome.opdracht_id).join(
        Deliverable, col(Deliverable.outcome_id) == TeamOutcome.id
    )
    stmt = (
        select(Theme)
        .join(OpdrachtTheme, col(OpdrachtTheme.theme_id) == Theme.id)
        .where(col(OpdrachtTheme.opdracht_id).in_(ids.where(shared())))
        .distinct()
        .order_by(col(Theme.name_nl))
    )
    return list(session.exec(stmt))


def public_file(*, session: Session, deliverable_id: int, folder: Path) -> tuple[Path, str]:
    """The PDF of a shared deliverable; 404 for any other, as if it did not exist."""
    row = session.exec(_query().where(col(Deliverable.id) == deliverable_id)).first()
    path = uploads.path_of(folder, row[0].stored_name) if row else None
    if row is None or path is None:
        raise NotFound()
    return path, row[0].file_name or "deliverable.pdf"
