"""Unit costs from the usage rollup on a hand-made store (tiny store + usage_monthly rows)."""

from __future__ import annotations

import pandas as pd
import pytest

from core.errors import ValidationError
from core.finance.focus_billing import allocate_focus_costs, total_costs_by_source
from core.finance.unit_costs import (
    compare_cloud_edge, edge_break_even_requests, find_cost_spikes, rising_unit_costs, summarise_unit_costs,
    UsageFilter, top_cost_drivers, unit_cost_series,
)

# month, initiative, model, location, hardware, requests, tokens_in, tokens_out, cost
USAGE = [
    ("2025-10-01", "A", "gbm", "cloud", "cloud-cpu-4", 1000, 0, 0, 10.0),
    ("2025-11-01", "A", "gbm", "cloud", "cloud-cpu-4", 1000, 0, 0, 12.0),
    ("2025-12-01", "A", "gbm", "cloud", "cloud-cpu-4", 1000, 0, 0, 11.0),
    ("2026-01-01", "A", "gbm", "cloud", "cloud-cpu-4", 1000, 0, 0, 30.0),   # spike: 30 > 2 × median 11
    ("2026-02-01", "A", "gbm", "cloud", "cloud-cpu-4", 1000, 0, 0, 20.0),
    ("2026-02-01", "A", "gbm-edge", "edge", "edge-arm", 4000, 0, 0, 4.0),
    ("2026-02-01", "B", "gpt-4o", "cloud", "vendor-api", 500, 600_000, 400_000, 50.0),
]


