"""ROI, NPV, IRR and payback of a monthly net cash-flow series.

Conventions, stated once and tested:

* ``flows[t]`` is the net cash flow (benefit − cost, USD) of month ``t``; ``t = 0`` is the
  first month of the window.
* **Month 0 is not discounted** (numpy-financial's ``npv`` convention): the NPV is the value
  at the start of month 0 of flows that fall at the start of each month,
  ``NPV = Σ_t flows[t] / (1 + r_m)^t``.
* The discount rate is ANNUAL; its monthly equivalent is ``r_m = (1 + r)^(1/12) − 1``, so
  twelve monthly discounts compound to exactly one annual discount.
* IRR is found on the monthly flows and annualised: ``irr = (1 + irr_m)^12 − 1``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Annualised IRRs outside this range are not reported (they are artefacts of the polynomial).
IRR_RANGE_ANNUAL = (-0.99, 1000.0)


@dataclass(frozen=True)
class IrrResult:
    """``irr_annual`` is set when exactly one IRR exists in ``IRR_RANGE_ANNUAL``; otherwise
    ``reason`` says why not ("no sign change", "multiple IRRs", "no IRR in range") and
    ``candidates_annual`` lists every IRR found (several for "multiple IRRs")."""

    irr_annual: float | None
    irr_monthly: float | None
    reason: str | None = None
    candidates_annual: tuple[float, ...] = ()


@dataclass(frozen=True)
class PaybackResult:
    """``month_index``: first month (0-based) whose cumulative net flow is ≥ 0 after money
    was first spent; None with ``reason`` "not within horizon" when it never is."""

    month_index: int | None
    reason: str | None = None


@dataclass(frozen=True)
class RoiResult:
    """The headline figures of one cash-flow series (money in USD, rates as fractions)."""

    total_cost_usd: float
    total_benefit_usd: float
    roi: float | None            # (benefit − cost) ÷ cost; None when cost is 0
    npv_usd: float
    discount_rate_annual: float
    irr: IrrResult
    payback: PaybackResult


def monthly_rate(discount_rate_annual: float) -> float:
    """``r_m = (1 + r)^(1/12) − 1`` (compounding-equivalent monthly rate)."""
    if not math.isfinite(discount_rate_annual) or discount_rate_annual <= -1:
        raise ValueError("the annual discount rate must be a finite number above −100%")
    return (1.0 + discount_rate_annual) ** (1.0 / 12.0) - 1.0


def compute_roi(total_benefit_usd: float, total_cost_usd: float) -> float | None:
    """``ROI = (benefit − cost) ÷ cost``; None when there is no cost to return on."""
    if total_cost_usd <= 0:
        return None
    return (total_benefit_usd - total_cost_usd) / total_cost_usd


def compute_npv(flows: Sequence[float], discount_rate_annual: float) -> float:
    """``NPV = Σ_t flows[t] / (1 + r_m)^t`` with month 0 undiscounted (USD)."""
    values = np.asarray(flows, dtype=float)
    if values.size == 0:
        return 0.0
    factors = (1.0 + monthly_rate(discount_rate_annual)) ** -np.arange(values.size)
    return float(values @ factors)


NEGLIGIBLE_FLOW = 1e-12  # share of the largest flow below which a trailing flow is left out of the IRR


def _sign_changes(values: np.ndarray) -> int:
    signs = np.sign(values[values != 0])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def compute_irr(flows: Sequence[float]) -> IrrResult:
    """The rate that makes the NPV zero, on monthly flows, annualised.

    With ``x = 1 / (1 + irr_m)`` the NPV is the polynomial ``Σ_t flows[t] · x^t``; its real
    positive roots (``numpy.roots``, then polished with Newton steps) are the candidate
    IRRs. No sign change in the flows → no IRR ("no sign change"); more than one root in
    ``IRR_RANGE_ANNUAL`` → "multiple IRRs" with every value in ``candidates_annual``.

    Trailing flows smaller than ``NEGLIGIBLE_FLOW`` × the largest are left out of the polynomial
    (they change the NPV by less than that share): a last month of 1e-300 would otherwise be its
    leading coefficient, and the eigenvalue roots of so degenerate a polynomial are noise.
    """
    values = np.asarray(flows, dtype=float)
    if values.size < 2 or _sign_changes(values) == 0:
        return IrrResult(None, None, "no sign change")
    scale = float(np.max(np.abs(values)))
    normalised = values / scale
    end = len(normalised)
    while end > 1 and abs(normalised[end - 1]) < NEGLIGIBLE_FLOW:
        end -= 1
    coefficients = normalised[:end][::-1]  # highest power first for numpy.roots
    low, high = ((1 + r) ** (1 / 12) - 1 for r in IRR_RANGE_ANNUAL)
    found: list[float] = []
    for root in np.roots(coefficients):
        if abs(root.imag) > 1e-7 * max(1.0, abs(root.real)) or root.real <= 0:
            continue
        x = _polish(coefficients, float(root.real))
        rate = 1.0 / x - 1.0
        if low <= rate <= high and not any(abs(rate - seen) < 1e-7 for seen in found):
            found.append(float(rate))
    found.sort()
    annual = tuple(float((1 + r) ** 12 - 1) for r in found)
    if not found:
        return IrrResult(None, None, "no IRR in range")
    if len(found) > 1:
        return IrrResult(None, None, "multiple IRRs", annual)
    return IrrResult(annual[0], found[0], None, annual)


def _polish(coefficients: np.ndarray, x: float, steps: int = 8) -> float:
    """Newton steps on the polynomial: eigenvalue roots are accurate to ~1e-10, this to ~1e-15."""
    derivative = np.polyder(coefficients)
    for _ in range(steps):
        slope = np.polyval(derivative, x)
        if slope == 0:
            break
        step = np.polyval(coefficients, x) / slope
        if not math.isfinite(step) or x - step <= 0:
            break
        x -= step
    return x


def compute_payback(flows: Sequence[float]) -> PaybackResult:
    """First month index whose cumulative net flow is ≥ 0, counted from the first month with
    a non-zero flow (months before anything was spent or earned do not "pay back")."""
    values = np.asarray(flows, dtype=float)
    nonzero = np.flatnonzero(values)
    if nonzero.size == 0:
        return PaybackResult(None, "not within horizon")
    start = int(nonzero[0])
    cumulative = np.cumsum(values[start:])
    hits = np.flatnonzero(cumulative >= 0)
    if hits.size == 0:
        return PaybackResult(None, "not within horizon")
    return PaybackResult(start + int(hits[0]))


def evaluate_cash_flows(costs_usd: Sequence[float], benefits_usd: Sequence[float],
                        discount_rate_annual: float) -> RoiResult:
    """ROI, NPV, IRR and payback of monthly costs and benefits (same length, USD)."""
    costs = np.asarray(costs_usd, dtype=float)
    benefits = np.asarray(benefits_usd, dtype=float)
    if costs.shape != benefits.shape:
        raise ValueError("costs and benefits need one value per month each")
    flows = benefits - costs
    total_cost, total_benefit = float(costs.sum()), float(benefits.sum())
    return RoiResult(
        total_cost_usd=total_cost, total_benefit_usd=total_benefit,
        roi=compute_roi(total_benefit, total_cost),
        npv_usd=compute_npv(flows, discount_rate_annual), discount_rate_annual=discount_rate_annual,
        irr=compute_irr(flows), payback=compute_payback(flows),
    )
