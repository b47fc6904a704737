"""Governance at a glance: who owns what, where ownership has gaps, and which agentic or
high-risk systems run without guardrails.

An initiative has a business owner (a person in the business unit, ``bu_owner``) and a platform
owner (the team that runs it, ``platform_owner``). The ownership matrix counts active (not
retired) initiatives per business unit × business owner × platform owner; a row's gaps are:

* no business owner / no platform owner — the field is blank or a placeholder (``UNASSIGNED``);
* an overloaded owner — a business owner of more than ``OWNER_LOAD_LIMIT`` active initiatives
  across the whole portfolio (nobody steers six systems well);
* systems without guardrails — the row's initiatives the ``no_guardrails`` flag raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.portfolio.flags import flagged_codes
from core.portfolio.period import as_of_date

if TYPE_CHECKING:
    from core.store import Store

OWNER_LOAD_LIMIT = 5
UNASSIGNED = ("", "-", "—", "n/a", "na", "none", "tbd", "unknown", "unassigned", "vacant")


def _assigned(name: str | None) -> bool:
    return name is not None and name.strip().lower() not in UNASSIGNED


def ownership_matrix(store: Store) -> pd.DataFrame:
    """One row per business unit × business owner × platform owner with ``initiatives``
    (active), ``live`` (production or scaled), ``unguarded`` (flagged no guardrails),
    ``spend_usd`` (actual cost to date), ``names`` (the initiatives, by name) and ``gaps`` (a list
    of sentences, empty when the row is sound), with the unit's name and head (missing when
    nobody is named). Sorted by business unit, then owner."""
    as_of = as_of_date(store)
    frame = store.frame(
        """
        SELECT i.business_unit, coalesce(b.name, i.business_unit) AS business_unit_name,
               b.head AS business_unit_head,
               i.bu_owner, i.platform_owner, i.code, i.name, i.stage,
               coalesce((SELECT sum(f.amount) FROM financial_line f WHERE f.initiative = i.code
                         AND f.kind = 'cost' AND f.scenario = 'actual' AND f.month <= $as_of), 0)::DOUBLE AS spend_usd
        FROM initiative i LEFT JOIN business_unit b ON b.code = i.business_unit
        WHERE i.stage <> 'retired'
        """,
        {"as_of": as_of},
    )
    columns = ["business_unit", "business_unit_name", "business_unit_head", "bu_owner", "platform_owner",
               "initiatives", "live", "unguarded", "spend_usd", "names", "gaps"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    unguarded = flagged_codes(store, "no_guardrails", as_of)
    frame["live"] = frame["stage"].isin(["production", "scaled"])
    frame["unguarded"] = frame["code"].isin(unguarded)
    load = frame.groupby("bu_owner")["code"].count()
    rows = []
    keys = ["business_unit", "business_unit_name", "business_unit_head", "bu_owner", "platform_owner"]
    for (unit, unit_name, head, owner, platform), part in frame.groupby(keys, sort=True, dropna=False):
        gaps = []
        if not _assigned(owner):
            gaps.append("no business owner")
        if not _assigned(platform):
            gaps.append("no platform owner")
        if _assigned(owner) and load.get(owner, 0) > OWNER_LOAD_LIMIT:
            gaps.append(f"{owner} owns {load[owner]} active initiatives (limit {OWNER_LOAD_LIMIT})")
        if part["unguarded"].any():
            count = int(part["unguarded"].sum())
            gaps.append(f"{count} without guardrails")
        rows.append({"business_unit": unit, "business_unit_name": unit_name,
                     "business_unit_head": head, "bu_owner": owner,
                     "platform_owner": platform, "initiatives": len(part), "live": int(part["live"].sum()),
                     "unguarded": int(part["unguarded"].sum()), "spend_usd": float(part["spend_usd"].sum()),
                     "names": sorted(part["name"]), "gaps": gaps})
    return pd.DataFrame(rows, columns=columns)


def owner_platform_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """Business owner (rows) × platform owner (columns): active initiatives, 0 where none."""
    if matrix.empty:
        return pd.DataFrame()
    return matrix.pivot_table(index="bu_owner", columns="platform_owner", values="initiatives",
                              aggfunc="sum", fill_value=0)
