"""Write a notification once: the unique ``key`` (recipient, topic, scope, content) decides.

The insert is ``INSERT ... ON CONFLICT (key) DO NOTHING``, so two requests that send the
same message at the same moment (a double click on publish) write it once: on PostgreSQL
the second waits for the first to commit and then inserts nothing. Only a row that was
really inserted gets its outbox message.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.config import get_settings
from app.mail import queue_mail
from app.models import Notification, User, utcnow
from app.notifications.compose import Facts, Mail, compose, greeting, language


@dataclass
class Planned:
    """A message that would go to ``user``; ``facts`` are all its content depends on."""

    user: User
    topic: str
    scope: str
    kind: str
    facts: Facts
    path: str

    @property
    def key(self) -> str:
        raw = json.dumps(
            [self.user.id, self.topic, self.scope, self.facts], sort_keys=True, default=str
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    def mail(self, base_url: str | None = None) -> Mail:
        with language(self.user.preferred_language):
            return compose(
                kind=self.kind,
                facts=self.facts,
                path=self.path,
                base_url=base_url or get_settings().base_url,
            )

    def rendered(self, base_url: str | None = None) -> tuple[Mail, str, str]:
        """The mail with its text and HTML bodies, in the recipient's language."""
        mail = self.mail(base_url)
        with language(self.user.preferred_language):
            hello = greeting(self.user.name)
            return mail, mail.text(hello), mail.html(hello)


def exists(*, session: Session, planned: Planned) -> bool:
    found = session.exec(select(Notification.id).where(Notification.key == planned.key))
    return found.first() is not None


def send(*, session: Session, planned: Planned, base_url: str | None = None) -> bool:
    """Write the notification and queue its mail, unless the same one exists; True if new."""
    mail, text, html = planned.rendered(base_url)
    values: dict[str, Any] = {
        "key": planned.key,
        "user_id": planned.user.id,
        "topic": planned.topic,
        "scope": planned.scope,
        "kind": planned.kind,
        "facts": planned.facts,
        "subject": mail.subject[:300],
        "body": text,
        "link": planned.path,
        "created_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(Notification.id))
    )
    new_id = session.execute(stmt).scalar_one_or_none()
    if new_id is None:
        return False
    queue_mail(
        session=session,
        to=planned.user.email,
        subject=mail.subject,
        body=text,
        html=html,
        notification_id=new_id,
    )
    return True


def send_all(*, session: Session, planned: list[Planned], base_url: str | None = None) -> int:
    return sum(send(session=session, planned=p, base_url=base_url) for p in planned)


def last_of(*, session: Session, user_ids: list[int], topic: str, scope: str) -> dict[int, Facts]:
    """The facts of each user's newest notification of a thread (e.g. their team mail)."""
    rows = session.exec(
        select(Notification.user_id, Notification.facts)
        .where(
            col(Notification.user_id).in_(user_ids),
            Notification.topic == topic,
            Notification.scope == scope,
        )
        .order_by(col(Notification.id))
    )
    return {user_id: dict(facts) for user_id, facts in rows}  # ordered by id: newest wins


def recent(*, session: Session, user: User, limit: int = 5) -> list[Notification]:
    """A user's newest notifications, for the dashboard."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(col(Notification.id).desc())
            .limit(limit)
        )
    )
