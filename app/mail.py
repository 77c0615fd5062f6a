"""Outgoing e-mail goes through the outbox table; a worker delivers it over SMTP.

``queue_mail`` adds a message in the caller's transaction, so a mail exists exactly when the
change that caused it was committed. ``deliver_pending`` (``python -m app.ops deliver``) sends
what is due: a message that fails is tried again later with a growing pause, and after
``MAX_ATTEMPTS`` failures it is marked failed, keeps its last error and stays in the outbox
for the admin to see. Nothing is ever deleted here.

In development (no SMTP host configured) messages stay in the outbox, shown on the outbox
page (``/admin/outbox``) and written to the log.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlmodel import Session, col, or_, select

from app.config import Settings
from app.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_PAUSE = timedelta(minutes=1)  # then 2, 4, 8 minutes
LEASE = timedelta(minutes=10)  # a claimed message waits this long if its worker dies


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    notification_id: int | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (``html``: optional HTML part)."""
    message = OutboxMessage(
        to=to, subject=subject, body=body, html_body=html, notification_id=notification_id
    )
    session.add(message)
    log.info("mail queued to=%s subject=%s", to, subject)
    return message


def pause_after(attempts: int) -> timedelta:
    """The back-off before the next try, after ``attempts`` failed tries."""
    factor: int = 2 ** max(attempts - 1, 0)
    return FIRST_PAUSE * factor


def _email(settings: Settings, message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"om{message.id}")
    email.set_content(message.body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def connect(settings: Settings) -> smtplib.SMTP:
    """An SMTP connection as ``OM_SMTP_SECURITY`` says, logged in when a user is set."""
    context = ssl.create_default_context(cafile=settings.smtp_ca_file or None)
    smtp: smtplib.SMTP
    if settings.smtp_security == "tls":
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
        if settings.smtp_security == "starttls":
            smtp.starttls(context=context)
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password)
    return smtp


def _claim(session: Session, now: datetime, limit: int) -> list[OutboxMessage]:
    """Lock the due messages and push their next attempt past a lease, then commit: another
    worker skips them, and a worker that dies leaves them to be tried after the lease."""
    stmt = (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.sent_at).is_(None),
            col(OutboxMessage.failed_at).is_(None),
            or_(
                col(OutboxMessage.next_attempt_at).is_(None),
                col(OutboxMessage.next_attempt_at) <= now,
            ),
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        # Two workers never take the same message; on SQLite the single writer does this.
        .with_for_update(skip_locked=True)
    )
    due = list(session.exec(stmt))
    for message in due:
        message.next_attempt_at = now + LEASE
        session.add(message)
    session.commit()
    return due


def _failed(message: OutboxMessage, error: str, now: datetime) -> None:
    message.attempts += 1
    message.last_error = error[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
        message.next_attempt_at = None
    else:
        message.next_attempt_at = now + pause_after(message.attempts)
    log.warning("mail to=%s attempt %s failed: %s", message.to, message.attempts, error)


def deliver_pending(
    *, session: Session, settings: Settings, now: datetime | None = None, limit: int = 500
) -> int:
    """Send the messages that are due; returns how many were sent (0 without SMTP).

    Each message's outcome is committed on its own, so a crash loses at most the record of
    one message. A connection that cannot be made counts as a failed attempt for every due
    message, so an SMTP server that stays down ends in visible failures, not silence.
    """
    if not settings.smtp_host:
        return 0
    now = now or utcnow()
    due = _claim(session, now, limit)
    if not due:
        return 0
    try:
        smtp = connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        for message in due:
            _failed(message, f"{type(exc).__name__}: {exc}", now)
            session.add(message)
        session.commit()
        return 0
    sent = 0
    with smtp:
        for message in due:
            try:
                smtp.send_message(_email(settings, message))
            except (OSError, smtplib.SMTPException) as exc:
                _failed(message, f"{type(exc).__name__}: {exc}", now)
            else:
                message.sent_at, message.attempts = now, message.attempts + 1
                message.last_error, message.next_attempt_at = "", None
                sent += 1
            session.add(message)
            session.commit()
    return sent
