"""Where the money goes: the ledger's actual spend over a period by business unit, category,
model and serving place (vendor API, self-hosted cloud, edge), every breakdown summing to the
same total.

**Spend** = Σ ``financial_line.amount`` with ``kind = 'cost'`` and ``scenario = 'actual'`` (the
ledger's actual costs: compute, inference, licences, people, data), USD, over the months of the
period up to the reporting date (``core.portfolio.period.as_of_date``), for the initiatives of
the chosen business units and the chosen categories. With the period "all months" and no
category chosen it is the Portfolio's *Spend to date* tile for the same business units.

Usage-derived cost (the per-call ``cost_usd`` of the usage logs, ``usage_monthly``) is never
added to it: it only says how each initiative-month's **inference** line divides among models
and serving places (``core.finance.unit_costs.SERVING``)::

    spend(model m, place p) = Σ over initiative-months (i, t) of
        inference(i, t) × usage_cost(i, t, m, p) ÷ usage_cost(i, t)

An inference line whose initiative-month has no usage cost logged stays whole under
``NO_USAGE``; the other categories are not per model and stay under ``NOT_PER_MODEL``. So the
breakdowns by model and by place sum to the same total as by business unit and by category.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.entities import COST_CATEGORIES
from core.errors import ValidationError
from core.finance.roi import HORIZONS, check_horizon, horizon_start
from core.finance.unit_costs import SERVING, serving_sql

if TYPE_CHECKING:
    from core.store import Store

#: The breakdowns of a report, in the order the Spend page shows them.
BREAKDOWNS = {"business_unit": "Business unit", "category": "Category", "model": "Model",
              "serving": "Where it runs"}
PERIODS = {key: label for key, (label, _) in HORIZONS.items()}  # the ROI Review's horizons
DEFAULT_PERIOD = "all"
INFERENCE = "inference"
CATEGORY_LABELS = {category: category.capitalize() for category in COST_CATEGORIES}
# Bucket keys start with "_", which no model name, category or serving key does.
NOT_PER_MODEL = "_not_per_model"
NO_USAGE = "_no_usage"
OTHER_MODELS = "_other_models"
BUCKET_LABELS = {NOT_PER_MODEL: "Not per model (compute, licences, people, data)",
                 NO_USAGE: "Inference with no usage logged", OTHER_MODELS: "Other models"}
DEFAULT_MODEL_LIMIT = 12
SPEND_DEFINITION = (
    "Spend is the ledger's actual cost lines (compute, inference, licences, people, data) in the "
    "period, the same sum as the Portfolio's Spend to date over all months. By model and by place, "
    "each initiative's monthly inference cost is split in proportion to its usage-derived cost per "
    "model; the other categories are not per model.")


@dataclass(frozen=True)
class SpendFilter:
    """The spend a view covers: a period (a ``PERIODS`` key), business units and cost
    categories (empty tuples: all)."""

    period: str = DEFAULT_PERIOD
    business_units: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def __post_init__(self):
        check_horizon(self.period)
        unknown = [c for c in self.categories if c not in COST_CATEGORIES]
        if unknown:
            raise ValidationError(f"Unknown cost category '{str(unknown[0])[:30]}'; choose from: "
                                  f"{', '.join(COST_CATEGORIES)}.")


@dataclass(frozen=True)
class SpendBreakdownReport:
    """Spend (USD) of a ``SpendFilter`` and its four breakdowns.

    Each frame has ``key`` (business unit code, category, model name, ``SERVING`` key or a
    bucket), ``label`` (what a reader is shown), ``spend_usd``, ``share = spend ÷ total``,
    ``initiatives`` (how many initiatives spent there), ``places`` (the serving keys behind
    it) and ``models`` (how many models), sorted by spend with the buckets last."""

    as_of: dt.date
    first_month: dt.date | None  # None: every month of the ledger up to as_of
    total_usd: float
    by_business_unit: pd.DataFrame
    by_category: pd.DataFrame
    by_model: pd.DataFrame
    by_serving: pd.DataFrame

    def breakdown(self, name: str) -> pd.DataFrame:
        if name not in BREAKDOWNS:
            raise ValidationError(f"Unknown breakdown '{str(name)[:30]}'; choose one of: {', '.join(BREAKDOWNS)}.")
        return getattr(self, "by_" + name)

    def totals(self) -> dict[str, float]:
        """Each breakdown's sum (all equal to ``total_usd`` up to rounding)."""
        return {name: float(self.breakdown(name)["spend_usd"].sum()) for name in BREAKDOWNS}

    @property
    def not_per_model_usd(self) -> float:
        """The spend of the categories other than inference (``NOT_PER_MODEL``)."""
        return float(self.by_model.loc[self.by_model["key"] == NOT_PER_MODEL, "spend_usd"].sum())

    @property
    def inference_usd(self) -> float:
        """The inference lines: split among models, or ``NO_USAGE`` where none was logged
        (``total_usd − not_per_model_usd`` up to rounding; exactly 0 without inference)."""
        return float(self.by_model.loc[self.by_model["key"] != NOT_PER_MODEL, "spend_usd"].sum())


