"""Page contexts and charts of the matching settings and the profile comparison."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlmodel import Session

from app.i18n import gettext as _
from app.i18n import lazy
from app.match_settings import services
from app.match_settings.forms import LABELS, SettingsForm
from app.match_settings.rules import PRESET_LABELS, PRESETS
from app.matching.problem import OBJECTIVES
from app.models import ProfileComparison, RunStatus, Semester
from app.runs.charts import Series, bar_chart
from app.runs.contexts import key_label
from app.runs.load import SemesterData, load_semester
from app.runs.recovery import COMPARISON_INTERRUPTED
from app.runs.wording import explain, readable

OBJECTIVE_KEY = "objective:{}"  # the catalogue's key-style ids of the profiles
DISTRIBUTION = lazy(
    "Students per choice they are placed on, for each profile; the table has the same numbers."
)


def cost_points(
    costs: list[int], unranked: int | None, unplaced: int | None
) -> list[tuple[str, int]]:
    """(label, cost) for every choice, then unranked and unplaced when they are allowed."""
    points = [(key_label(str(r)), c) for r, c in enumerate(costs, start=1)]
    if unranked is not None:
        points.append((key_label("unranked"), unranked))
    if unplaced is not None:
        points.append((key_label("unplaced"), unplaced))
    return points


def cost_chart(chart_id: str, points: list[tuple[str, int]]) -> Markup:
    return bar_chart(
        chart_id,
        _(lazy("Cost by choice")),
        _(lazy("The cost the match counts for each outcome; the list beside it has the numbers.")),
        [label for label, _cost in points],
        [Series(_(lazy("Cost")), [cost for _label, cost in points])],
    )


def settings_context(
    session: Session, semester: Semester, form: SettingsForm | None = None
) -> dict[str, Any]:
    form = form or SettingsForm.from_semester(semester)
    points = cost_points(semester.rank_costs, semester.unranked_cost, semester.unplaced_cost)
    most = semester.number_of_ranks
    return {
        "semester": semester,
        "form": form,
        "labels": LABELS,
        "locked_by": services.locked_by(session=session, semester=semester),
        "presets": [
            (name, label, PRESETS[name](most))
            for name, label in PRESET_LABELS.items()
            if name in PRESETS
        ]
        + [("custom", PRESET_LABELS["custom"], None)],
        "objectives": OBJECTIVES,
        "points": points,
        "chart": cost_chart("cost-chart", points),
    }


def _diagnosis(data: SemesterData, explanations: dict[str, Any]) -> list[str]:
    """The solver's reasons in words, each a student's led by their name."""
    return [
        explain(data, stored)
        if not key.startswith("s")
        else f"{readable(data, key)}: " + explain(data, stored)
        for key, stored in explanations.items()
    ]


def comparison_context(session: Session, semester: Semester) -> dict[str, Any]:
    comparison = services.latest_comparison(session=session, semester=semester)
    ctx: dict[str, Any] = {
        "semester": semester,
        "comparison": comparison,
        "objectives": OBJECTIVES,
        "interrupted": COMPARISON_INTERRUPTED,  # in words; other failures are technical
    }
    ctx["active"] = comparison is not None and comparison.status in (
        RunStatus.QUEUED,
        RunStatus.RUNNING,
    )
    if comparison is None or comparison.status != RunStatus.SUCCEEDED:
        return ctx
    return ctx | _figures(session, semester, comparison)


def _figures(session: Session, semester: Semester, comparison: ProfileComparison) -> dict[str, Any]:
    results = comparison.results
    solved = [p for p in OBJECTIVES if results.get(p, {}).get("solved")]
    data = load_semester(session, semester)
    failures = {
        p: _diagnosis(data, results[p]["explanations"])
        for p in OBJECTIVES
        if p in results and not results[p]["solved"]
    }
    overall = {p: services.Outcome.of(results[p]["histogram"]) for p in solved}
    codes = sorted({c for p in solved for c in results[p]["per_programme"]})
    names = {c: data.programmes.get(c, c) for c in codes}
    per_programme = [
        (names[c], {p: services.Outcome.of(results[p]["per_programme"].get(c, {})) for p in solved})
        for c in codes
    ]
    keys = list(results[solved[0]]["histogram"]) if solved else []
    labels = {p: _(OBJECTIVE_KEY.format(p)) for p in OBJECTIVES}
    chart = (
        bar_chart(
            "profiles-chart",
            _(lazy("Rank distribution per profile")),
            _(DISTRIBUTION),
            [key_label(k) for k in keys],
            [Series(labels[p], [results[p]["histogram"].get(k, 0) for k in keys]) for p in solved],
        )
        if solved
        else None
    )
    return {
        "solved": solved,
        "failures": failures,
        "overall": overall,
        "per_programme": per_programme,
        "keys": keys,
        "key_label": key_label,
        "chart": chart,
        "results": results,
    }
