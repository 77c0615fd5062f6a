"""Copy a semester's approved teams into the publication snapshot the JSON API serves."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.models import (
    Leerkring,
    MatchRun,
    Member,
    Opdracht,
    OpdrachtCopartner,
    Partner,
    Programme,
    PublishedMember,
    PublishedTeam,
    Semester,
    StudentProfile,
    Team,
    TeamStatus,
    User,
    utcnow,
)
from app.semesters import is_current_run

MEMBER_FIELDS = ("student_number", "name", "programme_code", "programme_name", "year")
TEAM_FIELDS = (
    "opdracht_title",
    "partners",
    "leerkring_id",
    "leerkring_name",
    "location",
    "supervisor_id",
    "supervisor_name",
)


@dataclass
class _TeamData:
    values: dict[str, Any]
    members: dict[int, dict[str, Any]] = field(default_factory=dict)  # student id -> values

    def content_hash(self) -> str:
        members = sorted(self.members.values(), key=lambda m: str(m["student_number"]))
        text = json.dumps([self.values, members], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def sync_publication(
    *, session: Session, semester: Semester, now: datetime | None = None
) -> dict[str, int]:
    """Make the API snapshot of ``semester`` equal to the approved teams of its current run.

    Call it when a semester is published, and again after every reopen + republish. It reads
    the run with ``MatchRun.is_current`` and copies only its teams with status ``approved``
    (a semester without a current run, or without approved teams, publishes no teams).

    - A team is identified by (opdracht, team number) and a member by student, so ids stay
      stable across runs: the API's ``id`` of a team does not change when a run is redone.
    - New or changed teams and members get ``updated_at = now``; a team whose member list
      changed counts as changed (a moved student changes both teams).
    - Teams and members that are no longer there get ``deleted_at = now`` (a tombstone the
      API reports to incremental clients); unchanged rows are left alone.

    The changes are added to ``session`` and flushed, not committed: the caller commits them
    in the same transaction as its own change (e.g. the phase becoming ``published``).
    Returns counts: teams_added, teams_changed, teams_removed, teams_unchanged,
    members_added, members_changed, members_removed.
    """
    assert semester.id is not None
    now = now or utcnow()
    wanted = _current_teams(session, semester.id)
    counts = dict.fromkeys(
        (
            "teams_added",
            "teams_changed",
            "teams_removed",
            "teams_unchanged",
            "members_added",
            "members_changed",
            "members_removed",
        ),
        0,
    )
    team_rows = _sync_teams(session, semester.id, wanted, now, counts)
    _sync_members(session, semester.id, wanted, team_rows, now, counts)
    session.flush()
    return counts


def _sync_teams(
    session: Session,
    semester_id: int,
    wanted: dict[tuple[int, int], _TeamData],
    now: datetime,
    counts: dict[str, int],
) -> dict[tuple[int, int], PublishedTeam]:
    stmt = select(PublishedTeam).where(PublishedTeam.semester_id == semester_id)
    existing = {(t.opdracht_id, t.team_number): t for t in session.exec(stmt)}
    for key, data in wanted.items():
        row, digest = existing.get(key), data.content_hash()
        if row is None:
            row = PublishedTeam(
                semester_id=semester_id,
                opdracht_id=key[0],
                team_number=key[1],
                opdracht_title="",
                content_hash="",
                published_at=now,
            )
            existing[key] = row
            counts["teams_added"] += 1
        elif row.deleted_at is None and row.content_hash == digest:
            counts["teams_unchanged"] += 1
            continue
        else:
            counts["teams_changed" if row.deleted_at is None else "teams_added"] += 1
        for name in TEAM_FIELDS:
            setattr(row, name, data.values[name])
        row.content_hash, row.updated_at, row.deleted_at = digest, now, None
        session.add(row)
    counts["teams_removed"] += _tombstone(session, existing, keep=wanted.keys(), now=now)
    session.flush()  # new teams need their ids before members point at them
    return existing


def _sync_members(
    session: Session,
    semester_id: int,
    wanted: dict[tuple[int, int], _TeamData],
    team_rows: dict[tuple[int, int], PublishedTeam],
    now: datetime,
    counts: dict[str, int],
) -> None:
    stmt = select(PublishedMember).where(PublishedMember.semester_id == semester_id)
    existing = {m.student_id: m for m in session.exec(stmt)}
    seen: set[int] = set()
    new: list[dict[str, Any]] = []
    for key, data in wanted.items():
        team_id = team_rows[key].id
        assert team_id is not None
        for student_id, values in data.members.items():
            seen.add(student_id)
            row = existing.get(student_id)
            if row is None:
                new.append(
                    {"semester_id": semester_id, "student_id": student_id, "team_id": team_id}
                    | values
                    | {"updated_at": now}
                )
                continue
            same = row.team_id == team_id and all(
                getattr(row, n) == values[n] for n in MEMBER_FIELDS
            )
            if row.deleted_at is None and same:
                continue
            counts["members_changed" if row.deleted_at is None else "members_added"] += 1
            for name in MEMBER_FIELDS:
                setattr(row, name, values[name])
            row.team_id, row.updated_at, row.deleted_at = team_id, now, None
            session.add(row)
    counts["members_removed"] += _tombstone(session, existing, keep=seen, now=now)
    if new:
        # A first publication adds thousands of members: one bulk insert, no ORM objects.
        session.execute(sa.insert(PublishedMember), new)
        counts["members_added"] += len(new)


def _tombstone(
    session: Session,
    rows: Mapping[Any, PublishedTeam | PublishedMember],
    *,
    keep: Collection[Any],
    now: datetime,
) -> int:
    """Mark the live rows whose key is not in ``keep`` as deleted; returns how many."""
    removed = 0
    for key, row in rows.items():
        if key not in keep and row.deleted_at is None:
            row.deleted_at = row.updated_at = now
            session.add(row)
            removed += 1
    return removed


def _current_teams(session: Session, semester_id: int) -> dict[tuple[int, int], _TeamData]:
    """The approved teams of the semester's current run, keyed by (opdracht id, number)."""
    run_ids = select(MatchRun.id).where(is_current_run(semester_id))
    rows = session.exec(
        select(Team, Opdracht)
        .join(Opdracht, col(Opdracht.id) == Team.opdracht_id)
        .where(col(Team.run_id).in_(run_ids), Team.status == TeamStatus.APPROVED)
    ).all()
    if not rows:
        return {}
    partners = partners_by_opdracht(
        session=session, opdracht_ids={o.id for _, o in rows if o.id is not None}
    )
    leerkringen = {k.id: k.name for k in session.exec(select(Leerkring))}
    supervisor_ids = {t.supervisor_id for t, _ in rows if t.supervisor_id}
    supervisors = _user_names(session, supervisor_ids)
    teams: dict[tuple[int, int], _TeamData] = {}
    by_team_id: dict[int, _TeamData] = {}
    for team, opdracht in rows:
        assert team.id is not None
        data = _TeamData(
            {
                "opdracht_title": opdracht.title,
                "partners": partners.get(opdracht.id or 0, []),
                "leerkring_id": opdracht.leerkring_id,
                "leerkring_name": leerkringen.get(opdracht.leerkring_id),
                "location": opdracht.location,
                "supervisor_id": team.supervisor_id,
                "supervisor_name": supervisors.get(team.supervisor_id or 0),
            }
        )
        teams[(team.opdracht_id, team.index)] = by_team_id[team.id] = data
    _add_members(session, by_team_id)
    return teams


