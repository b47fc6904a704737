"""A month of usage that has not ended is shown marked partial and left out of every rate.

The store: the tiny store (books through February 2026) with usage through 14 February and
the clock at 14 February noon, so February is open. Initiative A costs $0.08 per 1,000
(Aug–Oct) then $0.09 (Nov–Jan), and its first two weeks of February $0.012 — the "collapse"
a partial month plotted as a whole one showed. B runs a batch on 1 February that costs 3×
its usual month. Read with February in, the rates say: cost per 1,000 fell to $0.012,
A's unit cost is falling (−9%), B spiked. Read with complete months only: $0.09, A's unit
cost is rising (+12.5%), no spike.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.finance.roi import parse_scope
from core.finance.scenarios import measure_run_rate
from core.finance.unit_costs import (
    find_cost_spikes, rising_unit_costs, summarise_unit_costs, top_cost_drivers, unit_cost_series,
)
from core.portfolio import period
from core.portfolio.flags import flagged_codes
from core.portfolio.initiative import initiative_detail
from core.portfolio.usage import rebuild_usage_rollup

CLOCK = dt.datetime(2026, 2, 14, 12, 0)
AS_OF = dt.date(2026, 2, 28)  # the tiny store's reporting date
# ts, initiative, requests, cost_usd: one interval row per month
USAGE = [
    *[(f"2025-{m:02d}-10 08:00:00", "A", 1_000_000, 80.0) for m in (8, 9, 10)],
    *[(ts, "A", 1_000_000, 90.0) for ts in ("2025-11-10 08:00:00", "2025-12-10 08:00:00", "2026-01-10 08:00:00")],
    ("2026-02-14 09:00:00", "A", 450_000, 5.40),
    *[(ts, "B", 1_000, 10.0) for ts in ("2025-11-10 08:00:00", "2025-12-10 08:00:00", "2026-01-10 08:00:00")],
    ("2026-02-01 02:00:00", "B", 3_000, 30.0),
]


def add_usage(store, rows) -> None:
    """Usage facts plus their rollup (rebuilt: the exact GROUP BY of the facts)."""
    with store.system_write(action="test.fixture") as cur:
        cur.executemany(
            "INSERT INTO usage_event (ts, initiative, provider, model, operation, requests, input_tokens,"
            " output_tokens, latency_ms, cost_usd, location, hardware) VALUES (?, ?, 'p', 'gbm', 'predict', ?, 0, 0,"
            " 5, ?, 'cloud', 'cloud-cpu-4')", [list(row) for row in rows])
        rebuild_usage_rollup(cur)
        cur.execute("INSERT INTO model (name, initiative, task, provider) VALUES ('gbm', 'A', 'classification', 'p')"
                    " ON CONFLICT DO NOTHING")


@pytest.fixture
def mid_month_store(tiny_store, monkeypatch):
    add_usage(tiny_store, USAGE)
    monkeypatch.setattr(period, "utc_now", lambda: CLOCK)
    return tiny_store


def test_the_partial_month_is_in_the_series_marked_and_out_of_the_tiles(mid_month_store):
    series = unit_cost_series(mid_month_store, "initiative").set_index(["month", "key"])
    january, february = series.loc[(pd.Timestamp("2026-01-01"), "A")], series.loc[(pd.Timestamp("2026-02-01"), "A")]
    assert (january["cost_per_1k_usd"], january["partial"]) == (pytest.approx(0.09), False)
    assert (february["cost_per_1k_usd"], february["partial"]) == (pytest.approx(0.012), True)
    summary = summarise_unit_costs(mid_month_store)
    # Mar 2025 – Jan 2026: A 3 × 80 + 3 × 90 over 6M, B 3 × 10 over 3,000 (Feb's 35.40 left out)
    assert summary.usage_cost_usd == pytest.approx(540.0)
    assert summary.cost_per_1k_usd == pytest.approx(1000 * 540 / 6_003_000)
    drivers = top_cost_drivers(mid_month_store, "initiative").set_index("key")
    assert drivers.loc["A", "cost_usd"] == pytest.approx(510.0)


def test_a_batch_in_the_first_days_of_the_open_month_is_not_a_spike(mid_month_store):
    assert find_cost_spikes(mid_month_store, 2.0).empty  # B: Feb 30 > 2 × 10, but February is open


def test_the_rising_flag_compares_complete_months_only(mid_month_store):
    rising = rising_unit_costs(mid_month_store).set_index("initiative")
    # Nov–Jan 270 ÷ 3M vs Aug–Oct 240 ÷ 3M; with Feb in it read (90 + 90 + 5.40) ÷ 2.45M vs 250 ÷ 3M: −9%
    assert rising.loc["A", "recent_per_1k_usd"] == pytest.approx(0.09)
    assert rising.loc["A", "before_per_1k_usd"] == pytest.approx(0.08)
    assert rising.loc["A", "rising"]
    assert "A" in flagged_codes(mid_month_store, "unit_cost_rising", AS_OF)


def test_the_initiative_page_marks_its_partial_month_and_rates_its_models_on_complete_months(mid_month_store):
    detail = initiative_detail(mid_month_store, "A")
    partial = detail.usage.set_index("month")["partial"]
    assert partial.index.strftime("%Y-%m").tolist() == [
        "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    assert partial.tolist() == [False] * 6 + [True]
    # its models' $ per 1,000 over 12 months: Aug–Jan only (510 ÷ 6M), not February's days
    assert detail.models.set_index("model").loc["gbm", "cost_per_1k_usd"] == pytest.approx(0.085)


def test_once_the_month_has_ended_it_counts(mid_month_store, monkeypatch):
    monkeypatch.setattr(period, "utc_now", lambda: dt.datetime(2026, 3, 1, 0, 0))
    assert not unit_cost_series(mid_month_store, "initiative")["partial"].any()
    assert find_cost_spikes(mid_month_store, 2.0)[["initiative", "month"]].values.tolist() == [
        ["B", pd.Timestamp("2026-02-01")]]


def test_the_scenario_run_rate_leaves_an_open_reporting_month_out(tiny_store, monkeypatch):
    scope = parse_scope(tiny_store, "portfolio")
    # tiny store actuals: Jan cost 400; Feb cost 160, benefit 700
    closed = measure_run_rate(tiny_store, scope, as_of=AS_OF)
    assert (closed.other_cost_usd, closed.benefit_usd) == (pytest.approx(560 / 3), pytest.approx(700 / 3))
    monkeypatch.setattr(period, "utc_now", lambda: CLOCK)
    open_ = measure_run_rate(tiny_store, scope, as_of=AS_OF)
    assert (open_.other_cost_usd, open_.benefit_usd) == (pytest.approx(400 / 3), 0.0)  # Nov–Jan
