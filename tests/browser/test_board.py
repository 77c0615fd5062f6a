"""The team board in a real browser: axe in Dutch and English, a phone's width, and moving a
student by keyboard and by drag, each through the preview, a reason and undo."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from app.models import LeerkringWijkdocent, Phase, User
from tests.browser.conftest import (
    LiveServer,
    axe_violations,
    login,
    new_page,
    screenshot,
    serve_demo,
    use_language,
)
from tests.browser.site import prepare, set_phase


@pytest.fixture(scope="module")
def board_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve_demo(tmp_path_factory.mktemp("board"), prepare) as server:
        set_phase(server.engine, Phase.REVIEW)
        yield server


def _board(browser: Browser, site: LiveServer, width: int = 1200, own: bool = False) -> Page:
    """The demo wijkdocent's board; ``own``: filtered to their own leerkring, whose teams they
    may change (docs/security.md, "Access")."""
    page = new_page(browser, site.url, viewport={"width": width, "height": 900}, bypass_csp=True)
    login(page, "wijkdocent")
    query = f"?leerkring={_own_leerkring(site)}" if own else ""
    page.goto(f"/runs/{site.ids['run']}/board{query}")
    return page


def _own_leerkring(site: LiveServer) -> int:
    with Session(site.engine) as session:
        return (
            session.exec(
                select(LeerkringWijkdocent.leerkring_id)
                .join(User, col(User.id) == LeerkringWijkdocent.user_id)
                .where(User.email == "wijkdocent@demo.opdrachtmatch.nl")
                .order_by(col(LeerkringWijkdocent.leerkring_id))
            ).first()
            or 0
        )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_board_passes_axe(browser: Browser, board_site: LiveServer, language: str):
    page = _board(browser, board_site)
    use_language(page, language)
    page.goto(f"/runs/{board_site.ids['run']}/board")
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = axe_violations(page)
    screenshot(page, f"board-{language}")
    use_language(page, "nl")
    page.context.close()
    assert not violations, json.dumps(violations, indent=1)


def test_the_board_does_not_scroll_sideways_on_a_phone(browser: Browser, board_site: LiveServer):
    page = _board(browser, board_site, width=390)
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "board-phone")
    page.context.close()
    assert width <= 390


def _preview_reason_confirm(page: Page) -> None:
    expect(page.locator("#board_preview")).to_be_visible()
    if page.locator("#board-override").count():
        page.locator("#board-override").focus()
        page.keyboard.press("Space")
        page.locator("#board-reason").focus()
        page.keyboard.type("Afgesproken met de opdrachtgever")
    page.get_by_role("button", name="Bevestigen en opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen")


def _undo(page: Page) -> None:
    page.get_by_role("button", name="Laatste wijziging ongedaan maken").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#board_preview")).to_contain_text("ongedaan maken")
    _preview_reason_confirm(page)


def test_a_student_moves_by_keyboard_with_preview_reason_and_undo(
    browser: Browser, board_site: LiveServer
):
    page = _board(browser, board_site, own=True)
    cards = page.locator("article.board-card")
    first, second = cards.nth(0), cards.nth(1)
    chip = first.locator("li.chip:not([data-locked])").first
    name = chip.locator(".chip-name a").inner_text()
    chip.locator("a.chip-pick").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#board_pick")).to_contain_text(f"{name} verplaatsen")
    target_title = second.locator("h3").inner_text()
    page.locator("article.board-card", has_text=target_title).get_by_role(
        "button", name=f"{name} hierheen verplaatsen"
    ).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#board_preview")).to_contain_text("Kostenverandering")
    _preview_reason_confirm(page)
    moved = page.locator("article.board-card", has_text=target_title)
    expect(moved.locator("li.chip", has_text=name)).to_have_count(1)
    _undo(page)
    expect(
        page.locator("article.board-card", has_text=target_title).locator("li.chip", has_text=name)
    ).to_have_count(0)
    page.context.close()


def test_a_student_moves_by_drag_with_preview_reason_and_undo(
    browser: Browser, board_site: LiveServer
):
    page = _board(browser, board_site, width=1400, own=True)
    cards = page.locator("article.board-card")
    chip = cards.nth(1).locator("li.chip:not([data-locked])").first
    name = chip.locator(".chip-name a").inner_text()
    target_title = cards.nth(0).locator("h3").inner_text()
    cards.nth(0).scroll_into_view_if_needed()
    start = chip.locator(".chip-meta").bounding_box()
    end = cards.nth(0).locator("ul.chip-list li.chip").first.bounding_box()
    assert start is not None
    assert end is not None
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(start["x"] + 15, start["y"] + 15, steps=5)
    page.mouse.move(end["x"] + 20, end["y"] + end["height"] / 2, steps=20)
    page.mouse.up()
    page.wait_for_url(re.compile(r"/board/change$"))
    expect(page.locator("#board_preview")).to_contain_text(name)
    _preview_reason_confirm(page)
    moved = page.locator("article.board-card", has_text=target_title)
    expect(moved.locator("li.chip", has_text=name)).to_have_count(1)
    _undo(page)
    page.context.close()
