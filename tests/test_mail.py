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
        queue_mail(session=session, to=to, subject="Hallo", body="Tekst")
    assert session.exec(select(OutboxMessage)).first() is None


def test_a_subject_is_kept_on_one_line(session: Session):
    message = queue_mail(
        session=session, to=" A@Example.org", subject="Hallo\r\nBcc: x", body="Tekst"
    )
    assert (message.to, message.subject) == ("a@example.org", "Hallo Bcc: x")


def test_a_plain_text_mail_gets_an_html_part_with_its_links(session: Session):
    # Every mail has both parts (issue 15): invitations and resets are written as plain text.
    body = "Hallo <Sam> & co,\n\nStel je wachtwoord in:\nhttps://example.org/invite/abc?x=1&y=2\n"
    message = queue_mail(session=session, to="sam@example.org", subject="Uitnodiging", body=body)
    assert message.html_body.startswith("<p>Hallo &lt;Sam&gt; &amp; co,</p>")
    assert (
        '<a href="https://example.org/invite/abc?x=1&amp;y=2">'
        "https://example.org/invite/abc?x=1&amp;y=2</a>"
    ) in message.html_body
    assert "Stel je wachtwoord in:<br>" in message.html_body


def test_a_given_html_part_is_kept(session: Session):
    message = queue_mail(
        session=session, to="sam@example.org", subject="S", body="b", html="<p>h</p>"
    )
    assert message.html_body == "<p>h</p>"
