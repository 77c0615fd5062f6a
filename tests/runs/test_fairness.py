"""The fairness tables of the run page: gaps in whole points, never "-0"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.i18n import set_language
from app.runs.contexts import key_label
from app.runs.results import GroupRow
from app.templating import env, signed_points


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("gap", "shown"), [(-0.3, "0"), (0.0, "0"), (0.4, "0"), (2.6, "+3"), (-12.2, "-12")]
)
def test_a_gap_is_shown_in_whole_points_with_its_sign(gap: float, shown: str):
    assert signed_points(gap) == shown


@pytest.mark.nodb
def test_a_group_slightly_below_all_students_shows_no_minus_zero():
    # 2 of 3 in the top 3 (66.7%) against 2 of 3 plus a little: the gap rounds to nothing.
    overall = GroupRow(label="", histogram={"1": 667, "2": 0, "3": 0, "unplaced": 333}, cost=1)
    group = GroupRow(label="Fysiotherapie", histogram={"1": 2, "2": 0, "3": 0, "unplaced": 1})
    board = SimpleNamespace(
        overall=overall,
        per_programme=[group],
        per_leerkring=[],
        keys=["1", "2", "3", "unplaced"],
        teams=[],
        broken=0,
    )
    run = SimpleNamespace(objective=1, solver_status="optimal", parameters={})
    html = env.get_template("runs/_summary.html").render(
        board=board, run=run, chart="", key_label=key_label
    )
    cells = [c.split("</td>")[0] for c in html.split("<td>")[1:]]
    assert "-0" not in cells
    assert "0" in cells


@pytest.mark.nodb
@pytest.mark.parametrize(("language", "shown"), [("nl", "1,5"), ("en", "1.5")])
def test_the_mean_cost_is_written_as_the_language_writes_numbers(language: str, shown: str):
    overall = GroupRow(label="", histogram={"1": 1, "2": 1}, cost=3)
    board = SimpleNamespace(
        overall=overall,
        per_programme=[overall],
        per_leerkring=[],
        keys=["1", "2"],
        teams=[],
        broken=0,
    )
    run = SimpleNamespace(objective=3, solver_status="optimal", parameters={})
    set_language(language)
    try:
        html = env.get_template("runs/_summary.html").render(
            board=board, run=run, chart="", key_label=key_label
        )
    finally:
        set_language("nl")
    assert f"<td>{shown}</td>" in html
