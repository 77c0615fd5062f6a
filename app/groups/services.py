"""Forming groups: create one (and get its code), join with the code, leave. Sharing one
ranking and the student's page are in ``sharing.py``, the staff's side in ``staff.py``.

Every member confirmed: the creator by creating the group, every other member by entering
its code themselves (joining is the confirmation; nobody is added by someone else). A
group of one is no group: when leaving leaves one member, the group is dissolved.

Races: a join claims a place with one conditional UPDATE of the group row
(``size < max``), which also locks the row until commit, so two students joining the last
place at once cannot both get in, and the members the fit check reads are the ones that
stay. A student's second group is refused by the unique key on semester and student.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.audit import record
from app.db import add_unique
from app.groups import fit, notify
from app.groups.errors import GroupRefused
from app.groups.queries import group_of
from app.i18n import lazy, nlazy
from app.models import (
    GroupMember,
    Phase,
    Semester,
    StudentGroup,
    StudentProfile,
    User,
    utcnow,
)
from app.semesters import deadline_passed
from app.students import ranking

# No 0/O, 1/I/L: a code read aloud or copied by hand comes out right. 31**8 is about 10**12.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
TOO_FEW = "too_few_members"  # the reason of a group dissolved because one member was left


def new_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """A fresh group code; ``choice`` picks each character (the demo passes its seeded one)."""
    return "".join(choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    """What the student typed, without spaces and dashes, in capitals."""
    return "".join(c for c in code.upper() if c not in " -\t")[:40]


def open_for_changes(semester: Semester) -> None:
    """Groups change only in the ranking phase, before the ranking deadline (refused at the
    page's notice ``phase``: the forms are gone once the page is shown again)."""
    if semester.phase != Phase.RANKING:
        raise GroupRefused(
            lazy("Groups can only be formed or changed while the opdrachten are being ranked."),
            field="phase",
        )
    if deadline_passed(semester.ranking_deadline):
        raise GroupRefused(
            lazy("The ranking deadline has passed: groups can no longer change."), field="phase"
        )


def _refuse(session: Session, error: GroupRefused) -> GroupRefused:
    """Undo what this request wrote before the form is shown again with ``error``."""
    session.rollback()
    return error


def _not_in_a_group(session: Session, semester: Semester, profile: StudentProfile) -> None:
    """Refused at the leave button: the page shows the student's group and that button."""
    own = group_of(session, semester.id, profile.id)
    if own is not None:
        raise GroupRefused(
            lazy("You are already in group {code}; leave it first."),
            field="leave",
            code=own.group.code,
        )


def _add_member(session: Session, group: StudentGroup, profile: StudentProfile) -> None:
    member = GroupMember(
        group_id=group.id or 0, student_id=profile.id or 0, semester_id=group.semester_id
    )
    if not add_unique(session=session, row=member):
        # the same student, in another request, got into a group first
        raise _refuse(session, GroupRefused(lazy("You are already in a group."), field="leave"))


def _audit(
    session: Session, user: User | None, action: str, group: StudentGroup, **extra: object
) -> None:
    record(
        session=session,
        actor=user,
        action=action,
        entity="student_group",
        entity_id=group.id,
        semester_id=group.semester_id,
        after={"code": group.code, **extra},
    )


def create_group(*, session: Session, user: User) -> StudentGroup:
    """A new group with the student as its first member, and a fresh code to share."""
    profile, semester = ranking.student_and_semester(session, user)
    open_for_changes(semester)
    _not_in_a_group(session, semester, profile)
    refused = fit.refusal(session, semester, [profile])
    if refused is not None:
        refused.field = "create"
        raise refused
    used = set(
        session.exec(select(StudentGroup.code).where(StudentGroup.semester_id == semester.id))
    )
    code = new_code()
    while code in used:
        code = new_code()
    group = StudentGroup(semester_id=semester.id or 0, code=code, size=1, created_by_id=profile.id)
    session.add(group)
    session.flush()
    _add_member(session, group, profile)
    _audit(session, user, "group.create", group, student=profile.id)
    session.commit()
    return group


def join_group(*, session: Session, user: User, code: str) -> StudentGroup:
    """Join the group with ``code``: the student's own confirmation."""
    profile, semester = ranking.student_and_semester(session, user)
    open_for_changes(semester)
    wanted = normalise(code)
    if not wanted:
        raise GroupRefused(lazy("Enter the code of the group."), field="code")
    _not_in_a_group(session, semester, profile)
    group = _group_with_code(session, semester, wanted)
    _take_a_place(session, semester, group)
    # The row is locked now: the members read here are the ones that stay.
    members = list(
        session.exec(
            select(StudentProfile)
            .join(GroupMember, col(GroupMember.student_id) == StudentProfile.id)
            .where(GroupMember.group_id == group.id)
        )
    )
    refused = fit.refusal(session, semester, [*members, profile])
    if refused is not None:
        refused.field = "code"
        raise _refuse(session, refused)
    _add_member(session, group, profile)
    _audit(session, user, "group.join", group, student=profile.id)
    session.commit()
    return group


def _group_with_code(session: Session, semester: Semester, code: str) -> StudentGroup:
    """The semester's group with this (normalised) code; refused when there is none."""
    group = session.exec(
        select(StudentGroup).where(
            StudentGroup.semester_id == semester.id,
            StudentGroup.code == code,
            col(StudentGroup.dissolved_at).is_(None),
        )
    ).first()
    if group is None:
        raise GroupRefused(
            lazy("No group has this code. Check the code and try again."), field="code"
        )
    return group


def _take_a_place(session: Session, semester: Semester, group: StudentGroup) -> None:
    """Count one more member in the group's row (locking it); refused when it is full."""
    limit = semester.max_group_size
    taken = session.execute(
        update(StudentGroup)
        .where(
            col(StudentGroup.id) == group.id,
            col(StudentGroup.dissolved_at).is_(None),
            col(StudentGroup.size) < limit,
        )
        .values(size=StudentGroup.size + 1, version=StudentGroup.version + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise _refuse(
            session,
            GroupRefused(
                nlazy(
                    "This group is full: a group has at most {n} member.",
                    "This group is full: a group has at most {n} members.",
                ),
                field="code",
                n=limit,
            ),
        )


def dissolve_rows(session: Session, group: StudentGroup) -> list[int]:
    """Remove every member of ``group``; answers who they were."""
    gone = session.execute(
        delete(GroupMember)
        .where(col(GroupMember.group_id) == group.id)
        .returning(col(GroupMember.student_id))
    ).all()
    return sorted(row[0] for row in gone)


@dataclass(frozen=True)
class Left:
    code: str
    dissolved: bool  # the group had one member left, and is no group any more


def leave_group(*, session: Session, user: User) -> Left:
    """Leave the student's group; a group left with one member is dissolved."""
    profile, semester = ranking.student_and_semester(session, user)
    open_for_changes(semester)
    own = group_of(session, semester.id, profile.id)
    if own is None:
        raise GroupRefused(lazy("You are not in a group."), field="leave")
    group = own.group
    gone = session.execute(
        delete(GroupMember).where(
            col(GroupMember.group_id) == group.id, col(GroupMember.student_id) == profile.id
        )
    )
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        raise _refuse(session, GroupRefused(lazy("You are not in a group."), field="leave"))
    session.execute(
        update(StudentGroup)
        .where(col(StudentGroup.id) == group.id)
        .values(size=StudentGroup.size - 1, version=StudentGroup.version + 1)
        .execution_options(synchronize_session=False)
    )
    size = session.exec(select(StudentGroup.size).where(StudentGroup.id == group.id)).one()
    dissolved = size <= 1
    if dissolved:
        rest = dissolve_rows(session, group)
        session.execute(
            update(StudentGroup)
            .where(col(StudentGroup.id) == group.id)
            .values(size=0, dissolved_at=utcnow(), dissolved_reason=TOO_FEW)
            .execution_options(synchronize_session=False)
        )
        notify.dissolved(session=session, group=group, student_ids=rest, reason="")
    _audit(session, user, "group.leave", group, student=profile.id, dissolved=dissolved)
    session.commit()
    return Left(group.code, dissolved)
