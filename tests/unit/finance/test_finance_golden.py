"""Finance formulas against hand calculations and independent oracles written here
(numpy-financial-style NPV, bisection IRR, numpy.roots polynomial)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.finance import (
    compute_irr, compute_npv, compute_payback, compute_roi, evaluate_cash_flows, monthly_rate,
    rag_status, tco_by_category, value_realisation, variance_table,
)


def oracle_npv(rate_monthly: float, values) -> float:
    """numpy-financial's npv: Σ values[t] / (1 + rate)^t, t from 0 (first value undiscounted)."""
    return sum(v / (1 + rate_monthly) ** t for t, v in enumerate(values))


def oracle_irr_bisection(values, low=-0.5, high=1.0) -> float:
    """Monthly IRR by bisection on the NPV (one sign change between low and high)."""
    f_low = oracle_npv(low, values)
    for _ in range(200):
        mid = (low + high) / 2
        f_mid = oracle_npv(mid, values)
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


def test_monthly_rate_compounds_to_the_annual_rate():
    assert (1 + monthly_rate(0.10)) ** 12 == pytest.approx(1.10, rel=1e-14)
    assert monthly_rate(0.0) == 0.0


def test_npv_month_zero_is_undiscounted_and_month_twelve_discounted_one_year():
    # hand calculation: −1000 now, +1100 in twelve months, at 10% a year → exactly 0
    flows = [-1000.0] + [0.0] * 11 + [1100.0]
    assert compute_npv(flows, 0.10) == pytest.approx(0.0, abs=1e-9)
    assert compute_npv([500.0], 0.25) == 500.0


@pytest.mark.parametrize("flows, rate", [
    ([-1000.0] + [100.0] * 12, 0.10),
    ([-5000.0, -2000.0, 800.0, 1200.0, 1500.0, 1500.0, 1500.0, 1500.0, 1600.0], 0.08),
    ([0.0, 0.0, -300.0, 50.0, 400.0], 0.30),
    ([-250_000.0] * 6 + [90_000.0] * 30, 0.12),
])
def test_npv_matches_the_numpy_financial_formula(flows, rate):
    assert compute_npv(flows, rate) == pytest.approx(oracle_npv((1 + rate) ** (1 / 12) - 1, flows), rel=1e-12)


def test_irr_of_one_year_investment_is_ten_percent():
    result = compute_irr([-1000.0] + [0.0] * 11 + [1100.0])
    assert result.irr_annual == pytest.approx(0.10, rel=1e-10)
    assert result.reason is None


@pytest.mark.parametrize("flows", [
    [-1000.0] + [100.0] * 12,
    [-5000.0, -2000.0, 800.0, 1200.0, 1500.0, 1500.0, 1500.0, 1500.0, 1600.0],
    [-250_000.0] * 6 + [90_000.0] * 30,
])
def test_irr_matches_bisection_oracle(flows):
    expected_monthly = oracle_irr_bisection(flows)
    result = compute_irr(flows)
    assert result.irr_monthly == pytest.approx(expected_monthly, rel=1e-8)
    assert result.irr_annual == pytest.approx((1 + expected_monthly) ** 12 - 1, rel=1e-8)


def test_irr_without_sign_change_is_none_with_reason():
    assert compute_irr([100.0, 200.0, 300.0]).reason == "no sign change"
    assert compute_irr([-100.0, -200.0]).irr_annual is None
    assert compute_irr([]).reason == "no sign change"


def test_multiple_irrs_are_all_reported():
    # (1 − 1.1x)(1 − 1.2x)·100 has roots x = 1/1.1 and 1/1.2: monthly IRRs 10% and 20%
    flows = [100.0, -230.0, 132.0]
    roots = np.roots(flows[::-1])
    expected = sorted((1 / r.real) ** 12 - 1 for r in roots if r.real > 0)
    result = compute_irr(flows)
    assert result.reason == "multiple IRRs" and result.irr_annual is None
    assert result.candidates_annual == pytest.approx(expected, rel=1e-9)
    assert result.candidates_annual == pytest.approx([1.1 ** 12 - 1, 1.2 ** 12 - 1], rel=1e-9)


@pytest.mark.parametrize("flows, month", [
    ([-1000.0] + [100.0] * 12, 10),     # cumulative −1000, −900 … 0 at month 10
    ([0.0, 0.0, -50.0, 20.0, 30.0], 4),  # leading empty months do not count as paid back
    ([10.0, -5.0], 0),
    ([-100.0, 50.0, 49.0], None),
    ([0.0, 0.0], None),
])
def test_payback_month_table(flows, month):
    result = compute_payback(flows)
    assert result.month_index == month
    assert (result.reason == "not within horizon") == (month is None)


def test_roi_is_benefit_minus_cost_over_cost():
    assert compute_roi(500.0, 200.0) == pytest.approx(1.5)
    assert compute_roi(100.0, 0.0) is None


def test_evaluate_cash_flows_hand_table():
    result = evaluate_cash_flows([1000.0, 100.0, 100.0], [0.0, 700.0, 700.0], 0.0)
    assert (result.total_cost_usd, result.total_benefit_usd) == (1200.0, 1400.0)
    assert result.roi == pytest.approx(200 / 1200)
    assert result.npv_usd == pytest.approx(200.0)
    assert result.payback.month_index == 2


@pytest.mark.parametrize("plan, actual, status", [
    (100.0, 80.0, "green"), (100.0, 105.0, "green"), (100.0, 105.01, "amber"),
    (100.0, 110.0, "amber"), (100.0, 110.01, "red"), (0.0, 1.0, "red"), (0.0, 0.0, "green"),
])
def test_rag_status_thresholds(plan, actual, status):
    assert rag_status(plan, actual) == status


def test_variance_table_adds_absolute_percent_and_status():
    lines = pd.DataFrame({"category": ["compute", "people", "data"], "plan_usd": [100.0, 200.0, 0.0],
                          "actual_usd": [120.0, 190.0, 5.0]})
    out = variance_table(lines)
    assert list(out["variance_usd"]) == [20.0, -10.0, 5.0]
    assert out["variance_pct"][0] == pytest.approx(0.2) and out["variance_pct"][1] == pytest.approx(-0.05)
    assert pd.isna(out["variance_pct"][2])
    assert list(out["status"]) == ["red", "green", "red"]


def test_tco_by_category_sums_and_shares():
    costs = pd.DataFrame({"category": ["people", "compute", "people"], "cost_usd": [300.0, 100.0, 100.0]})
    tco = tco_by_category(costs)
    assert tco.total_usd == 500.0
    assert list(tco.by_category["category"]) == ["people", "compute"]
    assert list(tco.by_category["share"]) == [0.8, 0.2]


def test_value_realisation_is_actual_over_plan():
    assert value_realisation(450.0, 600.0).realisation == pytest.approx(0.75)
    assert value_realisation(10.0, 0.0).realisation is None
