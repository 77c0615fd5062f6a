"""Browser tests: a real uvicorn server on a free port with the demo semester, driven by
Playwright in Debian's Chromium. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import ROOT, Settings
from app.db import make_engine
from app.demo.build import build_demo
from app.main import create_app
from tests.browser.screenshots import README_SHOTS
from tests.conftest import migrate

# `make test-browser` passes the path it checked; a missing browser skips these tests (see
# pytest_collection_modifyitems) unless REQUIRE_BROWSER=1.
CHROMIUM = os.environ.get("OM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "test-output" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-4.11.4.min.js"
PASSWORD = "demo-wachtwoord-2026"
LANGUAGE_BUTTONS = {"en": "English", "nl": "Nederlands"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    missing = not Path(CHROMIUM).exists() and os.environ.get("REQUIRE_BROWSER") != "1"
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (sudo apt-get install chromium)")
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    """A running server: its address and an engine on its database (to prepare states)."""

    url: str
    engine: Engine
    ids: dict[str, Any] = field(default_factory=dict)  # what ``prepare`` returned


@contextmanager
def serve_demo(
    tmp: Path, prepare: Callable[[Engine], dict[str, Any]] | None = None, **overrides: Any
) -> Iterator[LiveServer]:
    """Migrate a fresh SQLite file in ``tmp``, load the demo data (then ``prepare``, if given)
    and serve it with uvicorn in a thread on a free port until the block ends; ``overrides``
    are added to the app's settings."""
    port = _free_port()
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{tmp / 'live.db'}",
        secret_key="browser-test-secret-key-0123456789abcdef",
        base_url=f"http://127.0.0.1:{port}",
        **overrides,
    )
    engine = make_engine(settings)
    migrate(engine)
    with Session(engine) as session:
        build_demo(session)
    ids = prepare(engine) if prepare is not None else {}
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the live server did not start"
    try:
        yield LiveServer(settings.base_url, engine, ids)
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo semester in its ranking phase, shared by the tests that do not change it."""
    with serve_demo(tmp_path_factory.mktemp("live")) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def new_page(browser: Browser, base_url: str, **context: Any) -> Page:
    ctx = browser.new_context(base_url=base_url, **context)
    return ctx.new_page()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    p = new_page(browser, live_server, viewport={"width": 1200, "height": 900})
    yield p
    p.context.close()


def login(page: Page, role: str) -> None:
    """Log in as a demo user: a role (``student``) or the part of the e-mail before the @."""
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(f"{role}@demo.opdrachtmatch.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")


def logout(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^(Uitloggen|Log out)$")).click()
    page.wait_for_url("**/login")


def use_language(page: Page, language: str) -> None:
    """Switch the interface to ``language`` (nl or en) with the header button if needed."""
    if page.locator("html").get_attribute("lang") != language:
        page.get_by_role("button", name=LANGUAGE_BUTTONS[language]).click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def screenshot(page: Page, name: str) -> Path:
    """The whole page; the README's shots also as the viewport only (tests.browser.screenshots)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if name in README_SHOTS:
        (SHOTS / "readme").mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "readme" / f"{name}.png"))
    return path


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page."""
    page.add_script_tag(content=AXE.read_text())
    # Only violations are collected: on the long pages (every student of a run) that makes
    # axe several times faster than collecting the passes too.
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations']})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
