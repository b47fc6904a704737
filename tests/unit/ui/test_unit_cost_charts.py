"""Unit-cost charts name initiatives (the code on hover) and keep to distinct colours."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ui.charts.unit_costs import MAX_LINES, drivers_figure, unit_cost_figure
from ui.theme import SERIES_COLOURS


def _series(keys):
    return pd.DataFrame([{"month": dt.date(2026, m, 1), "key": key, "requests": 10, "tokens": 0,
                          "cost_usd": 1.0 + n, "cost_per_1k_usd": 0.1 * (n + 1), "cost_per_1m_tokens_usd": None,
                          "partial": False} for n, key in enumerate(keys) for m in (1, 2, 3)])


def test_initiative_lines_carry_names_in_the_legend_and_codes_on_hover():
    fig = unit_cost_figure(_series(["CHURN-01", "gpt-4o"]), "cost_per_1k_usd", "USD per 1,000",
                           names={"CHURN-01": "Churn early warning"})
    by_name = {trace.name: trace for trace in fig.data}
    assert set(by_name) == {"Churn early warning", "gpt-4o"}  # a key without a name keeps its own
    assert "Churn early warning (CHURN-01)" in by_name["Churn early warning"].hovertemplate


def test_no_more_lines_than_distinct_colours():
    fig = unit_cost_figure(_series([f"K{n}" for n in range(10)]), "cost_per_1k_usd", "USD", None)
    colours = [trace.line.color for trace in fig.data]
    assert len(colours) == MAX_LINES == len(set(colours)) and set(colours) <= set(SERIES_COLOURS)


def test_driver_bars_are_named_with_the_code_on_hover():
    drivers = pd.DataFrame({"key": ["CHURN-01"], "cost_usd": [1200.0], "share": [1.0], "requests": [10],
                            "cost_per_1k_usd": [120.0]})
    fig = drivers_figure(drivers, names={"CHURN-01": "Churn early warning"})
    assert list(fig.data[0].y) == ["Churn early warning"]
    assert list(fig.data[0].customdata[0]) == [1.0, "Churn early warning (CHURN-01)"]
