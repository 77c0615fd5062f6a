from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from uvicorn.server import ServerState

from app.server import NoDelayH11Protocol, NoDelayHttpToolsProtocol


class Transport(asyncio.Transport):
    """Just enough transport for connection_made, around a real accepted TCP socket."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self.sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        extra = {"socket": self.sock, "sockname": self.sock.getsockname()}
        return extra.get(name, {"peername": self.sock.getpeername()}.get(name, default))


@pytest.mark.nodb
@pytest.mark.parametrize("protocol_class", [NoDelayH11Protocol, NoDelayHttpToolsProtocol])
def test_connections_of_a_multi_worker_listener_get_tcp_nodelay(protocol_class: Any) -> None:
    # uvicorn --workers N binds like this: protocol number 0, which asyncio skips.
    with socket.socket(socket.AF_INET) as listener, socket.socket(socket.AF_INET) as client:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client.connect(listener.getsockname())
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            config = uvicorn.Config(app=lambda *a: None, http=protocol_class)
            loop = asyncio.new_event_loop()
            try:
                protocol = protocol_class(config, ServerState(), {}, _loop=loop)
                protocol.connection_made(Transport(accepted))
            finally:
                loop.close()
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


@pytest.mark.nodb
def test_the_server_entry_point_freezes_what_startup_made(tmp_path: Any) -> None:
    """``app.asgi`` moves the objects of startup out of the garbage collector's scans."""
    script = "import gc, app.asgi; print(gc.get_freeze_count())"
    env = {**os.environ, "OM_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(out.stdout) > 50_000  # modules, models, routes: far more than a few objects
