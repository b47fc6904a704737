"""Portfolio figures: headline tiles, the stage funnel, the value-vs-cost matrix and the
flagged initiative table. Everything is aggregated in DuckDB from ``financial_line``
(one row per initiative × month × category × scenario) and the ``usage_monthly`` rollup;
the usage facts are never scanned here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.entities import KINDS, STAGES
from core.portfolio.flags import FLAGS, flagged_codes
from core.portfolio.period import as_of_date

if TYPE_CHECKING:
    from core.store import Store

VERDICTS = {
    "Scale": "returns more than it costs (value ≥ spend) and delivers at least the median value",
    "Sustain": "returns more than it costs but delivers less than the median value",
    "Fix": "delivers at least the median value but costs more than it returns",
    "Cut": "costs more than it returns and delivers less than the median value",
}
VERDICT_RULE = (
    "Verdicts apply to initiatives in production or scaled. Break-even line: value = spend "
    "(ROI 0%). Median line: the median realised value of those initiatives."
)


@dataclass(frozen=True)
class PortfolioFilter:
    """The view a user chose; empty tuples mean "all"."""

    business_units: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    flag: str | None = None
    verdict: str | None = None

    def __post_init__(self):
        bad_stages = set(self.stages) - set(STAGES)
        bad_kinds = set(self.kinds) - set(KINDS)
        bad_flag = self.flag is not None and self.flag not in FLAGS
        bad_verdict = self.verdict is not None and self.verdict not in VERDICTS
        if bad_stages or bad_kinds or bad_flag or bad_verdict:
            raise ValueError("filter values must come from the allowed lists")

    def sql(self, alias: str = "i") -> tuple[str, list]:
        """A WHERE fragment (always valid) and its parameters."""
        return (
            f"(len($bus) = 0 OR list_contains($bus, {alias}.business_unit))"
            f" AND (len($stages) = 0 OR list_contains($stages, {alias}.stage))"
            f" AND (len($kinds) = 0 OR list_contains($kinds, {alias}.kind))",
            {"bus": list(self.business_units), "stages": list(self.stages), "kinds": list(self.kinds)},
        )


@dataclass(frozen=True)
class PortfolioHeadline:
    """Headline tiles. Money in USD; ``roi`` = (value − spend) ÷ spend; ``conversion_rate`` =
    initiatives that reached production ÷ initiatives that entered pilot."""

    as_of: dt.date
    initiatives: int
    spend_to_date_usd: float
    realised_value_usd: float
    roi: float | None
    in_production: int
    entered_pilot: int
    reached_production: int
    conversion_rate: float | None
    without_kpi: int


def _money_by_initiative_sql(where: str) -> str:
    # financial_line is small (initiatives × months × categories); a full scan is cheap.
    return f"""
        SELECT i.code, i.name, i.business_unit, i.stage, i.kind, i.bu_owner, i.platform_owner, i.kpi_name,
               i.stage_since, i.risk_tier, i.guardrails,
               coalesce(sum(f.amount) FILTER (f.kind = 'cost' AND f.scenario = 'actual'), 0)::DOUBLE AS spend_usd,
               coalesce(sum(f.amount) FILTER (f.kind = 'benefit' AND f.scenario = 'actual'), 0)::DOUBLE AS value_usd,
               coalesce(sum(f.amount) FILTER (f.kind = 'cost' AND f.scenario = 'plan'
                        AND f.month <= $as_of), 0)::DOUBLE AS budget_usd
        FROM initiative i LEFT JOIN financial_line f ON f.initiative = i.code
        WHERE {where}
        GROUP BY ALL
    """


def needs_table(flt: PortfolioFilter) -> bool:
    """Whether the view of ``flt`` is only known from ``initiative_table`` (a flag or a verdict)."""
    return flt.flag is not None or flt.verdict is not None


def _view_where(store: Store, flt: PortfolioFilter, as_of: dt.date, alias: str = "i",
                codes: Sequence[str] | None = None) -> tuple[str, dict]:
    """The WHERE fragment of the initiatives in view. Business unit, stage and kind are plain
    columns; a flag or a verdict is not (flags are queries, verdicts compare with the portfolio's
    median), so with one of those the view is the codes ``initiative_table`` keeps — the tiles,
    the funnel, the matrix and the table then count the same initiatives. ``codes``, when the
    caller already holds that table (the page caches it), saves computing it again."""
    where, params = flt.sql(alias)
    if not needs_table(flt):
        return where, params
    if codes is None:
        codes = initiative_table(store, flt, as_of=as_of)["code"].tolist()
    return f"{where} AND list_contains($codes, {alias}.code)", {**params, "codes": list(codes)}


def compute_headline(store: Store, flt: PortfolioFilter = PortfolioFilter(), *,
                     as_of: dt.date | None = None, codes: Sequence[str] | None = None) -> PortfolioHeadline:
    """The six headline tiles for the filtered portfolio, money to ``as_of`` (the reporting
    date, ``core.portfolio.period.as_of_date``; read from the store when None). ``codes``: the
    view's initiatives when ``needs_table(flt)`` and the caller holds ``initiative_table``."""
    as_of = as_of_date(store) if as_of is None else as_of
    where, params = _view_where(store, flt, as_of, codes=codes)
    row = store.one(
        f"""
        WITH money AS ({_money_by_initiative_sql(where)}),
        reached AS (
            SELECT initiative, bool_or(stage = 'pilot') AS pilot,
                   bool_or(stage IN ('production', 'scaled')) AS production
            FROM stage_history GROUP BY initiative
        )
        SELECT count(*), sum(spend_usd), sum(value_usd),
               count(*) FILTER (stage IN ('production', 'scaled')),
               count(*) FILTER (r.pilot), count(*) FILTER (r.pilot AND r.production),
               count(*) FILTER (kpi_name IS NULL AND stage <> 'retired')
        FROM money m LEFT JOIN reached r ON r.initiative = m.code
        """,
        {**params, "as_of": as_of},
    )
    count, spend, value, live, pilot, converted, no_kpi = row
    spend, value = float(spend or 0), float(value or 0)
    return PortfolioHeadline(
        as_of=as_of, initiatives=count, spend_to_date_usd=spend, realised_value_usd=value,
        roi=(value - spend) / spend if spend > 0 else None, in_production=live,
        entered_pilot=pilot, reached_production=converted,
        conversion_rate=converted / pilot if pilot else None, without_kpi=no_kpi,
    )


