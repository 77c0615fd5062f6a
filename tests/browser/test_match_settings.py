"""The matching settings and the profile comparison in a real browser: axe finds nothing,
the pages fit a 390 px phone, and the comparison works without JavaScript too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import Phase, Semester
from tests.browser.conftest import (
    LiveServer,
    axe_violations,
    login,
    new_page,
    screenshot,
    serve_demo,
    use_language,
)
from tests.browser.site import ADMIN, SEMESTER

PHONE = {"width": 390, "height": 844}


def _prepare(engine: Engine) -> dict[str, Any]:
    """A new semester without runs (its settings can change) beside the demo semester."""
    with Session(engine, expire_on_commit=False) as session:
        fresh = Semester(code="2027-S1", name="Voorjaar 2027", phase=Phase.CONCEPT)
        session.add(fresh)
        demo = session.exec(select(Semester).where(Semester.code == SEMESTER)).one()
        session.commit()
        return {"fresh": fresh.id, "demo": demo.id}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve_demo(tmp_path_factory.mktemp("match-settings"), _prepare) as server:
        yield server


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_settings_page_with_errors(browser: Browser, site: LiveServer, language: str):
    page = new_page(browser, site.url, viewport=PHONE, bypass_csp=True)  # axe is inline
    login(page, ADMIN)
    use_language(page, language)
    page.goto(f"/admin/semesters/{site.ids['fresh']}/matching")
    assert axe_violations(page) == []
    _fits(page)
    page.locator('input[name="preset"][value="custom"]').check()
    page.locator("#rank_costs").fill("0, 4, 2")
    page.locator("#min_ranking_length").fill("9")
    page.locator("main form.stack button.primary").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#rank_costs")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#rank_costs")).to_have_value("0, 4, 2")
    assert axe_violations(page) == []
    _fits(page)
    screenshot(page, f"match-settings-errors-{language}")
    page.context.close()


def test_compare_the_profiles_with_javascript(browser: Browser, site: LiveServer):
    page = new_page(browser, site.url, viewport=PHONE, bypass_csp=True)  # axe is inline
    login(page, ADMIN)
    use_language(page, "nl")
    page.goto(f"/admin/semesters/{site.ids['demo']}/profiles")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Vergelijk de profielen").click()
    # The progress box polls; when the worker is done the page reloads with the figures.
    expect(page.locator("#overall")).to_be_visible(timeout=120_000)
    expect(page.locator("#profiles-chart")).to_be_visible()
    expect(page.locator("#per-programme")).to_be_visible()
    assert axe_violations(page) == []
    _fits(page)
    screenshot(page, "match-profiles")
    page.get_by_label("zoveel mogelijk eerste keuzes").check()
    page.get_by_role("button", name="Kies dit profiel").click()
    expect(page.locator(".flash")).to_contain_text("Het profiel is gekozen")
    with Session(site.engine) as session:
        assert session.get(Semester, site.ids["demo"]).objective == "greedy"  # type: ignore[union-attr]
    page.context.close()


def test_compare_the_profiles_without_javascript(browser: Browser, site: LiveServer):
    page = new_page(browser, site.url, viewport=PHONE, java_script_enabled=False)
    login(page, ADMIN)
    url = f"/admin/semesters/{site.ids['demo']}/profiles"
    page.goto(url)
    page.locator("main form button.primary").click()
    page.wait_for_url(f"**{url}")
    for _attempt in range(120):  # the progress box's refresh link, followed by hand
        if page.locator("#overall").count():
            break
        page.wait_for_timeout(1000)
        page.goto(url)
    expect(page.locator("#overall")).to_be_visible()
    page.context.close()
