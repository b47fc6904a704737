"""ROI Review queries on the hand-checkable tiny store (tests/conftest.py docstring)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import NotFoundError, ValidationError
from core.finance.roi import RoiScope, monthly_variance, parse_scope, rank_initiatives, review_roi


def test_portfolio_figures_match_the_hand_table(tiny_store):
    # Jan: cost A100 + B300; Feb: cost A100 + C50 + D10, benefit A500 + B200 → net −400, +540
    review = review_roi(tiny_store, RoiScope(), "12m", 0.10)
    money = review.money[review.money["month"] >= "2026-01-01"]
    assert list(money["net_usd"]) == [-400.0, 540.0]
    figures = review.figures
    assert figures.total_cost_usd == 560.0 and figures.total_benefit_usd == 700.0
    assert figures.roi == pytest.approx(140 / 560)
    assert review.payback_month == dt.date(2026, 2, 1)
    assert figures.irr.irr_annual == pytest.approx((540 / 400) ** 12 - 1, rel=1e-9)
    assert review.budget_usd == 460.0
    assert review.spend_variance_pct == pytest.approx(100 / 460) and review.spend_status == "red"
    assert review.value.realisation is None  # no business-case benefit in the tiny store
    assert set(review.tco.by_category["category"]) == {"compute", "people"}


def test_npv_is_discounted_from_the_first_month_of_the_window(tiny_store):
    review = review_roi(tiny_store, RoiScope(), "12m", 0.10)
    # the 12-month window starts Mar 2025: ten empty months, then −400 (t = 10) and +540 (t = 11)
    r = 1.1 ** (1 / 12) - 1
    assert len(review.money) == 12
    assert review.figures.npv_usd == pytest.approx(-400 / (1 + r) ** 10 + 540 / (1 + r) ** 11, rel=1e-12)


def test_business_unit_scope_keeps_only_its_initiatives(tiny_store):
    review = review_roi(tiny_store, parse_scope(tiny_store, "bu:RETAIL"), "all", 0.0)
    assert review.figures.total_cost_usd == 250.0  # A 200 + C 50
    assert review.figures.npv_usd == pytest.approx(250.0)  # 500 − 250 at a zero rate


def test_monthly_variance_has_status_per_month(tiny_store):
    table = monthly_variance(review_roi(tiny_store, RoiScope(), "all", 0.1))
    assert list(table["plan_usd"]) == [380.0, 80.0]
    assert list(table["status"]) == ["amber", "red"]  # Jan 400 vs 380 = +5.3%; Feb 160 vs 80 = +100%


def test_ranked_initiatives_by_npv_with_verdicts(tiny_store):
    ranked = rank_initiatives(tiny_store, RoiScope(), "all", 0.0)
    assert list(ranked["code"]) == ["A", "D", "C", "B"]
    assert ranked.set_index("code").loc["A", "npv_usd"] == pytest.approx(300.0)
    assert ranked.set_index("code").loc["A", "verdict"] == "Scale"


@pytest.mark.parametrize("raw, error, words", [
    ("bu:NOPE", NotFoundError, "no business unit"),
    ("initiative:ZZ-9", NotFoundError, "no initiative"),
    ("galaxy", ValidationError, "expected 'portfolio'"),
    ("initiative:<script>", ValidationError, "not valid"),
])
def test_bad_scopes_say_what_was_expected(tiny_store, raw, error, words):
    with pytest.raises(error, match=words):
        parse_scope(tiny_store, raw)


def test_empty_store_has_no_money_and_no_crash(empty_store):
    review = review_roi(empty_store, RoiScope(), "all", 0.1)
    assert review.figures.total_cost_usd == 0.0 and review.figures.roi is None
