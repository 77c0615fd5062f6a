"""The outbox takes only addresses a mail header can carry."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.errors import InvalidInput
from app.mail import queue_mail
from app.models import OutboxMessage


@pytest.mark.parametrize("to", ["a@example.org\r\nBcc: b@example.org", "a@example.org\n", "x"])
def test_an_address_with_a_line_break_is_never_queued(session: Session, to: str):
    with pytest.raises(InvalidInput):
        queue_mail(session, to=to, subject="Hallo", body="Tekst")
    assert session.exec(select(OutboxMessage)).first() is None


def test_a_subject_is_kept_on_one_line(session: Session):
    message = queue_mail(session, to=" A@Example.org", subject="Hallo\r\nBcc: x", body="Tekst")
    assert (message.to, message.subject) == ("a@example.org", "Hallo Bcc: x")
