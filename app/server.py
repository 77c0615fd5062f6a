"""uvicorn's HTTP/1.1 protocols with TCP_NODELAY on every connection.

With ``--workers 2`` or more, uvicorn binds the listening socket itself with protocol
number 0, and asyncio only switches Nagle's algorithm off for sockets that say IPPROTO_TCP.
Each response is written in two parts (head, then body), so the body waits for the
client's delayed ACK: about 40 ms added to every request (measured in docs/benchmarks.md,
"Load"). One worker is not affected. Start several workers with::

    uvicorn app.asgi:app --workers 2 --loop uvloop --http app.server:NoDelayHttpToolsProtocol

``NoDelayHttpToolsProtocol`` parses HTTP with httptools (C) instead of h11 (pure Python),
which with uvloop's event loop takes a good part of the per-request CPU off the server
(measured in docs/benchmarks.md, "Load"); ``NoDelayH11Protocol`` needs neither package.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def _no_delay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)
