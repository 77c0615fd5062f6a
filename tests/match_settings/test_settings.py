"""The matching settings page: presets, validation naming the field, the lock after the first
run, the stale form, audit and access."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.match_settings.rules import PRESETS, preset_of
from app.models import AuditEvent, MatchRun, Phase, Role, RunStatus, Semester
from tests import factories as f


def _admin(anon: TestClient, session: Session) -> TestClient:
    return f.login(anon, session, f.user(session, Role.ADMIN))


def _form(semester: Semester, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": semester.version,
        "preset": "default",
        "rank_costs": "",
        "unranked_allowed": "1",
        "unranked_cost": "20",
        "unplaced_cost": "100",
        "min_ranking_length": "3",
        "max_ranking_length": "5",
        "objective": "sum",
    }
    data.update(overrides)
    return data


def _url(semester: Semester) -> str:
    return f"/admin/semesters/{semester.id}/matching"


def test_presets_give_one_cost_per_choice_and_are_recognised():
    assert PRESETS["linear"](5) == [0, 1, 2, 3, 4]
    assert PRESETS["default"](5) == [0, 1, 3, 6, 10]  # the semester's default costs
    heavy = PRESETS["heavy_after_3"](5)
    assert heavy[:3] == [0, 1, 2]
    assert heavy[3] - heavy[2] > 5 * (heavy[2] - heavy[1])
    assert preset_of([0, 1, 2, 3]) == "linear"
    assert preset_of([0, 5, 6]) == "custom"


def test_page_explains_every_setting_and_draws_the_costs(anon: TestClient, session: Session):
    semester = f.semester(session, Phase.INTAKE)
    client = _admin(anon, session)
    edit = client.get(f"/admin/semesters/{semester.id}")
    assert _url(semester) in edit.text  # linked from the semester page
    page = client.get(_url(semester))
    assert page.status_code == 200
    text = page.text
    assert "Instellingen voor de match" in text
    assert '<svg class="chart" id="cost-chart"' in text
    assert 'role="img"' in text
    assert '<title id="cost-chart-title">Kosten per keuze</title>' in text
    # The numbers are also text, not only bars: the default 0, 1, 3, 6, 10 and unplaced 100.
    assert "<dt>keuze 5</dt><dd>10</dd>" in text
    assert "<dt>niet geplaatst</dt><dd>100</dd>" in text
    for sentence in (
        "De match houdt de totale kosten zo laag mogelijk",
        "Of de match een student mag plaatsen op een opdracht die hij of zij niet koos",
        "Wat het kost om een student zonder team te laten",
        "Hoeveel opdrachten een student kiest",
        "Hoe de match studenten tegen elkaar afweegt",
    ):
        assert sentence in text


def test_save_a_preset_writes_the_settings_and_audits(anon: TestClient, session: Session):
    semester = f.semester(session, Phase.RANKING)
    client = _admin(anon, session)
    form = _form(semester, preset="linear", max_ranking_length="4", min_ranking_length="2")
    response = client.post(_url(semester), data=form | {"objective": "generous"})
    assert response.status_code == 303
    session.refresh(semester)
    assert semester.rank_costs == [0, 1, 2, 3]
    assert (semester.number_of_ranks, semester.min_ranking_length) == (4, 2)
    assert semester.ranking_length() == (2, 4)
    assert (semester.unranked_cost, semester.unplaced_cost) == (20, 100)
    assert semester.objective == "generous"
    assert semester.version == 2
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "semester.match_settings")
    ).one()
    assert event.before is not None
    assert event.after is not None
    assert event.before["rank_costs"] == [0, 1, 3, 6, 10]
    assert event.after["rank_costs"] == [0, 1, 2, 3]


def test_custom_costs_and_no_unranked_placement(anon: TestClient, session: Session):
    semester = f.semester(session, Phase.RANKING)
    client = _admin(anon, session)
    form = _form(
        semester,
        preset="custom",
        rank_costs="0; 2, 5,9 ,14",
        unranked_allowed="",
        unranked_cost="",
        unplaced_cost="",
        min_ranking_length="5",
    )
    assert client.post(_url(semester), data=form).status_code == 303
    session.refresh(semester)
    assert semester.rank_costs == [0, 2, 5, 9, 14]
    assert semester.unranked_cost is None
    assert semester.unplaced_cost is None
    assert semester.min_ranking_length is None  # the fewest equals the most: exactly 5
    page = client.get(_url(semester)).text
    assert 'value="custom" checked' in page
    assert 'name="unranked_allowed" value="1">' in page  # unchecked


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"preset": "custom", "rank_costs": "0, 3, 2, 4, 5"},
            "rank_costs",
            "Eigen kosten per keuze: een latere keuze kan niet minder kosten",
        ),
        (
            {"preset": "custom", "rank_costs": "0, -1, 2"},
            "rank_costs",
            "Eigen kosten per keuze: vul hele getallen van 0 tot 100000 in",
        ),
        (
            {"preset": "custom", "rank_costs": "0, 1, 2"},
            "rank_costs",
            "Eigen kosten per keuze: vul precies 5 kosten in, één per keuze",
        ),
        (
            {"min_ranking_length": "6"},
            "min_ranking_length",
            "Minste keuzes: vul een getal van 1 tot en met 5 in",
        ),
        (
            {"max_ranking_length": "0"},
            "max_ranking_length",
            "Meeste keuzes: vul een getal van 1 tot en met 20 in",
        ),
        ({"unranked_cost": "5"}, "unranked_cost", "Kosten van een plaatsing buiten de keuzes: "),
        (
            {"unranked_cost": ""},
            "unranked_cost",
            "Kosten van een plaatsing buiten de keuzes: vul een getal in",
        ),
        ({"unplaced_cost": "15"}, "unplaced_cost", "Kosten van een student zonder plek: "),
        ({"objective": "fastest"}, "objective", "Standaard eerlijkheidsprofiel: kies een"),
        ({"preset": "steep"}, "preset", "Kosten per keuze: kies een van de mogelijkheden"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    anon: TestClient, session: Session, overrides: dict[str, str], field: str, message: str
):
    semester = f.semester(session, Phase.RANKING)
    client = _admin(anon, session)
    response = client.post(_url(semester), data=_form(semester, **overrides))
    assert response.status_code == 422
    assert message in response.text
    assert f'href="#{field}"' in response.text
    assert f'id="{field}-error"' in response.text
    for name, value in overrides.items():
        if name not in ("preset", "objective"):  # a choice that is not an option cannot show
            assert f'value="{value}"' in response.text  # the input is kept
    assert 'value="20"' in response.text or overrides.get("unranked_cost") is not None
    session.refresh(semester)
    assert semester.version == 1
    assert semester.rank_costs == [0, 1, 3, 6, 10]


def test_a_stale_form_is_refused(anon: TestClient, session: Session):
    semester = f.semester(session, Phase.RANKING)
    client = _admin(anon, session)
    stale = _form(semester, preset="linear")
    assert client.post(_url(semester), data=_form(semester, unplaced_cost="50")).status_code == 303
    response = client.post(_url(semester), data=stale)
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd." in response.text
    assert 'value="linear" checked' in response.text  # the input is kept
    session.refresh(semester)
    assert semester.unplaced_cost == 50
    assert semester.rank_costs == [0, 1, 3, 6, 10]


def _run(session: Session, semester: Semester, status: RunStatus) -> MatchRun:
    run = MatchRun(semester_id=semester.id or 0, status=status, parameters={})
    session.add(run)
    session.flush()
    return run


def test_settings_are_fixed_after_the_first_run(anon: TestClient, session: Session):
    semester = f.semester(session, Phase.MATCHING)
    client = _admin(anon, session)
    _run(session, semester, RunStatus.FAILED)  # a failed run fixes nothing: fix the costs
    assert client.post(_url(semester), data=_form(semester, unplaced_cost="60")).status_code == 303
    session.refresh(semester)
    run = _run(session, semester, RunStatus.SUCCEEDED)
    page = client.get(_url(semester)).text
    assert f"De instellingen liggen vast: run {run.id} is ermee gestart." in page
    assert 'action="' + _url(semester) not in page  # read-only: no form
    response = client.post(_url(semester), data=_form(semester, preset="linear"))
    assert response.status_code == 409
    assert f"De instellingen liggen vast: run {run.id} is ermee gestart." in response.text
    session.refresh(semester)
    assert semester.rank_costs == [0, 1, 3, 6, 10]
    assert semester.unplaced_cost == 60


@pytest.mark.parametrize("role", [Role.WIJKDOCENT, Role.STUDENT, Role.PARTNER])
def test_only_admins(anon: TestClient, session: Session, role: Role):
    semester = f.semester(session, Phase.RANKING)
    client = f.login(anon, session, f.user(session, role))
    assert client.get(_url(semester)).status_code == 403
    assert client.post(_url(semester), data=_form(semester)).status_code == 403
    assert client.get(f"/admin/semesters/{semester.id}/profiles").status_code == 403


def test_unknown_semester_is_404(anon: TestClient, session: Session):
    client = _admin(anon, session)
    assert client.get("/admin/semesters/999999/matching").status_code == 404
