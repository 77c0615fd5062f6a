"""Could a group ever fit in one team of the semester's approved opdrachten? One home for
the rule; forming and joining a group ask it.

``app.matching`` applies the same rule inside the solver (``model.group_columns`` keeps a
group's columns only on assignments every member may take and where one team holds the
group's size and per-programme count), but it needs a whole instance and gives no reason.
Here each step narrows the opdrachten, and the first step that leaves none is the reason:
open to every member (years, leerkring), room for the group, room per programme, and room
for the programmes the team must still gain (required ones, the minimum number).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.groups.errors import GroupRefused
from app.i18n import nlazy
from app.models import (
    Opdracht,
    OpdrachtRequiredProgramme,
    OpdrachtStatus,
    Programme,
    Semester,
    StudentProfile,
)
from app.students.eligibility import is_eligible
from app.templating import localized_name


def _unlimited(value: int | None) -> int:
    return 10**6 if value is None else value


def _room_needed(o: Opdracht, required: set[int], counts: Counter[int]) -> int:
    """Places one team needs for the group plus the programmes it still has to gain."""
    missing = required - set(counts)
    distinct = len(set(counts) | required)
    return sum(counts.values()) + len(missing) + max(0, o.min_programmes - distinct)


def approved_opdrachten(session: Session, semester: Semester) -> list[Opdracht]:
    """The semester's approved opdrachten: what a group must fit in."""
    stmt = select(Opdracht).where(
        Opdracht.semester_id == semester.id, Opdracht.status == OpdrachtStatus.APPROVED
    )
    return list(session.exec(stmt))


def refusal(
    session: Session,
    semester: Semester,
    members: Sequence[StudentProfile],
    opdrachten: list[Opdracht] | None = None,
) -> GroupRefused | None:
    """Why ``members`` could never be one team's members in ``semester``, or None.

    ``opdrachten``: the semester's approved opdrachten when the caller has them already.
    A semester without approved opdrachten gives no reason (there is nothing to judge by).
    """
    if opdrachten is None:
        opdrachten = approved_opdrachten(session, semester)
    if not opdrachten:
        return None
    n = len(members)
    open_to_all = [o for o in opdrachten if all(is_eligible(o, semester, m) for m in members)]
    if not open_to_all:
        return _not_open_to_all(members)
    roomy = [o for o in open_to_all if o.max_size >= n]
    if not roomy:
        return _too_large(n, open_to_all)
    counts = Counter(m.programme_id for m in members)
    programme_id, top = counts.most_common(1)[0]
    per = [o for o in roomy if _unlimited(o.max_per_programme) >= top]
    if not per:
        return _too_many_of_one_programme(session, programme_id, top, roomy)
    if not _room_for_programmes_needed(session, per, counts):
        return GroupRefused(
            nlazy(
                "No team has room for the group of {n} and the other programmes it needs.",
                "No team has room for the group of {n} and the other programmes it needs.",
            ),
            n=n,
        )
    return None


def _not_open_to_all(members: Sequence[StudentProfile]) -> GroupRefused:
    """The refusal when no opdracht is open to every member (their years named)."""
    years = ", ".join(str(y) for y in sorted({m.year for m in members}))
    return GroupRefused(
        nlazy(
            "No opdracht is open to every member of the group (year {years}).",
            "No opdracht is open to every member of the group together (years {years}).",
        ),
        n=len({m.year for m in members}),
        years=years,
    )


def _too_large(n: int, open_to_all: list[Opdracht]) -> GroupRefused:
    """The refusal when no opdracht open to the group takes a team of ``n``."""
    return GroupRefused(
        nlazy(
            "The group would have {n} member, more than any team takes (at most {limit}).",
            "The group would have {n} members, more than any team takes (at most {limit}).",
        ),
        n=n,
        limit=max(o.max_size for o in open_to_all),
    )


def _too_many_of_one_programme(
    session: Session, programme_id: int, top: int, roomy: list[Opdracht]
) -> GroupRefused:
    """The refusal when the group's largest programme share exceeds every per-programme cap."""
    programme = session.get(Programme, programme_id)
    return GroupRefused(
        nlazy(
            "The group would have {n} student of {programme}, more than any opdracht "
            "allows per programme in a team (at most {limit}).",
            "The group would have {n} students of {programme}, more than any opdracht "
            "allows per programme in a team (at most {limit}).",
        ),
        n=top,
        programme=localized_name(programme) if programme else "",
        limit=max(_unlimited(o.max_per_programme) for o in roomy),
    )


def _room_for_programmes_needed(
    session: Session, per: list[Opdracht], counts: Counter[int]
) -> bool:
    """Whether one of ``per`` holds the group plus the programmes its team must still gain."""
    required: dict[int, set[int]] = {}
    for link in session.exec(
        select(OpdrachtRequiredProgramme).where(
            col(OpdrachtRequiredProgramme.opdracht_id).in_([o.id for o in per])
        )
    ):
        required.setdefault(link.opdracht_id, set()).add(link.programme_id)
    return any(_room_needed(o, required.get(o.id or 0, set()), counts) <= o.max_size for o in per)


def misfits(
    session: Session, semester: Semester, groups: Sequence[tuple[int, Sequence[int]]]
) -> dict[int, GroupRefused]:
    """Groups (id, member profile ids) of two or more that no longer fit, with the reason:
    opdrachten, their rules or the semester's largest group size changed after they formed.
    """
    confirmed = [(g, m) for g, m in groups if len(m) >= 2]
    if not confirmed:
        return {}
    opdrachten = approved_opdrachten(session, semester)
    ids = {i for _, m in confirmed for i in m}
    profiles = {
        p.id: p for p in session.exec(select(StudentProfile).where(col(StudentProfile.id).in_(ids)))
    }
    out: dict[int, GroupRefused] = {}
    for group_id, member_ids in confirmed:
        if len(member_ids) > semester.max_group_size:
            out[group_id] = GroupRefused(
                nlazy(
                    "The group has {n} members, more than the {limit} a group may have now.",
                    "The group has {n} members, more than the {limit} a group may have now.",
                ),
                n=len(member_ids),
                limit=semester.max_group_size,
            )
            continue
        members = [profiles[i] for i in member_ids if i in profiles]
        why = refusal(session, semester, members, opdrachten)
        if why is not None:
            out[group_id] = why
    return out
