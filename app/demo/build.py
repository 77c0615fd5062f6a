"""Build a realistic demo semester: the public entry points of `app.demo`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import get_settings
from app.demo.catalogue import add_opdrachten, add_partners, add_semesters, add_vocabulary
from app.demo.groups import add_groups
from app.demo.opdrachten import CURRENT_OPDRACHTEN, PAST_OPDRACHTEN
from app.demo.outcomes import add_outcomes
from app.demo.people import add_staff, add_students
from app.demo.rankings import add_rankings, offers
from app.demo.vocabulary import DEMO_PASSWORD, LOGINS
from app.models import OpdrachtStatus, User, utcnow
from app.security import hash_password

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoSummary:
    programmes: int
    leerkringen: int
    themes: int
    target_groups: int
    partners: int
    users: int
    students: int
    students_ranked: int
    groups: int  # of students who want to work together
    opdrachten: int  # in the current semester
    approved: int
    capacity: int  # seats in the teams of the approved opdrachten
    semester: str

    def describe(self) -> str:
        return (
            f"Demo data loaded: semester {self.semester} with {self.opdrachten} opdrachten "
            f"({self.approved} approved, {self.capacity} seats), {self.students} students "
            f"({self.students_ranked} ranked, {self.groups} groups), {self.partners} partners, "
            f"{self.leerkringen} leerkringen, {self.programmes} programmes, "
            f"{self.users} users."
        )


def build_demo(
    session: Session, *, seed: int = DEFAULT_SEED, now: datetime | None = None
) -> DemoSummary:
    """Add the demo data to `session` and commit; the same seed gives the same data.

    Deadlines are relative to `now` (default: the current time).
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is deliberately slow
    ids = add_vocabulary(session)
    add_partners(session, ids)
    staff = add_staff(session, ids, password_hash)
    past, current = add_semesters(session, ids, now or utcnow())
    earlier = add_opdrachten(session, past, PAST_OPDRACHTEN, ids, {})
    earlier_ids = {key: row.id for key, row in earlier.items() if row.id is not None}
    rows = add_opdrachten(session, current, CURRENT_OPDRACHTEN, ids, earlier_ids)
    available = offers(rng, CURRENT_OPDRACHTEN, rows)
    students = add_students(session, rng, ids, password_hash)
    assert current.id is not None
    ranked = add_rankings(session, rng, current.id, students, available, current.number_of_ranks)
    groups = add_groups(session, rng, current, students, now or utcnow())
    add_outcomes(session, rng, ids, past, earlier, students)
    approved = [r for r in rows.values() if r.status == OpdrachtStatus.APPROVED]
    summary = DemoSummary(
        programmes=len(ids.programmes),
        leerkringen=len(ids.leerkringen),
        themes=len(ids.themes),
        target_groups=len(ids.groups),
        partners=len(ids.partners),
        users=staff + len(students),
        students=len(students),
        students_ranked=ranked,
        groups=groups,
        opdrachten=len(rows),
        approved=len(approved),
        capacity=sum(r.teams * r.max_size for r in approved),
        semester=current.code,
    )
    session.commit()
    return summary


def load_demo(engine: Engine, *, seed: int = DEFAULT_SEED) -> DemoSummary | None:
    """Build the demo data unless the database already has users; None when skipped."""
    with Session(engine) as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return None
        return build_demo(session, seed=seed)


def load_if_empty(engine: Engine, *, seed: int = DEFAULT_SEED) -> bool:
    """Build the demo data only into a database without users; True when it did."""
    return load_demo(engine, seed=seed) is not None


def login_lines(base_url: str | None = None) -> list[str]:
    url = base_url or get_settings().base_url
    lines = [f"Demo logins at {url}"]
    lines += [f"  {login.label:<34} {login.email:<34} {DEMO_PASSWORD}" for login in LOGINS]
    return lines


def print_logins(base_url: str | None = None) -> None:
    print("\n".join(login_lines(base_url)))
