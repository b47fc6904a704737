"""The reporting date: read once per entry point, and not at all when the caller passes it."""

from __future__ import annotations

import datetime as dt

import pytest

from core.drift.queries import drift_overview
from core.finance import roi, scenarios, unit_costs
from core.models.adoption import usage_12m
from core.portfolio import initiative, summary
from core.portfolio.period import as_of_date

AS_OF_SQL = "SELECT max(month) FROM financial_line WHERE scenario = 'actual'"


class CountingStore:
    """Delegates to a real store and counts how often the reporting-date query runs."""

    def __init__(self, store):
        self._store = store
        self.as_of_reads = 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    def scalar(self, sql, params=None):
        self.as_of_reads += sql == AS_OF_SQL
        return self._store.scalar(sql, params)


SCOPE = roi.RoiScope()
WHAT_IF = scenarios.ScenarioConfig(vendor_price_change=-0.5, adopt_rightsize=True)
# Every public read that measures "to date", called as an entry point would call it.
ENTRY_POINTS = {
    "compute_headline": lambda store, **kw: summary.compute_headline(store, **kw),
    "stage_funnel": lambda store, **kw: summary.stage_funnel(store, **kw),
    "initiative_table": lambda store, **kw: summary.initiative_table(store, **kw),
    "initiative_detail": lambda store, **kw: initiative.initiative_detail(store, "A", **kw),
    "horizon_start": lambda store, **kw: roi.horizon_start(store, "12m", **kw),
    "money_series": lambda store, **kw: roi.money_series(store, SCOPE, "24m", **kw),
    "cost_lines": lambda store, **kw: roi.cost_lines(store, SCOPE, "all", **kw),
    "review_roi": lambda store, **kw: roi.review_roi(store, SCOPE, "12m", 0.10, **kw),
    "rank_initiatives": lambda store, **kw: roi.rank_initiatives(store, SCOPE, "all", 0.10, **kw),
    "measure_run_rate": lambda store, **kw: scenarios.measure_run_rate(store, SCOPE, **kw),
    "compare_scenario": lambda store, **kw: scenarios.compare_scenario(store, SCOPE, "12m", 0.10, WHAT_IF, **kw),
    "unit_cost_series": lambda store, **kw: unit_costs.unit_cost_series(store, "model", **kw),
    "top_cost_drivers": lambda store, **kw: unit_costs.top_cost_drivers(store, "initiative", **kw),
    "find_cost_spikes": lambda store, **kw: unit_costs.find_cost_spikes(store, **kw),
    "rising_unit_costs": lambda store, **kw: unit_costs.rising_unit_costs(store, **kw),
    "compare_cloud_edge": lambda store, **kw: unit_costs.compare_cloud_edge(store, **kw),
    "summarise_unit_costs": lambda store, **kw: unit_costs.summarise_unit_costs(store, **kw),
    "drift_overview": lambda store, **kw: drift_overview(store, **kw),
    "usage_12m": lambda store, **kw: usage_12m(store, "A", **kw),
}


def test_as_of_is_the_last_day_of_the_latest_actual_month(tiny_store, empty_store):
    assert as_of_date(tiny_store) == dt.date(2026, 2, 28)
    assert as_of_date(empty_store) == dt.date.today()


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_an_entry_point_reads_the_reporting_date_once(tiny_store, name):
    store = CountingStore(tiny_store)
    ENTRY_POINTS[name](store)
    assert store.as_of_reads == 1


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_an_entry_point_given_the_reporting_date_never_reads_it(tiny_store, name):
    store = CountingStore(tiny_store)
    ENTRY_POINTS[name](store, as_of=dt.date(2026, 2, 28))
    assert store.as_of_reads == 0


def test_a_given_reporting_date_moves_the_window(tiny_store):
    """Passing January's end instead of February's drops February's money from the review."""
    february = roi.review_roi(tiny_store, SCOPE, "all", 0.0)
    january = roi.review_roi(tiny_store, SCOPE, "all", 0.0, as_of=dt.date(2026, 1, 31))
    assert (february.as_of, february.figures.total_cost_usd) == (dt.date(2026, 2, 28), 560)
    assert (january.as_of, january.figures.total_cost_usd) == (dt.date(2026, 1, 31), 400)
