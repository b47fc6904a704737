"""FOCUS cloud billing beside usage-derived cost.

The FOCUS import (``core.ingest.kinds.focus``) keeps each charge in ``focus_charge`` with the
initiative its tag rule allocated it to (NULL: unallocated). Usage-derived cost comes from the
``usage_monthly`` rollup (everything billed per call in the usage logs); FOCUS is what the
cloud provider invoiced. Billed cost is the cash view, effective cost the amortised one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from core.store import Store


@dataclass(frozen=True)
class FocusAllocationResult:
    """FOCUS billing beside usage-derived cost. ``available`` is False (with ``message``)
    until a FOCUS export has been imported. Billed = cash view; effective = amortised."""

    available: bool
    message: str
    allocated_billed_usd: float = 0.0
    unallocated_billed_usd: float = 0.0
    table: pd.DataFrame | None = None  # initiative, usage_cost_usd, focus_billed_usd, focus_effective_usd

    @property
    def unallocated_share(self) -> float | None:
        total = self.allocated_billed_usd + self.unallocated_billed_usd
        return self.unallocated_billed_usd / total if total else None


def has_focus_table(store: Store) -> bool:
    """Whether the FOCUS billing table exists (migration 3 has run)."""
    return bool(store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'focus_charge'"))


def allocate_focus_costs(store: Store) -> FocusAllocationResult:
    """FOCUS costs allocated to initiatives (by the import's tag rule) and the unallocated
    remainder, beside each initiative's usage-derived cost over the months the imported
    charges cover (charge periods, as months)."""
    if not has_focus_table(store) or not store.scalar("SELECT count(*) FROM focus_charge"):
        return FocusAllocationResult(False, "No FOCUS billing imported yet: import a FOCUS export on the Imports page.")
    table = store.frame(
        """
        WITH span AS (
            SELECT date_trunc('month', min(charge_period_start))::DATE AS first,
                   date_trunc('month', max(charge_period_start))::DATE AS last FROM focus_charge
        ), billed AS (
            SELECT coalesce(initiative, '(unallocated)') AS initiative,
                   sum(billed_cost)::DOUBLE AS focus_billed_usd, sum(effective_cost)::DOUBLE AS focus_effective_usd
            FROM focus_charge GROUP BY ALL
        ), used AS (
            SELECT initiative, sum(cost_usd)::DOUBLE AS usage_cost_usd
            FROM usage_monthly, span WHERE month BETWEEN span.first AND span.last GROUP BY ALL
        )
        SELECT coalesce(b.initiative, u.initiative) AS initiative, coalesce(u.usage_cost_usd, 0) AS usage_cost_usd,
               coalesce(b.focus_billed_usd, 0) AS focus_billed_usd,
               coalesce(b.focus_effective_usd, 0) AS focus_effective_usd
        FROM billed b FULL JOIN used u ON u.initiative = b.initiative
        ORDER BY focus_billed_usd DESC, usage_cost_usd DESC
        """)
    unallocated = float(table.loc[table["initiative"] == "(unallocated)", "focus_billed_usd"].sum())
    allocated = float(table["focus_billed_usd"].sum()) - unallocated
    return FocusAllocationResult(True, "", allocated, unallocated, table)


@dataclass(frozen=True)
class CostsBySourceResult:
    """All-time cost by source (USD): usage-derived (``usage_monthly``), FOCUS billed cost
    allocated to an initiative, FOCUS billed cost left unallocated; and per initiative."""

    usage_usd: float
    focus_allocated_usd: float
    focus_unallocated_usd: float
    by_initiative: pd.DataFrame  # initiative, usage_usd, focus_allocated_usd


def total_costs_by_source(store: Store) -> CostsBySourceResult:
    """All-time cost by source and per initiative (see ``CostsBySourceResult``)."""
    usage = store.frame("SELECT initiative, sum(cost_usd)::DOUBLE AS usage_usd FROM usage_monthly GROUP BY ALL")
    if has_focus_table(store):
        focus = store.frame("SELECT initiative, sum(billed_cost)::DOUBLE AS focus_allocated_usd FROM focus_charge "
                            "GROUP BY ALL")
    else:
        focus = pd.DataFrame({"initiative": pd.Series([], dtype=object), "focus_allocated_usd": pd.Series([], dtype=float)})
    unallocated = float(focus.loc[focus["initiative"].isna(), "focus_allocated_usd"].sum())
    focus = focus[focus["initiative"].notna()]
    table = usage.merge(focus, on="initiative", how="outer").fillna({"usage_usd": 0.0, "focus_allocated_usd": 0.0})
    table = table.sort_values(["usage_usd", "initiative"], ascending=[False, True], ignore_index=True)
    return CostsBySourceResult(float(usage["usage_usd"].sum()), float(focus["focus_allocated_usd"].sum()),
                               unallocated, table)


#: The reconciliation's segments: key → (label, what it covers). Usage in the FOCUS months =
#: both + usage_only_cloud + usage_only_edge; FOCUS billed = both + focus_only + unallocated.
SEGMENTS = {
    "both": ("In both", "Cloud and vendor-API usage of an initiative in a month for which the FOCUS bill also "
             "charges that initiative: the smaller of the two amounts, initiative by initiative, month by month."),
    "usage_only_cloud": ("Only in the usage logs: cloud and vendor APIs",
                         "Usage above the initiative's FOCUS charges of the month: vendor APIs invoiced directly "
                         "(not through the exported cloud accounts) and accounts not exported."),
    "usage_only_edge": ("Only in the usage logs: edge devices", "Edge devices never appear on a cloud bill."),
    "focus_only": ("Only in FOCUS: allocated to an initiative",
                   "Charges tagged to an initiative above its logged usage of the month: storage, compute and "
                   "services the usage logs do not price per call."),
    "unallocated": ("Only in FOCUS: unallocated",
                    "Charges whose tags name no initiative (shared storage, databases, networking, sandboxes)."),
}


@dataclass(frozen=True)
class FocusReconciliationReport:
    """FOCUS billing (``billed_cost``, the cash view) reconciled with usage-derived cost
    (``usage_monthly.cost_usd``) over the months the imported charges cover (charge periods,
    as months), USD. Per initiative ``i`` and month ``t``, with ``U`` its cloud and vendor-API
    usage cost and ``F`` its allocated FOCUS charges:

        both = Σ min(U, F)         usage_only_cloud = Σ U − both      focus_only = Σ F − both
        usage_only_edge = its edge usage      unallocated = charges allocated to no initiative

    so ``usage_usd = both + usage_only_cloud + usage_only_edge`` and ``focus_billed_usd = both +
    focus_only + unallocated``. The rollup keeps no provider, so the overlap is per initiative
    and month; ``by_provider`` splits the FOCUS side. Usage outside those months is not
    compared (``usage_outside_usd``). ``available`` is False (with ``message``) without FOCUS."""

    available: bool
    message: str
    first_month: dt.date | None = None
    last_month: dt.date | None = None
    segments_usd: dict[str, float] = field(default_factory=dict)  # SEGMENTS key → USD
    usage_outside_usd: float = 0.0
    by_month: pd.DataFrame | None = None  # month, usage_usd, focus_billed_usd and the SEGMENTS keys
    by_provider: pd.DataFrame | None = None  # provider, allocated_usd, unallocated_usd

    @property
    def usage_usd(self) -> float:
        return sum(self.segments_usd.get(k, 0.0) for k in ("both", "usage_only_cloud", "usage_only_edge"))

    @property
    def focus_billed_usd(self) -> float:
        return sum(self.segments_usd.get(k, 0.0) for k in ("both", "focus_only", "unallocated"))

    def table(self) -> pd.DataFrame:
        """``segment, usage_usd, focus_usd, covers``: one row per ``SEGMENTS`` entry, its amount
        in the column of the source(s) it is in, then the two totals."""
        rows = []
        for key, (label, covers) in SEGMENTS.items():
            amount = self.segments_usd.get(key, 0.0)
            in_usage = key in ("both", "usage_only_cloud", "usage_only_edge")
            in_focus = key in ("both", "focus_only", "unallocated")
            rows.append((label, amount if in_usage else None, amount if in_focus else None, covers))
        rows.append(("Total", self.usage_usd, self.focus_billed_usd,
                     "Usage-derived cost and FOCUS billed cost of the months the export covers."))
        return pd.DataFrame(rows, columns=["segment", "usage_usd", "focus_usd", "covers"])


def reconcile_focus_with_usage(store: Store) -> FocusReconciliationReport:
    """What the FOCUS bill and the usage logs each cover, their overlap and the unallocated
    remainder (see ``FocusReconciliationReport`` for the formulas)."""
    from core.finance.unit_costs import serving_sql  # unit_costs reads the flags; keep this module light

    if not has_focus_table(store) or not store.scalar("SELECT count(*) FROM focus_charge"):
        return FocusReconciliationReport(False, "No FOCUS billing imported yet: import a FOCUS export on the "
                                                "Imports page.")
    # focus_charge: one row per billed line (thousands); usage_monthly is the rollup.
    by_month = store.frame(
        f"""
        WITH span AS (
            SELECT date_trunc('month', min(charge_period_start))::DATE AS first,
                   date_trunc('month', max(charge_period_start))::DATE AS last FROM focus_charge
        ), billed AS (
            SELECT initiative, date_trunc('month', charge_period_start)::DATE AS month,
                   sum(billed_cost)::DOUBLE AS focus_usd
            FROM focus_charge GROUP BY ALL
        ), used AS (
            SELECT u.initiative, u.month,
                   coalesce(sum(u.cost_usd) FILTER ({serving_sql()} <> 'edge'), 0)::DOUBLE AS cloud_usd,
                   coalesce(sum(u.cost_usd) FILTER ({serving_sql()} = 'edge'), 0)::DOUBLE AS edge_usd
            FROM usage_monthly u LEFT JOIN hardware_profile h ON h.name = u.hardware, span
            WHERE u.month BETWEEN span.first AND span.last GROUP BY ALL
        ), matched AS (
            SELECT coalesce(u.month, b.month) AS month, coalesce(u.cloud_usd, 0) AS cloud_usd,
                   coalesce(u.edge_usd, 0) AS edge_usd, coalesce(b.focus_usd, 0) AS focus_usd,
                   least(coalesce(u.cloud_usd, 0), coalesce(b.focus_usd, 0)) AS both_usd
            FROM used u FULL JOIN (SELECT * FROM billed WHERE initiative IS NOT NULL) b
                 ON b.initiative = u.initiative AND b.month = u.month
        ), months AS (
            SELECT month, sum(cloud_usd + edge_usd) AS usage_usd, sum(both_usd) AS both,
                   sum(cloud_usd - both_usd) AS usage_only_cloud, sum(edge_usd) AS usage_only_edge,
                   sum(focus_usd - both_usd) AS focus_only, sum(focus_usd) AS allocated_usd
            FROM matched GROUP BY month
        ), unallocated AS (
            SELECT month, sum(focus_usd) AS unallocated FROM billed WHERE initiative IS NULL GROUP BY month
        )
        SELECT coalesce(m.month, n.month) AS month, coalesce(m.usage_usd, 0) AS usage_usd,
               coalesce(m.allocated_usd, 0) + coalesce(n.unallocated, 0) AS focus_billed_usd,
               coalesce(m.both, 0) AS both, coalesce(m.usage_only_cloud, 0) AS usage_only_cloud,
               coalesce(m.usage_only_edge, 0) AS usage_only_edge, coalesce(m.focus_only, 0) AS focus_only,
               coalesce(n.unallocated, 0) AS unallocated
        FROM months m FULL JOIN unallocated n ON n.month = m.month
        ORDER BY month
        """)
    first, last = store.one("SELECT date_trunc('month', min(charge_period_start))::DATE, "
                            "date_trunc('month', max(charge_period_start))::DATE FROM focus_charge")
    outside = store.scalar("SELECT coalesce(sum(cost_usd), 0)::DOUBLE FROM usage_monthly WHERE month < ? OR month > ?",
                           [first, last])
    by_provider = store.frame(
        """SELECT provider_name AS provider,
                  coalesce(sum(billed_cost) FILTER (initiative IS NOT NULL), 0)::DOUBLE AS allocated_usd,
                  coalesce(sum(billed_cost) FILTER (initiative IS NULL), 0)::DOUBLE AS unallocated_usd
           FROM focus_charge GROUP BY ALL ORDER BY allocated_usd + unallocated_usd DESC, provider""")
    segments = {key: float(by_month[key].sum()) for key in SEGMENTS}
    return FocusReconciliationReport(True, "", first, last, segments, float(outside), by_month, by_provider)