def _add_members(session: Session, by_team_id: dict[int, _TeamData]) -> None:
    # Plain columns, not ORM objects: a semester has thousands of members.
    stmt = (
        sa.select(
            col(Member.team_id),
            col(Member.student_id),
            col(StudentProfile.student_number),
            col(User.name),
            col(Programme.code),
            col(Programme.name_nl),
            col(StudentProfile.year),
        )
        .join(StudentProfile, col(StudentProfile.id) == Member.student_id)
        .join(User, col(User.id) == StudentProfile.user_id)
        .join(Programme, col(Programme.id) == StudentProfile.programme_id)
        .where(col(Member.team_id).in_(list(by_team_id)))
    )
    for team_id, student_id, number, name, code, programme, year in session.execute(stmt):
        by_team_id[team_id].members[student_id] = {
            "student_number": number,
            "name": name,
            "programme_code": code,
            "programme_name": programme,
            "year": year,
        }


def partners_by_opdracht(
    *, session: Session, opdracht_ids: set[int]
) -> dict[int, list[dict[str, Any]]]:
    """Per opdracht: the owner first, then the co-partners by name."""
    names = {p.id: p.name for p in session.exec(select(Partner))}
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    owners = session.exec(
        select(Opdracht.id, Opdracht.owner_partner_id).where(col(Opdracht.id).in_(opdracht_ids))
    )
    for opdracht_id, partner_id in owners:
        assert opdracht_id is not None
        result[opdracht_id].append({"id": partner_id, "name": names[partner_id], "owner": True})
    links = session.exec(
        select(OpdrachtCopartner).where(col(OpdrachtCopartner.opdracht_id).in_(opdracht_ids))
    )
    co: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        co[link.opdracht_id].append(
            {"id": link.partner_id, "name": names[link.partner_id], "owner": False}
        )
    for opdracht_id, extra in co.items():
        result[opdracht_id].extend(sorted(extra, key=lambda p: str(p["name"])))
    return dict(result)


def _user_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(user_ids)))
    return {uid: name for uid, name in rows if uid is not None}
