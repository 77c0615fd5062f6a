"""For wijkdocenten: the students whose ranking for the semester is not complete."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtStatus,
    Preference,
    Programme,
    Semester,
    StudentProfile,
    User,
)
from app.students.eligibility import is_eligible


@dataclass
class StudentRow:
    name: str
    email: str
    student_number: str
    programme: str
    ranked: int  # valid choices saved


@dataclass
class LeerkringGroup:
    name: str  # "" for students without a leerkring
    total: int = 0
    students: list[StudentRow] = field(default_factory=list)  # only the incomplete ones

    @property
    def complete(self) -> int:
        return self.total - len(self.students)


def _approved_and_choices(
    session: Session, semester: Semester
) -> tuple[dict[int | None, Opdracht], dict[int, list[int]]]:
    """The semester's approved opdrachten by id, and each student's chosen opdracht ids."""
    approved = {
        o.id: o
        for o in session.exec(
            select(Opdracht).where(
                Opdracht.semester_id == semester.id, Opdracht.status == OpdrachtStatus.APPROVED
            )
        )
    }
    prefs: dict[int, list[int]] = {}
    for student_id, opdracht_id in session.exec(
        select(Preference.student_id, Preference.opdracht_id).where(
            Preference.semester_id == semester.id
        )
    ):
        prefs.setdefault(student_id, []).append(opdracht_id)
    return approved, prefs


def _student_row(
    user: User, profile: StudentProfile, programmes: dict[int | None, str], valid: int
) -> StudentRow:
    """The list's row for a student whose ranking is not complete."""
    return StudentRow(
        user.name,
        user.email,
        profile.student_number,
        programmes.get(profile.programme_id, ""),
        valid,
    )


def incomplete_rankings(
    *, session: Session, semester: Semester, leerkringen: set[int | None] | None = None
) -> list[LeerkringGroup]:
    """Active students by leerkring, with those lacking a complete ranking listed.

    Complete means what the ranking page means: ``Semester.ranking_length`` choices, all
    still open to the student. ``leerkringen`` limits the list to the students of those
    leerkringen (None in it: students without one), as app.memberships.staff_scope gives.
    """
    approved, prefs = _approved_and_choices(session, semester)
    names = {lk.id: lk.name for lk in session.exec(select(Leerkring))}
    programmes = {p.id: p.name_nl for p in session.exec(select(Programme))}
    groups: dict[str, LeerkringGroup] = {}
    rows = session.exec(
        select(StudentProfile, User)
        .join(User, col(User.id) == StudentProfile.user_id)
        .where(col(User.active).is_(True))
        .order_by(col(User.name))
    )
    fewest, most = semester.ranking_length()
    for profile, user in rows:
        if leerkringen is not None and profile.leerkring_id not in leerkringen:
            continue
        name = names.get(profile.leerkring_id or 0, "")
        group = groups.setdefault(name, LeerkringGroup(name))
        group.total += 1
        chosen = prefs.get(profile.id or 0, [])
        valid = [i for i in chosen if i in approved and is_eligible(approved[i], semester, profile)]
        if len(valid) == len(chosen) and fewest <= len(chosen) <= most:
            continue
        group.students.append(_student_row(user, profile, programmes, len(valid)))
    # Students without a leerkring last, so the named groups stay together.
    return sorted(groups.values(), key=lambda g: (g.name == "", g.name))
