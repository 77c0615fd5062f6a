"""Outgoing e-mail goes through the outbox table; a sender delivers it over SMTP.

In development (no SMTP host configured) messages stay in the outbox, shown on the outbox
page and written to the log.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from sqlmodel import Session, col, select

from app.config import Settings
from app.errors import InvalidInput
from app.i18n import lazy
from app.models import OutboxMessage, utcnow
from app.parsing import normalise_email

log = logging.getLogger(__name__)


def queue_mail(session: Session, *, to: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction.

    ``to`` must be an address an e-mail header can carry (``app.parsing.normalise_email``):
    one with CR/LF would make ``EmailMessage`` refuse it and stop the whole delivery batch.
    Forms check addresses first; this refuses whatever slipped past them."""
    address = normalise_email(to)
    if address is None:
        raise InvalidInput(lazy("Enter a valid e-mail address."))
    subject = " ".join(subject.split())  # a header holds one line
    message = OutboxMessage(to=address, subject=subject, body=body)
    session.add(message)
    log.info("mail queued to=%s subject=%s", to, subject)
    return message


def deliver_pending(*, session: Session, settings: Settings) -> int:
    """Send unsent messages over SMTP; returns how many were sent (0 without SMTP)."""
    if not settings.smtp_host:
        return 0
    pending = session.exec(select(OutboxMessage).where(col(OutboxMessage.sent_at).is_(None)))
    sent = 0
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        for message in pending:
            email = EmailMessage()
            email["From"], email["To"], email["Subject"] = (
                settings.mail_from,
                message.to,
                message.subject,
            )
            email.set_content(message.body)
            smtp.send_message(email)
            message.sent_at = utcnow()
            session.add(message)
            sent += 1
    session.commit()
    return sent
