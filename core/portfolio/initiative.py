"""One initiative in depth: business case vs actuals, KPI progress, cost mix, usage and
unit cost over time, models in use. Aggregates come from ``financial_line`` and the
``usage_monthly`` rollup (never the raw usage facts)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.models.adoption import initiative_adoptions
from core.entities import CODE_PATTERN, Initiative
from core.errors import NotFoundError, ValidationError
from core.portfolio.flags import FLAGS, flagged_codes
from core.portfolio.period import as_of_date, complete_months_end

if TYPE_CHECKING:
    from core.store import Store

_CODE = re.compile(CODE_PATTERN)
# The entity's fields, selected by name (each is a column of ``initiative``, which
# tests/unit/test_entities.py checks), so a column added to the table never shifts a value
# into the wrong field. Identifiers come from the entity class, never from input.
_INITIATIVE_FIELDS = tuple(Initiative.model_fields)
_INITIATIVE_SELECT = ", ".join(f"i.{name}" for name in _INITIATIVE_FIELDS)


@dataclass(frozen=True)
class InitiativeDetail:
    """Everything the Initiative page shows. Money in USD; ``spend_usd``/``value_usd`` are
    all actual cost/benefit, ``budget_usd`` the plan cost up to the reporting date,
    ``roi = (value − spend) ÷ spend`` (None for ideas or without spend)."""

    initiative: Initiative
    business_unit_name: str
    spend_usd: float
    value_usd: float
    budget_usd: float
    roi: float | None
    kpi_progress: float | None
    flags: tuple[str, ...]
    money: pd.DataFrame          # month, plan_cost, actual_cost, plan_benefit, actual_benefit, cum_*
    cost_by_category: pd.DataFrame  # month, category, amount (actual)
    usage: pd.DataFrame          # month, requests, cost_usd, cost_per_1k_usd, input_tokens, output_tokens,
    #                              partial (a month after period.complete_months_end: marked, not a rate)
    models: pd.DataFrame         # model, provider, task, location, hardware, requests, cost_usd, cost_per_1k_usd
    adoptions: pd.DataFrame | None = None  # adopted right-size recommendations (core.models.adoption)


def parse_initiative_code(raw: str | None) -> str:
    """Check a code taken from a URL or a form; raise a clear ``ValidationError``."""
    if raw is None or not raw.strip():
        raise ValidationError("No initiative chosen: pick one from the list.")
    code = raw.strip()
    if not _CODE.match(code):
        raise ValidationError(
            f"'{code[:40]}' is not an initiative code (expected letters, digits and '-', like 'CEW-01'). "
            "Pick one from the list."
        )
    return code


def kpi_progress(baseline: float | None, target: float | None, current: float | None) -> float | None:
    """Share of the way from baseline to target: (current − baseline) ÷ (target − baseline).

    Works for KPIs where lower is better (target < baseline) too. None when undefined.
    """
    if None in (baseline, target, current) or target == baseline:
        return None
    return (current - baseline) / (target - baseline)


def initiative_choices(store: Store) -> list[tuple[str, str]]:
    """(code, name) of every initiative, by name."""
    return store.rows("SELECT code, name FROM initiative ORDER BY name")


def largest_initiative(store: Store) -> str | None:
    """The initiative with the most actual spend: what the Initiative page opens without a choice."""
    return store.scalar(
        "SELECT initiative FROM financial_line WHERE kind = 'cost' AND scenario = 'actual' "
        "GROUP BY initiative ORDER BY sum(amount) DESC, initiative LIMIT 1"
    )


def initiative_detail(store: Store, code: str, *, as_of: dt.date | None = None) -> InitiativeDetail:
    """One initiative's ``InitiativeDetail``; budget, the models' 12-month usage and the flags
    are measured to ``as_of`` (the reporting date; read from the store when None)."""
    code = parse_initiative_code(code)
    row = store.one(
        f"SELECT {_INITIATIVE_SELECT}, b.name AS business_unit_name FROM initiative i "
        "JOIN business_unit b ON b.code = i.business_unit WHERE i.code = ?",
        [code],
    )
    if row is None:
        raise NotFoundError(f"There is no initiative with code '{code}'. Pick one from the list.")
    record = dict(zip((*_INITIATIVE_FIELDS, "business_unit_name"), row, strict=True))
    business_unit_name = record.pop("business_unit_name")
    initiative = Initiative.model_validate(record)
    as_of = as_of_date(store) if as_of is None else as_of
    money = store.frame(
        """
        SELECT month,
               coalesce(sum(amount) FILTER (kind = 'cost' AND scenario = 'plan'), 0)::DOUBLE AS plan_cost,
               coalesce(sum(amount) FILTER (kind = 'cost' AND scenario = 'actual'), 0)::DOUBLE AS actual_cost,
               coalesce(sum(amount) FILTER (kind = 'benefit' AND scenario = 'plan'), 0)::DOUBLE AS plan_benefit,
               coalesce(sum(amount) FILTER (kind = 'benefit' AND scenario = 'actual'), 0)::DOUBLE AS actual_benefit
        FROM financial_line WHERE initiative = ? GROUP BY month ORDER BY month
        """,
        [code],
    )
    for column in ("plan_cost", "actual_cost", "plan_benefit", "actual_benefit"):
        money[f"cum_{column}"] = money[column].cumsum()
    by_category = store.frame(
        """
        SELECT month, category, sum(amount)::DOUBLE AS amount FROM financial_line
        WHERE initiative = ? AND kind = 'cost' AND scenario = 'actual'
        GROUP BY ALL ORDER BY month, category
        """,
        [code],
    )
    complete_end = complete_months_end(as_of)  # the models' 12-month rates: complete months only
    usage = store.frame(
        """
        SELECT month, sum(requests) AS requests, sum(cost_usd)::DOUBLE AS cost_usd,
               1000 * sum(cost_usd)::DOUBLE / nullif(sum(requests), 0) AS cost_per_1k_usd,
               sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
               month > ? AS partial
        FROM usage_monthly WHERE initiative = ? GROUP BY month ORDER BY month
        """,
        [complete_end, code],
    )
    models = store.frame(
        """
        SELECT m.name AS model, m.provider, m.task,
               string_agg(DISTINCT u.location, ', ') AS location,
               string_agg(DISTINCT u.hardware, ', ') AS hardware,
               coalesce(sum(u.requests), 0) AS requests_12m,
               coalesce(sum(u.cost_usd), 0)::DOUBLE AS cost_12m_usd,
               1000 * sum(u.cost_usd)::DOUBLE / nullif(sum(u.requests), 0) AS cost_per_1k_usd
        FROM model m
        LEFT JOIN usage_monthly u ON u.initiative = m.initiative AND u.model = m.name
             AND u.month > ?::DATE - INTERVAL 12 MONTH AND u.month <= ?
        WHERE m.initiative = ?
        GROUP BY ALL ORDER BY cost_12m_usd DESC
        """,
        [complete_end, complete_end, code],
    )
    spend = float(money["actual_cost"].sum())
    value = float(money["actual_benefit"].sum())
    budget = float(money.loc[pd.to_datetime(money["month"]) <= pd.Timestamp(as_of), "plan_cost"].sum())
    flags = tuple(FLAGS[name].label for name in FLAGS if code in flagged_codes(store, name, as_of))
    return InitiativeDetail(
        initiative=initiative, business_unit_name=business_unit_name, spend_usd=spend, value_usd=value,
        budget_usd=budget, roi=(value - spend) / spend if spend > 0 and initiative.stage != "idea" else None,
        kpi_progress=kpi_progress(initiative.kpi_baseline, initiative.kpi_target, initiative.kpi_current),
        flags=flags, money=money, cost_by_category=by_category, usage=usage, models=models,
        adoptions=initiative_adoptions(store, code),
    )
