"""Bar charts as SVG drawn on the server: the geometry here, the markup in
``templates/outcomes/_chart.html``. Each chart has a title and a description for screen
readers, and the page shows the same figures as a table beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

# Colour-blind-safe (Okabe-Ito), dark enough against white for the 3:1 of WCAG 1.4.11.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#999999")
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 40


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str  # shown as the bar's tooltip


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    rects: list[Rect] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM


def _ticks(top: float) -> list[float]:
    step = max(1, round(top / 4)) if top > 4 else 1
    return [float(v) for v in range(0, int(top) + 1, step)]


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: list[str],
    series: list[tuple[str, list[float]]],
    top: float | None = None,
) -> Chart:
    """One column per category, the series stacked in it (one series: plain bars)."""
    chart = Chart(chart_id, title, desc)
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    top = top or max([*totals, 1.0])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(categories), 1)
    bar_w = min(slot * 0.6, 80)
    for i, category in enumerate(categories):
        x = LEFT + i * slot + (slot - bar_w) / 2
        chart.x_labels.append((x + bar_w / 2, category))
        y = float(chart.baseline)
        for j, (name, values) in enumerate(series):
            h = plot_h * values[i] / top
            if h <= 0:
                continue
            y -= h
            label = f"{category}, {name}: {values[i]:g}" if name else f"{category}: {values[i]:g}"
            chart.rects.append(
                Rect(
                    round(x, 1),
                    round(y, 1),
                    round(bar_w, 1),
                    round(h, 1),
                    PALETTE[j % len(PALETTE)],
                    label,
                )
            )
    chart.y_ticks = [(round(chart.baseline - plot_h * v / top, 1), f"{v:g}") for v in _ticks(top)]
    if len(series) > 1:
        chart.legend = [(PALETTE[j % len(PALETTE)], name) for j, (name, _) in enumerate(series)]
    return chart
