"""The Spend page: its total is the Portfolio's spend tile, its pickers live in the link, every
bar is clickable and carries its value, and a clicked bar's link is followed."""

from __future__ import annotations

import json

import pytest
from streamlit.proto.PlotlyChart_pb2 import PlotlyChart as PlotlyChartProto

from core.finance.spend import SpendFilter, spend_breakdown
from core.portfolio.summary import PortfolioFilter, compute_headline
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ACTORS
from ui import state
from ui.formatting import money

SPEND = "pages/spend.py"


def _open(role="finance", **params):
    at = new_app(ACTORS[role], **params)
    at.run()
    at.switch_page(SPEND).run()
    assert not at.exception, at.exception
    return at


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def _read(app_db, query):
    store = Store.open(app_db)
    try:
        return query(store)
    finally:
        store.close()


@pytest.mark.parametrize("params, units", [({}, ()), ({"bu": "RETAIL"}, ("RETAIL",))])
def test_the_spend_tile_is_the_portfolio_spend_tile(app_db, params, units):
    portfolio = _read(app_db, lambda s: compute_headline(s, PortfolioFilter(business_units=units)).spend_to_date_usd)
    at = _open(**params)
    assert _metric(at, "Spend") == money(portfolio)
    assert all(m.help for m in at.metric)
    assert any("same sum as the Portfolio's Spend to date" in c.value for c in at.caption)


def test_four_clickable_charts_with_a_value_on_every_bar(app_db):
    report = _read(app_db, spend_breakdown)  # before the app opens the store (one process, one instance)
    at = _open("viewer")
    charts = at.get("plotly_chart")
    assert len(charts) == 4
    for chart, breakdown in zip(charts, ("business_unit", "category", "model", "serving")):
        assert chart.proto.id.endswith(state.SPEND_CHARTS[breakdown])
        assert list(chart.proto.selection_mode) == [PlotlyChartProto.SelectionMode.POINTS]  # on_select is on
        [bar] = json.loads(chart.proto.spec)["data"]
        assert len(bar["text"]) == len(bar["y"]) and all(text.startswith("$") for text in bar["text"])
        assert [row[0] for row in bar["customdata"]] == bar["y"]  # each bar knows the key it links to
        assert set(bar["y"]) <= set(report.breakdown(breakdown)["key"])


def test_the_pickers_read_the_link(app_db):
    expected = _read(app_db, lambda s: spend_breakdown(s, SpendFilter("12m", ("RETAIL",), ("inference",))))
    at = _open(period="12m", bu="RETAIL", category="inference")
    assert at.selectbox(key=state.SPEND_PERIOD).value == "12m"
    assert at.multiselect(key=state.SPEND_UNITS).value == ["RETAIL"]
    assert at.multiselect(key=state.SPEND_CATEGORIES).value == ["inference"]
    assert _metric(at, "Spend") == money(expected.total_usd)
    assert _metric(at, "Not per model") == money(0)


def test_picking_a_period_writes_it_to_the_link(app_db):
    at = _open()
    at.selectbox(key=state.SPEND_PERIOD).select("24m").run()
    assert not at.exception
    assert at.query_params["period"] == "24m"
    assert any("Actual spend from" in c.value and "to " in c.value for c in at.caption)


def test_a_view_without_inference_says_so_instead_of_empty_model_charts(app_db):
    at = _open(category="people")
    assert len(at.get("plotly_chart")) == 2
    assert sum("No inference spend in this view" in i.value for i in at.info) == 2


def test_a_bad_period_in_the_link_falls_back_with_a_note(app_db):
    at = _open(period="forever")
    assert at.warning and "`period`" in at.warning[0].value
    assert at.selectbox(key=state.SPEND_PERIOD).value == "all"


def test_a_clicked_bar_opens_its_rows(app_db):
    """The chart's on_select callback leaves the clicked bar's link in the session (AppTest cannot
    click a Plotly bar: the callback itself is tested in tests/unit/ui, the click in the browser);
    the page follows it: the Portfolio, filtered to that business unit."""
    at = new_app(ACTORS["viewer"])
    at.run()
    at.switch_page(SPEND).run()
    at.session_state[state.SPEND_CLICKED_LINK] = ("pages/portfolio.py", {"bu": "RETAIL"})
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "AI portfolio"
    assert at.query_params["bu"] == ["RETAIL"] or at.query_params["bu"] == "RETAIL"
    assert next(m for m in at.multiselect if m.label == "Business unit").value == ["RETAIL"]
    assert state.SPEND_CLICKED_LINK not in at.session_state
