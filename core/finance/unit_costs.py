"""Unit costs from the ``usage_monthly`` rollup (never the usage facts): cost per 1,000
inferences and per 1M tokens by dimension over time, top cost drivers, cost spikes, rising
unit costs, cloud vs edge break-even, and FOCUS billing costs beside usage-derived costs.

Rates use complete months only (``core.portfolio.period.complete_months_end``): usage of a
month still running, or after the reporting month, is shown marked partial, never averaged in.

Where a usage row ran (``SERVING``: vendor API, self-hosted cloud, edge) is read from its
hardware (``serving_sql``); a ``UsageFilter`` narrows the series, drivers and headline to one
model or one serving place (the Unit Costs page's ``?model=`` and ``?serving=``).

Units: ``cost_per_1k_usd = 1000 × cost ÷ requests``;
``cost_per_1m_tokens_usd = 1e6 × cost ÷ (input + output tokens)`` (None without tokens).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.errors import ValidationError
from core.portfolio.flags import RISING_UNIT_COST_SHARE, unit_cost_windows
from core.portfolio.period import as_of_date, complete_months_end

if TYPE_CHECKING:
    from core.store import Store

#: Dimension picker → usage_monthly column (the only identifiers ever put in the SQL).
DIMENSIONS = {"initiative": "Initiative", "model": "Model", "location": "Location (cloud / edge)",
              "hardware": "Hardware"}
DEFAULT_SPIKE_FACTOR = 2.0
HOURS_PER_MONTH = 730
#: Where a usage row ran, as a CFO asks it: a provider's API, our own cloud machines, edge devices.
SERVING = {"vendor_api": "Vendor API", "cloud": "Cloud, self-hosted", "edge": "Edge devices"}
#: The hardware a usage log names for a call to a provider's API (the usage template's convention).
VENDOR_API_HARDWARE = "vendor-api"


def serving_sql(usage: str = "u", hardware: str = "h") -> str:
    """The ``SERVING`` key of the usage_monthly row ``usage``, given ``LEFT JOIN hardware_profile
    {hardware} ON {hardware}.name = {usage}.hardware`` (aliases from core only):
    ``vendor_api`` when its hardware is ``VENDOR_API_HARDWARE`` (the rollup keeps no provider);
    else the hardware profile's location (the curated definition: a usage file without a
    location column defaults to cloud even on an edge box); else the row's own location."""
    return (f"CASE WHEN {usage}.hardware = '{VENDOR_API_HARDWARE}' THEN 'vendor_api' "
            f"ELSE coalesce({hardware}.location, {usage}.location) END")


@dataclass(frozen=True)
class UsageFilter:
    """Which usage rows a view covers: one model, one ``SERVING`` place, or (None) all."""

    model: str | None = None
    serving: str | None = None

    def __post_init__(self):
        if self.serving is not None and self.serving not in SERVING:
            raise ValidationError(f"Unknown serving place '{str(self.serving)[:30]}'; choose one of: "
                                  f"{', '.join(SERVING)}.")

    def relation(self) -> tuple[str, list]:
        """A relation to read instead of ``usage_monthly``: its rows this filter keeps, with the
        same columns plus ``serving``; and its parameters (positional, first in the query)."""
        serving = serving_sql()
        return (f"(SELECT u.*, {serving} AS serving FROM usage_monthly u LEFT JOIN hardware_profile h"
                f" ON h.name = u.hardware WHERE (?::VARCHAR IS NULL OR u.model = ?)"
                f" AND (?::VARCHAR IS NULL OR {serving} = ?))",
                [self.model, self.model, self.serving, self.serving])


def _column(dimension: str) -> str:
    """The usage_monthly column of ``dimension``; ``ValidationError`` lists the choices."""
    if dimension not in DIMENSIONS:
        raise ValidationError(f"Unknown dimension '{str(dimension)[:30]}'; choose one of: {', '.join(DIMENSIONS)}.")
    return dimension  # the allow-listed key is the column name


