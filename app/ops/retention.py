"""Purge personal data of semesters closed longer than the retention period.

What goes: rankings, team memberships, bans and the audit events of those semesters; student
accounts whose only data was in those semesters are anonymised and deactivated; old login
attempts, expired sessions and invitations. What stays: semesters, opdrachten, teams (without
members) and the anonymous statistics of each match run (rank histograms per programme);
outcomes stay, with the published members anonymised (see app.outcomes.retention).
A semester counts as closed since its last change (``updated_at``): closed semesters are
read-only, so that is the moment it was closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.models import (
    AuditEvent,
    Ban,
    Invitation,
    LoginAttempt,
    MatchRun,
    Member,
    Phase,
    Preference,
    Semester,
    StudentProfile,
    User,
    UserSession,
    utcnow,
)
from app.outcomes import retention as outcomes


@dataclass
class PurgeReport:
    semesters: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items()) if v)
        which = ", ".join(self.semesters) or "none"
        return f"Semesters purged: {which}. Rows: {parts or 'none'}."


def expired_semesters(*, session: Session, months: int, now: datetime) -> list[Semester]:
    cutoff = now - timedelta(days=round(months * 30.44))
    stmt = select(Semester).where(Semester.phase == Phase.CLOSED, Semester.updated_at < cutoff)
    return list(session.exec(stmt))


def _run(session: Session, report: PurgeReport, name: str, stmt: Any) -> None:
    result: Any = session.execute(stmt)  # a CursorResult, which has rowcount
    report.counts[name] = report.counts.get(name, 0) + max(result.rowcount or 0, 0)


def purge(
    *,
    session: Session,
    months: int,
    now: datetime | None = None,
    dry_run: bool = False,
    upload_dir: Path | None = None,
) -> PurgeReport:
    """Purge in one transaction; with ``dry_run`` roll back and only report the counts.
    Uploaded files the purge lets go are deleted from ``upload_dir`` after the commit."""
    now = now or utcnow()
    report = PurgeReport()
    files: list[str] = []
    # A savepoint, so a dry run can undo exactly its own work.
    savepoint = session.begin_nested()
    semesters = expired_semesters(session=session, months=months, now=now)
    ids = [s.id for s in semesters]
    report.semesters = [s.code for s in semesters]
    if ids:
        files = _purge_semesters(session, report, ids)
    _purge_access_records(session, report, now)
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
        session.commit()
        outcomes.remove_files(upload_dir, files)
    return report


def _purge_access_records(session: Session, report: PurgeReport, now: datetime) -> None:
    """Login attempts and invitations after 30 days, sessions after two days unused."""
    _run(
        session,
        report,
        "login attempts",
        sa.delete(LoginAttempt).where(col(LoginAttempt.at) < now - timedelta(days=30)),
    )
    _run(
        session,
        report,
        "sessions",
        sa.delete(UserSession).where(col(UserSession.last_seen_at) < now - timedelta(days=2)),
    )
    _run(
        session,
        report,
        "invitations",
        sa.delete(Invitation).where(col(Invitation.expires_at) < now - timedelta(days=30)),
    )


def _purge_semesters(session: Session, report: PurgeReport, ids: list[int | None]) -> list[str]:
    runs = select(MatchRun.id).where(col(MatchRun.semester_id).in_(ids))
    affected = set(
        session.exec(select(Preference.student_id).where(col(Preference.semester_id).in_(ids)))
    ) | set(session.exec(select(Member.student_id).where(col(Member.run_id).in_(runs))))
    _run(session, report, "members", sa.delete(Member).where(col(Member.run_id).in_(runs)))
    _run(
        session,
        report,
        "rankings",
        sa.delete(Preference).where(col(Preference.semester_id).in_(ids)),
    )
    _run(session, report, "bans", sa.delete(Ban).where(col(Ban.semester_id).in_(ids)))
    _run(
        session,
        report,
        "audit events",
        sa.delete(AuditEvent).where(col(AuditEvent.semester_id).in_(ids)),
    )
    remaining = set(session.exec(select(Preference.student_id))) | set(
        session.exec(select(Member.student_id))
    )
    for profile_id in sorted(affected - remaining):
        _anonymise(session, profile_id)
    report.counts["students anonymised"] = len(affected - remaining)
    counts, files = outcomes.purge_semesters(session=session, semester_ids=ids)
    report.counts.update(counts)
    return files


def _anonymise(session: Session, profile_id: int) -> None:
    profile = session.get(StudentProfile, profile_id)
    if profile is None:
        return
    user = session.get(User, profile.user_id)
    profile.student_number = f"purged-{profile.id}"
    session.add(profile)
    if user is not None:
        user.name, user.email = "—", f"purged-{user.id}@invalid"
        user.password_hash, user.active = None, False
        session.add(user)
