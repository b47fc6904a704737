"""What-if scenarios for the ROI Review: vendor price change, usage volume growth and
adopting the Right-Size Lab's adopted recommendations, each compared with the baseline.

Forward projection (both baseline and scenario):
* The history is the scope's actual monthly money in the chosen horizon (``core.finance.roi``).
* ``forward_months`` future months (default 12) follow at the **run rate = the average of
  the last 3 complete actual months** (up to the as-of date, never a month still running:
  ``core.portfolio.period.complete_months_end``) of: inference cost, other cost, benefit.
* Month ``k`` (1 … N) of the scenario, with ``g_k = (1 + volume_growth_monthly)^k``:
  ``inference_k = g_k × max(0, inference_rate × (1 + vendor_share × vendor_price_change) − savings_k)``
  ``other_k = other_rate`` (people, licences, compute, data do not move with volume)
  ``benefit_k = benefit_rate × g_k`` when ``benefits_scale_with_volume`` else ``benefit_rate``.
* ``vendor_share`` = share of the scope's usage cost (``usage_monthly`` rollup, last 3
  months) on ``hardware = 'vendor-api'``: a vendor price change moves only that part
  ("the DeepSeek crash" is −90%). Volume drives inference cost linearly.
* ``savings_k`` = Σ ``adoption.annual_savings_usd ÷ 12`` of the scope's adoptions made on or
  before month k (an adoption dated in the past counts from the first forward month); only
  savings measured against today's model count (``basis = 'measured'``, core.models.adoption).
NPV, ROI and payback are then taken over history + forward months (``core.finance``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.errors import NotFoundError, ValidationError
from core.finance import compute_npv, compute_payback, compute_roi
from core.finance.roi import RoiScope, money_series
from core.portfolio.period import as_of_date, complete_months_end

if TYPE_CHECKING:
    from core.auth import Actor
    from core.store import Store

RUN_RATE_MONTHS = 3
PRICE_CHANGE_RANGE = (-0.90, 1.00)
VOLUME_GROWTH_RANGE = (-0.20, 0.50)


@dataclass(frozen=True)
class ScenarioConfig:
    """One what-if. Fractions: −0.9 = −90% vendor prices; 0.05 = +5% volume per month."""

    vendor_price_change: float = 0.0
    volume_growth_monthly: float = 0.0
    benefits_scale_with_volume: bool = False
    adopt_rightsize: bool = False
    forward_months: int = 12

    def __post_init__(self):
        low, high = PRICE_CHANGE_RANGE
        if not low <= self.vendor_price_change <= high:
            raise ValidationError(f"Vendor price change {self.vendor_price_change:+.0%} is out of range: "
                                  f"choose between {low:+.0%} and {high:+.0%}.")
        low, high = VOLUME_GROWTH_RANGE
        if not low <= self.volume_growth_monthly <= high:
            raise ValidationError(f"Volume growth {self.volume_growth_monthly:+.0%} a month is out of range: "
                                  f"choose between {low:+.0%} and {high:+.0%}.")
        if not 1 <= self.forward_months <= 60:
            raise ValidationError("Forward months must be between 1 and 60.")


def projected_label(which: str, figure: str, config: ScenarioConfig) -> str:
    """The one wording of a figure over actuals + projected months, for the page, the board
    pack and the CLI: ``projected_label("Scenario", "NPV", c)`` → ``Scenario NPV (+12 months)``;
    ``which`` is "Scenario" (the knobs) or "Baseline" (today's run rate unchanged); an empty
    ``figure`` gives a column heading, ``Baseline (+12 months)``."""
    return " ".join(part for part in (which, figure) if part) + f" (+{config.forward_months} months)"


def describe_knobs(config: ScenarioConfig) -> list[tuple[str, float | bool | int, str]]:
    """(knob, value, unit) of a what-if as the page names them. Percentages are fractions
    (−0.9 is −90 %), switches are booleans, counts are whole numbers."""
    return [
        ("Vendor price change", config.vendor_price_change, "% change in the price of inference bought from vendor APIs"),
        ("Volume growth per month", config.volume_growth_monthly, "% a month, compounded over the projected months"),
        ("Benefits grow with volume", config.benefits_scale_with_volume, "on / off"),
        ("Right-size savings", config.adopt_rightsize,
         "on / off: inference cost less the adopted recommendations' measured savings"),
        ("Projected months", config.forward_months, "months after the as-of month"),
        ("Run rate", RUN_RATE_MONTHS, "months averaged, up to the as-of month"),
    ]


@dataclass(frozen=True)
class RunRate:
    """Monthly run rate (average of the last 3 actual months, USD) and the drivers."""

    inference_usd: float
    other_cost_usd: float
    benefit_usd: float
    vendor_share: float
    adoption_savings_usd: tuple[tuple[dt.date, float], ...]  # (effective month, monthly saving)


@dataclass(frozen=True)
class ScenarioOutcome:
    npv_usd: float
    roi: float | None
    payback_month: dt.date | None
    forward_cost_usd: float
    forward_benefit_usd: float
    monthly: pd.DataFrame  # month, cost_usd, benefit_usd, net_usd, cum_net_usd, projected


@dataclass(frozen=True)
class ScenarioComparison:
    config: ScenarioConfig
    run_rate: RunRate
    baseline: ScenarioOutcome
    scenario: ScenarioOutcome


def measure_run_rate(store: Store, scope: RoiScope, *, as_of: dt.date | None = None) -> RunRate:
    """The scope's run rate and scenario drivers at ``as_of`` (the reporting date; read from
    the store when None): each rate = Σ actual amount of the ``RUN_RATE_MONTHS`` complete
    months up to the as-of month ÷ ``RUN_RATE_MONTHS`` (USD per month; a reporting month
    still running is left out, ``complete_months_end``, as it holds only part of a month)."""
    as_of = as_of_date(store) if as_of is None else as_of
    where, params = scope.sql()
    params = {**params, "as_of": complete_months_end(as_of), "n": RUN_RATE_MONTHS}
    recent = "f.month > date_trunc('month', $as_of::DATE) - INTERVAL ($n) MONTH AND f.month <= $as_of"
    money = store.one(
        f"""
        SELECT coalesce(sum(f.amount) FILTER (f.kind = 'cost' AND f.category = 'inference'), 0)::DOUBLE / $n,
               coalesce(sum(f.amount) FILTER (f.kind = 'cost' AND f.category <> 'inference'), 0)::DOUBLE / $n,
               coalesce(sum(f.amount) FILTER (f.kind = 'benefit'), 0)::DOUBLE / $n
        FROM financial_line f JOIN initiative i ON i.code = f.initiative
        WHERE {where} AND f.scenario = 'actual' AND {recent}
        """, params)
    # usage_monthly is the rollup (thousands of rows), never the usage facts.
    vendor_share = store.scalar(
        f"""
        SELECT coalesce(sum(f.cost_usd) FILTER (f.hardware = 'vendor-api')::DOUBLE / nullif(sum(f.cost_usd), 0), 0)
        FROM usage_monthly f JOIN initiative i ON i.code = f.initiative
        WHERE {where} AND {recent}
        """, params)
    adoptions = store.rows(
        f"""
        SELECT date_trunc('month', a.adopted_at)::DATE, a.annual_savings_usd::DOUBLE / 12
        FROM adoption a JOIN initiative i ON i.code = a.initiative
        WHERE {where} AND a.basis = 'measured' AND a.annual_savings_usd IS NOT NULL ORDER BY 1
        """, {k: v for k, v in params.items() if k.startswith("scope_")})
    inference, other_cost, benefit = money
    return RunRate(inference_usd=inference, other_cost_usd=other_cost, benefit_usd=benefit,
                   vendor_share=float(vendor_share or 0.0),
                   adoption_savings_usd=tuple((month, float(saving)) for month, saving in adoptions))


def project(run_rate: RunRate, config: ScenarioConfig, first_month: dt.date) -> pd.DataFrame:
    """``forward_months`` projected months from ``first_month``: month, cost_usd, benefit_usd
    (formulas in the module docstring)."""
    months = [(pd.Timestamp(first_month) + pd.DateOffset(months=k)).date() for k in range(config.forward_months)]
    growth = (1.0 + config.volume_growth_monthly) ** np.arange(1, config.forward_months + 1)
    price = 1.0 + run_rate.vendor_share * config.vendor_price_change
    savings = np.array([
        sum(saving for since, saving in run_rate.adoption_savings_usd if since <= month) if config.adopt_rightsize else 0.0
        for month in months])
    inference = growth * np.maximum(0.0, run_rate.inference_usd * price - savings)
    benefit = run_rate.benefit_usd * (growth if config.benefits_scale_with_volume else 1.0)
    return pd.DataFrame({"month": months, "cost_usd": inference + run_rate.other_cost_usd,
                         "benefit_usd": np.broadcast_to(benefit, growth.shape).astype(float),
                         "inference_usd": inference})


def _outcome(history: pd.DataFrame, forward: pd.DataFrame, discount_rate_annual: float) -> ScenarioOutcome:
    past = pd.DataFrame({"month": history["month"].map(lambda m: pd.Timestamp(m).date()),
                         "cost_usd": history["actual_cost_usd"], "benefit_usd": history["actual_benefit_usd"],
                         "projected": False})
    monthly = pd.concat([past, forward.drop(columns="inference_usd").assign(projected=True)], ignore_index=True)
    monthly["net_usd"] = monthly["benefit_usd"] - monthly["cost_usd"]
    monthly["cum_net_usd"] = monthly["net_usd"].cumsum()
    payback = compute_payback(monthly["net_usd"]).month_index
    return ScenarioOutcome(
        npv_usd=compute_npv(monthly["net_usd"], discount_rate_annual),
        roi=compute_roi(float(monthly["benefit_usd"].sum()), float(monthly["cost_usd"].sum())),
        payback_month=None if payback is None else monthly["month"].iloc[payback],
        forward_cost_usd=float(forward["cost_usd"].sum()), forward_benefit_usd=float(forward["benefit_usd"].sum()),
        monthly=monthly)


def compare_scenario(store: Store, scope: RoiScope, horizon: str, discount_rate_annual: float,
                     config: ScenarioConfig, *, as_of: dt.date | None = None) -> ScenarioComparison:
    """Baseline (run rate unchanged) vs the scenario, over history + ``forward_months``.

    History ends at ``as_of`` (the reporting date; read from the store when None) and the
    projection starts the month after it.
    """
    as_of = as_of_date(store) if as_of is None else as_of
    history = money_series(store, scope, horizon, as_of=as_of)
    run_rate = measure_run_rate(store, scope, as_of=as_of)
    first = (pd.Timestamp(as_of.replace(day=1)) + pd.DateOffset(months=1)).date()
    baseline_config = ScenarioConfig(forward_months=config.forward_months)
    return ScenarioComparison(
        config=config, run_rate=run_rate,
        baseline=_outcome(history, project(run_rate, baseline_config, first), discount_rate_annual),
        scenario=_outcome(history, project(run_rate, config, first), discount_rate_annual))


# -- saved scenarios (migration 5) ---------------------------------------------------------
SCENARIO_NAME_MAX = 60


@dataclass(frozen=True)
class SavedScenario:
    name: str
    scope: str
    config: ScenarioConfig
    created_by: str
    version: int | None = None  # the row id: a new one at every save (what ``replaces`` names)


def save_scenario(store: Store, actor: Actor, name: str, scope: RoiScope, config: ScenarioConfig, *,
                  replaces: int | None = None) -> SavedScenario:
    """Save a what-if under ``name``. Needs ``edit_scenarios`` (finance, admin).

    A name already saved is replaced only when ``replaces`` is the ``version`` the caller
    loaded: checked inside the transaction, so of two people saving over one scenario the
    second is told it was changed by someone else instead of silently erasing the first's."""
    clean = " ".join((name or "").split())
    if not clean or len(clean) > SCENARIO_NAME_MAX:
        raise ValidationError(f"Scenario name: expected 1–{SCENARIO_NAME_MAX} characters, got {len(clean)}. "
                              "Type a short name such as 'DeepSeek crash'.")
    with store.write(actor, "edit_scenarios", action="scenario.save", target=clean,
                     detail={"scope": scope.key, **config.__dict__}) as cur:
        current = cur.execute("SELECT id, created_by, strftime(created_at, '%d %b %Y %H:%M') FROM finance_scenario"
                              " WHERE name = ?", [clean]).fetchone()
        if current is not None and current[0] != replaces:
            why = ("it changed since you loaded it" if replaces is not None
                   else "you did not load it, so saving would overwrite it")
            raise ValidationError(
                f"Scenario '{clean}' was changed by someone else ({current[1]}, {current[2]} UTC): {why}. Load it "
                "again to see their knobs, or save yours under another name; nothing was saved.")
        cur.execute("DELETE FROM finance_scenario WHERE name = ?", [clean])
        cur.execute(
            "INSERT INTO finance_scenario (name, scope, vendor_price_change, volume_growth_monthly, "
            "benefits_scale_with_volume, adopt_rightsize, forward_months, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            [clean, scope.key, config.vendor_price_change, config.volume_growth_monthly,
             config.benefits_scale_with_volume, config.adopt_rightsize, config.forward_months, actor.name])
        version = int(cur.fetchone()[0])
    return SavedScenario(clean, scope.key, config, actor.name, version)


