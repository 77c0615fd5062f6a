"""A semester being ranked with two opdrachten and five students, and groups made directly."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import (
    GroupMember,
    Leerkring,
    Opdracht,
    Preference,
    Programme,
    Semester,
    StudentGroup,
    StudentProfile,
    User,
)
from tests import factories as f
from tests.students import builders as b


@dataclass
class Setup:
    semester: Semester
    programmes: dict[str, Programme]
    leerkring: Leerkring
    opdrachten: list[Opdracht]
    students: list[StudentProfile]  # FT, FT, FT, VP, SW, all year 2 in ``leerkring``


def build(session: Session, **semester: object) -> Setup:
    sem = b.ranking_semester(session, number_of_ranks=2, **semester)
    progs = {c: f.programme(session, c) for c in ("FT", "VP", "SW")}
    kring = f.leerkring(session, "Elst")
    owner = f.partner(session)
    rules = {"min_size": 2, "max_size": 4, "max_per_programme": 2, "min_programmes": 2}
    ops = [
        f.opdracht(session, sem, owner, title="Welzijn op Recept", **rules),
        f.opdracht(session, sem, owner, title="Kletsbot", **rules),
    ]
    codes = ["FT", "FT", "FT", "VP", "SW"]
    students = [f.student(session, progs[c], year=2, leerkring_id=kring.id) for c in codes]
    return Setup(sem, progs, kring, ops, students)


def user_of(session: Session, profile: StudentProfile) -> User:
    return b.student_user(session, profile)


def as_student(client: TestClient, session: Session, profile: StudentProfile) -> TestClient:
    return f.login(client, session, user_of(session, profile))


def group(
    session: Session, semester: Semester, members: list[StudentProfile], code: str = "GRP2345A"
) -> StudentGroup:
    """A group with these members, written directly (as if each had joined)."""
    assert semester.id is not None
    g = StudentGroup(semester_id=semester.id, code=code, size=len(members))
    session.add(g)
    session.flush()
    assert g.id is not None
    for m in members:
        assert m.id is not None
        session.add(GroupMember(group_id=g.id, student_id=m.id, semester_id=semester.id))
    session.flush()
    return g


def rank(session: Session, semester: Semester, profile: StudentProfile, ops: list[Opdracht]):
    for r, o in enumerate(ops, start=1):
        assert o.id is not None
        assert profile.id is not None
        assert semester.id is not None
        session.add(
            Preference(semester_id=semester.id, student_id=profile.id, opdracht_id=o.id, rank=r)
        )
    session.flush()


def ids(*profiles: StudentProfile) -> list[int]:
    """The sorted profile ids."""
    return sorted(p.id or 0 for p in profiles)
