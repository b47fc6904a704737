"""The Spend page's bars: values written on them, names on the axis and codes in the hover,
sorted; and where a clicked bar leads."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st

from core.finance.spend import NO_USAGE, NOT_PER_MODEL, OTHER_MODELS, SpendFilter
from ui import state
from ui.charts.spend import spend_bar_figure
from ui.spend import bar_link, clicked_key, follow_clicked_bar, remember_clicked_bar, spend_params


def _frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["key", "label", "spend_usd", "initiatives", "places", "models"])
    return frame.assign(share=frame["spend_usd"] / frame["spend_usd"].sum())


UNITS = _frame([("OPS", "Operations", 12_300_000.0, 7, ["cloud"], 3),
                ("RETAIL", "Retail Banking", 450_000.0, 1, ["edge"], 1)])
MODELS = _frame([("gpt-4o", "gpt-4o", 6_200_000.0, 4, ["vendor_api"], 1),
                 (OTHER_MODELS, "2 other models", 900_000.0, None, ["cloud", "edge"], 2),
                 (NOT_PER_MODEL, "Not per model", 70_000_000.0, 9, [], 0),
                 (NO_USAGE, "Inference with no usage logged", 20_000.0, 1, [], 0)])


def test_every_bar_carries_its_value_and_share_with_names_on_the_axis():
    bar = spend_bar_figure(UNITS, "business_unit", "Spend, all months").data[0]
    assert list(bar.text) == ["$12.3M · 96%", "$450k · 3.5%"]
    assert bar.texttemplate == "%{text}" and bar.textposition == "outside"
    fig = spend_bar_figure(UNITS, "business_unit", "Spend, all months")
    assert list(fig.layout.yaxis.ticktext) == ["Operations", "Retail Banking"]
    assert fig.layout.yaxis.autorange == "reversed"  # the first (largest) row on top


def test_the_hover_names_the_code_and_the_make_up():
    bar = spend_bar_figure(UNITS, "business_unit", "Spend").data[0]
    assert [row[0] for row in bar.customdata] == ["OPS", "RETAIL"]
    assert bar.customdata[0][2] == "code OPS · 7 initiatives"
    assert bar.customdata[1][2] == "code RETAIL · 1 initiative"
    model_bar = spend_bar_figure(MODELS, "model", "Spend").data[0]
    assert model_bar.customdata[0][2] == "Vendor API · 4 initiatives"
    assert "%{customdata[1]}" in model_bar.hovertemplate and "%{x:$,.0f}" in model_bar.hovertemplate


def test_the_spend_that_is_not_per_model_is_left_off_the_model_chart():
    bar = spend_bar_figure(MODELS, "model", "Spend").data[0]
    assert list(bar.y) == ["gpt-4o", OTHER_MODELS, NO_USAGE]
    assert bar.marker.color[1] == bar.marker.color[2] != bar.marker.color[0]  # buckets in grey


def test_the_value_axis_is_money_from_zero_with_room_for_the_values():
    fig = spend_bar_figure(UNITS, "business_unit", "Spend, last 12 months")
    assert fig.layout.xaxis.tickformat == "$~s" and fig.layout.xaxis.title.text == "Spend, last 12 months"
    assert fig.layout.xaxis.range[0] == 0 and fig.layout.xaxis.range[1] > 12_300_000 * 1.2
    assert fig.layout.xaxis.nticks >= 3


FLT = SpendFilter("12m", ("RETAIL",), ())


@pytest.mark.parametrize("breakdown, key, link", [
    ("business_unit", "OPS", ("pages/portfolio.py", {"bu": "OPS"})),
    ("category", "people", ("pages/spend.py", {"period": "12m", "bu": ["RETAIL"], "category": ["people"]})),
    ("model", "gpt-4o", ("pages/unit_costs.py", {"model": "gpt-4o", "dim": "initiative"})),
    ("serving", "vendor_api", ("pages/unit_costs.py", {"serving": "vendor_api", "dim": "model"})),
    ("model", OTHER_MODELS, ("pages/unit_costs.py", {"dim": "model"})),
    ("model", NOT_PER_MODEL, ("pages/spend.py", {"period": "12m", "bu": ["RETAIL"],
                                                 "category": ["compute", "licences", "people", "data"]})),
    ("serving", NO_USAGE, None),
])
def test_each_bar_leads_to_its_rows(breakdown, key, link):
    assert bar_link(breakdown, key, FLT) == link


def test_default_filters_stay_out_of_the_link():
    assert spend_params(SpendFilter()) == {}


@pytest.mark.parametrize("selection, key", [
    ({"selection": {"points": [{"customdata": ["RETAIL", "Retail Banking", "…"], "y": "RETAIL"}]}}, "RETAIL"),
    ({"selection": {"points": [{"y": "OPS"}]}}, "OPS"),
    ({"selection": {"points": [], "point_indices": []}}, None),
    (None, None),
])
def test_the_clicked_bar_is_read_from_the_chart_selection(selection, key):
    assert clicked_key(selection) == key


def test_a_click_is_followed_once(monkeypatch):
    session: dict = {state.SPEND_CHARTS["business_unit"]: {"selection": {"points": [{"customdata": ["OPS"]}]}}}
    switched = []
    monkeypatch.setattr(st, "session_state", session)
    monkeypatch.setattr(st, "switch_page", lambda page, query_params: switched.append((page, query_params)))
    remember_clicked_bar("business_unit", FLT)
    follow_clicked_bar()
    follow_clicked_bar()  # the next run (the selection is still there): no second visit
    assert switched == [("pages/portfolio.py", {"bu": "OPS"})]
