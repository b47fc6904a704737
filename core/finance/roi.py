"""ROI Review queries: the money of one scope (portfolio, business unit or initiative) over
a horizon, aggregated in DuckDB from ``financial_line``, and the figures built on it.

* Scope strings (URL, CLI): ``portfolio``, ``bu:<CODE>``, ``initiative:<CODE>``.
* Horizon: the last 12 or 24 months up to the as-of date, or all months.
* Cash flows are the ACTUAL monthly net (benefit − cost); month 0 is the first month of the
  horizon (or the first month with money, for "all"), and missing months count as zero so
  the flows stay evenly spaced for NPV/IRR (``core.finance`` states the conventions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.entities import CODE_PATTERN
from core.errors import NotFoundError, ValidationError
from core.finance import (
    RoiResult, TcoResult, ValueRealisationResult, compute_npv, compute_payback, compute_roi,
    evaluate_cash_flows, rag_status, tco_by_category, value_realisation, variance_table,
)
from core.portfolio.period import as_of_date

if TYPE_CHECKING:
    from core.store import Store

HORIZONS: dict[str, tuple[str, int | None]] = {
    "12m": ("Last 12 months", 12),
    "24m": ("Last 24 months", 24),
    "all": ("All months", None),
}
HORIZON_SHORT = {"12m": "12m", "24m": "24m", "all": "all months"}
_CODE = re.compile(CODE_PATTERN)


def baseline_npv_label(discount_rate_annual: float, horizon: str) -> str:
    """The one wording of the baseline NPV (actual cash flows to the as-of date, nothing
    projected), for the page, the board pack and the CLI: ``NPV (baseline, 10 %, all months)``."""
    return f"NPV (baseline, {discount_rate_annual * 100:g} %, {HORIZON_SHORT[horizon]})"


@dataclass(frozen=True)
class RoiScope:
    """What the figures cover: ``kind`` is ``portfolio``, ``bu`` or ``initiative``; ``code``
    is the business unit's or initiative's code (None for the portfolio)."""

    kind: str = "portfolio"
    code: str | None = None
    label: str = "Whole portfolio"

    @property
    def key(self) -> str:
        return "portfolio" if self.kind == "portfolio" else f"{self.kind}:{self.code}"

    def sql(self, alias: str = "i") -> tuple[str, dict]:
        """A WHERE fragment over the initiative table ``alias`` and its parameters."""
        return (f"($scope_kind = 'portfolio' OR ($scope_kind = 'bu' AND {alias}.business_unit = $scope_code)"
                f" OR ($scope_kind = 'initiative' AND {alias}.code = $scope_code))",
                {"scope_kind": self.kind, "scope_code": self.code or ""})


def parse_scope(store: Store, raw: str | None) -> RoiScope:
    """``portfolio`` | ``bu:CODE`` | ``initiative:CODE`` → a checked ``RoiScope``."""
    text = (raw or "portfolio").strip()
    if text == "portfolio":
        return RoiScope()
    kind, sep, code = text.partition(":")
    if not sep or kind not in ("bu", "initiative") or not _CODE.match(code):
        raise ValidationError(
            f"Scope '{text[:40]}' is not valid: expected 'portfolio', 'bu:<code>' or 'initiative:<code>' "
            "(for example 'bu:RETAIL'). Pick a scope from the list.")
    if kind == "bu":
        row = store.one("SELECT name FROM business_unit WHERE code = ?", [code])
        known = "SELECT code FROM business_unit ORDER BY code"
    else:
        row = store.one("SELECT name FROM initiative WHERE code = ?", [code])
        known = "SELECT code FROM initiative ORDER BY code"
    if row is None:
        choices = ", ".join(r[0] for r in store.rows(known)[:12])
        noun = "business unit" if kind == "bu" else "initiative"
        raise NotFoundError(f"There is no {noun} with code '{code}'. Known codes include: {choices or '(none)'}.")
    return RoiScope(kind, code, f"{row[0]} ({code})")


def check_horizon(horizon: str) -> int | None:
    """The horizon's length in months (None for "all"); ``ValidationError`` lists the choices."""
    if horizon not in HORIZONS:
        raise ValidationError(f"Horizon '{str(horizon)[:20]}' is not valid; choose one of: {', '.join(HORIZONS)}.")
    return HORIZONS[horizon][1]


