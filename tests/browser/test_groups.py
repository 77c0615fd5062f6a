"""Forming a group in a real browser: one student forms it, another joins with the code, both
see it on their group and ranking pages; axe on the pages with the group, in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from app.models import GroupMember, Programme, StudentProfile, User
from tests.browser.conftest import (
    LiveServer,
    axe_violations,
    login,
    new_page,
    screenshot,
    serve_demo,
    use_language,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve_demo(tmp_path_factory.mktemp("groups")) as server:  # the ranking phase
        yield server


def _two_students(site: LiveServer) -> tuple[str, str]:
    """Two numbered students in no group, of one year and leerkring and two programmes: a
    pair every opdracht open to one of them is open to the other."""
    with Session(site.engine) as session:
        grouped = set(session.exec(select(GroupMember.student_id)))
        rows = session.exec(
            select(StudentProfile, User.email, Programme.code)
            .join(User, col(User.id) == StudentProfile.user_id)
            .join(Programme, col(Programme.id) == StudentProfile.programme_id)
            .where(col(User.email).startswith("student0"))
            .order_by(col(StudentProfile.id))
        ).all()
    free = [(p, email, code) for p, email, code in rows if p.id not in grouped]
    for p, email, code in free:
        for q, other, code2 in free:
            same = (q.year, q.leerkring_id) == (p.year, p.leerkring_id)
            if same and code2 != code:
                return email.split("@")[0], other.split("@")[0]
    raise AssertionError("no two free students of one year and leerkring")


def _no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], [v["id"] for v in violations]


def test_one_student_forms_a_group_another_joins_and_both_see_it(
    browser: Browser, site: LiveServer
):
    first, second = _two_students(site)
    a = new_page(browser, site.url, bypass_csp=True)
    login(a, first)
    a.goto("/student/group")
    _no_violations(a)
    a.get_by_role("button", name="Een groep vormen").click()
    code = a.locator(".group-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    expect(a.get_by_role("heading", name=f"Groep {code}")).to_be_visible()

    b = new_page(browser, site.url, bypass_csp=True)
    login(b, second)
    b.goto("/student/group")
    b.get_by_label("Groepscode").fill("WRONG234")
    b.get_by_role("button", name="Aansluiten").click()
    expect(b.get_by_role("alert")).to_contain_text("Geen groep heeft deze code")
    expect(b.get_by_label("Groepscode")).to_have_attribute("aria-invalid", "true")
    _no_violations(b)
    b.get_by_label("Groepscode").fill(code.lower())
    b.get_by_role("button", name="Aansluiten").click()
    expect(b.get_by_role("heading", name=f"Groep {code}")).to_be_visible()
    expect(b.locator(".group-members li")).to_have_count(2)
    for language in ("nl", "en"):
        use_language(b, language)
        _no_violations(b)
    use_language(b, "nl")
    screenshot(b, "group-joined")

    a.goto("/student/ranking")
    box = a.locator(".group-box")
    expect(box).to_contain_text(f"Groep {code}")
    expect(box.locator(".group-members li")).to_have_count(2)
    expect(box.get_by_role("button", name="Sla deze voorkeuren op voor elk lid")).to_be_visible()
    _no_violations(a)
    # Phone width: no sideways scroll on the group page.
    a.set_viewport_size({"width": 390, "height": 800})
    a.goto("/student/group")
    width = a.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
