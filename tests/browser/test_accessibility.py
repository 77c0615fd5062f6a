"""Accessibility in a real browser: axe-core (WCAG 2.1 A and AA) on every page as every role
that may see it, in Dutch and English; every form control reachable with Tab and showing a
visible focus; forms completed with the keyboard alone; student pages on a 390 px phone.

The pages run on a server of their own whose demo semester has two match runs and published
teams; each test puts the semester in the phase a page needs before visiting it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.config import Settings
from app.main import create_app
from app.models import Phase
from tests.browser.conftest import (
    LiveServer,
    axe_violations,
    login,
    new_page,
    screenshot,
    serve_demo,
    use_language,
)
from tests.browser.site import (
    ANON,
    EVERYONE,
    PAGES,
    PARTNER,
    STUDENT,
    Visit,
    html_get_routes,
    prepare,
    set_phase,
    speak_dutch,
)

PHASES = (Phase.INTAKE, Phase.RANKING, Phase.REVIEW, Phase.PUBLISHED, Phase.CLOSING)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve_demo(tmp_path_factory.mktemp("site"), prepare) as server:
        yield server


def test_every_html_page_of_the_app_is_scanned():
    app = create_app(Settings(environment="test", database_url="sqlite://"))
    routes = html_get_routes(app)
    assert "/student/ranking" in routes  # the walk reaches into the included routers
    assert routes == {visit.route for visit in PAGES}


def visit(page: Page, site: LiveServer, target: Visit) -> None:
    """Open the page; for a form, submit it empty and expect its errors."""
    response = page.goto(target.address(site.ids))
    assert response is not None
    assert response.status == (200 if target.submit else target.status), page.url
    if target.submit:
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator(target.submit).click()
        assert posted.value.status == target.status, page.url
        page.wait_for_load_state()
        expect(page.get_by_role("alert").first).to_be_visible()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("role", [ANON, *EVERYONE])
def test_every_page_passes_axe(browser: Browser, site: LiveServer, role: str, language: str):
    page = new_page(browser, site.url, bypass_csp=True)
    if role == ANON:
        page.goto("/login")
    else:
        login(page, role)
    use_language(page, language)
    found: dict[str, Any] = {}
    scanned = 0
    for phase in PHASES:
        visits = [v for v in PAGES if role in v.roles and v.phase == phase]
        if visits:
            set_phase(site.engine, phase)
        for target in visits:
            visit(page, site, target)
            expect(page.locator("html")).to_have_attribute("lang", language)
            violations = axe_violations(page)
            if violations:
                found[page.url] = violations
            scanned += 1
    page.context.close()
    assert scanned == sum(role in v.roles for v in PAGES)
    assert not found, json.dumps(found, indent=1)


# Pages with the main forms, and who fills them in.
FORMS = [
    (ANON, Phase.RANKING, "/login"),
    (PARTNER, Phase.INTAKE, "/opdrachten/new"),
    ("beheerder", Phase.INTAKE, "/admin/semesters/{semester}"),
    ("beheerder", Phase.RANKING, "/admin/users/new"),
    ("beheerder", Phase.RANKING, "/admin/api-tokens/new"),
    ("beheerder", Phase.RANKING, "/admin/deliverable-kinds"),
    ("wijkdocent", Phase.INTAKE, "/review/{submitted}"),
    ("wijkdocent", Phase.REVIEW, "/runs"),
    ("wijkdocent", Phase.REVIEW, "/runs/{run}/students/{student}"),
    ("wijkdocent", Phase.RANKING, "/students/import"),
    (STUDENT, Phase.RANKING, "/student/ranking"),
    (STUDENT, Phase.RANKING, "/student/group"),
    (STUDENT, Phase.RANKING, "/catalogue"),
]

MARK_CONTROLS = """() => {
  const controls = [...document.querySelectorAll(
    "main form :is(input:not([type=hidden]), select, textarea, button)")]
    .filter(el => !el.disabled && el.getClientRects().length);
  controls.forEach((el, i) => el.dataset.kb = String(i));
  return controls.length;
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {key: el.dataset.kb ?? null, visible: outline || style.boxShadow !== "none",
          what: el.outerHTML.slice(0, 120)};
}"""


@pytest.mark.parametrize(("role", "phase", "path"), FORMS)
def test_every_form_control_is_reached_with_tab_and_shows_focus(
    browser: Browser, site: LiveServer, role: str, phase: Phase, path: str
):
    set_phase(site.engine, phase)
    page = new_page(browser, site.url)
    if role != ANON:
        login(page, role)
    page.goto(path.format(**site.ids))
    total = page.evaluate(MARK_CONTROLS)
    assert total > 0
    reached: set[str] = set()
    invisible: list[str] = []
    for _ in range(total * 2 + 60):  # the header's links and buttons come first
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["visible"]:
            invisible.append(focused["what"])
        if focused["key"] is not None:
            reached.add(focused["key"])
            if len(reached) == total:
                break
    page.context.close()
    assert invisible == []
    assert len(reached) == total


def test_a_partner_posts_an_opdracht_with_the_keyboard_alone(browser: Browser, site: LiveServer):
    set_phase(site.engine, Phase.INTAKE)
    speak_dutch(site.engine)
    page = new_page(browser, site.url)
    page.goto("/login")
    page.keyboard.press("Tab")  # the skip link
    tab_until(page, "E-mailadres")
    page.keyboard.type("partner@demo.opdrachtmatch.nl")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-wachtwoord-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    page.goto("/opdrachten/new")
    tab_until(page, "Titel (verplicht)")
    page.keyboard.type("Samen de buurt in: ouderen bewegen")
    tab_until(page, "Leven")
    page.keyboard.press("Space")
    tab_until(page, "Opslaan als concept")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Samen de buurt in: ouderen bewegen")).to_be_visible()
    expect(page.get_by_text("concept").first).to_be_visible()
    page.context.close()


def tab_until(page: Page, name: str, limit: int = 120) -> None:
    """Press Tab until the focused element's label, text or value names ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(
            """() => { const el = document.activeElement;
               const label = el.labels && el.labels[0] ? el.labels[0].innerText : "";
               return (label || el.innerText || el.value || "").trim(); }"""
        )
        if label == name:
            return
    raise AssertionError(f"{name!r} was not reached with Tab")


STUDENT_PAGES = [
    (Phase.RANKING, "/dashboard"),
    (Phase.RANKING, "/student/ranking"),
    (Phase.RANKING, "/catalogue"),
    (Phase.RANKING, "/student/data"),
    (Phase.PUBLISHED, "/student/team"),
]


def test_student_pages_fit_a_phone_screen(browser: Browser, site: LiveServer):
    page = new_page(browser, site.url, viewport={"width": 390, "height": 844})
    login(page, STUDENT)
    use_language(page, "nl")
    too_wide = {}
    for phase, path in STUDENT_PAGES:
        set_phase(site.engine, phase)
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
        screenshot(page, f"phone{path.replace('/', '-')}")
    page.context.close()
    assert too_wide == {}
