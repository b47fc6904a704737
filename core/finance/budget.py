"""Budget vs actual, total cost of ownership and value realisation (pure, pandas in/out).

Status rule (red/amber/green) on the overrun ``variance_pct = (actual − plan) ÷ plan``:
green when ≤ +5% (under-spend is green too), amber when ≤ +10%, red when > +10% — and red
when money was spent against a plan of zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

GREEN_MAX_OVERRUN = 0.05
AMBER_MAX_OVERRUN = 0.10
RAG_RULE = (f"Variance = (actual − plan) ÷ plan. Green: ≤ +{GREEN_MAX_OVERRUN:.0%} (under-spend is green); "
            f"amber: ≤ +{AMBER_MAX_OVERRUN:.0%}; red: more than +{AMBER_MAX_OVERRUN:.0%}, "
            "or spend against a plan of zero.")


@dataclass(frozen=True)
class TcoResult:
    """Total cost of ownership over the window: USD per category and each one's share."""

    total_usd: float
    by_category: pd.DataFrame  # category, cost_usd, share


@dataclass(frozen=True)
class ValueRealisationResult:
    """``realisation = actual benefit ÷ business-case (plan) benefit`` to date; None when
    the business case promised nothing yet."""

    actual_benefit_usd: float
    plan_benefit_usd: float
    realisation: float | None


def rag_status(plan_usd: float, actual_usd: float) -> str:
    """'green' / 'amber' / 'red' for one plan and actual (see the module's rule)."""
    if plan_usd <= 0:
        return "red" if actual_usd > 0 else "green"
    overrun = (actual_usd - plan_usd) / plan_usd
    if overrun <= GREEN_MAX_OVERRUN:
        return "green"
    return "amber" if overrun <= AMBER_MAX_OVERRUN else "red"


def variance_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Budget vs actual per row of ``lines`` (columns ``plan_usd``, ``actual_usd`` plus any
    keys such as month and category): adds ``variance_usd = actual − plan``,
    ``variance_pct = variance ÷ plan`` (None when plan is 0) and ``status``."""
    out = lines.copy()
    out["variance_usd"] = out["actual_usd"] - out["plan_usd"]
    plan = out["plan_usd"].where(out["plan_usd"] > 0)
    out["variance_pct"] = out["variance_usd"] / plan
    out["status"] = [rag_status(p, a) for p, a in zip(out["plan_usd"], out["actual_usd"])]
    return out


def tco_by_category(costs: pd.DataFrame) -> TcoResult:
    """Sum ``cost_usd`` by ``category``; ``share`` = category ÷ total (largest first)."""
    grouped = (costs.groupby("category", as_index=False)["cost_usd"].sum()
               .sort_values("cost_usd", ascending=False, ignore_index=True))
    total = float(grouped["cost_usd"].sum())
    grouped["share"] = grouped["cost_usd"] / total if total else 0.0
    return TcoResult(total, grouped)


def value_realisation(actual_benefit_usd: float, plan_benefit_usd: float) -> ValueRealisationResult:
    """Actual benefit ÷ plan benefit to date (see ``ValueRealisationResult``)."""
    ratio = actual_benefit_usd / plan_benefit_usd if plan_benefit_usd > 0 else None
    return ValueRealisationResult(float(actual_benefit_usd), float(plan_benefit_usd), ratio)