def unit_cost_series(store: Store, dimension: str, months: int = 24, *, as_of: dt.date | None = None,
                     usage: UsageFilter = UsageFilter()) -> pd.DataFrame:
    """Monthly ``month, key, requests, tokens, cost_usd, cost_per_1k_usd, cost_per_1m_tokens_usd,
    partial`` per value of ``dimension``, of the usage rows ``usage`` keeps: the last ``months``
    complete months (to ``complete_months_end(as_of)``; ``as_of`` is the reporting date, read
    from the store when None) and after them any partial months with usage, ``partial`` True.
    Charts mark those; every rate computed from this series leaves them out."""
    column = _column(dimension)
    end = complete_months_end(as_of_date(store) if as_of is None else as_of)
    rows, params = usage.relation()
    # usage_monthly: a few thousand rows (month × initiative × model × location × hardware).
    return store.frame(
        f"""
        SELECT month, {column} AS key, sum(requests) AS requests,
               sum(input_tokens + output_tokens) AS tokens, sum(cost_usd)::DOUBLE AS cost_usd,
               1000 * sum(cost_usd)::DOUBLE / nullif(sum(requests), 0) AS cost_per_1k_usd,
               1e6 * sum(cost_usd)::DOUBLE / nullif(sum(input_tokens + output_tokens), 0) AS cost_per_1m_tokens_usd,
               month > ? AS partial
        FROM {rows} AS usage_monthly
        WHERE month > date_trunc('month', ?::DATE) - INTERVAL (?) MONTH
        GROUP BY ALL ORDER BY month, key
        """,
        [end, *params, end, months],
    )


def top_cost_drivers(store: Store, dimension: str, months: int = 12, limit: int = 10, *,
                     as_of: dt.date | None = None, usage: UsageFilter = UsageFilter()) -> pd.DataFrame:
    """The ``limit`` largest values of ``dimension`` by usage cost over the last ``months``
    complete months to ``as_of`` (read from the store when None) of the rows ``usage`` keeps:
    ``key, cost_usd, share, requests, cost_per_1k_usd`` with ``share = cost ÷ total cost`` and
    ``cost_per_1k_usd = 1000 × cost ÷ requests``."""
    series = unit_cost_series(store, dimension, months, as_of=as_of, usage=usage)
    series = series[~series["partial"]]
    grouped = series.groupby("key", as_index=False)[["cost_usd", "requests"]].sum()
    total = grouped["cost_usd"].sum()
    grouped["share"] = grouped["cost_usd"] / total if total else 0.0
    grouped["cost_per_1k_usd"] = 1000 * grouped["cost_usd"] / grouped["requests"].where(grouped["requests"] > 0)
    return grouped.sort_values("cost_usd", ascending=False, ignore_index=True).head(limit)


def find_cost_spikes(store: Store, k: float = DEFAULT_SPIKE_FACTOR, months: int = 12, *,
                     as_of: dt.date | None = None) -> pd.DataFrame:
    """Initiative-months in the last ``months`` complete months to ``as_of`` (read from the
    store when None; a partial month is never one, ``complete_months_end``) whose usage cost
    is more than ``k`` × the median of the 3 months before (all three present):
    ``initiative, month, cost_usd, trailing_median_usd, ratio`` with
    ``ratio = cost_usd ÷ trailing_median_usd``."""
    if not k > 1:
        raise ValidationError(f"Spike factor {k} is too small: use a number above 1 (e.g. 2 = twice the median).")
    end = complete_months_end(as_of_date(store) if as_of is None else as_of)
    return store.frame(
        """
        WITH monthly AS (
            SELECT initiative, month, sum(cost_usd)::DOUBLE AS cost_usd
            FROM usage_monthly WHERE month <= ? GROUP BY ALL
        ), windowed AS (
            SELECT *, median(cost_usd) OVER w AS trailing_median_usd, count(*) OVER w AS prior_months
            FROM monthly
            WINDOW w AS (PARTITION BY initiative ORDER BY month RANGE BETWEEN INTERVAL 3 MONTH PRECEDING
                         AND INTERVAL 1 MONTH PRECEDING)
        )
        SELECT initiative, month, cost_usd, trailing_median_usd, cost_usd / trailing_median_usd AS ratio
        FROM windowed
        WHERE prior_months = 3 AND trailing_median_usd > 0 AND cost_usd > ? * trailing_median_usd
          AND month > date_trunc('month', ?::DATE) - INTERVAL (?) MONTH
        ORDER BY month DESC, ratio DESC
        """,
        [end, k, end, months],
    )