def find_scenario(store: Store, name: str) -> SavedScenario:
    """The saved what-if called ``name``; ``NotFoundError`` lists the saved names."""
    saved = {s.name: s for s in list_scenarios(store)}
    clean = " ".join((name or "").split())
    if clean not in saved:
        known = ", ".join(f"'{n}'" for n in list(saved)[:12]) or "none yet (save one on the ROI Review)"
        raise NotFoundError(f"There is no saved scenario named '{clean[:60]}'. Saved scenarios: {known}.")
    return saved[clean]


def list_scenarios(store: Store) -> list[SavedScenario]:
    """Saved what-ifs, by name (none until migration 5 has run)."""
    if not store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'finance_scenario'"):
        return []
    rows = store.rows(
        "SELECT name, scope, vendor_price_change, volume_growth_monthly, benefits_scale_with_volume, "
        "adopt_rightsize, forward_months, created_by, id FROM finance_scenario ORDER BY name")
    return [SavedScenario(name=name, scope=scope,
                          config=ScenarioConfig(vendor_price_change=price, volume_growth_monthly=growth,
                                                benefits_scale_with_volume=scale_benefits,
                                                adopt_rightsize=adopt, forward_months=forward),
                          created_by=created_by, version=int(version))
            for name, scope, price, growth, scale_benefits, adopt, forward, created_by, version in rows]
