"""The public showcase: only what both the team and the partner opted in, no personal data."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Deliverable, OpdrachtTheme, Phase, TeamOutcome
from tests import factories as f
from tests.outcomes.conftest import Closing
from tests.outcomes.pdf import pdf


def _deliverable(session: Session, outcome: TeamOutcome, title: str, **kw: object) -> Deliverable:
    row = Deliverable(outcome_id=outcome.id or 0, kind_id=1, title=title, **kw)  # type: ignore[arg-type]
    session.add(row)
    session.flush()
    return row


def test_only_what_both_sides_share_is_public(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    theme = f.theme(session, "Positieve gezondheid")
    session.add(OpdrachtTheme(opdracht_id=closing.opdracht.id or 0, theme_id=theme.id or 0))
    outcome = TeamOutcome(
        published_team_id=closing.team.id or 0,
        semester_id=closing.semester.id or 0,
        opdracht_id=closing.opdracht.id or 0,
    )
    session.add(outcome)
    session.flush()
    upload_dir.mkdir(parents=True)
    (upload_dir / "shared.pdf").write_bytes(pdf())
    (upload_dir / "private.pdf").write_bytes(pdf())
    both = _deliverable(
        session,
        outcome,
        "Wegwijzer",
        public_by_team=True,
        public_by_partner=True,
        stored_name="shared.pdf",
        file_name="wegwijzer.pdf",
        summary="Voor huisartsen",
    )
    team_only = _deliverable(
        session, outcome, "Alleen team", public_by_team=True, stored_name="private.pdf"
    )
    _deliverable(session, outcome, "Alleen partner", public_by_partner=True)
    page = anon.get("/outcomes/showcase")
    assert page.status_code == 200
    assert "Wegwijzer" in page.text
    assert "Voor huisartsen" in page.text
    assert "Positieve gezondheid" in page.text
    assert closing.partner.name in page.text
    assert "Alleen team" not in page.text
    assert "Alleen partner" not in page.text
    assert closing.student.name not in page.text  # no names of team members
    assert anon.get(f"/outcomes/showcase/{both.id}/file").content == pdf()
    assert anon.get(f"/outcomes/showcase/{team_only.id}/file").status_code == 404
    filtered = anon.get("/outcomes/showcase", params={"theme": str((theme.id or 0) + 999)})
    assert "Wegwijzer" not in filtered.text


def test_nothing_of_a_semester_before_closing_is_shown(
    anon: TestClient, session: Session, closing: Closing
):
    outcome = TeamOutcome(
        published_team_id=closing.team.id or 0,
        semester_id=closing.semester.id or 0,
        opdracht_id=closing.opdracht.id or 0,
    )
    session.add(outcome)
    session.flush()
    _deliverable(session, outcome, "Wegwijzer", public_by_team=True, public_by_partner=True)
    closing.semester.phase = Phase.PUBLISHED
    session.add(closing.semester)
    session.flush()
    assert "Wegwijzer" not in anon.get("/outcomes/showcase").text
