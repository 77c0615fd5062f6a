"""The admin's outbox (pending, sent, failed with the error; retry) and the dashboard list."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.mail import MAX_ATTEMPTS, queue_mail
from app.models import AuditEvent, OutboxMessage, Phase, Role, utcnow
from app.notifications.reminders import ranking_opened
from tests import factories as f


def _three_states(session: Session) -> tuple[OutboxMessage, OutboxMessage, OutboxMessage]:
    pending = queue_mail(
        session=session, to="wacht@example.org", subject="Nog te versturen", body="a"
    )
    sent = queue_mail(
        session=session, to="klaar@example.org", subject="Verstuurd bericht", body="b"
    )
    failed = queue_mail(session=session, to="fout@example.org", subject="Mislukt bericht", body="c")
    sent.sent_at, sent.attempts = utcnow(), 1
    failed.failed_at, failed.attempts = utcnow(), MAX_ATTEMPTS
    failed.last_error = "SMTPRecipientsRefused: 550 mailbox unavailable"
    session.flush()
    return pending, sent, failed


def test_the_outbox_shows_pending_sent_and_failed_with_the_error(
    anon: TestClient, session: Session
):
    pending, sent, failed = _three_states(session)
    f.login(anon, session, f.user(session, Role.ADMIN))
    page = anon.get("/admin/outbox").text
    for m in (pending, sent, failed):
        assert m.subject in page
        assert m.to in page
    assert "550 mailbox unavailable" in page
    assert ">wacht<" in page
    assert ">verstuurd<" in page
    assert ">mislukt<" in page
    only_failed = anon.get("/admin/outbox?state=failed").text
    assert failed.subject in only_failed
    assert pending.subject not in only_failed
    assert anon.get("/admin/outbox?state=whatever").status_code == 422
    detail = anon.get(f"/admin/outbox/{failed.id}").text
    assert "Opnieuw proberen" in detail
    assert "550 mailbox unavailable" in detail


def test_a_failed_message_can_be_tried_again_once(anon: TestClient, session: Session):
    _pending, sent, failed = _three_states(session)
    f.login(anon, session, f.user(session, Role.ADMIN))
    assert anon.post(f"/admin/outbox/{failed.id}/retry").status_code == 303
    session.refresh(failed)
    assert (failed.failed_at, failed.attempts) == (None, 0)
    assert failed.last_error  # the last error stays readable until the next attempt
    assert anon.post(f"/admin/outbox/{failed.id}/retry").status_code == 409
    assert anon.post(f"/admin/outbox/{sent.id}/retry").status_code == 409
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "outbox.retry")).one()


def test_only_the_admin_reads_the_outbox(anon: TestClient, session: Session):
    _three_states(session)
    for role in (Role.WIJKDOCENT, Role.PARTNER, Role.STUDENT):
        f.login(anon, session, f.user(session, role))
        assert anon.get("/admin/outbox").status_code == 403
    anon.cookies.clear()
    anon.get("/healthz")
    assert anon.get("/admin/outbox").status_code == 303  # to the login page


def test_the_dashboard_lists_a_users_latest_notifications(anon: TestClient, session: Session):
    semester = f.semester(session, Phase.RANKING)
    student = f.user(session, Role.STUDENT)
    f.user(session, Role.STUDENT)  # gets a notification of their own
    ranking_opened(session=session, semester=semester)
    session.flush()
    f.login(anon, session, student)
    page = anon.get("/dashboard").text
    assert "Mijn laatste berichten" in page
    assert page.count('href="/student/ranking">Geef je voorkeuren op') == 1  # their own only
    f.login(anon, session, f.user(session, Role.PARTNER))
    assert "Nog geen berichten." in anon.get("/dashboard").text
