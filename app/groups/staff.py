"""The staff's side of groups: which groups a staff member answers for, and dissolving one
with a reason the members read."""

from __future__ import annotations

from sqlmodel import Session

from app.audit import record
from app.errors import Conflict, Forbidden, NotFound
from app.groups import notify
from app.groups.errors import GroupRefused
from app.groups.queries import GroupView, members_of
from app.groups.services import dissolve_rows
from app.i18n import lazy
from app.memberships import staff_scope
from app.models import StudentGroup, User, utcnow
from app.versioning import claim


def visible_groups(session: Session, user: User, views: list[GroupView]) -> list[GroupView]:
    """The groups a staff member answers for: an admin all, a wijkdocent those with a member
    of their own leerkringen (``app.memberships.staff_scope``)."""
    scope = staff_scope(session=session, user=user)
    return [v for v in views if scope is None or any(m.leerkring_id in scope for m in v.members)]


def _dissolve_reason(reason: str) -> str:
    """The reason, stripped; refused when empty or over 500 characters."""
    reason = reason.strip()
    if not reason:
        raise GroupRefused(lazy("Give a reason: the members read it."), field="reason")
    if len(reason) > 500:
        raise GroupRefused(lazy("Use at most 500 characters."), field="reason")
    return reason


def dissolve_group(
    *, session: Session, user: User, group_id: int, version: str, reason: str
) -> StudentGroup:
    """Dissolve a group with a reason the members read: audited, members notified."""
    group = session.get(StudentGroup, group_id)
    if group is None or group.dissolved_at is not None:
        raise NotFound(lazy("This group does not exist (any more)."))
    view = GroupView(group, members_of(session, [group_id])[group_id])
    if not visible_groups(session, user, [view]):
        raise Forbidden(lazy("This group has no students of your leerkringen."))
    reason = _dissolve_reason(reason)
    if not claim(
        session,
        group,
        version=version,
        expect={"dissolved_at": None},
        size=0,
        dissolved_at=utcnow(),
        dissolved_reason=reason,
        dissolved_by_id=user.id,
    ):
        raise Conflict(
            lazy("Someone joined, left or dissolved this group in the meantime. Look again.")
        )
    members = dissolve_rows(session, group)
    record(
        session=session,
        actor=user,
        action="group.dissolve",
        entity="student_group",
        entity_id=group.id,
        semester_id=group.semester_id,
        before={"code": group.code, "members": members},
        after={"members": []},
        reason=reason,
    )
    notify.dissolved(session=session, group=group, student_ids=members, reason=reason)
    session.commit()
    return group