def horizon_start(store: Store, horizon: str, *, as_of: dt.date | None = None) -> tuple[dt.date | None, dt.date]:
    """(first month of the window or None for all, as-of date).

    For an N-month horizon the window is the N months ending with the as-of month:
    ``first = first day of as_of's month − (N − 1) months``. ``as_of`` is the reporting date
    (``core.portfolio.period.as_of_date``), read from the store when None.
    """
    months = check_horizon(horizon)
    as_of = as_of_date(store) if as_of is None else as_of
    if months is None:
        return None, as_of
    first = pd.Timestamp(as_of.replace(day=1)) - pd.DateOffset(months=months - 1)
    return first.date(), as_of


def money_series(store: Store, scope: RoiScope, horizon: str, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """Monthly ``plan_cost_usd, actual_cost_usd, plan_benefit_usd, actual_benefit_usd`` of the
    scope, every month of the window present (zeros filled), plus ``net_usd`` (actual
    benefit − actual cost) and ``cum_net_usd``. The window ends at ``as_of`` (the reporting
    date; read from the store when None)."""
    first, as_of = horizon_start(store, horizon, as_of=as_of)
    where, params = scope.sql()
    # financial_line is small (initiatives × months × categories): a scan is cheap.
    frame = store.frame(
        f"""
        WITH lines AS (
            SELECT f.* FROM financial_line f JOIN initiative i ON i.code = f.initiative
            WHERE {where} AND f.month <= $as_of AND ($first IS NULL OR f.month >= $first)
        ),
        months AS (
            SELECT unnest(generate_series(coalesce($first, (SELECT min(month) FROM lines)),
                                          date_trunc('month', $as_of::DATE)::DATE, INTERVAL 1 MONTH))::DATE AS month
        )
        SELECT m.month,
               coalesce(sum(l.amount) FILTER (l.kind = 'cost' AND l.scenario = 'plan'), 0)::DOUBLE AS plan_cost_usd,
               coalesce(sum(l.amount) FILTER (l.kind = 'cost' AND l.scenario = 'actual'), 0)::DOUBLE AS actual_cost_usd,
               coalesce(sum(l.amount) FILTER (l.kind = 'benefit' AND l.scenario = 'plan'), 0)::DOUBLE AS plan_benefit_usd,
               coalesce(sum(l.amount) FILTER (l.kind = 'benefit' AND l.scenario = 'actual'), 0)::DOUBLE AS actual_benefit_usd
        FROM months m LEFT JOIN lines l ON l.month = m.month
        WHERE m.month IS NOT NULL
        GROUP BY m.month ORDER BY m.month
        """,
        {**params, "as_of": as_of, "first": first},
    )
    frame["net_usd"] = frame["actual_benefit_usd"] - frame["actual_cost_usd"]
    frame["cum_net_usd"] = frame["net_usd"].cumsum()
    return frame


def cost_lines(store: Store, scope: RoiScope, horizon: str, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """Monthly cost by category in the window ending at ``as_of`` (read from the store when
    None): ``month, category, plan_usd, actual_usd``."""
    first, as_of = horizon_start(store, horizon, as_of=as_of)
    where, params = scope.sql()
    return store.frame(
        f"""
        SELECT f.month, f.category,
               coalesce(sum(f.amount) FILTER (f.scenario = 'plan'), 0)::DOUBLE AS plan_usd,
               coalesce(sum(f.amount) FILTER (f.scenario = 'actual'), 0)::DOUBLE AS actual_usd
        FROM financial_line f JOIN initiative i ON i.code = f.initiative
        WHERE {where} AND f.kind = 'cost' AND f.month <= $as_of AND ($first IS NULL OR f.month >= $first)
        GROUP BY ALL ORDER BY f.month, f.category
        """,
        {**params, "as_of": as_of, "first": first},
    )


@dataclass(frozen=True)
class RoiReviewResult:
    """Everything the ROI Review shows for one scope, horizon and discount rate (USD)."""

    scope: RoiScope
    horizon: str
    as_of: dt.date
    currency: str
    figures: RoiResult
    budget_usd: float                 # plan cost in the window
    spend_variance_pct: float | None  # (actual − plan) ÷ plan cost
    spend_status: str                 # green / amber / red (core.finance.RAG_RULE)
    value: ValueRealisationResult
    tco: TcoResult
    money: pd.DataFrame               # money_series
    variance: pd.DataFrame            # month, category, plan_usd, actual_usd, variance_usd, variance_pct, status

    @property
    def payback_month(self) -> dt.date | None:
        index = self.figures.payback.month_index
        return None if index is None else pd.Timestamp(self.money["month"].iloc[index]).date()


def currency_of(store: Store) -> str:
    """The currency of the financial lines (USD when there are none)."""
    return store.scalar("SELECT coalesce(min(currency), 'USD') FROM financial_line") or "USD"


def review_roi(store: Store, scope: RoiScope, horizon: str = "12m", discount_rate_annual: float = 0.10, *,
               as_of: dt.date | None = None) -> RoiReviewResult:
    """ROI, NPV, IRR, payback, spend vs budget, TCO, variance and value realisation over the
    window ending at ``as_of`` (the reporting date; read from the store when None).

    ``spend_variance_pct = (actual cost − plan cost) ÷ plan cost`` of the window (None when
    the plan is 0); the cash-flow figures follow ``core.finance.cashflow``.
    """
    as_of = as_of_date(store) if as_of is None else as_of
    money = money_series(store, scope, horizon, as_of=as_of)
    lines = cost_lines(store, scope, horizon, as_of=as_of)
    figures = evaluate_cash_flows(money["actual_cost_usd"], money["actual_benefit_usd"], discount_rate_annual)
    budget = float(money["plan_cost_usd"].sum())
    spend = figures.total_cost_usd
    return RoiReviewResult(
        scope=scope, horizon=horizon, as_of=as_of, currency=currency_of(store), figures=figures,
        budget_usd=budget, spend_variance_pct=(spend - budget) / budget if budget > 0 else None,
        spend_status=rag_status(budget, spend),
        value=value_realisation(float(money["actual_benefit_usd"].sum()), float(money["plan_benefit_usd"].sum())),
        tco=tco_by_category(lines.rename(columns={"actual_usd": "cost_usd"})[["category", "cost_usd"]]),
        money=money, variance=variance_table(lines),
    )


def monthly_variance(review: RoiReviewResult) -> pd.DataFrame:
    """Budget vs actual per month (all categories): month, plan_usd, actual_usd, variance, status."""
    by_month = review.variance.groupby("month", as_index=False)[["plan_usd", "actual_usd"]].sum()
    return variance_table(by_month)


def rank_initiatives(store: Store, scope: RoiScope, horizon: str = "12m", discount_rate_annual: float = 0.10, *,
                     as_of: dt.date | None = None) -> pd.DataFrame:
    """Initiatives of the scope ranked by NPV (highest first), with ROI, payback month and the
    portfolio verdict (Scale/Sustain/Fix/Cut, ``core.portfolio.summary``) and flags (labels). NPV per initiative uses the
    same window and month 0 as the scope; the window ends at ``as_of`` (the reporting date;
    read from the store when None)."""
    from core.portfolio.summary import initiative_table

    as_of = as_of_date(store) if as_of is None else as_of
    money = money_series(store, scope, horizon, as_of=as_of)
    if money.empty:
        return pd.DataFrame(columns=["code", "name", "business_unit", "stage", "npv_usd", "roi",
                                     "payback_month", "cost_usd", "benefit_usd", "verdict", "flags"])
    first = money["month"].iloc[0]
    where, params = scope.sql()
    flows = store.frame(
        f"""
        SELECT f.initiative AS code, date_diff('month', $first::DATE, f.month) AS t,
               coalesce(sum(f.amount) FILTER (f.kind = 'cost'), 0)::DOUBLE AS cost_usd,
               coalesce(sum(f.amount) FILTER (f.kind = 'benefit'), 0)::DOUBLE AS benefit_usd
        FROM financial_line f JOIN initiative i ON i.code = f.initiative
        WHERE {where} AND f.scenario = 'actual' AND f.month >= $first AND f.month <= $as_of
        GROUP BY ALL
        """,
        {**params, "first": first, "as_of": as_of},
    )
    months = len(money)
    rows = []
    for code, part in flows.groupby("code"):
        net = np.zeros(months)
        np.add.at(net, part["t"].to_numpy(dtype=int), (part["benefit_usd"] - part["cost_usd"]).to_numpy())
        payback = compute_payback(net).month_index
        cost, benefit = float(part["cost_usd"].sum()), float(part["benefit_usd"].sum())
        rows.append({"code": code, "npv_usd": compute_npv(net, discount_rate_annual),
                     "roi": compute_roi(benefit, cost), "cost_usd": cost, "benefit_usd": benefit,
                     "payback_month": None if payback is None else pd.Timestamp(money["month"].iloc[payback]).date()})
    ranked = pd.DataFrame(rows, columns=["code", "npv_usd", "roi", "cost_usd", "benefit_usd", "payback_month"])
    table = initiative_table(store, as_of=as_of)[["code", "name", "business_unit", "stage", "verdict", "flags"]]
    out = table.merge(ranked, on="code", how="inner")
    return out.sort_values("npv_usd", ascending=False, ignore_index=True)[
        ["code", "name", "business_unit", "stage", "npv_usd", "roi", "payback_month", "cost_usd", "benefit_usd", "verdict",
         "flags"]]
