"""Portfolio figures against hand-computed values on the tiny fixture store."""

from __future__ import annotations

import datetime as dt

import pytest

from core.portfolio.summary import PortfolioFilter, compute_headline, initiative_table, median_live_value, stage_funnel


def test_headline_matches_hand_computation(tiny_store):
    head = compute_headline(tiny_store)
    assert head.as_of == dt.date(2026, 2, 28)
    assert head.spend_to_date_usd == 560  # 200 + 300 + 50 + 10
    assert head.realised_value_usd == 700  # 500 + 200
    assert head.roi == pytest.approx((700 - 560) / 560)
    assert head.in_production == 2  # A production, B scaled
    assert (head.entered_pilot, head.reached_production) == (3, 2)  # A, B, C piloted; A, B went live
    assert head.conversion_rate == pytest.approx(2 / 3)
    assert head.without_kpi == 1  # C


def test_filters_narrow_the_headline(tiny_store):
    head = compute_headline(tiny_store, PortfolioFilter(business_units=("OPS",)))
    assert (head.initiatives, head.spend_to_date_usd, head.realised_value_usd) == (2, 310, 200)
    head = compute_headline(tiny_store, PortfolioFilter(stages=("pilot",)))
    assert (head.initiatives, head.spend_to_date_usd) == (1, 50)


def test_table_roi_variance_verdicts_and_flags(tiny_store):
    table = initiative_table(tiny_store).set_index("code")
    assert table.loc["A", "roi"] == pytest.approx(1.5)
    assert table.loc["A", "budget_variance"] == pytest.approx((200 - 160) / 160)
    assert table.loc["B", "roi"] == pytest.approx(-1 / 3)
    # median live value = median(500, 200) = 350: A is above break-even and median -> Scale,
    # B is below break-even and below the median -> Cut; C and D get no verdict.
    assert median_live_value(tiny_store) == 350
    assert table.loc["A", "verdict"] == "Scale"
    assert table.loc["B", "verdict"] == "Cut"
    assert table["verdict"].isna().sum() == 2
    assert bool(table.loc["A", "over_budget"]) and not table.loc["B", "over_budget"]
    assert bool(table.loc["C", "no_kpi"]) and bool(table.loc["C", "stalled_pilot"])  # pilot since 2025-06
    assert table.loc["D", "roi"] != table.loc["D", "roi"]  # ideas have no ROI (NaN)


def test_filtering_never_changes_a_verdict(tiny_store):
    only_b = initiative_table(tiny_store, PortfolioFilter(business_units=("OPS",))).set_index("code")
    assert list(only_b.index) == ["B", "D"]
    assert only_b.loc["B", "verdict"] == "Cut"
    flagged = initiative_table(tiny_store, PortfolioFilter(flag="no_kpi"))
    assert list(flagged["code"]) == ["C"]


def test_funnel_counts_and_median_days(tiny_store):
    funnel = stage_funnel(tiny_store).set_index("stage")
    assert funnel.loc["idea", "reached"] == 4 and funnel.loc["pilot", "reached"] == 3
    assert funnel.loc["production", "reached"] == 2 and funnel.loc["scaled", "reached"] == 1
    assert funnel.loc["pilot", "current"] == 1
    # pilot stays: A 2025-03-01→2025-09-01 (184 d), B 2025-02-01→2025-05-01 (89 d),
    # C 2025-06-01→as of 2026-02-28 (272 d): median 184
    assert funnel.loc["pilot", "median_days"] == 184


def test_unknown_filter_values_are_refused():
    with pytest.raises(ValueError):
        PortfolioFilter(stages=("hype",))
    with pytest.raises(ValueError):
        PortfolioFilter(flag="drop table")