@pytest.fixture
def usage_store(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.executemany("INSERT INTO usage_monthly VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, 0, 0)",
                        [list(row) for row in USAGE])
        cur.execute("INSERT INTO hardware_profile (name, location, price_per_hour_usd, cores, accelerator, "
                    "watts, target_utilisation, description) "
                    "VALUES ('edge-arm', 'edge', 0.02, 4, NULL, 10, 0.6, '')")
    return tiny_store


def test_cost_per_1k_and_per_1m_tokens_by_dimension(usage_store):
    series = unit_cost_series(usage_store, "hardware", 3).set_index(["month", "key"])
    vendor = series.loc[(pd.Timestamp("2026-02-01"), "vendor-api")]
    assert vendor["cost_per_1k_usd"] == pytest.approx(100.0)          # 1000 × 50 ÷ 500
    assert vendor["cost_per_1m_tokens_usd"] == pytest.approx(50.0)    # 1e6 × 50 ÷ 1M tokens
    assert pd.isna(series.loc[(pd.Timestamp("2026-02-01"), "edge-arm")]["cost_per_1m_tokens_usd"])


def test_top_cost_drivers_are_sorted_with_shares(usage_store):
    drivers = top_cost_drivers(usage_store, "initiative", 12)
    assert list(drivers["key"]) == ["A", "B"]
    assert drivers["cost_usd"].tolist() == pytest.approx([87.0, 50.0])
    assert drivers["share"].sum() == pytest.approx(1.0)


def test_spike_is_a_month_above_k_times_the_trailing_three_month_median(usage_store):
    spikes = find_cost_spikes(usage_store, 2.0)
    assert spikes[["initiative", "ratio"]].values.tolist() == [["A", pytest.approx(30 / 11)]]
    assert find_cost_spikes(usage_store, 3.0).empty
    with pytest.raises(ValidationError):
        find_cost_spikes(usage_store, 0.5)


def test_rising_unit_cost_compares_last_three_months_with_the_three_before(usage_store):
    rising = rising_unit_costs(usage_store).set_index("initiative")
    # A, cloud and edge: Dec–Feb (11 + 30 + 24) ÷ 7000 vs Oct–Nov (22 ÷ 2000) per inference
    assert rising.loc["A", "recent_per_1k_usd"] == pytest.approx(1000 * 65 / 7000)
    assert rising.loc["A", "before_per_1k_usd"] == pytest.approx(11.0)
    assert not rising.loc["A", "rising"]


def test_break_even_volume_formula():
    # cloud 0.10 per 1k, edge 0.02 per 1k + 14.60 a month → 1000 × 14.6 ÷ 0.08 = 182,500
    assert edge_break_even_requests(0.10, 0.02, 14.6) == pytest.approx(182_500)
    assert edge_break_even_requests(0.02, 0.10, 14.6) is None


def test_cloud_vs_edge_pairs_a_family_and_prices_the_device(usage_store):
    row = compare_cloud_edge(usage_store).iloc[0]
    assert row["family"] == "gbm"
    assert row["edge_fixed_monthly_usd"] == pytest.approx(0.02 * 730)
    assert row["cloud_per_1k_usd"] == pytest.approx(1000 * 61 / 3000)
    assert row["edge_per_1k_usd"] == pytest.approx(1.0)
    assert row["break_even_requests"] == pytest.approx(1000 * 14.6 / (61 / 3 - 1.0))


def test_summary_tile_numbers(usage_store):
    summary = summarise_unit_costs(usage_store)
    assert summary.usage_cost_usd == pytest.approx(137.0)
    assert summary.cost_per_1k_usd == pytest.approx(1000 * 137 / 9500)


def test_focus_missing_is_reported_not_raised(usage_store):
    result = allocate_focus_costs(usage_store)
    assert not result.available and "No FOCUS billing imported yet" in result.message
    costs = total_costs_by_source(usage_store)
    assert costs.usage_usd == pytest.approx(137.0)
    assert costs.focus_allocated_usd == 0.0 and costs.focus_unallocated_usd == 0.0


def test_focus_allocated_and_unallocated_beside_usage(usage_store):
    if not usage_store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'focus_charge'"):
        pytest.skip("migration 3 (focus_charge) not in this tree yet")
    with usage_store.system_write(action="test.fixture") as cur:
        cur.executemany(
            """INSERT INTO focus_charge (import_sha256, source_row, billed_cost, effective_cost, list_cost,
               contracted_cost, billing_account_id, billing_currency, billing_period_start, billing_period_end,
               charge_category, charge_period_start, charge_period_end, invoice_issuer_name, provider_name,
               publisher_name, service_category, service_name, initiative, allocation_rule)
               VALUES ('x', ?, ?, ?, 0, 0, 'acct', 'USD', '2026-02-01', '2026-03-01', 'Usage', '2026-02-03',
                       '2026-02-04', 'AWS', 'AWS', 'AWS', 'AI and Machine Learning', 'Bedrock', ?, 'tag:application')""",
            [[2, 40.0, 35.0, "A"], [3, 10.0, 9.0, None]])
    result = allocate_focus_costs(usage_store)
    assert result.available
    assert (result.allocated_billed_usd, result.unallocated_billed_usd) == (40.0, 10.0)
    assert result.unallocated_share == pytest.approx(0.2)
    table = result.table.set_index("initiative")
    assert table.loc["A", "usage_cost_usd"] == pytest.approx(24.0)  # Feb 2026 usage of A
    assert table.loc["(unallocated)", "focus_billed_usd"] == 10.0
    costs = total_costs_by_source(usage_store)
    assert (costs.focus_allocated_usd, costs.focus_unallocated_usd) == (40.0, 10.0)


def test_a_usage_filter_keeps_one_model_or_one_serving_place(usage_store):
    gbm = unit_cost_series(usage_store, "initiative", 24, usage=UsageFilter(model="gbm"))
    assert gbm["cost_usd"].sum() == pytest.approx(10 + 12 + 11 + 30 + 20)
    vendor = top_cost_drivers(usage_store, "model", 12, usage=UsageFilter(serving="vendor_api"))
    assert vendor[["key", "cost_usd"]].values.tolist() == [["gpt-4o", 50.0]]
    edge = summarise_unit_costs(usage_store, usage=UsageFilter(serving="edge"))  # edge-arm's profile says edge
    assert (edge.usage_cost_usd, edge.requests) == (pytest.approx(4.0), 4000)
    cloud = summarise_unit_costs(usage_store, usage=UsageFilter(serving="cloud"))  # self-hosted, not vendor-api
    assert cloud.usage_cost_usd == pytest.approx(83.0)
    assert summarise_unit_costs(usage_store, usage=UsageFilter("gbm", "edge")).requests == 0


def test_an_unknown_serving_place_is_refused_with_the_choices():
    with pytest.raises(ValidationError, match="vendor_api, cloud, edge"):
        UsageFilter(serving="moon")
