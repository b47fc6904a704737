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


def test_a_verdict_or_flag_filter_narrows_tiles_funnel_and_table_alike(tiny_store):
    # the tiles and the funnel counted the whole portfolio under a verdict or flag filter while the
    # table showed only the matching rows ("60 initiatives in view" above a 5-row table)
    for flt, codes in ((PortfolioFilter(verdict="Cut"), ["B"]), (PortfolioFilter(flag="no_kpi"), ["C"]),
                       (PortfolioFilter(verdict="Scale", business_units=("OPS",)), [])):
        table = initiative_table(tiny_store, flt)
        head = compute_headline(tiny_store, flt)
        funnel = stage_funnel(tiny_store, flt)
        assert list(table["code"]) == codes
        assert head.initiatives == len(codes) == funnel["current"].sum()
        assert head.spend_to_date_usd == table["spend_usd"].sum()
        assert head.realised_value_usd == table["value_usd"].sum()
    cut = compute_headline(tiny_store, PortfolioFilter(verdict="Cut"))
    assert (cut.spend_to_date_usd, cut.realised_value_usd, cut.in_production) == (300, 200, 1)  # B only


def test_each_verdict_says_why_in_the_terms_of_its_rule(tiny_store):
    table = initiative_table(tiny_store).set_index("code")
    # A: value 500, spend 200, median 350 -> ROI +150 %, 1.4× the median
    assert table.loc["A", "verdict_reason"] == "ROI +150% · value 1.4× the median"
    # B: value 200, spend 300 -> ROI −33 %, 200 ÷ 350 = 57 % of the median
    assert table.loc["B", "verdict_reason"] == "ROI −33% · value 57% of the median"
    assert table.loc[["C", "D"], "verdict_reason"].isna().all()  # no verdict, no reason


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


def test_a_flag_view_reuses_the_table_the_page_holds(tiny_store, monkeypatch):
    """With a flag or verdict filter the tiles and the funnel count the table's codes; given
    those codes they no longer compute the table again (it was computed three times a render)."""
    import core.portfolio.summary as summary
    from core.portfolio.summary import PortfolioFilter, compute_headline, initiative_table, stage_funnel

    flt = PortfolioFilter(flag="no_kpi")
    as_of = dt.date(2026, 2, 28)
    expected_head, expected_funnel = compute_headline(tiny_store, flt, as_of=as_of), stage_funnel(tiny_store, flt,
                                                                                                as_of=as_of)
    codes = initiative_table(tiny_store, flt, as_of=as_of)["code"].tolist()
    calls = []
    monkeypatch.setattr(summary, "initiative_table", lambda *a, **k: calls.append(1))
    assert compute_headline(tiny_store, flt, as_of=as_of, codes=codes) == expected_head
    assert stage_funnel(tiny_store, flt, as_of=as_of, codes=codes).equals(expected_funnel)
    assert calls == [] and expected_head.initiatives == len(codes) == 1
