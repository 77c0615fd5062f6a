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
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from markupsafe import escape
from sqlmodel import Session, col, or_, select

from app.config import Settings
from app.errors import InvalidInput
from app.i18n import lazy
from app.models import OutboxMessage, utcnow
from app.parsing import normalise_email

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_PAUSE = timedelta(minutes=1)  # then 2, 4, 8 minutes
LEASE = timedelta(minutes=10)  # a claimed message waits this long if its worker dies


def queue_mail(
    *,
    session: Session,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    notification_id: int | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction, with an HTML part: ``html``,
    or else one made from the plain text (``text_to_html``), so every mail has both.

    ``to`` must be an address an e-mail header can carry (``app.parsing.normalise_email``):
    one with CR/LF would make ``EmailMessage`` refuse it and stop the whole delivery batch.
    Forms check addresses first; this refuses whatever slipped past them."""
    address = normalise_email(to)
    if address is None:
        raise InvalidInput(lazy("Enter a valid e-mail address."))
    subject = " ".join(subject.split())  # a header holds one line
    message = OutboxMessage(
        to=address,
        subject=subject,
        body=body,
        html_body=html or text_to_html(body),
        notification_id=notification_id,
    )
    session.add(message)
    log.info("mail queued to=%s subject=%s", to, subject)
    return message


_URL = re.compile(r"https?://[^\s<>\"]+")


def text_to_html(text: str) -> str:
    """The HTML part of a plain-text mail: paragraphs, line breaks and clickable links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n".join(f"<p>{_linked(p)}</p>" for p in paragraphs)


def _linked(paragraph: str) -> str:
    parts: list[str] = []
    last = 0
    for found in _URL.finditer(paragraph):
        parts.append(str(escape(paragraph[last : found.start()])))
        url = escape(found.group())
        parts.append(f'<a href="{url}">{url}</a>')
        last = found.end()
    parts.append(str(escape(paragraph[last:])))
    return "".join(parts).replace("\n", "<br>\n")


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


@dataclass(frozen=True)
class _Claimed:
    """A message taken for one delivery attempt: plain values, so sending it needs no
    database access (on SQLite a read would start a transaction and hold the write lock)."""

    id: int
    to: str
    attempts: int
    email: EmailMessage


def _claim(session: Session, settings: Settings, now: datetime, limit: int) -> list[_Claimed]:
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
    claimed = [_Claimed(m.id or 0, m.to, m.attempts, _email(settings, m)) for m in due]
    for message in due:
        message.next_attempt_at = now + LEASE
        session.add(message)
    session.commit()
    return claimed


def _record(session: Session, claimed: _Claimed, now: datetime, error: str = "") -> None:
    """Write one attempt's outcome in a short transaction of its own."""
    attempts = claimed.attempts + 1
    values: dict[str, object] = {"attempts": attempts}
    if not error:
        values.update(sent_at=now, last_error="", next_attempt_at=None)
    elif attempts >= MAX_ATTEMPTS:
        values.update(last_error=error[:2000], failed_at=now, next_attempt_at=None)
    else:
        values.update(last_error=error[:2000], next_attempt_at=now + pause_after(attempts))
    if error:
        log.warning("mail to=%s attempt %s failed: %s", claimed.to, attempts, error)
    session.execute(
        sa.update(OutboxMessage).where(col(OutboxMessage.id) == claimed.id).values(**values)
    )
    session.commit()


def deliver_pending(
    *, session: Session, settings: Settings, now: datetime | None = None, limit: int = 500
) -> int:
    """Send the messages that are due; returns how many were sent (0 without SMTP).

    Each message's outcome is committed on its own, so a crash loses at most the record of
    one message (sent again after the lease). A connection that cannot be made counts as a
    failed attempt for every due message, so an SMTP server that stays down ends in visible
    failures, not silence.
    """
    if not settings.smtp_host:
        return 0
    now = now or utcnow()
    due = _claim(session, settings, now, limit)
    if not due:
        return 0
    try:
        smtp = connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        for claimed in due:
            _record(session, claimed, now, f"{type(exc).__name__}: {exc}")
        return 0
    sent = 0
    with smtp:
        for claimed in due:
            try:
                smtp.send_message(claimed.email)
            except (OSError, smtplib.SMTPException) as exc:
                _record(session, claimed, now, f"{type(exc).__name__}: {exc}")
            else:
                _record(session, claimed, now)
                sent += 1
    return sent
