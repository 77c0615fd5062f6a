"""With SMTP configured, the server itself delivers the outbox in the background."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.mail import queue_mail
from app.main import create_app
from app.models import OutboxMessage
from tests.notifications.conftest import Inbox
from tests.security.live import live_database


def _app_settings(url: str, port: int, interval: float) -> Settings:
    return Settings(
        environment="test",
        database_url=url,
        secret_key="worker-test-secret-key-0123456789-abcdef",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        mail_interval_seconds=interval,
        recover_runs_at_startup=False,
    )


def test_the_server_delivers_queued_mail_while_it_runs(smtp_server: Inbox):
    with live_database("mail_worker") as live:
        with Session(live.engine) as session:
            queue_mail(session=session, to="student@example.org", subject="Vanzelf", body="Hallo")
            session.commit()
        app = create_app(_app_settings(live.url, smtp_server.port, interval=0.1))
        with TestClient(app):
            # The background task runs in the app's event loop: wait until it has recorded the
            # delivery (the SMTP server may have the mail a moment before the row says so).
            deadline = time.monotonic() + 20
            while not _sent(live.engine) and time.monotonic() < deadline:
                time.sleep(0.05)
        app.state.engine.dispose()
        assert [m["Subject"] for m in smtp_server.messages] == ["Vanzelf"]
        assert _sent(live.engine)


def _sent(engine: Engine) -> bool:
    with Session(engine) as session:
        [message] = session.exec(select(OutboxMessage)).all()
        return message.sent_at is not None


def test_no_background_delivery_when_it_is_switched_off(smtp_server: Inbox):
    with live_database("mail_worker_off") as live:
        with Session(live.engine) as session:
            queue_mail(session=session, to="student@example.org", subject="Blijft", body="Hallo")
            session.commit()
        app = create_app(_app_settings(live.url, smtp_server.port, interval=0))
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
            time.sleep(0.3)
        app.state.engine.dispose()
        assert smtp_server.messages == []
