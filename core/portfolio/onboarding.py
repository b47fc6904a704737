"""What an organisation's store holds yet: the getting-started checklist and the counts every
page's empty state reads.

A store made by ``factory init`` starts empty. The checklist follows the order in which its
data can arrive (each step needs the one before it: financial lines and usage name
initiatives, usage without ``cost_usd`` is priced from the prices, a lab run is worth most once there is
usage to compare with), and ticks each step from what the store holds, never from a flag a
user sets. One query reads every count (a handful of ``count(*)`` over small tables and the
usage rollup, not the usage fact table).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.store import Store


@dataclass(frozen=True)
class StoreHoldings:
    """How many rows of each kind of data the store holds."""

    business_units: int
    initiatives: int
    financial_lines: int
    usage_months: int          # rows of the usage_monthly rollup (month × initiative × model × place)
    focus_charges: int
    prices: int
    snapshot_windows: int
    lab_runs: int
    models: int

    @property
    def has_usage(self) -> bool:
        return self.usage_months > 0


@dataclass(frozen=True)
class SetupStep:
    """One step of the checklist: ``kinds`` are the import kinds that fill it (the Imports
    page's ``?kind=``), ``page`` the page that fills it when it is not an import."""

    label: str
    done: bool
    detail: str
    kinds: tuple[str, ...] = ()
    page: str | None = None


def store_holdings(store: Store) -> StoreHoldings:
    """The row counts behind the checklist and the pages' empty states, in one query."""
    tables = ("business_unit", "initiative", "financial_line", "usage_monthly", "focus_charge", "model_price",
              "snapshot_window", "benchmark_run", "model")
    counts = store.one("SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in tables))
    return StoreHoldings(*(int(n) for n in counts))


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def setup_checklist(store: Store) -> list[SetupStep]:
    """The six steps from an empty store to a working portfolio, each ticked from the store."""
    held = store_holdings(store)
    usage = _plural(held.usage_months, "monthly usage row") if held.usage_months else "no usage yet"
    focus = _plural(held.focus_charges, "FOCUS charge") if held.focus_charges else "no FOCUS billing yet"
    return [
        SetupStep("Business units and initiatives", held.initiatives > 0,
                  f"{_plural(held.initiatives, 'initiative')} in {_plural(held.business_units, 'business unit')}"
                  if held.initiatives else "None yet: the initiatives file names each one's business unit.",
                  kinds=("initiatives",)),
        SetupStep("Financial lines", held.financial_lines > 0,
                  f"{_plural(held.financial_lines, 'line')} of cost, value and budget" if held.financial_lines
                  else "None yet: monthly cost, value and budget per initiative feed ROI, NPV and the verdicts.",
                  kinds=("financials",)),
        SetupStep("Model prices", held.prices > 0,
                  _plural(held.prices, "price") if held.prices
                  else "None yet: usage rows without cost_usd are priced from these.", kinds=("prices",)),
        SetupStep("Usage and FOCUS billing", held.has_usage and held.focus_charges > 0,
                  f"{usage}; {focus}", kinds=("usage", "focus")),
        SetupStep("Feature snapshots", held.snapshot_windows > 0,
                  _plural(held.snapshot_windows, "snapshot window") if held.snapshot_windows
                  else "None yet: snapshots of a model's inputs per window are what drift is measured on.",
                  kinds=("snapshots",)),
        SetupStep("A first lab run", held.lab_runs > 0,
                  _plural(held.lab_runs, "lab run") if held.lab_runs
                  else "None yet: a team lead uploads a benchmark workload in the Right-Size Lab.",
                  page="pages/rightsize_lab.py"),
    ]
