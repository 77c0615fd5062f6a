"""Every role logs in and reaches its dashboard (axe on every page: test_accessibility.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import login, new_page, screenshot

ROLES = ["beheerder", "wijkdocent", "partner", "student"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_demo_semester(page: Page, role: str):
    login(page, role)
    expect(page.get_by_role("heading", name="Overzicht", exact=True)).to_be_visible()
    expect(page.get_by_text("Semester 2026-S2")).to_be_visible()
    screenshot(page, f"dashboard-{role}")


def test_wijkdocent_sees_opdrachten_and_student_sees_ranking(page: Page):
    login(page, "wijkdocent")
    expect(page.get_by_role("table", name="Opdrachten van dit semester")).to_contain_text(
        "Hop-on-Hop-off"
    )
    page.get_by_role("button", name="Uitloggen").click()
    login(page, "student")
    expect(page.get_by_role("heading", name="Mijn voorkeuren")).to_be_visible()
    expect(page.locator("ol.ranking li")).to_have_count(5)


def test_dashboard_fits_a_phone_screen(browser: Browser, live_server: str):
    page = new_page(browser, live_server, viewport={"width": 390, "height": 844})
    login(page, "student")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "dashboard-student-390px")
    page.context.close()
