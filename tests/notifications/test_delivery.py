"""Delivery through a real SMTP server: what arrives, retries with back-off, failures kept."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.config import Settings
from app.mail import MAX_ATTEMPTS, deliver_pending, pause_after, queue_mail
from app.models import Language, OutboxMessage, Phase, Role, utcnow
from app.notifications.reminders import ranking_opened
from tests import factories as f
from tests.notifications.conftest import PASSWORD, USER, Inbox, free_port


def _settings(port: int, **kw: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout": 5,
        "mail_from": "opdrachtmatch@example.org",
    }
    values.update(kw)
    return Settings(**values)  # type: ignore[arg-type]


def _outbox(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))  # type: ignore[arg-type]


def test_mail_arrives_with_headers_both_parts_the_link_and_the_language(
    session: Session, smtp_server: Inbox, base_url: str
):
    semester = f.semester(session, Phase.RANKING, code="2027-S1")
    dutch = f.user(session, Role.STUDENT, name="Sanne de Vries", email="sanne@student.example")
    english = f.user(
        session, Role.STUDENT, email="alex@student.example", preferred_language=Language.EN
    )
    assert ranking_opened(session=session, semester=semester) >= 2
    session.commit()
    settings = _settings(smtp_server.port, smtp_user=USER, smtp_password=PASSWORD)
    sent = deliver_pending(session=session, settings=settings)

    assert sent == len(_outbox(session)) >= 2
    assert smtp_server.logins
    assert set(smtp_server.logins) == {USER}
    by_to = {m["To"]: m for m in smtp_server.messages}
    nl, en = by_to[dutch.email], by_to[english.email]
    assert nl["From"] == "opdrachtmatch@example.org"
    assert nl["Subject"] == "Geef je voorkeuren op"
    assert en["Subject"] == "Rank the opdrachten"
    assert nl["Message-ID"]
    for mail, hello, why in (
        (nl, "Hoi Sanne de Vries,", "Je krijgt dit bericht omdat je student bent"),
        (en, "Hello ", "You receive this message because you are a student"),
    ):
        assert mail.get_content_type() == "multipart/alternative"
        text = mail.get_body(("plain",))
        html = mail.get_body(("html",))
        assert text is not None
        assert html is not None
        plain, markup = text.get_content(), html.get_content()
        link = f"{base_url}/login?next=/student/ranking"
        assert link in plain
        assert f'href="{link}"' in markup
        assert hello in plain
        assert why in plain
        assert why in markup
        assert "2027-S1" in plain
    assert all(m.sent_at is not None and m.attempts == 1 for m in _outbox(session))
    assert deliver_pending(session=session, settings=settings) == 0  # nothing twice


def test_a_server_answering_5xx_gets_retries_with_back_off_then_the_mail_stays_failed(
    session: Session, smtp_server: Inbox
):
    queue_mail(session=session, to="partner@example.org", subject="Test", body="Hallo")
    session.commit()
    smtp_server.refuse = "554 5.7.1 Message refused"
    settings = _settings(smtp_server.port)
    now = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_pending(session=session, settings=settings, now=now) == 0
        [message] = _outbox(session)
        assert message.attempts == attempt
        assert "554" in message.last_error
        assert "refused" in message.last_error
        assert message.sent_at is None
        if attempt < MAX_ATTEMPTS:
            assert message.failed_at is None
            assert message.next_attempt_at == now + pause_after(attempt)
            # Not due yet: a run in between tries nothing.
            assert deliver_pending(session=session, settings=settings, now=now) == 0
            assert _outbox(session)[0].attempts == attempt
            now = message.next_attempt_at
    [message] = _outbox(session)
    assert message.failed_at is not None
    assert deliver_pending(session=session, settings=settings, now=now + timedelta(days=1)) == 0
    assert _outbox(session)[0].attempts == MAX_ATTEMPTS  # failed for good, still there
    assert smtp_server.messages == []


def test_a_server_that_is_down_counts_attempts_and_loses_nothing(session: Session):
    for n in range(3):
        queue_mail(session=session, to=f"student{n}@example.org", subject="Test", body="Hallo")
    session.commit()
    settings = _settings(free_port())  # nothing listens there
    now = utcnow()
    for _ in range(MAX_ATTEMPTS):
        assert deliver_pending(session=session, settings=settings, now=now) == 0
        now += timedelta(hours=1)
    messages = _outbox(session)
    assert len(messages) == 3
    for message in messages:
        assert message.attempts == MAX_ATTEMPTS
        assert message.failed_at is not None
        assert message.sent_at is None
        assert "Connection" in message.last_error or "refused" in message.last_error


def test_a_failed_mail_is_delivered_once_the_server_is_back(session: Session, smtp_server: Inbox):
    queue_mail(session=session, to="wijkdocent@example.org", subject="Test", body="Hallo")
    session.commit()
    now = utcnow()
    assert deliver_pending(session=session, settings=_settings(free_port()), now=now) == 0
    [message] = _outbox(session)
    assert message.attempts == 1
    assert message.next_attempt_at is not None
    later = message.next_attempt_at
    assert deliver_pending(session=session, settings=_settings(smtp_server.port), now=later) == 1
    assert [m["To"] for m in smtp_server.messages] == ["wijkdocent@example.org"]
    assert _outbox(session)[0].sent_at is not None


def test_without_smtp_mail_stays_in_the_outbox(session: Session):
    queue_mail(session=session, to="student@example.org", subject="Test", body="Hallo")
    session.commit()
    assert (
        deliver_pending(session=session, settings=Settings(environment="test", smtp_host="")) == 0
    )
    [message] = _outbox(session)
    assert (message.sent_at, message.attempts, message.failed_at) == (None, 0, None)
