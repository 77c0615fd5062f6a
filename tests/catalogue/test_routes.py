"""The catalogue: approved opdrachten only, filters, counts, htmx fragment, students' timing."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import OpdrachtStatus, OpdrachtTargetGroup, OpdrachtTheme, Phase, Role
from tests import factories as f
from tests.opdrachten import world
from tests.opdrachten.world import World


@pytest.fixture
def w(session: Session) -> World:
    w = world.build(session, Phase.RANKING)
    other_kring = f.leerkring(session, "Achterhoek")
    other_theme = f.theme(session, "Armoede")
    rows = [
        ("Hop-on-Hop-off", w.theme.id, w.group.id, w.kring.id, [2], "spel over wonen"),
        ("Week tegen Armoede", other_theme.id, None, other_kring.id, [3, 4], "geldzorgen"),
        ("Kletsbot", w.theme.id, None, other_kring.id, [], "eenzaamheid bij ouderen"),
    ]
    for title, theme_id, group_id, kring_id, years, text in rows:
        o = f.opdracht(
            session,
            w.semester,
            w.owner,
            title=title,
            leerkring_id=kring_id,
            eligible_years=years,
            description=text,
        )
        assert o.id is not None
        session.add(OpdrachtTheme(opdracht_id=o.id, theme_id=theme_id or 0))
        if group_id:
            session.add(OpdrachtTargetGroup(opdracht_id=o.id, target_group_id=group_id))
    f.opdracht(session, w.semester, w.owner, title="Nog in concept", status=OpdrachtStatus.DRAFT)
    f.opdracht(session, w.semester, w.owner, title="Ingediend", status=OpdrachtStatus.SUBMITTED)
    session.flush()
    return w


def _titles(html: str) -> set[str]:
    return set(re.findall(r'<h3><a href="/opdrachten/\d+">([^<]+)</a></h3>', html))


def _get(anon: TestClient, w: World, query: str = "", **headers: str) -> str:
    response = anon.get(f"/catalogue?semester={w.semester.id}{query}", headers=headers)
    assert response.status_code == 200
    return response.text


def test_catalogue_lists_approved_opdrachten_only(anon: TestClient, session: Session, w: World):
    f.login(anon, session, f.user(session, Role.STUDENT))
    html = _get(anon, w)
    assert _titles(html) == {"Hop-on-Hop-off", "Week tegen Armoede", "Kletsbot"}
    assert "Nog in concept" not in html
    assert "Ingediend" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&theme={theme}", {"Hop-on-Hop-off", "Kletsbot"}),
        ("&target_group={group}", {"Hop-on-Hop-off"}),
        ("&leerkring={kring}", {"Hop-on-Hop-off"}),
        ("&year=2", {"Hop-on-Hop-off", "Kletsbot"}),  # no years listed: open to every year
        ("&year=4", {"Week tegen Armoede", "Kletsbot"}),
        ("&q=OUDEREN", {"Kletsbot"}),
        ("&q=wonen+spel", {"Hop-on-Hop-off"}),
        ("&theme={theme}&year=4", {"Kletsbot"}),
        ("&theme=abc&year=", {"Hop-on-Hop-off", "Week tegen Armoede", "Kletsbot"}),
    ],
)
def test_filters(anon: TestClient, session: Session, w: World, query: str, expected: set[str]):
    f.login(anon, session, f.user(session, Role.PARTNER))
    query = query.format(theme=w.theme.id, group=w.group.id, kring=w.kring.id)
    assert _titles(_get(anon, w, query)) == expected


def test_counts_per_theme_and_target_group(anon: TestClient, session: Session, w: World):
    f.login(anon, session, f.user(session, Role.WIJKDOCENT))
    text = re.sub(r"<[^>]+>", "", _get(anon, w))
    assert re.search(r"Wonen en zorg\s*\(2\)", text)
    assert re.search(r"Armoede\s*\(1\)", text)
    assert re.search(r"Ouderen\s*\(1\)", text)
    # Counts follow the other filters: in year 4 only Kletsbot carries this theme.
    text = re.sub(r"<[^>]+>", "", _get(anon, w, "&year=4"))
    assert re.search(r"Wonen en zorg\s*\(1\)", text)


def test_htmx_gets_only_the_results(anon: TestClient, session: Session, w: World):
    f.login(anon, session, f.user(session, Role.STUDENT))
    full = _get(anon, w, "&year=2")
    assert "<html" in full
    assert 'hx-get="/catalogue"' in full
    assert 'hx-push-url="true"' in full
    fragment = _get(anon, w, "&year=2", **{"HX-Request": "true", "HX-Target": "catalogue_results"})
    assert "<html" not in fragment
    assert "<form" not in fragment
    assert _titles(fragment) == {"Hop-on-Hop-off", "Kletsbot"}


def test_students_see_the_catalogue_once_ranking_starts(
    anon: TestClient, session: Session, w: World
):
    w.semester.phase = Phase.INTAKE
    session.add(w.semester)
    session.flush()
    f.login(anon, session, f.user(session, Role.STUDENT))
    html = _get(anon, w)
    assert _titles(html) == set()
    assert "zodra de fase voorkeuren begint" in html
    f.login(anon, session, f.user(session, Role.PARTNER))
    assert len(_titles(_get(anon, w))) == 3  # partners browse during intake


def test_catalogue_needs_a_login(anon: TestClient):
    response = anon.get("/catalogue")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
