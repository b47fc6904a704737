"""Spend by business unit, category, model and serving place, on hand-built ledger and usage
rows (tiny store + inference lines + usage_monthly), every number worked out by hand; and on
the demo store, every breakdown adds up to the Portfolio's spend tile."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ValidationError
from core.finance.spend import (
    BREAKDOWNS, NO_USAGE, NOT_PER_MODEL, OTHER_MODELS, PERIODS, SpendFilter, spend_breakdown,
)
from core.portfolio.summary import PortfolioFilter, compute_headline

# Added to the tiny store's ledger (A, RETAIL: compute 100 + 100; B, OPS: people 300;
# C, RETAIL: people 50; D, OPS: people 10 — all 2026, as of 2026-02-28):
LINES = [
    ("A", "2026-01-01", "inference", 20),   # no usage logged in Jan → "inference with no usage logged"
    ("A", "2026-02-01", "inference", 60),   # split 30 : 10 by usage cost → gbm 45, gbm-edge 15
    ("B", "2026-02-01", "inference", 40),   # all on gpt-4o through a vendor API
    ("A", "2025-01-01", "compute", 7),      # outside the last 12 and inside the last 24 months
]
# month, initiative, model, location, hardware, cost — usage-derived cost only weighs the split
USAGE = [
    ("2026-02-01", "A", "gbm", "cloud", "cloud-cpu-4", 30.0),        # no profile: the row's location
    ("2026-02-01", "A", "gbm-edge", "cloud", "edge-arm", 10.0),      # the profile says edge
    ("2026-02-01", "B", "gpt-4o", "cloud", "vendor-api", 500.0),     # any amount: B's only usage
    ("2026-02-01", "D", "gbm", "cloud", "cloud-cpu-4", 5.0),         # D has no inference line: adds nothing
    ("2026-01-01", "A", "gbm", "cloud", "cloud-cpu-4", 0.0),         # zero cost: no share to split by
]
TOTAL = 200 + 7 + 300 + 50 + 10 + 20 + 60 + 40  # 687


@pytest.fixture
def spend_store(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.executemany("INSERT INTO financial_line (initiative, month, category, kind, scenario, amount) "
                        "VALUES (?, ?, ?, 'cost', 'actual', ?)", [list(line) for line in LINES])
        cur.executemany("INSERT INTO usage_monthly VALUES (?, ?, ?, ?, ?, 1, 100, 0, 0, ?, 0, 0)",
                        [list(row) for row in USAGE])
        cur.execute("INSERT INTO hardware_profile (name, location, price_per_hour_usd, cores, accelerator, watts, "
                    "target_utilisation, description) VALUES ('edge-arm', 'edge', 0.02, 4, NULL, 10, 0.6, '')")
    return tiny_store


def _amounts(frame) -> dict[str, float]:
    return {key: pytest.approx(value) for key, value in zip(frame["key"], frame["spend_usd"])}


def test_each_breakdown_of_all_months_by_hand(spend_store):
    report = spend_breakdown(spend_store)
    assert report.as_of == dt.date(2026, 2, 28) and report.first_month is None
    assert report.total_usd == pytest.approx(TOTAL)
    assert _amounts(report.by_business_unit) == {"RETAIL": 207 + 80 + 50, "OPS": 300 + 40 + 10}
    assert _amounts(report.by_category) == {"people": 360, "compute": 207, "inference": 120}
    assert _amounts(report.by_model) == {"gbm": 45, "gpt-4o": 40, "gbm-edge": 15, NO_USAGE: 20, NOT_PER_MODEL: 567}
    assert _amounts(report.by_serving) == {"cloud": 45, "vendor_api": 40, "edge": 15, NO_USAGE: 20,
                                           NOT_PER_MODEL: 567}
    assert report.inference_usd == pytest.approx(120) and report.not_per_model_usd == pytest.approx(567)


def test_every_breakdown_sums_to_the_same_total(spend_store):
    for flt in (SpendFilter(), SpendFilter("12m"), SpendFilter(business_units=("OPS",)),
                SpendFilter(categories=("inference", "people"))):
        report = spend_breakdown(spend_store, flt)
        assert report.totals() == {name: pytest.approx(report.total_usd) for name in BREAKDOWNS}, flt


def test_bars_are_named_sorted_by_spend_with_the_buckets_last(spend_store):
    report = spend_breakdown(spend_store)
    assert report.by_business_unit[["key", "label"]].values.tolist() == [["OPS", "Operations"], ["RETAIL", "Retail"]]
    assert report.by_category["label"].tolist() == ["People", "Compute", "Inference"]
    assert report.by_model["key"].tolist() == ["gbm", "gpt-4o", "gbm-edge", NOT_PER_MODEL, NO_USAGE]
    assert report.by_serving["label"].tolist()[:3] == ["Cloud, self-hosted", "Vendor API", "Edge devices"]
    assert report.by_business_unit["share"].sum() == pytest.approx(1.0)
    assert report.by_business_unit.set_index("key").loc["RETAIL", "initiatives"] == 2  # A and C


def test_a_period_keeps_only_its_months(spend_store):
    last_12 = spend_breakdown(spend_store, SpendFilter("12m"))
    assert last_12.first_month == dt.date(2025, 3, 1)
    assert last_12.total_usd == pytest.approx(TOTAL - 7)  # the Jan 2025 compute line is older
    assert spend_breakdown(spend_store, SpendFilter("24m")).total_usd == pytest.approx(TOTAL)


def test_business_unit_and_category_filters_narrow_every_breakdown(spend_store):
    report = spend_breakdown(spend_store, SpendFilter("all", ("RETAIL",), ("inference",)))
    assert report.total_usd == pytest.approx(80)
    assert _amounts(report.by_business_unit) == {"RETAIL": 80}
    assert _amounts(report.by_model) == {"gbm": 45, "gbm-edge": 15, NO_USAGE: 20}
    assert report.not_per_model_usd == 0


def test_models_beyond_the_limit_fold_into_one_row(spend_store):
    by_model = spend_breakdown(spend_store, model_limit=1).by_model
    assert by_model["key"].tolist() == ["gbm", OTHER_MODELS, NOT_PER_MODEL, NO_USAGE]
    assert by_model.set_index("key").loc[OTHER_MODELS, "spend_usd"] == pytest.approx(40 + 15)
    assert by_model.set_index("key").loc[OTHER_MODELS, "label"] == "2 other models"
    assert sorted(by_model.set_index("key").loc[OTHER_MODELS, "places"]) == ["edge", "vendor_api"]


def test_an_empty_ledger_spends_nothing(empty_store):
    report = spend_breakdown(empty_store)
    assert report.total_usd == 0 and report.by_model.empty and report.inference_usd == 0


@pytest.mark.parametrize("kwargs, words", [
    ({"period": "forever"}, "choose one of"),
    ({"categories": ("travel",)}, "choose from: compute, inference"),
])
def test_a_filter_outside_its_choices_is_refused_with_the_choices(kwargs, words):
    with pytest.raises(ValidationError, match=words):
        SpendFilter(**kwargs)


def test_the_demo_spend_agrees_with_the_portfolio_spend_tile(demo_store):
    """The Spend page's total over all months is the Portfolio's Spend to date, for the whole
    portfolio and for one business unit; every breakdown sums to it, in every period."""
    whole = spend_breakdown(demo_store)
    assert whole.total_usd == pytest.approx(compute_headline(demo_store).spend_to_date_usd, rel=1e-12)
    retail = spend_breakdown(demo_store, SpendFilter(business_units=("RETAIL",)))
    assert retail.total_usd == pytest.approx(
        compute_headline(demo_store, PortfolioFilter(business_units=("RETAIL",))).spend_to_date_usd, rel=1e-12)
    for period in PERIODS:
        report = spend_breakdown(demo_store, SpendFilter(period))
        assert report.totals() == {name: pytest.approx(report.total_usd, rel=1e-9) for name in BREAKDOWNS}
        assert 0 < report.inference_usd < report.total_usd  # the demo logs usage for its inference
