from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from app.concurrency import AdmissionLimit


@pytest.mark.nodb
def test_no_more_requests_in_progress_than_the_limit_and_none_refused():
    running = peak = 0

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def main() -> list[int]:
        transport = httpx.ASGITransport(app=AdmissionLimit(slow_app, limit=3))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            pages = [client.get("/dashboard") for _ in range(12)]
            static = [client.get("/static/app.css") for _ in range(4)]
            responses = await asyncio.gather(*pages)
            peak_pages = peak
            await asyncio.gather(*static)
            assert peak_pages == 3
            return [r.status_code for r in responses]

    # A thread of its own: the browser tests may have an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        statuses = pool.submit(asyncio.run, main()).result()
    assert statuses == [200] * 12
    assert peak == 4  # static files are not counted: all four ran at once
