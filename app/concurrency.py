"""Admission control: at most as many requests in progress per process as the database
pool has connections; the others wait their turn (in the event loop, no thread held).

Sync routes and dependencies run in a pool of 40 threads, while a request keeps its
database connection from its first query until its session closes after the response, in
separate thread calls. With more requests in flight than connections plus threads (the
load test's 128 students on two workers: 64 each, against 15 + 40), every thread could
wait for a connection held by a request that waits for a thread: nothing moves until the
pool's 30 s timeout, then errors. Admitting no more requests than connections keeps every
thread able to finish. Static files need no connection and are not counted.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

# SQLAlchemy's default QueuePool: 5 connections and 10 overflow (app.db.make_engine).
MAX_IN_FLIGHT = 15


class AdmissionLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_IN_FLIGHT) -> None:
        self.app = app
        self.limit = limit
        self._gate: asyncio.Semaphore | None = None  # made in the server's event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.limit)
        async with self._gate:
            await self.app(scope, receive, send)
