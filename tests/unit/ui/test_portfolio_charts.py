"""The Portfolio's value-vs-spend matrix: what it plots, where its labels sit, its ticks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ui.charts.portfolio import matrix_figure
from ui.theme import log_tick_values

MEDIAN = 2_000_000.0


def _table() -> pd.DataFrame:
    rows = [  # code, stage, verdict, spend, value
        ("S", "scaled", "Scale", 1_000_000, 5_000_000),
        ("F", "production", "Fix", 6_000_000, 3_000_000),
        ("U", "production", "Sustain", 400_000, 900_000),
        ("C", "production", "Cut", 3_000_000, 1_000_000),
        ("P", "pilot", None, 800_000, 50_000),
        ("R", "retired", None, 2_500_000, 100_000),
    ]
    frame = pd.DataFrame(rows, columns=["code", "stage", "verdict", "spend_usd", "value_usd"])
    return frame.assign(name=frame["code"] + " initiative", roi=(frame["value_usd"] - frame["spend_usd"]) / frame["spend_usd"],
                        verdict_reason="because")


def test_only_initiatives_with_a_verdict_are_plotted_coloured_by_verdict():
    fig = matrix_figure(_table(), MEDIAN)
    points = {trace.name: list(trace.customdata[:, 1]) for trace in fig.data if trace.mode == "markers"}
    assert points == {"Scale": ["S"], "Sustain": ["U"], "Fix": ["F"], "Cut": ["C"]}  # no pilot, no retired


@pytest.mark.parametrize("median", [MEDIAN, 600_000.0, 4_500_000.0])
def test_each_verdict_label_lies_inside_its_own_region(median):
    fig = matrix_figure(_table(), median)
    labels = {a.text.strip("<b>/").capitalize(): (10**a.x, 10**a.y) for a in fig.layout.annotations
              if a.text.startswith("<b>")}
    assert {"Scale", "Cut"} <= set(labels)
    for verdict, (x, y) in labels.items():
        above_break_even, above_median = y >= x, y >= median
        assert (above_break_even, above_median) == {
            "Scale": (True, True), "Fix": (False, True), "Sustain": (True, False), "Cut": (False, False)}[verdict], verdict
    x_range = fig.layout.xaxis.range
    for x, y in labels.values():  # inside the plotted square
        assert x_range[0] < math.log10(x) < x_range[1] and x_range[0] < math.log10(y) < x_range[1]


def test_the_median_line_is_labelled_with_its_value():
    fig = matrix_figure(_table(), MEDIAN)
    assert any("$2.00M" in (a.text or "") for a in fig.layout.annotations)


def test_both_log_axes_carry_at_least_three_labelled_ticks():
    fig = matrix_figure(_table(), MEDIAN)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        inside = [t for t in axis.tickvals if axis.range[0] <= math.log10(t) <= axis.range[1]]
        assert len(inside) >= 3 and len(axis.ticktext) == len(axis.tickvals)


@pytest.mark.parametrize(("low", "high", "expected"), [
    (1_000, 1_000_000, [1_000, 10_000, 100_000, 1_000_000]),    # three decades: powers of ten
    (1_200_000, 9_000_000, [2_000_000, 3_000_000, 4_000_000, 5_000_000, 6_000_000, 7_000_000, 8_000_000, 9_000_000]),
    (300, 4_000, [500, 1_000, 2_000]),                              # 1-2-5 inside the range
])
def test_log_ticks_fill_in_until_three_fall_inside_the_range(low, high, expected):
    assert log_tick_values(low, high) == expected


def test_a_narrow_log_axis_gets_three_readable_ticks():
    from ui.theme import log_axis

    axis = log_axis([0.04, 0.09], prefix="$")  # Unit Costs' cost per 1,000 once read "$1 / $10"... or nothing
    assert len(axis["tickvals"]) >= 3 and axis["ticktext"][:3] == ["$0.04", "$0.05", "$0.06"]
    assert log_axis([None, 0, float("nan")]) == {}
