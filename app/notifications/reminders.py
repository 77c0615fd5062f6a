"""Ranking messages: the ranking opens, 48 hours before the deadline, the deadline passed,
and the reminder a wijkdocent sends from the list of incomplete rankings.

Each reminder's facts name what it is about (semester, deadline, which reminder, and for
the button the day), so the idempotency key lets each go to a student once: the button
reminds a student at most once a day, each scheduled reminder once per deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.memberships import staff_scope
from app.models import Phase, Role, Semester, User, utcnow
from app.notifications.store import Planned, exists, send_all
from app.students.incomplete import incomplete_rankings
from app.templating import local_time

TOPIC = "ranking"
SOON = timedelta(hours=48)


def _students(session: Session) -> list[User]:
    stmt = select(User).where(User.role == Role.STUDENT, col(User.active).is_(True))
    return list(session.exec(stmt.order_by(col(User.id))))


def incomplete_users(
    *, session: Session, semester: Semester, leerkringen: set[int | None] | None = None
) -> list[User]:
    """The active students whose ranking for ``semester`` is not complete (of ``leerkringen``
    only, as ``app.memberships.staff_scope`` gives them; None: all)."""
    groups = incomplete_rankings(session=session, semester=semester, leerkringen=leerkringen)
    emails = {s.email for g in groups for s in g.students}
    return [u for u in _students(session) if u.email in emails]


def _plan(semester: Semester, users: list[User], when: str, **extra: str) -> list[Planned]:
    facts = {
        "semester": semester.code,
        "deadline": local_time(semester.ranking_deadline),
        "when": when,
        "needed": semester.number_of_ranks,
        "why": "student",
        "why_args": {"semester": semester.code},
        **extra,
    }
    scope = f"semester:{semester.id}"
    return [Planned(u, TOPIC, scope, "ranking", facts, "/student/ranking") for u in users]


def ranking_opened(*, session: Session, semester: Semester) -> int:
    """Tell every active student that the ranking of ``semester`` is open (once)."""
    return send_all(session=session, planned=_plan(semester, _students(session), "open"))


def _manual(session: Session, semester: Semester, staff: User, now: datetime) -> list[Planned]:
    scope = staff_scope(session=session, user=staff)
    users = incomplete_users(session=session, semester=semester, leerkringen=scope)
    planned = _plan(semester, users, "manual", day=now.date().isoformat())
    return [p for p in planned if not exists(session=session, planned=p)]


def manual_count(
    *, session: Session, semester: Semester, staff: User, now: datetime | None = None
) -> int:
    """How many reminders the button would send now for ``staff`` (their students only)."""
    return len(_manual(session, semester, staff, now or utcnow()))


def send_manual(
    *, session: Session, semester: Semester, staff: User, now: datetime | None = None
) -> int:
    """The button on the incomplete list: remind each incomplete student ``staff`` answers
    for (``app.memberships.staff_scope``), once a day."""
    sent = send_all(session=session, planned=_manual(session, semester, staff, now or utcnow()))
    session.commit()
    return sent


def scheduled(*, session: Session, now: datetime | None = None) -> int:
    """What cron sends (``python -m app.ops remind``): ranking open, 48 hours before the
    deadline, and after the deadline; each to a student once. Commits; returns the count."""
    now = now or utcnow()
    sent = 0
    phases = (Phase.RANKING, Phase.MATCHING)
    for semester in session.exec(select(Semester).where(col(Semester.phase).in_(phases))):
        deadline = semester.ranking_deadline
        if semester.phase == Phase.RANKING:
            sent += ranking_opened(session=session, semester=semester)
        if deadline is None:
            continue
        if semester.phase == Phase.RANKING and deadline - SOON <= now < deadline:
            sent += send_all(
                session=session,
                planned=_plan(
                    semester, incomplete_users(session=session, semester=semester), "soon"
                ),
            )
        if now >= deadline:
            sent += send_all(
                session=session,
                planned=_plan(
                    semester, incomplete_users(session=session, semester=semester), "passed"
                ),
            )
    session.commit()
    return sent
