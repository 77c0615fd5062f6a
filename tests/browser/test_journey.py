"""The whole semester in a real browser, on a server of its own (the journey changes phases).

The demo semester is in its ranking phase. The beheerder steps it back to intake; a partner
posts an opdracht with a co-partner; the wijkdocent approves it; the beheerder opens the
ranking; one student ranks by dragging, another with the keyboard only; the wijkdocent runs
the match, moves one student and approves the Overbetuwe teams; the beheerder approves the
rest and publishes; the student sees the team, and the JSON API serves it. Every step saves a
screenshot (test-output/screenshots/journey-*.png).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from app.models import utcnow
from tests.browser.conftest import LiveServer, login, logout, new_page, screenshot, serve_demo

TITLE = "Buurtkamer Elst: samen koken tegen eenzaamheid"
CO_PARTNER = "Forte Welzijn"
DEMO_STUDENT = "2000099"  # the student number of the demo student (student@...)
KEYBOARD_STUDENT = "student001"
SLOW = 30_000  # ms: the match run and a loaded CI machine


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve_demo(tmp_path_factory.mktemp("journey")) as server:
        yield server


@pytest.fixture
def journey_page(browser: Browser, journey_server: LiveServer) -> Iterator[Page]:
    page = new_page(browser, journey_server.url, viewport={"width": 1200, "height": 900})
    page.set_default_timeout(10_000)
    yield page
    page.context.close()


class Steps:
    """Numbered screenshots, so the folder reads as the story."""

    def __init__(self, page: Page) -> None:
        self.page, self.number = page, 0

    def shot(self, name: str) -> None:
        self.number += 1
        screenshot(self.page, f"journey-{self.number:02d}-{name}")


def test_a_whole_semester_in_the_browser(journey_page: Page, journey_server: LiveServer):
    page, steps = journey_page, Steps(journey_page)
    admin_opens_intake(page, steps)
    partner_posts_an_opdracht(page, steps)
    wijkdocent_approves_it(page, steps)
    admin_moves_to(page, steps, "voorkeuren")
    student_ranks_by_dragging(page, steps)
    student_ranks_with_the_keyboard(page, steps)
    admin_moves_to(page, steps, "matchen")
    wijkdocent_runs_adjusts_and_approves(page, steps)
    admin_approves_the_rest_and_publishes(page, steps)
    team_heading = student_sees_the_team(page, steps)
    the_api_serves_the_team(page, steps, journey_server.url, team_heading)


def open_semester(page: Page) -> None:
    page.goto("/admin/semesters")
    page.get_by_role("link", name="2026-S2").click()
    expect(page.get_by_role("heading", name="Semester 2026-S2", level=1)).to_be_visible()


def admin_opens_intake(page: Page, steps: Steps) -> None:
    login(page, "beheerder")
    open_semester(page)
    page.get_by_label("Reden om terug te gaan naar intake").fill(
        "Een extra opdracht van de gemeente Overbetuwe"
    )
    page.get_by_role("button", name="Een fase teruggaan").click()
    expect(page.get_by_role("heading", name="Fase: intake")).to_be_visible()
    tomorrow = utcnow() + timedelta(days=1)
    page.get_by_label("Deadline intake").fill(tomorrow.strftime("%Y-%m-%dT17:00"))
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_label("Deadline intake")).to_have_value(tomorrow.strftime("%Y-%m-%dT17:00"))
    steps.shot("admin-opens-intake")
    logout(page)


def partner_posts_an_opdracht(page: Page, steps: Steps) -> None:
    login(page, "partner")
    page.get_by_role("link", name="Mijn opdrachten").first.click()
    page.get_by_role("link", name="Nieuwe opdracht plaatsen").click()
    # First without a title: the form comes back with its errors and keeps the input.
    page.get_by_label("Beschrijving").fill("Wekelijks samen koken met buurtbewoners.")
    page.get_by_role("button", name="Opslaan als concept").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Verbeter het volgende:")
    expect(page.get_by_label("Titel")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Beschrijving")).to_have_value(
        "Wekelijks samen koken met buurtbewoners."
    )
    steps.shot("partner-form-with-errors")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_role("group", name="Thema's").get_by_label("Leven", exact=True).check()
    page.get_by_role("group", name="Doelgroepen").get_by_label("Ouderen").check()
    page.get_by_label("Leerkring", exact=True).select_option(label="Overbetuwe")
    page.get_by_label("Locatie").fill("Elst")
    page.get_by_label("Contactpersoon", exact=True).fill("Contact Buurtkamer")
    page.get_by_label("E-mailadres contactpersoon").fill("buurtkamer@example.org")
    page.get_by_role("group", name="Mede-opdrachtgevers").get_by_label(CO_PARTNER).check()
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text(CO_PARTNER).first).to_be_visible()
    page.get_by_role("button", name="Indienen ter beoordeling").click()
    expect(page.get_by_text("ingediend").first).to_be_visible()
    steps.shot("partner-submitted")
    logout(page)


def wijkdocent_approves_it(page: Page, steps: Steps) -> None:
    login(page, "wijkdocent")
    page.goto("/review")
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(CO_PARTNER)
    steps.shot("wijkdocent-review-queue")
    row.get_by_role("button", name=f"Goedkeuren {TITLE}").click()
    page.get_by_label("Status").select_option(label="goedgekeurd")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("goedgekeurd")
    steps.shot("wijkdocent-approved")
    logout(page)


def admin_moves_to(page: Page, steps: Steps, phase: str) -> None:
    login(page, "beheerder")
    open_semester(page)
    page.get_by_role("button", name=f"Naar fase {phase}").click()
    if phase == "matchen":  # before the ranking deadline: the incomplete rankings are named
        expect(page.get_by_role("alert")).to_contain_text("nog geen complete voorkeuren")
        page.get_by_role("button", name="Toch naar matchen").click()
    expect(page.get_by_role("heading", name=f"Fase: {phase}")).to_be_visible()
    steps.shot(f"admin-phase-{phase}")
    logout(page)


def choice_titles(page: Page) -> list[str]:
    """The titles in the student's ranking, in order, from the remove buttons' names."""
    buttons = page.get_by_role("region", name="Mijn keuzes").get_by_role(
        "button", name=re.compile("^Verwijderen ")
    )
    names = (" ".join(text.split()) for text in buttons.all_text_contents())
    return [name.removeprefix("Verwijderen ") for name in names]


def student_ranks_by_dragging(page: Page, steps: Steps) -> None:
    login(page, "student")
    page.goto("/student/ranking")
    before = choice_titles(page)
    assert len(before) == 5
    choices = page.get_by_role("region", name="Mijn keuzes").get_by_role("listitem")
    handle = "Sleep om de volgorde te veranderen"
    choices.nth(2).get_by_title(handle).drag_to(choices.nth(0).get_by_title(handle))
    expect(page.get_by_role("status").filter(has_text="Opgeslagen om")).to_be_visible()
    expected = [before[2], before[0], before[1], *before[3:]]
    page.reload()
    assert choice_titles(page) == expected
    steps.shot("student-ranked-by-dragging")
    logout(page)


def student_ranks_with_the_keyboard(page: Page, steps: Steps) -> None:
    login(page, KEYBOARD_STUDENT)
    page.goto("/student/ranking")
    before = choice_titles(page)
    assert len(before) >= 3
    first = before[0]
    # Only the keyboard: Tab to "move down" of the first choice, then Enter twice; the page
    # keeps the focus on that button after each save.
    tab_to(page, f"Omlaag: {first}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Opgeslagen om")).to_be_visible()
    expect(page.get_by_role("button", name=f"Omlaag: {first}")).to_be_focused()
    assert choice_titles(page)[1] == first
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("region", name="Mijn keuzes").get_by_role("listitem").nth(2)
    ).to_contain_text(first)
    expected = [before[1], before[2], first, *before[3:]]
    page.reload()
    assert choice_titles(page) == expected
    steps.shot("student-ranked-with-keyboard")
    logout(page)


def tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element has the accessible name ``name``."""
    target = page.get_by_role("button", name=name)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{name!r} was not reached with Tab")


