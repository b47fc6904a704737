"""Portfolio flags: named warnings, each a query returning initiative codes.

``FLAGS`` is filled by one explicit list at the end of this module (never by importing some
other module for its side effects), so every process — the CLI, the board pack, a server
where nobody opened the Drift page yet — sees every flag. Adding a flag is one function
plus one ``Flag(...)`` line there. Each flag states its rule in words for the page's legend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.drift.queries import drifting_initiatives
from core.portfolio.period import complete_months_end

if TYPE_CHECKING:
    from core.store import Store

STALLED_PILOT_MONTHS = 6
OVER_BUDGET_SHARE = 0.10
RISING_UNIT_COST_SHARE = 0.10


@dataclass(frozen=True)
class Flag:
    """One warning: ``codes(store, as_of)`` returns the codes of the initiatives it flags at
    the reporting date ``as_of`` (``core.portfolio.period.as_of_date``)."""

    name: str
    label: str
    rule: str
    codes: Callable[[Store, dt.date], set[str]]


def flagged_codes(store: Store, name: str, as_of: dt.date) -> set[str]:
    """Codes of the initiatives flag ``name`` (a key of ``FLAGS``) raises at ``as_of``."""
    return FLAGS[name].codes(store, as_of)


def _no_kpi(store: Store, as_of: dt.date) -> set[str]:
    return {r[0] for r in store.rows("SELECT code FROM initiative WHERE kpi_name IS NULL AND stage <> 'retired'")}


def _no_guardrails(store: Store, as_of: dt.date) -> set[str]:
    # 'none' is the one value of GUARDRAILS (core.entities) that is neither human approval nor a validator agent
    rows = store.rows("SELECT code FROM initiative WHERE (kind = 'agentic' OR risk_tier = 'high') "
                      "AND guardrails = 'none' AND stage <> 'retired'")
    return {r[0] for r in rows}


def _open_incident(store: Store, as_of: dt.date) -> set[str]:
    # the guardrail incident log (core.portfolio.editing): logged, not yet closed, by the reporting date
    rows = store.rows("SELECT DISTINCT initiative FROM guardrail_incident WHERE status = 'open' AND occurred_on <= ?",
                      [as_of])
    return {r[0] for r in rows}


def _stalled_pilot(store: Store, as_of: dt.date) -> set[str]:
    rows = store.rows(
        "SELECT code FROM initiative WHERE stage = 'pilot' AND stage_since < ?::DATE - INTERVAL (?) MONTH",
        [as_of, STALLED_PILOT_MONTHS],
    )
    return {r[0] for r in rows}


def _over_budget(store: Store, as_of: dt.date) -> set[str]:
    rows = store.rows(
        """
        SELECT initiative FROM financial_line
        WHERE kind = 'cost' AND month <= ?
        GROUP BY initiative
        HAVING sum(amount) FILTER (scenario = 'actual') > (1 + ?) * sum(amount) FILTER (scenario = 'plan')
        """,
        [as_of, OVER_BUDGET_SHARE],
    )
    return {r[0] for r in rows}


def _unit_cost_rising(store: Store, as_of: dt.date) -> set[str]:
    return {code for code, recent, before in unit_cost_windows(store, as_of) if recent > (1 + RISING_UNIT_COST_SHARE) * before}


def unit_cost_windows(store: Store, as_of: dt.date) -> list[tuple[str, float, float]]:
    """(initiative, USD per inference over the last 3 months, over the 3 months before) for
    initiatives with usage in both windows; the ``unit_cost_rising`` flag compares them.
    The windows end at the last complete month (``period.complete_months_end``): a partial
    month's few days never move the flag."""
    end = complete_months_end(as_of)
    # usage_monthly is the rollup (initiative × month × model …): a few thousand rows.
    rows = store.rows(
        """
        WITH windows AS (
            SELECT initiative,
                   sum(cost_usd) FILTER (month > ?::DATE - INTERVAL 3 MONTH)::DOUBLE
                     / nullif(sum(requests) FILTER (month > ?::DATE - INTERVAL 3 MONTH), 0) AS recent,
                   sum(cost_usd) FILTER (month <= ?::DATE - INTERVAL 3 MONTH)::DOUBLE
                     / nullif(sum(requests) FILTER (month <= ?::DATE - INTERVAL 3 MONTH), 0) AS before
            FROM usage_monthly
            WHERE month > ?::DATE - INTERVAL 6 MONTH AND month <= ?
            GROUP BY initiative
        )
        SELECT initiative, recent, before FROM windows WHERE recent IS NOT NULL AND before IS NOT NULL
        ORDER BY initiative
        """,
        [end] * 6,
    )
    return [(r[0], float(r[1]), float(r[2])) for r in rows]


#: Every flag, in the order the Portfolio shows them.
FLAGS: dict[str, Flag] = {flag.name: flag for flag in (
    Flag("no_kpi", "No KPI", "No KPI is defined, so its value cannot be judged.", _no_kpi),
    Flag("no_guardrails", "No guardrails",
         "An agentic or high-risk system with neither human approval nor a validator agent.", _no_guardrails),
    Flag("open_incident", "Open incident", "A guardrail incident is logged for it and not yet closed.",
         _open_incident),
    Flag("stalled_pilot", "Stalled pilot", f"In pilot for more than {STALLED_PILOT_MONTHS} months.", _stalled_pilot),
    Flag("over_budget", "Over budget",
         f"Actual cost to date exceeds the plan to date by more than {OVER_BUDGET_SHARE:.0%}.", _over_budget),
    Flag("unit_cost_rising", "Unit cost rising",
         f"Cost per 1,000 inferences over the last 3 months is more than {RISING_UNIT_COST_SHARE:.0%} "
         "above the 3 months before.", _unit_cost_rising),
    Flag("drifting", "Drifting", "A model of this initiative shows dataset drift in its latest window.",
         drifting_initiatives),
)}
