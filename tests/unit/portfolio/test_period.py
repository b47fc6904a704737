"""The reporting date: read once per entry point, and not at all when the caller passes it; the
last complete month and the open (partial) months of usage."""

from __future__ import annotations

import datetime as dt

import pytest

from core.drift.queries import drift_overview
from core.finance import roi, scenarios, unit_costs
from core.models.adoption import usage_12m
from core.portfolio import initiative, summary
from core.portfolio.period import OpenMonthResult, as_of_date, complete_months_end, open_month
from core.portfolio.usage import rebuild_usage_rollup

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


@pytest.mark.parametrize(("as_of", "now", "expected"), [
    (dt.date(2026, 2, 28), dt.datetime(2026, 12, 3, 9, 0), dt.date(2026, 2, 28)),   # books closed long ago
    (dt.date(2026, 2, 28), dt.datetime(2026, 2, 14, 12, 0), dt.date(2026, 1, 31)),  # February still running
    (dt.date(2026, 2, 28), dt.datetime(2026, 2, 28, 23, 59), dt.date(2026, 1, 31)),  # ... to its last minute
    (dt.date(2026, 2, 28), dt.datetime(2026, 3, 1, 0, 0), dt.date(2026, 2, 28)),    # ended at midnight UTC
    (dt.date(2026, 12, 3), dt.datetime(2026, 12, 3, 9, 0), dt.date(2026, 11, 30)),  # no books: as_of is today
])
def test_the_last_complete_month_has_ended_and_is_not_after_the_reporting_month(as_of, now, expected):
    assert complete_months_end(as_of, now) == expected


def test_usage_after_the_reporting_month_is_an_open_month_through_its_latest_day(tiny_store):
    assert open_month(tiny_store) is None  # no usage at all
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.executemany(
            "INSERT INTO usage_event (ts, initiative, provider, model, operation, requests, input_tokens,"
            " output_tokens, cost_usd, location, hardware) VALUES (?, 'A', 'p', 'gbm', 'predict', 10, 0, 0, 0.1,"
            " 'cloud', 'cpu')", [["2026-02-10 08:00:00"], ["2026-03-02 08:00:00"], ["2026-03-04 17:30:00"]])
        rebuild_usage_rollup(cur)
    # books through February (the tiny store's reporting month): March is partial, whatever the clock
    assert open_month(tiny_store) == OpenMonthResult(
        month=dt.date(2026, 3, 1), last_month=dt.date(2026, 3, 1), through=dt.date(2026, 3, 4),
        complete_through=dt.date(2026, 2, 28))
    series = unit_costs.unit_cost_series(tiny_store, "initiative")
    assert series["partial"].tolist() == [False, True]


def test_the_demo_ends_with_a_complete_month(demo_store):
    """The demo's books and usage both end on 31 Oct 2026 (core.demo.portfolio.LAST_MONTH), a
    month that has ended: nothing in it is partial (the pages mark nothing)."""
    assert open_month(demo_store) is None
    assert demo_store.scalar("SELECT max(ts) FROM usage_event").date() <= as_of_date(demo_store)
