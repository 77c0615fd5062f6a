"""Signing in with the HAN account in a real browser: the demo student goes from the login
page through the test provider's form to their own dashboard; the pages pass axe."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.auth.conftest import CLIENT_ID, RunningProvider, _serve
from tests.browser.conftest import LiveServer, axe_violations, new_page, screenshot, serve_demo

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning:authlib.oidc.core.grants._legacy"
)


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    yield from _serve(Counter())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, provider: RunningProvider):
    with serve_demo(
        tmp_path_factory.mktemp("oidc"),
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret="browser-test-secret",
    ) as server:
        yield server


def _sign_in_at_provider(page: Page, sub: str) -> None:
    page.goto("/login")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Inloggen met je HAN-account").click()
    page.locator("input[name=sub]").fill(sub)
    page.locator("form button[type=submit]").first.click()


def test_demo_student_signs_in_with_the_han_account(
    browser: Browser, site: LiveServer, provider: RunningProvider
):
    sub = provider.add_user(email="student@demo.opdrachtmatch.nl", email_verified=True)
    page = new_page(browser, site.url, bypass_csp=True)
    _sign_in_at_provider(page, sub)
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", name="Overzicht", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Mijn voorkeuren bekijken of wijzigen")).to_be_visible()
    screenshot(page, "oidc-student-dashboard")
    page.get_by_role("button", name="Uitloggen").click()
    # RP-initiated logout: the provider's page, which sends the browser back to the login.
    page.wait_for_url(f"{provider.issuer}/oauth2/end_session**")
    page.context.close()


def test_unknown_person_sees_whom_to_ask(
    browser: Browser, site: LiveServer, provider: RunningProvider
):
    sub = provider.add_user(
        email="onbekend@han.nl", email_verified=True, eduperson_affiliation=["employee"]
    )
    page = new_page(browser, site.url, bypass_csp=True)
    _sign_in_at_provider(page, sub)
    expect(page.get_by_role("heading", name="We kennen je nog niet")).to_be_visible()
    expect(page.get_by_text("Vraag de beheerder je uit te nodigen")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "oidc-no-account")
    assert "om_session" not in {c["name"] for c in page.context.cookies()}
    page.context.close()