def wijkdocent_runs_adjusts_and_approves(page: Page, steps: Steps) -> None:
    login(page, "wijkdocent")
    page.goto("/runs")
    page.get_by_role("button", name="Start de ronde").click()
    # The run page polls its progress with htmx and reloads itself when the run ends.
    expect(page.get_by_text("geslaagd").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("progressbar")).to_have_count(0)
    steps.shot("wijkdocent-run-result")
    page.get_by_role("link", name="Demostudent").first.click()
    move_the_demo_student(page, steps)
    page.goto("/runs/approvals")
    # Warnings (unplaced students, the override just made) must be acknowledged first.
    page.get_by_label("Ik heb de waarschuwingen van Overbetuwe gezien").check()
    page.get_by_role("button", name="Teams van Overbetuwe goedkeuren").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Overbetuwe"))
    expect(row).to_contain_text("alles goedgekeurd")
    steps.shot("wijkdocent-approved-leerkring")
    logout(page)


def move_the_demo_student(page: Page, steps: Steps) -> None:
    """Move the student to a team of one of their other choices, checking the effect first:
    the first move that breaks no rule, else the last one with an override and a reason."""
    expect(page.get_by_role("heading", name=re.compile("^Demostudent"))).to_be_visible()
    facts = page.get_by_role("definition")
    ranked = facts.nth(1).get_by_role("listitem").all_inner_texts()
    placed = facts.nth(2).inner_text()
    target = page.get_by_label("Nieuw team")
    options = [
        label
        for label in target.get_by_role("option").all_inner_texts()
        if label.split(" · ")[0] in ranked and not placed.startswith(label.split(" · ")[0])
    ]
    assert options, "no team of another choice to move to"
    move = page.locator("form", has=target)  # a form without a name has no role
    effect = page.get_by_role("region", name="Effect van deze wijziging")
    for label in options:
        target.select_option(label=label)
        move.get_by_role("button", name="Effect bekijken").click()
        expect(effect).to_be_visible()
        if "overtreedt geen regel" in effect.inner_text():
            break
    steps.shot("wijkdocent-move-checked")
    if "overtreedt geen regel" not in effect.inner_text():
        move.get_by_label("Opslaan, ook al overtreedt dit een regel").check()
        move.get_by_label("Reden (verplicht bij afwijken)").fill("Past beter bij de stageplek")
    move.get_by_role("button", name="Opslaan", exact=True).click()
    # "Opdracht · team 2 (3 leden)", or "Opdracht · nieuw team", which gets the next number.
    team = label.split(" (")[0]
    if team.endswith(" · nieuw team"):
        team = team.removesuffix("nieuw team") + "team "
    expect(facts.nth(2)).to_contain_text(team)


