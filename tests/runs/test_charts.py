from __future__ import annotations

import pytest

from app.runs.charts import Series, bar_chart

pytestmark = pytest.mark.nodb


def test_the_chart_is_an_accessible_svg_with_escaped_text():
    svg = str(bar_chart("c1", "Ranks <b>", "desc & more", ["1", "2"], [Series("A", [3, 0])]))
    assert svg.startswith('<svg class="chart" id="c1"')
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Ranks &lt;b&gt;</title>' in svg
    assert "desc &amp; more" in svg
    assert svg.count('<rect class="bar bar-0"') == 2
    assert "style=" not in svg  # the CSP forbids inline style


def test_bars_scale_to_the_largest_value():
    svg = str(bar_chart("c", "t", "d", ["a", "b"], [Series("A", [4, 2])]))
    heights = [float(h) for h in __import__("re").findall(r'height="([\d.]+)"><title>', svg)]
    assert heights[0] == pytest.approx(2 * heights[1])
