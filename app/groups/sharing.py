"""The shared ranking of a group (one order saved for every member) and the student's
group page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.groups.errors import GroupRefused
from app.groups.queries import GroupView, group_of
from app.groups.services import open_for_changes
from app.i18n import lazy, nlazy
from app.models import Opdracht, Semester, StudentProfile, User
from app.students import ranking
from app.students.eligibility import eligible_ids


def _titles(session: Session, ids: list[int]) -> list[str]:
    """The titles of these opdrachten, in this order."""
    rows = session.exec(select(Opdracht.id, Opdracht.title).where(col(Opdracht.id).in_(ids)))
    titles = dict(rows.all())
    return [titles.get(i, "") for i in ids]


def _order_to_share(
    session: Session, semester: Semester, profile: StudentProfile, members: list[StudentProfile]
) -> list[int]:
    """The student's ranking (what is open to them); refused when empty or when an opdracht
    in it is closed to another member."""
    mine = eligible_ids(session=session, semester=semester, profile=profile)
    order = [i for i in ranking.stored_order(session, semester, profile) if i in mine]
    if not order:
        raise GroupRefused(lazy("Your ranking is empty: choose opdrachten first."), field="share")
    closed = [
        i
        for i in order
        if any(
            i not in eligible_ids(session=session, semester=semester, profile=m) for m in members
        )
    ]
    if closed:
        raise GroupRefused(
            nlazy(
                "Not open to every member of your group: {titles}. Remove it first.",
                "Not open to every member of your group: {titles}. Remove them first.",
            ),
            field="share",
            n=len(closed),
            titles=", ".join(_titles(session, closed)),
        )
    return order


def share_ranking(*, session: Session, user: User) -> GroupView:
    """Save the student's ranking, as it is, for every member of their group: each member's
    saved ranking becomes this order. Only opdrachten every member may rank can be shared."""
    profile, semester = ranking.student_and_semester(session, user)
    open_for_changes(semester)
    own = group_of(session, semester.id, profile.id)
    if own is None or not own.confirmed:
        raise GroupRefused(
            lazy("Only a group of two or more students can share a ranking."), field="share"
        )
    assert semester.id is not None
    ids = sorted(m.student_id for m in own.members)
    # The same lock each member's own save takes, in one order: no deadlock, no lost save.
    members = list(
        session.exec(
            select(StudentProfile)
            .where(col(StudentProfile.id).in_(ids))
            .order_by(col(StudentProfile.id))
            .with_for_update()
        )
    )
    order = _order_to_share(session, semester, profile, members)
    for m in members:
        assert m.id is not None
        before = ranking.take_ranking(session, semester.id, m.id)
        ranking.put_ranking(
            session,
            semester.id,
            m.id,
            order,
            actor=user,
            before=before,
            action="ranking.share",
            group=own.group.code,
        )
    session.commit()
    return own


@dataclass
class StudentPage:
    """What the student's group page shows."""

    semester: Semester
    profile: StudentProfile
    group: GroupView | None
    editable: bool  # the ranking phase, before the deadline
    order: list[str]  # the titles of the student's ranking, which sharing would save

    @property
    def max_size(self) -> int:
        return self.semester.max_group_size


def student_page(*, session: Session, user: User) -> StudentPage:
    profile, semester = ranking.student_and_semester(session, user)
    mine = eligible_ids(session=session, semester=semester, profile=profile)
    order = [i for i in ranking.stored_order(session, semester, profile) if i in mine]
    return StudentPage(
        semester=semester,
        profile=profile,
        group=group_of(session, semester.id, profile.id),
        editable=ranking.editable(semester),
        order=_titles(session, order),
    )