def rising_unit_costs(store: Store, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """Per initiative: cost per 1k over the last 3 complete months to ``as_of`` (read from the
    store when None; ``complete_months_end``) vs the 3 before, ``change = recent ÷ before − 1`` and ``rising`` (the Portfolio
    flag ``unit_cost_rising``: change > +10%)."""
    rows = unit_cost_windows(store, as_of_date(store) if as_of is None else as_of)
    frame = pd.DataFrame(rows, columns=["initiative", "recent", "before"])
    frame["recent_per_1k_usd"] = 1000 * frame.pop("recent")
    frame["before_per_1k_usd"] = 1000 * frame.pop("before")
    frame["change"] = frame["recent_per_1k_usd"] / frame["before_per_1k_usd"] - 1
    frame["rising"] = frame["change"] > RISING_UNIT_COST_SHARE
    return frame.sort_values("change", ascending=False, ignore_index=True)


def edge_break_even_requests(cloud_per_1k_usd: float, edge_per_1k_usd: float, edge_fixed_monthly_usd: float) -> float | None:
    """Monthly volume V where cloud and edge cost the same:
    ``cloud(V) = c_cloud × V/1000``, ``edge(V) = F + c_edge × V/1000`` → ``V* = 1000 × F ÷ (c_cloud − c_edge)``.
    None when edge's variable cost is not below cloud's (edge never catches up)."""
    if cloud_per_1k_usd <= edge_per_1k_usd:
        return None
    return 1000 * edge_fixed_monthly_usd / (cloud_per_1k_usd - edge_per_1k_usd)


def compare_cloud_edge(store: Store, months: int = 3, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """Model families served both in the cloud and at the edge (edge model = family name +
    '-edge', or the same name): unit costs over the last ``months`` complete months to
    ``as_of`` (read from the store when None), the edge device's fixed monthly cost (``price_per_hour_usd × 730 h``
    of its hardware profile, one device) and the break-even monthly volume
    (``edge_break_even_requests``)."""
    end = complete_months_end(as_of_date(store) if as_of is None else as_of)
    frame = store.frame(
        """
        WITH recent AS (
            SELECT regexp_replace(model, '-edge$', '') AS family, location, hardware,
                   sum(requests) AS requests, sum(cost_usd)::DOUBLE AS cost_usd
            FROM usage_monthly
            WHERE month <= ? AND month > date_trunc('month', ?::DATE) - INTERVAL (?) MONTH
            GROUP BY ALL
        ), sides AS (
            SELECT family, location, arg_max(hardware, requests) AS hardware, sum(requests) AS requests,
                   1000 * sum(cost_usd) / nullif(sum(requests), 0) AS per_1k_usd
            FROM recent GROUP BY ALL
        )
        SELECT c.family, c.hardware AS cloud_hardware, e.hardware AS edge_hardware,
               c.per_1k_usd AS cloud_per_1k_usd, e.per_1k_usd AS edge_per_1k_usd,
               (c.requests + e.requests) / ? AS monthly_requests,
               h.price_per_hour_usd::DOUBLE * ? AS edge_fixed_monthly_usd
        FROM sides c JOIN sides e ON e.family = c.family AND c.location = 'cloud' AND e.location = 'edge'
        LEFT JOIN hardware_profile h ON h.name = e.hardware
        ORDER BY c.family
        """,
        [end, end, months, months, HOURS_PER_MONTH],
    )
    frame["edge_fixed_monthly_usd"] = frame["edge_fixed_monthly_usd"].fillna(0.0)
    frame["break_even_requests"] = [
        edge_break_even_requests(c, e, f) for c, e, f in
        zip(frame["cloud_per_1k_usd"], frame["edge_per_1k_usd"], frame["edge_fixed_monthly_usd"])]
    return frame


@dataclass(frozen=True)
class UnitCostSummary:
    """Headline of the Unit Costs page over the last 12 complete months (USD)."""

    usage_cost_usd: float
    requests: int
    cost_per_1k_usd: float | None
    rising_initiatives: int


def summarise_unit_costs(store: Store, months: int = 12, *, as_of: dt.date | None = None,
                         usage: UsageFilter = UsageFilter()) -> UnitCostSummary:
    """Usage cost, inferences and ``1000 × cost ÷ requests`` over the last ``months`` complete
    months to ``as_of`` (read from the store when None; a partial month would pull the rate
    towards a few days, ``complete_months_end``) of the rows ``usage`` keeps, and how many
    initiatives' unit cost is rising (the Portfolio flag: all their usage)."""
    as_of = as_of_date(store) if as_of is None else as_of
    end = complete_months_end(as_of)
    rows, params = usage.relation()
    cost, requests = store.one(
        f"""SELECT coalesce(sum(cost_usd), 0)::DOUBLE, coalesce(sum(requests), 0) FROM {rows} AS usage_monthly
           WHERE month <= ? AND month > date_trunc('month', ?::DATE) - INTERVAL (?) MONTH""",
        [*params, end, end, months])
    rising = int(rising_unit_costs(store, as_of=as_of)["rising"].sum())
    return UnitCostSummary(cost, int(requests), 1000 * cost / requests if requests else None, rising)


def usage_models(store: Store) -> list[str]:
    """Every model name the usage rollup has, by name (the choices of ``UsageFilter.model``)."""
    return [row[0] for row in store.rows("SELECT DISTINCT model FROM usage_monthly ORDER BY model")]
