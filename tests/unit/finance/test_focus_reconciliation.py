"""FOCUS billing reconciled with usage-derived cost on hand-built rows: what is in both, only in
the usage logs (cloud and vendor APIs; edge), only in FOCUS (allocated; unallocated), by month
and by provider — every number worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from core.finance.focus_billing import SEGMENTS, reconcile_focus_with_usage

# month, initiative, model, location, hardware, cost
USAGE = [
    ("2026-01-01", "A", "gbm", "cloud", "cloud-cpu-4", 10.0),      # before the FOCUS months: not compared
    ("2026-02-01", "A", "gbm", "cloud", "cloud-cpu-4", 30.0),
    ("2026-02-01", "A", "gbm-edge", "cloud", "edge-arm", 4.0),     # edge (by its profile): never billed
    ("2026-02-01", "B", "gpt-4o", "cloud", "vendor-api", 50.0),
    ("2026-03-01", "A", "gbm", "cloud", "cloud-cpu-4", 20.0),      # no charge for A in March
]
# charge day, billed cost, allocated initiative (None: unallocated), provider
CHARGES = [
    ("2026-02-03", 40.0, "A", "AWS"),        # A Feb: usage 30 → both 30, FOCUS only 10
    ("2026-02-10", 15.0, "B", "Microsoft"),  # B Feb: usage 50 → both 15, usage only 35
    ("2026-02-11", 7.0, None, "AWS"),
    ("2026-03-05", 6.0, "C", "AWS"),         # C logs no usage → FOCUS only 6
    ("2026-03-06", 3.0, None, "Microsoft"),
]


@pytest.fixture
def billed_store(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.executemany("INSERT INTO usage_monthly VALUES (?, ?, ?, ?, ?, 1, 100, 0, 0, ?, 0, 0)",
                        [list(row) for row in USAGE])
        cur.execute("INSERT INTO hardware_profile (name, location, price_per_hour_usd, cores, accelerator, watts, "
                    "target_utilisation, description) VALUES ('edge-arm', 'edge', 0.02, 4, NULL, 10, 0.6, '')")
        cur.executemany(
            """INSERT INTO focus_charge (import_sha256, source_row, billed_cost, effective_cost, list_cost,
               contracted_cost, billing_account_id, billing_currency, billing_period_start, billing_period_end,
               charge_category, charge_period_start, charge_period_end, invoice_issuer_name, provider_name,
               publisher_name, service_category, service_name, initiative, allocation_rule)
               VALUES ('x', ?, ?, ?, 0, 0, 'acct', 'USD', date_trunc('month', ?::DATE), ?::DATE + 30, 'Usage',
                       ?::TIMESTAMP, ?::TIMESTAMP + INTERVAL 1 DAY, ?, ?, ?, 'AI and Machine Learning', 'AI',
                       ?, 'tag:application')""",
            [[n + 2, cost, cost, day, day, day, day, provider, provider, provider, code]
             for n, (day, cost, code, provider) in enumerate(CHARGES)])
    return tiny_store


def test_segments_by_hand(billed_store):
    report = reconcile_focus_with_usage(billed_store)
    assert report.available
    assert (report.first_month, report.last_month) == (dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert report.segments_usd == {
        "both": pytest.approx(30 + 15),
        "usage_only_cloud": pytest.approx(0 + 35 + 20),
        "usage_only_edge": pytest.approx(4),
        "focus_only": pytest.approx(10 + 6),
        "unallocated": pytest.approx(7 + 3),
    }
    assert report.usage_outside_usd == pytest.approx(10)


def test_the_segments_add_up_to_each_source(billed_store):
    report = reconcile_focus_with_usage(billed_store)
    assert report.usage_usd == pytest.approx(30 + 4 + 50 + 20)        # usage of Feb and Mar
    assert report.focus_billed_usd == pytest.approx(sum(c[1] for c in CHARGES))
    table = report.table().set_index("segment")
    assert table.loc["Total", "usage_usd"] == pytest.approx(104) and table.loc["Total", "focus_usd"] == 71
    assert table["usage_usd"].iloc[:-1].sum() == pytest.approx(104)
    assert table["focus_usd"].iloc[:-1].sum() == pytest.approx(71)
    assert list(table.index[:-1]) == [label for label, _ in SEGMENTS.values()]
    assert table["covers"].str.len().min() > 20  # every segment says what it covers


def test_by_month_and_by_provider_by_hand(billed_store):
    report = reconcile_focus_with_usage(billed_store)
    months = report.by_month.set_index("month")
    february, march = months.loc["2026-02-01"], months.loc["2026-03-01"]
    assert (february["usage_usd"], february["focus_billed_usd"], february["both"]) == (84, 62, 45)
    assert (february["usage_only_cloud"], february["usage_only_edge"], february["focus_only"],
            february["unallocated"]) == (35, 4, 10, 7)
    assert (march["usage_usd"], march["focus_billed_usd"], march["both"], march["usage_only_cloud"],
            march["focus_only"], march["unallocated"]) == (20, 9, 0, 20, 6, 3)
    assert report.by_provider.values.tolist() == [["AWS", 46.0, 7.0], ["Microsoft", 15.0, 3.0]]


def test_without_focus_the_report_says_so(tiny_store):
    report = reconcile_focus_with_usage(tiny_store)
    assert not report.available and "No FOCUS billing imported yet" in report.message
