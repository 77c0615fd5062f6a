"""Delivery inside the server: when SMTP is configured, each server process sends the due
outbox messages every ``OM_MAIL_INTERVAL_SECONDS`` (``python -m app.ops deliver`` does the
same from cron or as a service). Several processes may run it: each claims its messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import anyio
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.mail import deliver_pending

log = logging.getLogger(__name__)


def deliver_once(engine: Engine, settings: Settings) -> int:
    with Session(engine, expire_on_commit=False) as session:
        return deliver_pending(session=session, settings=settings)


async def _deliver_forever(engine: Engine, settings: Settings) -> None:
    while True:
        try:
            await anyio.to_thread.run_sync(deliver_once, engine, settings)
        except Exception:
            # A database that is briefly away must not end delivery for good.
            log.exception("mail delivery failed; trying again")
        await asyncio.sleep(settings.mail_interval_seconds)


@asynccontextmanager
async def delivery(engine: Engine, settings: Settings) -> AsyncIterator[None]:
    """Run the delivery loop while the block runs, if SMTP is configured."""
    if not settings.smtp_host or settings.mail_interval_seconds <= 0:
        yield
        return
    task = asyncio.create_task(_deliver_forever(engine, settings))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
