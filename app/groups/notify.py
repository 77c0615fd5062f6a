"""Tell the members of a dissolved group, in their own language.

The mail's builder is registered with ``app.notifications.compose`` here, beside the facts
it reads, so the notifications package needs no knowledge of groups.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.i18n import gettext as _
from app.models import Semester, StudentGroup, StudentProfile, User
from app.notifications.compose import BUILDERS, Facts
from app.notifications.store import Planned, send_all

KIND = "group_dissolved"


def _dissolved_mail(facts: Facts) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    code = facts["code"]
    if facts.get("reason"):
        lines = [
            _("A wijkdocent has dissolved your group {code}.").format(code=code),
            _("Reason: {reason}").format(reason=facts["reason"]),
        ]
    else:
        lines = [_("The others have left your group {code}: a group needs two.").format(code=code)]
    lines.append(
        _("Until the ranking deadline you can form a new group or join one with its code.")
    )
    return _("Your group has been dissolved"), lines, []


BUILDERS[KIND] = _dissolved_mail


def dissolved(*, session: Session, group: StudentGroup, student_ids: list[int], reason: str) -> int:
    """One message to every former member; ``reason`` empty when the others left."""
    if not student_ids:
        return 0
    semester = session.get(Semester, group.semester_id)
    users = session.exec(
        select(User)
        .join(StudentProfile, col(StudentProfile.user_id) == User.id)
        .where(col(StudentProfile.id).in_(student_ids), col(User.active).is_(True))
        .order_by(col(User.id))
    )
    facts = {
        "code": group.code,
        "reason": reason,
        "group_id": group.id,
        "why": "student",
        "why_args": {"semester": semester.code if semester else ""},
    }
    planned = [
        Planned(u, "group", f"group:{group.id}", KIND, facts, "/student/group") for u in users
    ]
    return send_all(session=session, planned=planned)
