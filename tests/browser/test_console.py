"""The browser console stays clean: no error and no Content-Security-Policy violation on any
page as any role that may see it, while dragging a ranking, and no sideways scrolling of the
run page on a 390 px phone.

The CSP applies here (no ``bypass_csp``): a violation is what these tests look for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from app.models import Phase
from tests.browser.conftest import LiveServer, login, new_page, screenshot, serve_demo
from tests.browser.site import ANON, EVERYONE, PAGES, Visit, prepare, set_phase, speak_dutch

# Every phase a page of site.py is visited in, in the order they first appear.
PHASES = tuple(dict.fromkeys(v.phase for v in PAGES))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve_demo(tmp_path_factory.mktemp("console"), prepare) as server:
        yield server


def _record(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of ``page``, from now on."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    return errors


def _visit(page: Page, site: LiveServer, target: Visit) -> None:
    response = page.goto(target.address(site.ids))
    assert response is not None
    assert response.status == (200 if target.submit else target.status), page.url
    if target.submit:
        page.locator(target.submit).click()
        page.wait_for_load_state()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("role", [ANON, *EVERYONE])
def test_no_page_logs_a_console_error(browser: Browser, site: LiveServer, role: str):
    speak_dutch(site.engine)
    page = new_page(browser, site.url)
    errors = _record(page)
    if role == ANON:
        page.goto("/login")
    else:
        login(page, role)
    visited = 0
    for phase in PHASES:
        visits = [v for v in PAGES if role in v.roles and v.phase == phase]
        if visits:
            set_phase(site.engine, phase)
        for target in visits:
            _visit(page, site, target)
            visited += 1
            if target.status != 200:  # the form's own 422, which Chromium reports too
                expected = f"status of {target.status}"
                errors[:] = [e for e in errors if not (page.url in e and expected in e)]
    page.context.close()
    assert visited == sum(role in v.roles for v in PAGES)
    assert errors == [], json.dumps(errors, indent=1)


def test_dragging_a_choice_logs_no_console_error(browser: Browser, site: LiveServer):
    speak_dutch(site.engine)
    set_phase(site.engine, Phase.RANKING)
    page = new_page(browser, site.url)
    errors = _record(page)
    login(page, "student")
    page.goto("/student/ranking")
    choices = page.get_by_role("region", name="Mijn keuzes").get_by_role("listitem")
    handle = "Sleep om de volgorde te veranderen"
    choices.nth(3).get_by_title(handle).drag_to(choices.nth(1).get_by_title(handle))
    expect(page.get_by_role("status").filter(has_text="Opgeslagen om")).to_be_visible()
    page.context.close()
    assert errors == [], json.dumps(errors, indent=1)


@pytest.mark.parametrize(
    ("name", "url"), [("run", "/runs/{run}"), ("run-student", "/runs/{run}/students/{student}")]
)
def test_the_run_pages_do_not_scroll_sideways_on_a_phone(
    browser: Browser, site: LiveServer, name: str, url: str
):
    speak_dutch(site.engine)
    set_phase(site.engine, Phase.REVIEW)
    page = new_page(browser, site.url, viewport={"width": 390, "height": 844})
    login(page, "wijkdocent")
    page.goto(url.format(**site.ids))
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"{name}-390px")
    page.context.close()
    assert width <= 390
