"""Admission control: a few requests in progress per process; the others wait their turn
(in the event loop, FIFO, no thread held).

Two reasons for the limit. Deadlock: sync routes and dependencies run in a pool of 40
threads, while a request keeps its database connection from its first query until its
session closes after the response, in separate thread calls. With more requests in flight
than connections plus threads (the load test's 128 students on two workers: 64 each,
against 15 + 40), every thread could wait for a connection held by a request that waits for
a thread: nothing moves until the pool's 30 s timeout, then errors. CPU: a request is
mostly Python, and threads of one process share one interpreter lock, so beyond a few
requests more in flight only add switching: at 32 users saving rankings the load test gave
p99 568 ms with 15 in flight per worker and 390 ms with 4 (docs/benchmarks.md, "Load").
Static files need no connection and are not counted.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

# Well under SQLAlchemy's default QueuePool of 5 connections + 10 overflow (app.db).
MAX_IN_FLIGHT = 4


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
