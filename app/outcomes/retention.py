"""What the retention purge does to the outcomes of a semester (called by app.ops.retention).

Outcomes, deliverables (title, kind, summary, link), learning effects and evaluations stay:
they are the network's memory and hold no personal data. The publication snapshot's members
are anonymised (name and student number go; programme and year stay, so the overview keeps
its counts). Uploaded PDFs that the team and the partner did not both share publicly are
deleted, because a report may name students; shared ones stay with the showcase.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.models import Deliverable, PublishedMember, TeamOutcome
from app.outcomes import uploads
from app.outcomes.showcase import shared


def purge_semesters(
    *, session: Session, semester_ids: list[int | None]
) -> tuple[dict[str, int], list[str]]:
    """Row counts, and the stored files to delete once the transaction has committed."""
    number = sa.literal("purged-").concat(sa.cast(col(PublishedMember.id), sa.String))
    members: Any = session.execute(  # a CursorResult, which has rowcount
        sa.update(PublishedMember)
        .where(
            col(PublishedMember.semester_id).in_(semester_ids),
            col(PublishedMember.name) != "—",
        )
        .values(name="—", student_number=number)
    )
    outcomes = select(TeamOutcome.id).where(col(TeamOutcome.semester_id).in_(semester_ids))
    private = (
        col(Deliverable.outcome_id).in_(outcomes),
        col(Deliverable.stored_name) != "",
        sa.not_(shared()),
    )
    files = list(session.exec(select(Deliverable.stored_name).where(*private)))
    session.execute(
        sa.update(Deliverable).where(*private).values(stored_name="", file_name="", file_size=0)
    )
    counts = {"published members anonymised": max(members.rowcount or 0, 0)}
    counts["unshared files removed"] = len(files)
    return counts, files


def remove_files(folder: Path | None, names: Iterable[str]) -> None:
    if folder is None:
        return
    for name in names:
        uploads.remove(folder, name)
