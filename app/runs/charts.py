"""Bar charts as inline SVG rendered on the server: no JavaScript, no CDN.

Accessible: ``role="img"`` with a <title> and <desc>; every chart on a page is followed by a
table with the same numbers. Colours come from app.css classes (the CSP forbids inline style)
and series are also told apart by a pattern of stroke, not colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
TOP, BOTTOM, LEFT, RIGHT = 24, 52, 36, 8


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


def _ticks(peak: int) -> list[int]:
    step = max(1, -(-peak // 4))
    return list(range(0, peak + step, step))


def _category_label(x: float, category: str) -> str:
    """Two lines for a long two-word label: labels of neighbouring bars would overlap."""
    first, _, rest = category.partition(" ")
    lines = [first, rest] if rest and len(category) > 10 else [category]
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 14}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="category" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{spans}</text>'


def _opening(chart_id: str, title: str, description: str) -> list[str]:
    """The svg element with its accessible name (title) and description."""
    return [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _grid(ticks: list[int], plot_h: float) -> list[str]:
    """A horizontal line and its value for every tick, the highest tick at the top."""
    parts = []
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / ticks[-1]
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="tick" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    return parts


def bar_chart(
    chart_id: str, title: str, description: str, categories: Sequence[str], series: Sequence[Series]
) -> Markup:
    """Grouped bars: one group per category, one bar per series, the value above each bar."""
    ticks = _ticks(max([v for s in series for v in s.values] + [1]))
    top_value = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [*_opening(chart_id, title, description), *_grid(ticks, plot_h)]
    for c, category in enumerate(categories):
        x0 = LEFT + c * group_w + group_w * 0.1
        for i, s in enumerate(series):
            value = s.values[c]
            h = plot_h * value / top_value
            x, y = x0 + i * bar_w, TOP + plot_h - h
            parts.append(
                f'<rect class="bar bar-{i}" x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{h:.1f}"><title>{escape(s.label)} {escape(category)}: {value}'
                "</title></rect>"
            )
            parts.append(
                f'<text class="value" x="{x + bar_w / 2 - 1:.1f}" y="{y - 4:.1f}" '
                f'text-anchor="middle">{value}</text>'
            )
        parts.append(_category_label(LEFT + c * group_w + group_w / 2, category))
    parts.append("</svg>")
    # Every interpolated text is escaped above; the rest are numbers.
    return Markup("".join(parts))  # noqa: S704  # nosec B704