def _pieces_sql() -> str:
    """The ledger's cost lines in scope, the inference ones split by usage share; then the four
    breakdowns and the total in one GROUPING SETS pass (so they cannot disagree)."""
    # financial_line is small (initiatives × months × categories) and usage_monthly is the
    # rollup (thousands of rows): full scans are cheap; the usage facts are never read.
    return f"""
        WITH ledger AS (
            SELECT f.initiative, i.business_unit, date_trunc('month', f.month)::DATE AS month, f.category,
                   sum(f.amount)::DOUBLE AS amount
            FROM financial_line f JOIN initiative i ON i.code = f.initiative
            WHERE f.kind = 'cost' AND f.scenario = 'actual' AND f.month <= $as_of
              AND ($first::DATE IS NULL OR f.month >= $first)
              AND (len($bus) = 0 OR list_contains($bus, i.business_unit))
              AND (len($categories) = 0 OR list_contains($categories, f.category))
            GROUP BY ALL
        ), used AS (
            SELECT u.initiative, u.month, u.model, {serving_sql()} AS serving, sum(u.cost_usd)::DOUBLE AS cost_usd
            FROM usage_monthly u LEFT JOIN hardware_profile h ON h.name = u.hardware
            WHERE u.month <= $as_of AND ($first::DATE IS NULL OR u.month >= $first)
            GROUP BY ALL HAVING sum(u.cost_usd) > 0
        ), shares AS (
            SELECT *, cost_usd / sum(cost_usd) OVER (PARTITION BY initiative, month) AS share FROM used
        ), pieces AS (
            SELECT l.initiative, l.business_unit, l.category,
                   CASE WHEN l.category <> '{INFERENCE}' THEN $not_per_model
                        WHEN s.model IS NULL THEN $no_usage ELSE s.model END AS model,
                   CASE WHEN l.category <> '{INFERENCE}' THEN $not_per_model
                        WHEN s.serving IS NULL THEN $no_usage ELSE s.serving END AS serving,
                   l.amount * coalesce(s.share, 1) AS amount
            FROM ledger l
            LEFT JOIN shares s ON l.category = '{INFERENCE}' AND s.initiative = l.initiative AND s.month = l.month
        )
        SELECT CASE WHEN grouping(business_unit) = 0 THEN 'business_unit' WHEN grouping(category) = 0 THEN 'category'
                    WHEN grouping(model) = 0 THEN 'model' WHEN grouping(serving) = 0 THEN 'serving'
                    ELSE 'total' END AS breakdown,
               coalesce(business_unit, category, model, serving) AS key,
               sum(amount) AS spend_usd, count(DISTINCT initiative) AS initiatives,
               coalesce(list(DISTINCT serving ORDER BY serving) FILTER (serving NOT LIKE '\\_%' ESCAPE '\\'),
                        []::VARCHAR[]) AS places,
               count(DISTINCT model) FILTER (model NOT LIKE '\\_%' ESCAPE '\\') AS models
        FROM pieces
        GROUP BY GROUPING SETS ((business_unit), (category), (model), (serving), ())
    """


def _ordered(frame: pd.DataFrame, total: float, labels: dict[str, str]) -> pd.DataFrame:
    """``key, label, spend_usd, share, initiatives, places, models`` by spend; then "other
    models", then the other buckets (by spend)."""
    rank = [0 if not key.startswith("_") else (1 if key == OTHER_MODELS else 2) for key in frame["key"]]
    frame = frame.assign(label=[labels.get(key, key) for key in frame["key"]], rank=rank,
                         share=frame["spend_usd"] / total if total else 0.0,
                         initiatives=frame["initiatives"].astype("Int64"))  # NA: "other models" (not summable)
    frame = frame.sort_values(["rank", "spend_usd", "key"], ascending=[True, False, True], ignore_index=True)
    return frame[["key", "label", "spend_usd", "share", "initiatives", "places", "models"]]


def _fold_models(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` largest models, the rest summed into one ``OTHER_MODELS`` row."""
    is_model = ~frame["key"].str.startswith("_")
    models = frame[is_model].sort_values("spend_usd", ascending=False)
    if len(models) <= limit:
        return frame
    rest = models.iloc[limit:]
    folded = {"key": OTHER_MODELS, "spend_usd": rest["spend_usd"].sum(), "initiatives": pd.NA,
              "places": sorted({p for places in rest["places"] for p in places}), "models": int(rest["models"].sum())}
    return pd.concat([models.iloc[:limit], pd.DataFrame([folded]), frame[~is_model]], ignore_index=True)


def spend_breakdown(store: Store, flt: SpendFilter = SpendFilter(), *, as_of: dt.date | None = None,
                    model_limit: int = DEFAULT_MODEL_LIMIT) -> SpendBreakdownReport:
    """The spend of ``flt`` to ``as_of`` (the reporting date; read from the store when None) and
    its breakdowns (see the module docstring for the formula); models beyond the
    ``model_limit`` largest are summed into one "other models" row."""
    first, as_of = horizon_start(store, flt.period, as_of=as_of)
    raw = store.frame(_pieces_sql(), {
        "as_of": as_of, "first": first, "bus": list(flt.business_units), "categories": list(flt.categories),
        "not_per_model": NOT_PER_MODEL, "no_usage": NO_USAGE})
    raw["places"] = [[str(v) for v in places] for places in raw["places"]]
    total = float(raw.loc[raw["breakdown"] == "total", "spend_usd"].sum())  # no row: no spend
    frames = {name: raw.loc[raw["breakdown"] == name, ["key", "spend_usd", "initiatives", "places", "models"]]
              for name in BREAKDOWNS}
    frames["model"] = _fold_models(frames["model"], model_limit)
    folded = frames["model"].loc[frames["model"]["key"] == OTHER_MODELS, "models"]
    labels = {
        "business_unit": dict(store.rows("SELECT code, name FROM business_unit")),
        "category": CATEGORY_LABELS,
        "model": {**BUCKET_LABELS, OTHER_MODELS: f"{int(folded.sum())} other models"},
        "serving": {**SERVING, **BUCKET_LABELS},
    }
    frames = {name: _ordered(frame, total, labels[name]) for name, frame in frames.items()}
    return SpendBreakdownReport(as_of, first, total, frames["business_unit"], frames["category"],
                                frames["model"], frames["serving"])
