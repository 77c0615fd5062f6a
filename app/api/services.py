"""Read the publication snapshot (and approved opdrachten) for the JSON API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, or_, select

from app.api import schemas
from app.errors import NotFound
from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtStatus,
    PublishedMember,
    PublishedTeam,
    Semester,
)
from app.runs.snapshot import partners_by_opdracht
from app.semesters import oldest_first


def _not_found(what: str) -> NotFound:
    return NotFound(f"No {what} with this key.")


def get_semester(*, session: Session, code: str) -> Semester:
    semester = session.exec(select(Semester).where(Semester.code == code)).first()
    if semester is None:
        raise _not_found("semester")
    return semester


def list_semesters(*, session: Session) -> schemas.SemesterList:
    live = col(PublishedTeam.deleted_at).is_(None)
    stats = session.exec(
        select(
            PublishedTeam.semester_id,
            func.max(PublishedTeam.updated_at),
            func.count().filter(live),
        ).group_by(col(PublishedTeam.semester_id))
    )
    by_semester: dict[int | None, tuple[datetime | None, int]] = {
        sid: (latest, live_count) for sid, latest, live_count in stats
    }
    items = []
    for s in session.exec(select(Semester).order_by(*oldest_first())):
        latest, live_count = by_semester.get(s.id, (None, 0))
        items.append(
            schemas.SemesterPublic(
                **{name: getattr(s, name) for name in SEMESTER_FIELDS},
                teams_published=live_count > 0,
                teams_updated_at=latest,
            )
        )
    return schemas.SemesterList(items=items)


SEMESTER_FIELDS = (
    "code",
    "name",
    "phase",
    "starts_on",
    "intake_deadline",
    "ranking_deadline",
    "publication_at",
)


def team_page(
    *,
    session: Session,
    semester: Semester,
    limit: int,
    offset: int,
    updated_since: datetime | None,
    as_of: datetime | None,
) -> schemas.TeamPage:
    """Published teams by id. Without ``updated_since`` only live teams, except that teams
    removed after ``as_of`` (the watermark of a sync's first page) are still listed, as
    tombstones, so a removal during paging never shifts a live team past the client."""
    team = PublishedTeam
    where: list[ColumnElement[bool]] = [col(team.semester_id) == semester.id]
    if updated_since is not None:
        where.append(col(team.updated_at) > updated_since)
    elif as_of is not None:
        where.append(or_(col(team.deleted_at).is_(None), col(team.deleted_at) > as_of))
    else:
        where.append(col(team.deleted_at).is_(None))
    total = session.exec(select(func.count()).select_from(team).where(*where)).one()
    watermark = session.exec(
        select(func.max(team.updated_at)).where(team.semester_id == semester.id)
    ).one()
    # Rows of the table, not ORM objects: nothing here is changed, and a page has up to 500.
    table = team.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        sa.select(table).where(*where).order_by(table.c.id).offset(offset).limit(limit)
    ).all()
    # One validation of plain dicts: much cheaper than a model per team and member.
    return schemas.TeamPage.model_validate(
        {
            "semester": semester.code,
            "limit": limit,
            "offset": offset,
            "total": total,
            "watermark": watermark,
            "items": _team_items(session, semester.code, rows),
        }
    )


def get_team(*, session: Session, team_id: int) -> schemas.TeamPublic:
    row = session.get(PublishedTeam, team_id)
    if row is None or row.deleted_at is not None:
        raise _not_found("published team")
    semester = session.get(Semester, row.semester_id)
    assert semester is not None
    return schemas.TeamPublic.model_validate(_team_items(session, semester.code, [row])[0])


def team_of_student(*, session: Session, semester: Semester, student_number: str) -> int:
    """The id of the published team the student is in this semester."""
    team_id = session.exec(
        select(PublishedMember.team_id).where(
            PublishedMember.semester_id == semester.id,
            PublishedMember.student_number == student_number,
            col(PublishedMember.deleted_at).is_(None),
        )
    ).first()
    if team_id is None:
        raise _not_found("published team for a student")
    return team_id


def _team_items(session: Session, semester_code: str, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Teams (with their members) and tombstones as dicts shaped like the schemas; ``rows``
    are ``PublishedTeam`` objects or rows of its table (the same attributes)."""
    live_ids = [t.id for t in rows if t.deleted_at is None]
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if live_ids:
        # Plain columns, not ORM objects: a page of 100 teams has some 500 members.
        m = PublishedMember
        stmt = (
            sa.select(
                col(m.team_id),
                col(m.student_number),
                col(m.name),
                col(m.programme_code),
                col(m.programme_name),
                col(m.year),
            )
            .where(col(m.team_id).in_(live_ids), col(m.deleted_at).is_(None))
            .order_by(col(m.student_number))
        )
        for team_id, number, name, code, programme, year in session.execute(stmt):
            members[team_id].append(
                {
                    "student_number": number,
                    "name": name,
                    "programme": {"code": code, "name": programme},
                    "year": year,
                }
            )
    items: list[dict[str, Any]] = []
    for t in rows:
        assert t.id is not None
        if t.deleted_at is not None:
            items.append({"id": t.id, "deleted": True, "deleted_at": t.deleted_at})
        else:
            items.append(_team(t, semester_code, members[t.id]))
    return items


def _ref(ref_id: int | None, name: str | None) -> dict[str, Any] | None:
    return {"id": ref_id, "name": name} if ref_id is not None and name else None


def _team(t: Any, semester: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": t.id,
        "deleted": False,
        "semester": semester,
        "opdracht": {"id": t.opdracht_id, "title": t.opdracht_title},
        "team_number": t.team_number,
        "partners": t.partners,
        "leerkring": _ref(t.leerkring_id, t.leerkring_name),
        "location": t.location,
        "supervisor": _ref(t.supervisor_id, t.supervisor_name),
        "members": members,
        "published_at": t.published_at,
        "updated_at": t.updated_at,
    }


def opdracht_page(
    *, session: Session, semester: Semester, limit: int, offset: int
) -> schemas.OpdrachtPage:
    """The approved opdrachten of the semester by id (contact details are not served)."""
    where = (Opdracht.semester_id == semester.id, Opdracht.status == OpdrachtStatus.APPROVED)
    total = session.exec(select(func.count()).select_from(Opdracht).where(*where)).one()
    rows = session.exec(
        select(Opdracht).where(*where).order_by(col(Opdracht.id)).offset(offset).limit(limit)
    ).all()
    partners = partners_by_opdracht(
        session=session, opdracht_ids={o.id for o in rows if o.id is not None}
    )
    leerkringen = {k.id: k.name for k in session.exec(select(Leerkring))}
    items = [_opdracht(o, semester.code, partners, leerkringen) for o in rows]
    return schemas.OpdrachtPage(
        semester=semester.code, limit=limit, offset=offset, total=total, items=items
    )


def _opdracht(
    o: Opdracht,
    semester: str,
    partners: dict[int, list[dict[str, Any]]],
    leerkringen: dict[int | None, str],
) -> schemas.OpdrachtPublic:
    assert o.id is not None
    return schemas.OpdrachtPublic(
        id=o.id,
        semester=semester,
        title=o.title,
        partners=[schemas.PartnerPublic(**p) for p in partners.get(o.id, [])],
        leerkring=_ref(o.leerkring_id, leerkringen.get(o.leerkring_id)),
        location=o.location,
        teams=o.teams,
        min_size=o.min_size,
        max_size=o.max_size,
        eligible_years=o.eligible_years,
        updated_at=o.updated_at,
    )
