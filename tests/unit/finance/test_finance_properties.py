"""Properties of the cash-flow formulas (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.finance import compute_irr, compute_npv, compute_payback

money = st.floats(min_value=1.0, max_value=1e7, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(investment=money, returns=st.lists(money, min_size=1, max_size=48))
def test_npv_at_the_irr_is_zero(investment, returns):
    flows = [-investment, *returns]
    result = compute_irr(flows)
    if result.irr_annual is None:
        assert result.reason == "no IRR in range"  # one sign change: never "multiple"
        return
    assert compute_npv(flows, result.irr_annual) == pytest.approx(0.0, abs=1e-6 * sum(map(abs, flows)))


@settings(max_examples=60, deadline=None)
@given(flows=st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=36),
       low=st.floats(min_value=0.0, max_value=0.5), extra=st.floats(min_value=0.01, max_value=0.5))
def test_npv_of_positive_flows_falls_as_the_rate_rises(flows, low, extra):
    positive = [abs(v) + 1.0 for v in flows]
    assert compute_npv(positive, low + extra) <= compute_npv(positive, low) + 1e-9


@settings(max_examples=60, deadline=None)
@given(flows=st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=36))
def test_npv_at_zero_rate_is_the_sum(flows):
    assert compute_npv(flows, 0.0) == pytest.approx(sum(flows), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(flows=st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=36))
def test_payback_month_is_the_first_non_negative_cumulative(flows):
    result = compute_payback(flows)
    if result.month_index is not None:
        assert sum(flows[: result.month_index + 1]) >= -1e-6
