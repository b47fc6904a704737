"""FOCUS cloud billing beside usage-derived cost.

The FOCUS import (``core.ingest.kinds.focus``) keeps each charge in ``focus_charge`` with the
initiative its tag rule allocated it to (NULL: unallocated). Usage-derived cost comes from the
``usage_monthly`` rollup (everything billed per call in the usage logs); FOCUS is what the
cloud provider invoiced. Billed cost is the cash view, effective cost the amortised one.
"""

from __future__ import annotations

from dataclasses import dataclass
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
