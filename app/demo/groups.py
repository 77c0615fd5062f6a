"""Demo groups: a few students of one year and leerkring, of different programmes, who
want to work together and share one ranking (the leader's)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.demo.people import Student
from app.groups import fit
from app.groups.services import new_code
from app.models import GroupMember, Preference, Semester, StudentGroup, StudentProfile

SIZES = (2, 3, 2, 3)  # four groups of two or three


def _ranking(session: Session, semester_id: int, student_id: int) -> list[int]:
    rows = session.exec(
        select(Preference.opdracht_id)
        .where(Preference.semester_id == semester_id, Preference.student_id == student_id)
        .order_by(col(Preference.rank))
    )
    return list(rows)


def _pick(rng: random.Random, pool: list[Student], size: int) -> list[Student] | None:
    leader = pool[rng.randrange(len(pool))]
    mates = [
        s
        for s in pool
        if s is not leader
        and (s.year, s.leerkring) == (leader.year, leader.leerkring)
        and s.programme != leader.programme
    ]
    chosen = [leader]
    for s in rng.sample(mates, len(mates)):
        if len(chosen) == size:
            break
        if s.programme not in {c.programme for c in chosen}:
            chosen.append(s)
    return chosen if len(chosen) == size else None


def add_groups(
    session: Session,
    rng: random.Random,
    semester: Semester,
    students: Sequence[Student],
    now: datetime,
) -> int:
    """Form the demo groups among students who ranked, at ``now``; returns how many."""
    assert semester.id is not None
    session.flush()
    ranked = set(
        session.exec(select(Preference.student_id).where(Preference.semester_id == semester.id))
    )
    pool = [s for s in students if not s.is_demo and s.profile_id in ranked]
    formed = 0
    for size in SIZES:
        for _attempt in range(50):
            chosen = _pick(rng, pool, size)
            if chosen is None:
                continue
            profiles = [session.get(StudentProfile, s.profile_id) for s in chosen]
            members = [p for p in profiles if p is not None]
            if fit.refusal(session, semester, members) is None:
                break
        else:
            continue
        _form(session, rng, semester.id, [s.profile_id for s in chosen], now)
        pool = [s for s in pool if s not in chosen]
        formed += 1
    return formed


def _form(
    session: Session, rng: random.Random, semester_id: int, members: list[int], now: datetime
) -> None:
    # Drawn with the demo's seeded generator: the same seed gives the same codes.
    group = StudentGroup(
        semester_id=semester_id, code=new_code(rng.choice), size=len(members), created_at=now
    )
    session.add(group)
    session.flush()
    assert group.id is not None
    shared = _ranking(session, semester_id, members[0])
    for student_id in members:
        session.add(
            GroupMember(
                group_id=group.id, student_id=student_id, semester_id=semester_id, joined_at=now
            )
        )
        if student_id == members[0]:
            continue
        session.execute(
            delete(Preference).where(
                col(Preference.semester_id) == semester_id,
                col(Preference.student_id) == student_id,
            )
        )
        session.add_all(
            Preference(semester_id=semester_id, student_id=student_id, opdracht_id=o, rank=r)
            for r, o in enumerate(shared, start=1)
        )
    session.flush()
