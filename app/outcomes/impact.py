"""The overview's charts, with titles and descriptions in the reader's language."""

from __future__ import annotations

from app.i18n import gettext as _
from app.i18n import lazy
from app.outcomes.charts import Chart, stacked_bars
from app.outcomes.overview import Overview
from app.templating import localized_name


def charts(view: Overview) -> dict[str, Chart]:
    codes = [row.semester.code for row in view.semesters]
    span = f"{codes[0]}–{codes[-1]}" if codes else ""
    themes = [(localized_name(t), [float(v) for v in counts]) for t, counts in view.themes]
    groups = [(localized_name(g), [float(v) for v in counts]) for g, counts in view.groups]
    stacked = _(
        lazy("Stacked columns per semester (%(span)s); the table below has the figures.")
    ) % {"span": span}
    return {
        "themes": stacked_bars(
            chart_id="chart-themes",
            title=_(lazy("Opdrachten per theme and semester")),
            desc=stacked,
            categories=codes,
            series=themes,
        ),
        "groups": stacked_bars(
            chart_id="chart-groups",
            title=_(lazy("Opdrachten per target group and semester")),
            desc=stacked,
            categories=codes,
            series=groups,
        ),
        **_rate_charts(view, codes),
    }


def _rate_charts(view: Overview, codes: list[str]) -> dict[str, Chart]:
    """The partners' ratings and the continuation rate, one column per semester."""
    ratings = [row.rating or 0.0 for row in view.semesters]
    rates = [float(row.continuation_rate or 0) for row in view.semesters]
    return {
        "ratings": stacked_bars(
            chart_id="chart-ratings",
            title=_(lazy("The partners' average rating per semester (1–5)")),
            desc=_(lazy("One column per semester; the table above has the figures.")),
            categories=codes,
            series=[("", ratings)],
            top=5,
        ),
        "continuation": stacked_bars(
            chart_id="chart-continuation",
            title=_(lazy("Continuation rate per semester (%)")),
            desc=_(lazy("One column per semester; the table above has the figures.")),
            categories=codes,
            series=[("", rates)],
            top=100,
        ),
    }
