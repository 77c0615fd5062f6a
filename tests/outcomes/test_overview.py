"""The impact overview: figures per semester, themes, chains, filters, exports."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import (
    Deliverable,
    OpdrachtTheme,
    PartnerPlan,
    Phase,
    Role,
    TeamOutcome,
    User,
)
from app.outcomes import overview
from tests import factories as f
from tests.outcomes.builders import published_team


@pytest.fixture
def history(session: Session) -> dict[str, object]:
    """Welzijn op Recept over three semesters (two with teams, one in intake), Kletsbot once
    in another leerkring; a formula in a title."""
    kring, other = f.leerkring(session, "Overbetuwe"), f.leerkring(session, "Liemers")
    wonen, zorgen = f.theme(session, "Wonen"), f.theme(session, "Zorgen")
    owner = f.partner(session, "Forte Welzijn")
    prog_sw, prog_vp = f.programme(session, "SW"), f.programme(session, "VP")
    s1 = f.semester(session, Phase.CLOSED, code="2097-S1")
    s2 = f.semester(session, Phase.CLOSING, code="2097-S2")
    s3 = f.semester(session, Phase.INTAKE, code="2098-S1")
    first = f.opdracht(session, s1, owner, title="Welzijn op Recept", leerkring_id=kring.id)
    second = f.opdracht(
        session, s2, owner, title="Welzijn op Recept", leerkring_id=kring.id, continues_id=first.id
    )
    f.opdracht(session, s3, owner, title="Welzijn op Recept", continues_id=second.id)
    kletsbot = f.opdracht(session, s2, owner, title="=HYPERLINK(1)", leerkring_id=other.id)
    for o, theme in ((first, wonen), (second, wonen), (kletsbot, zorgen)):
        session.add(OpdrachtTheme(opdracht_id=o.id or 0, theme_id=theme.id or 0))

    def team(sem, o, n, progs):  # type: ignore[no-untyped-def]
        members = []
        for prog in progs:
            profile = f.student(session, prog)
            user = session.get(User, profile.user_id)
            members.append((profile, user, prog))
        return published_team(session, sem, o, owner, members, number=n, leerkring_name="x")

    t1 = team(s1, first, 1, [prog_sw, prog_vp])
    t2 = team(s2, second, 1, [prog_sw])
    t3 = team(s2, second, 2, [prog_vp, prog_vp])
    team(s2, kletsbot, 1, [prog_sw])
    for t, score, plan in (
        (t1, 4, PartnerPlan.CONTINUE),
        (t2, 5, PartnerPlan.USE),
        (t3, 2, PartnerPlan.STOP),
    ):
        outcome = TeamOutcome(
            published_team_id=t.id or 0,
            semester_id=t.semester_id,
            opdracht_id=t.opdracht_id,
            usefulness=score,
            partner_plan=plan,
        )
        session.add(outcome)
        session.flush()
        session.add(Deliverable(outcome_id=outcome.id or 0, kind_id=1, title="Advies"))
    session.flush()
    return {"kring": kring, "wonen": wonen, "s1": s1, "s2": s2}


def test_figures_per_semester_and_the_chain(session: Session, history):
    view = overview.overview(session=session, filters=overview.Filters())
    rows = {r.semester.code: r for r in view.semesters}
    assert list(rows) == ["2097-S1", "2097-S2"]  # the intake semester has no teams yet
    s1, s2 = rows["2097-S1"], rows["2097-S2"]
    assert (s1.opdrachten, s1.teams, s1.students, s1.programmes, s1.deliverables) == (1, 1, 2, 2, 1)
    assert (s2.opdrachten, s2.teams, s2.students, s2.programmes, s2.deliverables) == (2, 3, 4, 2, 2)
    assert (s1.rating, s2.rating) == (4.0, 3.5)
    assert (s1.continuation_rate, s2.continuation_rate) == (100, 50)
    [chain] = view.chains
    assert (chain.title, chain.semesters, chain.teams) == ("Welzijn op Recept", 3, 3)
    assert [s.teams for s in chain.steps] == [1, 2, 0]


def test_a_leerkring_filter_keeps_its_own_teams(session: Session, history):
    kring = history["kring"]
    view = overview.overview(session=session, filters=overview.Filters(leerkring_id=kring.id))  # type: ignore[attr-defined]
    assert [f.team.opdracht_title for f in view.facts] == ["Welzijn op Recept"] * 3
    wonen = history["wonen"]
    themed = overview.overview(session=session, filters=overview.Filters(theme_id=wonen.id))  # type: ignore[attr-defined]
    assert [(t.name_nl, counts) for t, counts in themed.themes] == [("Wonen", [1, 1])]


def test_the_page_answers_the_alliantiemakelaar(anon: TestClient, session: Session, history):
    f.login(anon, session, f.user(session, Role.ADMIN))
    page = anon.get("/outcomes/overview", params={"leerkring": history["kring"].id})  # type: ignore[attr-defined]
    assert page.status_code == 200
    text = page.text
    assert "Welzijn op Recept: 3 semesters, 3 teams" in text
    assert "<svg" in text
    assert '<title id="chart-themes-title">' in text
    assert "Wonen" in text
    assert "=HYPERLINK" not in text
    fragment = anon.get(
        "/outcomes/overview", headers={"HX-Request": "true", "HX-Target": "overview_results"}
    )
    assert fragment.status_code == 200
    assert "<h1>" not in fragment.text


def test_exports_are_formula_safe(anon: TestClient, session: Session, history):
    f.login(anon, session, f.user(session, Role.WIJKDOCENT))
    response = anon.get("/outcomes/overview.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 5  # header and four teams
    assert [r[2] for r in rows if "HYPERLINK" in r[2]] == ["'=HYPERLINK(1)"]
    xlsx = anon.get("/outcomes/overview.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    titles = [c.value for c in sheet["C"]]
    assert "'=HYPERLINK(1)" in titles
    assert anon.get("/outcomes/overview.pdf").status_code == 404


def test_students_and_partners_do_not_get_the_overview(anon: TestClient, session: Session):
    for role in (Role.STUDENT, Role.PARTNER):
        f.login(anon, session, f.user(session, role))
        assert anon.get("/outcomes/overview").status_code == 403
