"""The ranking page as a student meets it: filters, details, the dashboard, a small screen."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import ROOT
from tests import factories as f
from tests.students import builders as b
from tests.students.test_ranking import HTMX, as_student, stored, world


def test_filter_on_target_group_and_rank_five_then_reload(anon: TestClient, session: Session):
    """The issue's walk-through: filter on "ouderen", rank five, reload, find the order kept."""
    w = world(session, ranks=5)
    owner = f.partner(session)
    ouderen, jongeren = b.target_group(session, "ouderen"), b.target_group(session, "jongeren")
    elderly = [f.opdracht(session, w.semester, owner, title=f"Ouderen {i}") for i in range(5)]
    for o in elderly:
        b.tag(session, o, ouderen)
    b.tag(session, w.open[0], jongeren)
    client = as_student(anon, session, w)
    page = client.get(f"/student/ranking?group={ouderen.id}")
    assert all(o.title in page.text for o in elderly)
    assert w.open[0].title not in page.text
    assert f'<option value="{ouderen.id}" selected>ouderen</option>' in page.text
    # htmx asks for the region only; the add buttons keep the filter for the next view.
    partial = client.get(f"/student/ranking?group={ouderen.id}", headers=HTMX)
    assert partial.text.lstrip().startswith('<div id="ranking_area"')
    assert f'name="filters" value="group={ouderen.id}"' in partial.text

    for o in elderly:
        client.post("/student/ranking/add", data={"opdracht_id": o.id, "filters": "group=1"})
    dragged = [elderly[i].id for i in (4, 0, 3, 1, 2)]
    saved = client.post(
        "/student/ranking/order", data={"order": [str(i) for i in dragged]}, headers=HTMX
    )
    assert saved.status_code == 200
    reloaded = client.get("/student/ranking").text
    found = [int(i) for i in re.findall(r'name="order" value="(\d+)"', reloaded)]
    assert found == dragged == stored(session, w)
    assert "Compleet:" in reloaded


def test_theme_and_leerkring_filters(anon: TestClient, session: Session):
    w = world(session)
    wonen = b.theme(session, "wonen")
    b.tag(session, w.open[1], wonen)
    kring = f.leerkring(session, "Lingewaard")
    w.open[2].leerkring_id = kring.id
    session.add(w.open[2])
    session.flush()
    client = as_student(anon, session, w)
    by_theme = client.get(f"/student/ranking?theme={wonen.id}").text
    assert w.open[1].title in by_theme
    assert w.open[0].title not in by_theme
    by_kring = client.get(f"/student/ranking?leerkring={kring.id}").text
    assert w.open[2].title in by_kring
    assert w.open[1].title not in by_kring
    assert "1 opdracht getoond." in by_kring
    junk = client.get("/student/ranking?theme=abc&group=%3Cscript%3E")
    assert junk.status_code == 200
    assert all(o.title in junk.text for o in w.open)


def test_details_show_partner_description_and_years(anon: TestClient, session: Session):
    w = world(session)
    w.open[1].description = "Eerste alinea.\n\nTweede alinea."
    w.open[1].location = "Elst"
    session.add(w.open[1])
    session.flush()
    page = as_student(anon, session, w).get("/student/ranking").text
    assert "<p>Eerste alinea.</p><p>Tweede alinea.</p>" in page
    assert "Elst" in page
    assert "<dd>2</dd>" in page  # eligible years of Open 1
    assert "alle jaren" in page


def test_the_dashboard_links_to_the_ranking(anon: TestClient, session: Session):
    w = world(session)
    client = as_student(anon, session, w)
    page = client.get("/dashboard").text
    assert "Mijn voorkeuren bekijken of wijzigen" in page
    assert 'href="/student/ranking"' in page
    assert 'href="/student/team"' in page
    assert 'href="/student/data"' in page


@pytest.mark.nodb
def test_the_ranking_page_fits_a_small_screen():
    """No fixed widths that would force horizontal scrolling at 390 px, no inline styles."""
    css = (ROOT / "static" / "app.css").read_text()
    widths = re.findall(r"(?:^|[;{\s])(?:min-)?width:\s*(\d+)px", css)
    assert [w for w in widths if int(w) > 320] == []
    for name in ("ranking.html", "_choices.html", "_offers.html"):
        html = (ROOT / "templates" / "students" / name).read_text()
        assert "style=" not in html
        assert "<script>" not in html
