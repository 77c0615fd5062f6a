"""Real concurrent HTTP requests against the real app, served by uvicorn.

The suite's usual tests run inside one rolled-back transaction, which hides races: every
request sees the same connection. Here the app is served by uvicorn in a thread, on a free
loopback port, against the suite's test database (the ``engine`` and ``settings`` fixtures:
a SQLite file, or PostgreSQL when ``OM_TEST_DATABASE_URL`` says so; the schema comes from
the migrations). The rows a test builds are committed, so every request's own connection
sees them; when the test ends, the server stops and the database is put back as it was:
every row is deleted and the rows that were there before (what the migrations seed, such as
the deliverable kinds) are written back, so the other tests (rolled back as usual) still start
from the migrated database.

Use::

    from tests.concurrent import served

    def test_two_saves_of_one_form(engine, settings):
        with served(engine, settings) as live:
            with live.session() as session:          # committed rows
                owner = f.user(session, Role.PARTNER)
                ...
                session.commit()
            clients = [live.login(owner) for _ in range(2)]   # two browsers
            responses = live.post_all(clients, "/opdrachten/1/edit", {...})
            assert sorted(r.status_code for r in responses) == [303, 409]

``live.fire(calls)`` runs every call (no arguments, returns an ``httpx.Response``) in a
thread of its own; the threads wait at a barrier and then send together.
``live.each(clients, call)`` fires ``call(client)`` for every client, and
``live.post_all(clients, url, data)`` the same form from every client. Give each call a
client of its own (its own connection): ``live.login(user)`` is a browser with a fresh
login session for ``user``, ``live.anonymous()`` one without; both send the CSRF token of
the page they were given, so a POST needs no token of its own.

Do not combine ``served`` with the ``session`` or ``app`` fixtures in one test: on SQLite
their open transaction holds the write lock the served app would wait for.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from app.auth.deps import CSRF_HEADER
from app.auth.services import start_session
from app.config import Settings
from app.cookies import SESSION_COOKIE
from app.main import create_app
from app.models import User

TIMEOUT = 30.0  # SQLite's busy timeout is 30 s: a waiting writer is slow, not broken
# The token htmx sends, from <body hx-headers=...>; the hidden form field as a fallback.
_TOKEN = re.compile(r'X-CSRF-Token&#34;: &#34;([^&]+)&#34;|"X-CSRF-Token": "([^"]+)"')
_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Live:
    """A served app and its database; see the module docstring."""

    engine: Engine
    base_url: str
    _clients: list[httpx.Client] = field(default_factory=list)

    def session(self) -> Session:
        """A session of its own on the test database; commit what the requests must see."""
        return Session(self.engine, expire_on_commit=False)

    def anonymous(self, page: str = "/login") -> httpx.Client:
        """A browser without a login, holding the CSRF cookie and token of ``page``."""
        client = httpx.Client(base_url=self.base_url, timeout=TIMEOUT, follow_redirects=False)
        self._clients.append(client)
        _take_token(client, page)
        return client

    def login(self, user: User | int, page: str = "/account") -> httpx.Client:
        """A browser logged in as ``user`` (a new server-side session, as the login form
        makes), holding the CSRF cookie and token of ``page``."""
        # The primary key, even of a row whose attributes expired with its session.
        user_id = user if isinstance(user, int) else sa.inspect(user).identity[0]
        with self.session() as session:
            row = session.get(User, user_id)
            assert row is not None, f"no user {user_id}: commit it first"
            token = start_session(session=session, user=row)
        client = httpx.Client(base_url=self.base_url, timeout=TIMEOUT, follow_redirects=False)
        client.cookies.set(SESSION_COOKIE, token)
        self._clients.append(client)
        _take_token(client, page)
        return client

    def fire(self, calls: Sequence[Callable[[], httpx.Response]]) -> list[httpx.Response]:
        """Run each call in its own thread, all released at once; the responses in order."""
        barrier = threading.Barrier(len(calls))

        def run(call: Callable[[], httpx.Response]) -> httpx.Response:
            barrier.wait(timeout=TIMEOUT)
            return call()

        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(run, calls))

    def each(
        self, clients: Sequence[httpx.Client], call: Callable[[httpx.Client], httpx.Response]
    ) -> list[httpx.Response]:
        """``call(client)`` for every client, all at the same moment."""
        return self.fire([partial(call, client) for client in clients])

    def post_all(
        self, clients: Sequence[httpx.Client], url: str, data: Mapping[str, Any] | None = None
    ) -> list[httpx.Response]:
        """The same form posted by every client at the same moment."""
        return self.each(clients, lambda client: client.post(url, data=data))


def _take_token(client: httpx.Client, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200, f"GET {page}: {response.status_code}"
    found = _TOKEN.search(response.text) or _FIELD.search(response.text)
    assert found is not None, f"no CSRF token on {page}"
    client.headers[CSRF_HEADER] = next(g for g in found.groups() if g)


@contextmanager
def served(engine: Engine, settings: Settings) -> Iterator[Live]:
    """Serve the app on a free loopback port against ``engine``'s database; afterwards stop
    the server and put the database back as it was (see the module docstring)."""
    seeded = _rows_before(engine)
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    live = Live(engine=engine, base_url=f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive(), "uvicorn stopped while starting"
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        yield live
    finally:
        for client in live._clients:
            client.close()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()
        delete_all_rows(engine)
        _restore(engine, seeded)


def _rows_before(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """The rows already in the database (the migrations' seeds), per table."""
    with engine.connect() as conn:
        found = {t.name: [dict(r._mapping) for r in conn.execute(t.select())] for t in _tables()}
    return {name: rows for name, rows in found.items() if rows}


def _restore(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    with engine.begin() as conn:
        for table in _tables():  # parents first
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])


def _tables() -> list[sa.Table]:
    return list(SQLModel.metadata.sorted_tables)


def delete_all_rows(engine: Engine) -> None:
    """Empty every table but Alembic's, children first, keeping the schema. (DELETE, not
    TRUNCATE: on a few rows it is ten times faster on PostgreSQL.)"""
    names = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    known = [t.name for t in reversed(SQLModel.metadata.sorted_tables) if t.name in names]
    with engine.begin() as conn:
        for name in sorted(names - set(known)) + known:  # tables no model names: none so far
            conn.execute(sa.text(f'DELETE FROM "{name}"'))
