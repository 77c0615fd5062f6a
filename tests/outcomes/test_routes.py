"""A team's outcome over HTTP: deliverables (uploads), learning effects, the partner's
evaluation with its follow-up draft, the confirmation, and who may do what."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import (
    AuditEvent,
    Deliverable,
    Opdracht,
    OpdrachtStatus,
    Phase,
    TeamOutcome,
    TeamOutcomeEffect,
    User,
)
from tests import factories as f
from tests.outcomes.conftest import Closing
from tests.outcomes.pdf import pdf

MB = 1024 * 1024


def _url(c: Closing, tail: str = "") -> str:
    return f"/outcomes/teams/{c.team.id}{tail}"


def _add(
    client: TestClient, c: Closing, content: bytes | None, name: str = "rapport.pdf", **data: str
):
    fields = {
        "title": "Adviesrapport",
        "kind_id": data.pop("kind_id", "1"),
        "summary": "Wat werkt",
        **data,
    }
    files = {"file": (name, content, "application/pdf")} if content is not None else None
    return client.post(_url(c, "/deliverables"), data=fields, files=files)


def _deliverables(session: Session) -> list[Deliverable]:
    return list(session.exec(select(Deliverable)))


def as_user(anon: TestClient, session: Session, user: User | None) -> TestClient:
    anon.cookies.delete("om_session", domain="testserver.local")
    if user is not None:
        f.login(anon, session, user)
    return anon


def test_a_student_uploads_a_real_pdf_and_can_download_it(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    client = as_user(anon, session, closing.student)
    content = pdf()
    response = _add(client, closing, content)
    assert response.status_code == 303, response.text
    [row] = _deliverables(session)
    assert row.file_name == "rapport.pdf"
    assert row.file_size == len(content)
    assert (upload_dir / row.stored_name).read_bytes() == content
    page = client.get(_url(closing))
    assert "Adviesrapport" in page.text
    download = client.get(f"/outcomes/deliverables/{row.id}/file")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.content == content
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "deliverable.add")).first()


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    client = as_user(anon, session, closing.student)
    fake = b"PK\x03\x04 a zip archive pretending" + b"0" * 100
    response = _add(client, closing, fake, name="rapport.pdf")
    assert response.status_code == 422
    assert "Het bestand is geen pdf" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Adviesrapport"' in response.text  # the input is kept
    assert _deliverables(session) == []
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_a_pdf_over_10_mb_is_refused_and_leaves_no_file(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    client = as_user(anon, session, closing.student)
    big = pdf(padding=10 * MB)
    assert len(big) > 10 * MB
    response = _add(client, closing, big)
    assert response.status_code == 422
    assert "groter dan 10 MB" in response.text
    assert _deliverables(session) == []
    assert list(upload_dir.iterdir()) == []


def test_a_pdf_of_just_under_10_mb_is_taken(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    client = as_user(anon, session, closing.student)
    content = pdf(padding=10 * MB - 2000)
    assert len(content) <= 10 * MB
    assert _add(client, closing, content).status_code == 303
    assert len(list(upload_dir.iterdir())) == 1


def test_a_link_instead_of_a_file_and_the_fields_are_checked(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    client = as_user(anon, session, closing.wijkdocent)
    bad = _add(client, closing, None, title="", kind_id="999", link="javascript:alert(1)")
    assert bad.status_code == 422
    for message in ("Vul een titel in", "Kies een soort", "https://"):
        assert message in bad.text
    good = _add(client, closing, None, link="https://example.org/rapport")
    assert good.status_code == 303
    [row] = _deliverables(session)
    assert row.link == "https://example.org/rapport"
    assert row.stored_name == ""


def test_removing_a_deliverable_removes_its_file(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    client = as_user(anon, session, closing.student)
    _add(client, closing, pdf())
    [row] = _deliverables(session)
    assert client.post(f"/outcomes/deliverables/{row.id}/delete").status_code == 303
    assert _deliverables(session) == []
    assert list(upload_dir.iterdir()) == []


def test_learning_effects_of_the_leerkring_only(
    anon: TestClient, session: Session, closing: Closing
):
    client = as_user(anon, session, closing.student)
    ids = [str(e.id) for e in closing.effects]
    response = client.post(_url(closing, "/effects"), data={"effect_ids": ids[:1], "version": "1"})
    assert response.status_code == 303
    chosen = session.exec(select(TeamOutcomeEffect.learning_effect_id)).all()
    assert chosen == [closing.effects[0].id]
    stale = client.post(_url(closing, "/effects"), data={"effect_ids": ids, "version": "1"})
    assert stale.status_code == 409  # the form of before the first save
    foreign = client.post(_url(closing, "/effects"), data={"effect_ids": ["99999"], "version": "2"})
    assert foreign.status_code == 422


def test_the_partner_evaluates_and_a_follow_up_draft_continues_the_opdracht(
    anon: TestClient, session: Session, closing: Closing
):
    later = f.semester(session, Phase.INTAKE, code="2098-S2")
    client = as_user(anon, session, closing.partner_user)
    bad = client.post(_url(closing, "/evaluation"), data={"usefulness": "7", "version": "1"})
    assert bad.status_code == 422
    assert "Kies een score van 1 tot 5" in bad.text
    data = {"usefulness": "4", "plan": "continue", "follow_up": "1", "version": "1"}
    response = client.post(_url(closing, "/evaluation"), data=data)
    assert response.status_code == 303
    outcome = session.exec(select(TeamOutcome)).one()
    assert (outcome.usefulness, outcome.partner_plan, outcome.follow_up) == (4, "continue", True)
    draft = session.get(Opdracht, outcome.follow_up_opdracht_id)
    assert draft is not None
    assert (draft.semester_id, draft.continues_id, draft.status) == (
        later.id,
        closing.opdracht.id,
        OpdrachtStatus.DRAFT,
    )
    assert draft.title == closing.opdracht.title
    detail = client.get(f"/opdrachten/{draft.id}")
    assert detail.status_code == 200
    assert closing.semester.code in detail.text


def test_without_a_next_semester_the_confirmation_makes_the_draft(
    anon: TestClient, session: Session, closing: Closing
):
    client = as_user(anon, session, closing.partner_user)
    data = {"usefulness": "5", "plan": "use", "follow_up": "1", "version": "1"}
    assert client.post(_url(closing, "/evaluation"), data=data).status_code == 303
    outcome = session.exec(select(TeamOutcome)).one()
    assert outcome.follow_up_opdracht_id is None
    f.semester(session, Phase.CONCEPT, code="2098-S2")
    client = as_user(anon, session, closing.wijkdocent)
    response = client.post(_url(closing, "/confirm"), data={"note": "Mooi", "version": "2"})
    assert response.status_code == 303
    session.refresh(outcome)
    assert outcome.confirmed_at is not None
    assert outcome.wijkdocent_note == "Mooi"
    assert outcome.follow_up_opdracht_id is not None


def test_a_confirmed_outcome_no_longer_changes_but_sharing_does(
    anon: TestClient, session: Session, closing: Closing, upload_dir: Path
):
    student = as_user(anon, session, closing.student)
    _add(student, closing, None, link="https://example.org/spel")
    [row] = _deliverables(session)
    wd = as_user(anon, session, closing.wijkdocent)
    assert wd.post(_url(closing, "/confirm"), data={"version": "1"}).status_code == 409  # stale
    assert wd.post(_url(closing, "/confirm"), data={"version": "2"}).status_code == 303
    student = as_user(anon, session, closing.student)
    assert _add(student, closing, None, link="https://example.org/2").status_code == 409
    assert student.post(f"/outcomes/deliverables/{row.id}/delete").status_code == 409
    share = student.post(f"/outcomes/deliverables/{row.id}/share", data={"public": "1"})
    assert share.status_code == 303
    partner = as_user(anon, session, closing.partner_user)
    assert (
        partner.post(f"/outcomes/deliverables/{row.id}/share", data={"public": "1"}).status_code
        == 303
    )
    session.refresh(row)
    assert row.public_by_team
    assert row.public_by_partner


def test_outside_the_closing_phase_nothing_is_recorded(
    anon: TestClient, session: Session, closing: Closing
):
    closing.semester.phase = Phase.PUBLISHED
    session.add(closing.semester)
    session.flush()
    client = as_user(anon, session, closing.student)
    assert _add(client, closing, None, link="https://example.org").status_code == 409
    assert _deliverables(session) == []


def test_who_sees_and_who_changes_a_team_outcome(
    anon: TestClient, session: Session, closing: Closing
):
    c = closing
    for user, status in [
        (c.student, 200),
        (c.partner_user, 200),
        (c.wijkdocent, 200),
        (c.admin, 200),
        (c.outsider, 403),
        (c.other_partner_user, 403),
        (c.other_wijkdocent, 403),
    ]:
        assert as_user(anon, session, user).get(_url(c)).status_code == status, user.role
    link = {"link": "https://example.org"}
    assert _add(as_user(anon, session, c.outsider), c, None, **link).status_code == 403
    assert _add(as_user(anon, session, c.other_wijkdocent), c, None, **link).status_code == 403
    assert _add(as_user(anon, session, c.partner_user), c, None, **link).status_code == 403
    evaluation = {"usefulness": "3", "plan": "stop", "version": "1"}
    assert (
        as_user(anon, session, c.student).post(_url(c, "/evaluation"), data=evaluation).status_code
        == 403
    )
    other = as_user(anon, session, c.other_partner_user)
    assert other.post(_url(c, "/evaluation"), data=evaluation).status_code == 403
    assert (
        as_user(anon, session, c.other_wijkdocent)
        .post(_url(c, "/confirm"), data={"version": "1"})
        .status_code
        == 403
    )
    assert session.exec(select(TeamOutcome)).all() == []


def test_the_list_shows_each_user_their_teams(anon: TestClient, session: Session, closing: Closing):
    mine = as_user(anon, session, closing.student).get("/outcomes")
    assert "Welzijn op Recept" in mine.text
    assert "Kletsbot" not in mine.text
    staff = as_user(anon, session, closing.wijkdocent).get("/outcomes")
    assert "Welzijn op Recept" in staff.text
    assert "Kletsbot" in staff.text
    other = as_user(anon, session, closing.other_partner_user).get("/outcomes")
    assert "Welzijn op Recept" not in other.text
