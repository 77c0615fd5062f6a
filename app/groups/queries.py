"""Reading groups: a student's own group, a semester's groups, and the confirmed groups the
matching keeps together. No writes here (``app.groups.services`` changes groups)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.models import GroupMember, Programme, Semester, StudentGroup, StudentProfile, User


@dataclass(frozen=True)
class Mate:
    """A member of a group, as pages show them."""

    student_id: int
    name: str
    number: str
    programme: Programme
    year: int
    leerkring_id: int | None


@dataclass
class GroupView:
    group: StudentGroup
    members: list[Mate] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        """Two or more members, each of whom confirmed by creating or joining: a group the
        matching keeps together. One member alone is still waiting for others."""
        return len(self.members) >= 2

    def names(self, but: int | None = None) -> list[str]:
        return [m.name for m in self.members if m.student_id != but]


def members_of(session: Session, group_ids: Iterable[int]) -> dict[int, list[Mate]]:
    """The members of these groups in one query, by name."""
    ids = list(group_ids)
    out: dict[int, list[Mate]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = session.exec(
        select(GroupMember.group_id, StudentProfile, User.name, Programme)
        .join(StudentProfile, col(StudentProfile.id) == GroupMember.student_id)
        .join(User, col(User.id) == StudentProfile.user_id)
        .join(Programme, col(Programme.id) == StudentProfile.programme_id)
        .where(col(GroupMember.group_id).in_(ids))
        .order_by(col(User.name), col(StudentProfile.id))
    )
    for group_id, profile, name, programme in rows:
        assert profile.id is not None
        out[group_id].append(
            Mate(
                profile.id,
                name,
                profile.student_number,
                programme,
                profile.year,
                profile.leerkring_id,
            )
        )
    return out


def group_of(session: Session, semester_id: int | None, student_id: int | None) -> GroupView | None:
    """The student's group in the semester (with its members), or None."""
    group = session.exec(
        select(StudentGroup)
        .join(GroupMember, col(GroupMember.group_id) == StudentGroup.id)
        .where(GroupMember.semester_id == semester_id, GroupMember.student_id == student_id)
    ).first()
    if group is None or group.id is None:
        return None
    return GroupView(group, members_of(session, [group.id])[group.id])


def semester_groups(session: Session, semester_id: int | None) -> list[GroupView]:
    """The semester's groups that still have members, by code."""
    groups = list(
        session.exec(
            select(StudentGroup)
            .where(
                StudentGroup.semester_id == semester_id, col(StudentGroup.dissolved_at).is_(None)
            )
            .order_by(col(StudentGroup.code))
        )
    )
    members = members_of(session, [g.id for g in groups if g.id is not None])
    return [GroupView(g, members.get(g.id or 0, [])) for g in groups]


def confirmed_groups(session: Session, semester_id: int | None) -> dict[str, tuple[int, ...]]:
    """Group code -> member profile ids (sorted), for every group of two or more members: the
    groups the matching keeps together. One query."""
    rows = session.exec(
        select(StudentGroup.code, GroupMember.student_id)
        .join(GroupMember, col(GroupMember.group_id) == StudentGroup.id)
        .where(
            StudentGroup.semester_id == semester_id,
            col(StudentGroup.dissolved_at).is_(None),
            col(StudentGroup.size) >= 2,
        )
        .order_by(col(StudentGroup.code), col(GroupMember.student_id))
    )
    out: dict[str, list[int]] = {}
    for code, student_id in rows:
        out.setdefault(code, []).append(student_id)
    return {code: tuple(ids) for code, ids in out.items() if len(ids) >= 2}


def semester_of_group(session: Session, group_id: int) -> Semester | None:
    return session.exec(
        select(Semester)
        .join(StudentGroup, col(StudentGroup.semester_id) == Semester.id)
        .where(StudentGroup.id == group_id)
    ).first()
