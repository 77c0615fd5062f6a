"""The retention purge keeps outcomes and the overview, anonymises the team members and
deletes the uploaded files nobody agreed to publish."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from app.models import Deliverable, Phase, Preference, PublishedMember, TeamOutcome, utcnow
from app.ops.retention import purge
from app.outcomes import overview
from tests.outcomes.conftest import Closing
from tests.outcomes.pdf import pdf


def _closed_long_ago(session: Session, c: Closing, folder: Path) -> list[Deliverable]:
    outcome = TeamOutcome(
        published_team_id=c.team.id or 0,
        semester_id=c.semester.id or 0,
        opdracht_id=c.opdracht.id or 0,
        usefulness=5,
        confirmed_at=utcnow(),
    )
    session.add(outcome)
    session.flush()
    folder.mkdir(parents=True)
    rows = []
    for name, shared in (("shared.pdf", True), ("private.pdf", False)):
        (folder / name).write_bytes(pdf())
        rows.append(
            Deliverable(
                outcome_id=outcome.id or 0,
                kind_id=1,
                title=name,
                stored_name=name,
                file_name=name,
                file_size=100,
                public_by_team=shared,
                public_by_partner=shared,
            )
        )
    session.add_all(rows)
    for member in session.exec(select(PublishedMember)):
        session.add(
            Preference(
                semester_id=c.semester.id,
                student_id=member.student_id,
                opdracht_id=c.opdracht.id,
                rank=1,
            )
        )
    c.semester.phase = Phase.CLOSED
    c.semester.updated_at = utcnow() - timedelta(days=400)
    session.add(c.semester)
    session.flush()
    return rows


def test_outcomes_survive_the_purge_with_members_anonymised(
    session: Session, closing: Closing, tmp_path: Path
):
    folder = tmp_path / "uploads"
    shared, private = _closed_long_ago(session, closing, folder)
    name = closing.student.name
    before = overview.overview(session=session, filters=overview.Filters()).semesters[0]
    report = purge(session=session, months=12, upload_dir=folder)
    assert report.semesters == [closing.semester.code]
    assert report.counts["unshared files removed"] == 1
    assert report.counts["published members anonymised"] == 3
    members = session.exec(select(PublishedMember)).all()
    assert {m.name for m in members} == {"—"}
    assert all(m.student_number.startswith("purged-") for m in members)
    assert name not in {m.name for m in members}
    session.refresh(shared)
    session.refresh(private)
    assert shared.stored_name == "shared.pdf"
    assert (folder / "shared.pdf").exists()
    assert (private.title, private.stored_name, private.file_name) == ("private.pdf", "", "")
    assert not (folder / "private.pdf").exists()
    after = overview.overview(session=session, filters=overview.Filters()).semesters[0]
    assert (after.teams, after.students, after.programmes, after.deliverables, after.rating) == (
        before.teams,
        before.students,
        before.programmes,
        before.deliverables,
        before.rating,
    )
    assert after.students == 3


def test_a_dry_run_keeps_every_file(session: Session, closing: Closing, tmp_path: Path):
    folder = tmp_path / "uploads"
    _closed_long_ago(session, closing, folder)
    report = purge(session=session, months=12, dry_run=True, upload_dir=folder)
    assert report.counts["unshared files removed"] == 1
    assert sorted(p.name for p in folder.iterdir()) == ["private.pdf", "shared.pdf"]
    assert {m.name for m in session.exec(select(PublishedMember))} != {"—"}