def admin_approves_the_rest_and_publishes(page: Page, steps: Steps) -> None:
    login(page, "beheerder")
    page.goto("/runs/approvals")
    approve = page.get_by_role("button", name=re.compile("^Teams van .* goedkeuren$"))
    while approve.count():
        name = approve.first.inner_text()
        # A plain form post: wait for the new page, or the next count may read the old one
        # mid-navigation and end the loop with leerkringen left to approve.
        for seen in page.get_by_label(re.compile("^Ik heb de waarschuwingen van ")).all():
            seen.check()  # each leerkring's warnings are acknowledged before approving
        with page.expect_navigation():
            approve.first.click()
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    acknowledge = page.get_by_label("Ik heb deze waarschuwingen gezien en publiceer toch")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="De teams publiceren").click()
    expect(page.get_by_role("button", name="Heropenen voor wijzigingen")).to_be_visible()
    steps.shot("admin-published")
    logout(page)


def student_sees_the_team(page: Page, steps: Steps) -> str:
    """The heading of the student's team: "<opdracht> · team <n>"."""
    login(page, "student")
    page.get_by_role("link", name="Mijn team").click()
    expect(page.get_by_role("heading", name="Teamgenoten")).to_be_visible()
    heading = page.get_by_role("heading", level=2).first.inner_text()
    steps.shot("student-team")
    logout(page)
    return heading


def the_api_serves_the_team(page: Page, steps: Steps, base_url: str, heading: str) -> None:
    login(page, "beheerder")
    page.goto("/admin/api-tokens")
    page.get_by_role("link", name="Token aanmaken").click()
    page.get_by_label("Naam").fill("HAN roosterapplicatie")
    page.get_by_role("button", name="Token aanmaken").click()
    secret = page.get_by_text(re.compile("^om_")).inner_text().strip()
    steps.shot("admin-api-token")
    headers = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as api:
        teams = api.get("/api/v1/semesters/2026-S2/teams", params={"limit": 500})
        assert teams.status_code == 200
        mine = api.get(f"/api/v1/semesters/2026-S2/students/{DEMO_STUDENT}/team")
    assert mine.status_code == 200
    team = mine.json()
    assert DEMO_STUDENT in [m["student_number"] for m in team["members"]]
    assert team["id"] in [t["id"] for t in teams.json()["items"]]
    assert heading == f"{team['opdracht']['title']} · team {team['team_number']}"
