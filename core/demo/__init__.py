"""Build the deterministic demo store (``factory demo``; also run on first start).

``build_demo(path, seed=7, usage_rows=2_000_000)`` creates a new DuckDB file with eight
business units, sixty initiatives, 24 months of plan and actual money, hardware profiles,
models, demo accounts and about ``usage_rows`` usage events generated inside DuckDB.
The same seed always gives the same store.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from core.auth import hash_password
from core.demo import catalogue
from core.demo.prices import insert_list_prices
from core.demo.billing import generate_billing
from core.demo.portfolio import (FIRST_MONTH, LAST_MONTH, add_months, build_initiatives, financial_rows, month_index,
                                 usage_plan_rows)
from core.demo.snapshots import generate_snapshots
from core.demo.usage import generate_usage
from core.errors import ValidationError
from core.store import Store
from core.portfolio.usage import append_usage

DEFAULT_SEED = 7
DEFAULT_USAGE_ROWS = 2_000_000
MAX_USAGE_ROWS = 50_000_000


@dataclass(frozen=True)
class DemoResult:
    db: str
    business_units: int
    initiatives: int
    financial_lines: int
    usage_events: int
    seconds: float


def build_demo(path: Path | str, *, seed: int = DEFAULT_SEED, usage_rows: int = DEFAULT_USAGE_ROWS,
               replace: bool = False, with_lab: bool = True) -> DemoResult:
    """Create the demo database at ``path``; refuse to touch an existing file unless ``replace``.

    ``with_lab`` also runs one right-size lab on a demo workload and adopts its
    recommendation (about 5 s; see ``core.demo.lab``).
    """
    started = time.perf_counter()
    path = Path(path)
    if not 0 <= usage_rows <= MAX_USAGE_ROWS:
        raise ValidationError(f"--usage-rows must be between 0 and {MAX_USAGE_ROWS:,}; got {usage_rows:,}.")
    if path.exists():
        if not replace:
            raise ValidationError(f"{path} already exists; pass --replace to rebuild it, or choose another --db.")
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    store = Store.open(path)
    try:
        fill_demo(store, seed=seed, usage_rows=usage_rows)
        if with_lab:
            from core.demo.lab import seed_demo_lab  # imports scikit-learn: only when asked
            seed_demo_lab(store, seed=seed)
        counts = store.one(
            "SELECT (SELECT count(*) FROM business_unit), (SELECT count(*) FROM initiative),"
            " (SELECT count(*) FROM financial_line), (SELECT count(*) FROM usage_event)"
        )
        store.checkpoint()
    finally:
        store.close()
    return DemoResult(str(path), *counts, seconds=round(time.perf_counter() - started, 2))


def fill_demo(store: Store, *, seed: int = DEFAULT_SEED, usage_rows: int = DEFAULT_USAGE_ROWS) -> None:
    """Fill an empty, migrated store with the demo organisation (one transaction)."""
    rng = np.random.default_rng(seed)
    initiatives = build_initiatives(rng)
    money = []
    plans = []
    for item in initiatives:
        rows = financial_rows(rng, item)
        money.extend(rows)
        inference = defaultdict(float)
        for code, month, category, kind, scenario, amount in rows:
            if category == "inference" and scenario == "actual":
                inference[month] += amount
        plans.extend(usage_plan_rows(rng, item, inference))
    with store.system_write(action="demo.build", detail={"seed": seed, "usage_rows": usage_rows}) as cur:
        cur.executemany("INSERT INTO business_unit (code, name) VALUES (?, ?)",
                        [list(bu) for bu in catalogue.BUSINESS_UNITS])
        _insert_initiatives(cur, initiatives)
        _insert_money(cur, money)
        cur.executemany(
            "INSERT INTO hardware_profile (name, location, price_per_hour_usd, cores, accelerator, watts, description, "
            "overhead_per_request_usd, overhead_per_month_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [list(p) for p in catalogue.HARDWARE_PROFILES],
        )
        _insert_models(cur, initiatives)
        insert_list_prices(cur)
        for name, role, bu, password, display in catalogue.DEMO_ACCOUNTS:
            cur.execute(
                "INSERT INTO app_user (name, role, business_unit, password_hash, display_name) VALUES (?, ?, ?, ?, ?)",
                [name, role, bu, hash_password(password), display],
            )
        generate_billing(cur, initiatives, seed=seed)
        generate_usage(cur, plans, total_events=usage_rows, seed=seed)
        append_usage(cur, "demo_usage_staging")
        cur.execute("DROP TABLE demo_usage_staging")
        cur.execute("DROP TABLE demo_usage_plan")
        generate_snapshots(cur, seed=seed)  # drift monitor: snapshots + stored drift results
        cur.execute("UPDATE store_meta SET value = 'true' WHERE key = 'demo_mode'")


def _insert_initiatives(cur, initiatives) -> None:
    rows = []
    history = []
    readings = []
    for item in initiatives:
        kpi_name, kpi_unit, baseline, target = item.kpi
        current = None
        if kpi_name is not None and item.stage not in ("idea",):
            progress = {"winner": 1.05, "steady": 0.6, "costly": 0.5, "loser": 0.15}[item.archetype]
            progress = progress * (0.5 if item.stage == "pilot" else 1.0)
            current = round(baseline + (target - baseline) * progress, 2)
        rows.append([
            item.code, item.name, item.business_unit, item.stage, item.kind, item.bu_owner,
            item.platform_owner, kpi_name, kpi_unit, baseline, target, current, item.risk_tier,
            item.deployment, item.guardrails, item.stage_dates["idea"],
            item.stage_dates[item.stage], f"{item.kind.capitalize()} AI initiative of {item.business_unit}.",
        ])
        history.extend([item.code, stage, entered] for stage, entered in item.stage_dates.items())
        if current is not None:
            readings.extend(_kpi_readings(item, baseline, current))
    cur.executemany(
        "INSERT INTO initiative (code, name, business_unit, stage, kind, bu_owner, platform_owner, kpi_name,"
        " kpi_unit, kpi_baseline, kpi_target, kpi_current, risk_tier, deployment, guardrails, start_date,"
        " stage_since, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    cur.executemany("INSERT INTO stage_history (initiative, stage, entered) VALUES (?, ?, ?)", history)
    cur.executemany("INSERT INTO kpi_reading (initiative, recorded_on, value, recorded_by) VALUES (?, ?, ?, 'demo')",
                    readings)
    cur.executemany("INSERT INTO guardrail_incident (initiative, occurred_on, severity, what_happened, action_taken,"
                    " status, reported_by, closed_on) VALUES (?, ?, ?, ?, ?, ?, 'demo', ?)",
                    _incidents(initiatives))


def _kpi_readings(item, baseline: float, current: float) -> list[list]:
    """Quarterly KPI readings from the pilot (or idea) date to the last demo month, moving in a
    straight line from the baseline to today's value (no random draws: the demo's other
    figures keep their seed)."""
    start = item.stage_dates.get("pilot", item.stage_dates["idea"])
    first, last = month_index(start.replace(day=1)), month_index(LAST_MONTH)
    months = list(range(first, last + 1, 3))
    if months[-1] != last:
        months.append(last)
    steps = max(len(months) - 1, 1)
    return [[item.code, add_months(FIRST_MONTH, m - month_index(FIRST_MONTH)),
             round(baseline + (current - baseline) * k / steps, 2)] for k, m in enumerate(months)]


_INCIDENTS = (
    ("high", "The agent issued a refund above its limit without approval.",
     "Refund limit enforced in the tool; the payment reversed."),
    ("medium", "The agent answered a customer with another customer's order number.",
     "Retrieval scoped to the signed-in customer; affected customer informed."),
    ("low", "The agent looped on a failing API call for 40 minutes.", "Retry budget added."),
)


def _incidents(initiatives) -> list[list]:
    """Guardrail incidents for the demo's live agentic initiatives: a closed one for every
    second of them, and an open one for those running without guardrails (deterministic)."""
    rows = []
    agentic = [item for item in initiatives if item.kind == "agentic" and item.stage in ("production", "scaled")]
    for n, item in enumerate(agentic):
        severity, what, done = _INCIDENTS[n % len(_INCIDENTS)]
        occurred = add_months(LAST_MONTH, -(n % 5) - 1).replace(day=12)
        if n % 2 == 0:
            rows.append([item.code, occurred, severity, what, done, "closed", occurred.replace(day=20)])
        if item.guardrails == "none":
            rows.append([item.code, LAST_MONTH.replace(day=9), "high", "The agent changed a customer's plan without "
                         "the customer's confirmation.", "", "open", None])
    return rows


def _insert_money(cur, money: list[tuple]) -> None:
    names = ("initiative", "month", "category", "kind", "scenario", "amount")
    table = pa.table({name: list(values) for name, values in zip(names, zip(*money))})
    cur.register("demo_money", table)
    cur.execute(
        "INSERT INTO financial_line (initiative, month, category, kind, scenario, amount)"
        " SELECT initiative, month, category, kind, scenario, amount::DECIMAL(18, 2) FROM demo_money"
        " ORDER BY initiative, month"
    )
    cur.unregister("demo_money")


def _insert_models(cur, initiatives) -> None:
    for item in initiatives:
        if item.stage in ("idea",):
            continue
        for usage_name, row, _share in item.models:
            task = "classification" if item.kind == "predictive" else ("agent" if item.kind == "agentic" else "text generation")
            cur.execute(
                "INSERT INTO model (name, initiative, task, provider, description) VALUES (?, ?, ?, ?, ?)",
                [usage_name, item.code, task, row[1], f"Runs on {row[2]} ({row[3]})."],
            )