def stage_funnel(store: Store, flt: PortfolioFilter = PortfolioFilter(), *,
                 as_of: dt.date | None = None, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Per stage: initiatives now in it, initiatives that ever reached it, and the median
    days spent in it (completed stays, plus ongoing stays counted up to ``as_of``, the
    reporting date; read from the store when None). ``codes`` as in ``compute_headline``."""
    as_of = as_of_date(store) if as_of is None else as_of
    where, params = _view_where(store, flt, as_of, codes=codes)
    frame = store.frame(
        f"""
        WITH stays AS (
            SELECT h.initiative, h.stage, h.entered,
                   lead(h.entered) OVER (PARTITION BY h.initiative ORDER BY h.entered) AS left_on
            FROM stage_history h JOIN initiative i ON i.code = h.initiative
            WHERE {where}
        )
        SELECT s.stage,
               (SELECT count(*) FROM initiative i WHERE {where} AND i.stage = s.stage) AS current,
               count(*) AS reached,
               median(date_diff('day', s.entered, coalesce(s.left_on, $as_of))) AS median_days
        FROM stays s GROUP BY s.stage
        """,
        {**params, "as_of": as_of},
    )
    order = {stage: n for n, stage in enumerate(STAGES)}
    frame = frame.set_index("stage").reindex(list(STAGES)).reset_index()
    frame[["current", "reached"]] = frame[["current", "reached"]].fillna(0).astype(int)
    frame.loc[frame["stage"] == "retired", "median_days"] = None  # a retired stay never ends
    return frame.sort_values("stage", key=lambda s: s.map(order)).reset_index(drop=True)


def initiative_table(store: Store, flt: PortfolioFilter = PortfolioFilter(), *,
                     as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per initiative: money (USD), ROI, budget variance, verdict with its reason
    (``verdict_reason``) and flags.

    ``roi`` = (value − spend) ÷ spend; ``budget_variance`` = (spend − budget) ÷ budget where
    budget is the plan cost up to ``as_of`` (the reporting date; read from the store when
    None), which is also the date the flags are judged at. Verdicts follow ``VERDICTS`` and
    are computed over the whole portfolio, so filtering never changes an initiative's verdict.
    """
    as_of = as_of_date(store) if as_of is None else as_of
    everything, params = PortfolioFilter().sql()
    frame = store.frame(
        f"""
        WITH money AS ({_money_by_initiative_sql(everything)}),
        judged AS (SELECT median(value_usd) AS median_value FROM money WHERE stage IN ('production', 'scaled'))
        SELECT m.*, median_value,
               CASE WHEN spend_usd > 0 AND stage <> 'idea' THEN (value_usd - spend_usd) / spend_usd END AS roi,
               CASE WHEN budget_usd > 0 THEN (spend_usd - budget_usd) / budget_usd END AS budget_variance,
               CASE WHEN stage NOT IN ('production', 'scaled') THEN NULL
                    WHEN value_usd >= spend_usd AND value_usd >= median_value THEN 'Scale'
                    WHEN value_usd >= spend_usd THEN 'Sustain'
                    WHEN value_usd >= median_value THEN 'Fix'
                    ELSE 'Cut' END AS verdict
        FROM money m, judged
        ORDER BY m.code
        """,
        {**params, "as_of": as_of},
    )
    frame["verdict_reason"] = [verdict_reason(v, value, spend, median)
                               for v, value, spend, median in zip(frame["verdict"], frame["value_usd"],
                                                                  frame["spend_usd"], frame["median_value"])]
    frame = frame.drop(columns="median_value")
    for name in FLAGS:
        frame[name] = frame["code"].isin(flagged_codes(store, name, as_of))
    frame["flags"] = frame.apply(lambda row: [FLAGS[n].label for n in FLAGS if row[n]], axis=1)
    keep = pd.Series(True, index=frame.index)
    if flt.business_units:
        keep &= frame["business_unit"].isin(flt.business_units)
    if flt.stages:
        keep &= frame["stage"].isin(flt.stages)
    if flt.kinds:
        keep &= frame["kind"].isin(flt.kinds)
    if flt.flag:
        keep &= frame[flt.flag]
    if flt.verdict:
        keep &= frame["verdict"] == flt.verdict
    return frame[keep].reset_index(drop=True)


def verdict_reason(verdict: str | None, value: float, spend: float, median: float | None) -> str | None:
    """Why an initiative got its verdict, in the terms of ``VERDICTS``: its ROI ((value − spend)
    ÷ spend; break-even is 0 %) and its realised value against the median of live initiatives,
    e.g. "ROI −53% · value 33% of the median". None without a verdict (not in production or
    scaled)."""
    if verdict is None or pd.isna(verdict) or median is None or pd.isna(median):
        return None
    roi = f"ROI {(value - spend) / spend:+.0%}".replace("-", "−") if spend > 0 else "no spend yet"
    if median <= 0:
        return f"{roi} · the median value is $0"
    ratio = value / median
    versus = f"{ratio:.1f}× the median" if ratio >= 1 else f"{ratio:.0%} of the median"
    return f"{roi} · value {versus}"


def median_live_value(store: Store) -> float | None:
    """The median realised value of production and scaled initiatives (the verdict line)."""
    value = store.scalar(
        """
        SELECT median(value) FROM (
            SELECT i.code, coalesce(sum(f.amount) FILTER (f.kind = 'benefit' AND f.scenario = 'actual'), 0)::DOUBLE AS value
            FROM initiative i LEFT JOIN financial_line f ON f.initiative = i.code
            WHERE i.stage IN ('production', 'scaled') GROUP BY i.code)
        """
    )
    return None if value is None else float(value)


def business_units(store: Store) -> list[tuple[str, str]]:
    """(code, name) of every business unit, by code."""
    return store.rows("SELECT code, name FROM business_unit ORDER BY code")
