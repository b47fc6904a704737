"""Shared fixtures: a small demo store (built once per run) and a tiny hand-made store."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from core.auth import Actor
from core.demo import build_demo
from core.store import Store

DEMO_USAGE_ROWS = 50_000

# Tests never open the user's store: `make run` may be serving it (and the Makefile exports
# FACTORY_DB). Every test that needs a store builds its own; whatever falls back to the setting
# (a CLI command without --db, a subprocess) gets a path in a fresh folder of this run.
USER_STORE_STAND_IN = Path(tempfile.mkdtemp(prefix="factory-tests-")) / "no-user-store.duckdb"
os.environ["FACTORY_DB"] = str(USER_STORE_STAND_IN)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """A demo database built once per test session (copy it before writing)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, usage_rows=DEMO_USAGE_ROWS)
    return path


@pytest.fixture
def demo_db_path(demo_db_template, tmp_path) -> Path:
    """A private copy of the demo database for one test."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    return path


@pytest.fixture
def demo_store(demo_db_path):
    store = Store.open(demo_db_path)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path):
    store = Store.open(tmp_path / "empty.duckdb")
    yield store
    store.close()


ADMIN = Actor("ada", "admin")
FINANCE = Actor("carl", "finance")
VIEWER = Actor("evelyn", "viewer")
LEAD_RETAIL = Actor("rita", "team_lead", "RETAIL")
LEAD_OPS = Actor("omar", "team_lead", "OPS")
ACTORS = {"viewer": VIEWER, "finance": FINANCE, "team_lead": LEAD_RETAIL, "admin": ADMIN}


def _initiative(code, bu, stage, kind="predictive", kpi="Churn", since=dt.date(2026, 1, 1)):
    return [code, f"Initiative {code}", bu, stage, kind, "Owner", "ML Platform", kpi, "%", 10.0, 5.0, 7.5,
            "low", "cloud", "none", dt.date(2025, 1, 1), since, ""]


@pytest.fixture
def tiny_store(tmp_path):
    """Four initiatives with hand-checkable money (see tests/unit/test_portfolio.py).

    A (production): cost 100 + 100 actual (plan 80 + 80), benefit 500 actual  -> ROI 150%
    B (scaled):     cost 300 actual (plan 300),            benefit 200 actual  -> ROI −33%
    C (pilot since 2025-06-01, no KPI): cost 50 actual,    benefit 0
    D (idea):       cost 10 actual
    As of 2026-02-28 (latest actual month 2026-02).
    """
    store = Store.open(tmp_path / "tiny.duckdb")
    lines = [
        ("A", "2026-01-01", "compute", "cost", "actual", 100), ("A", "2026-02-01", "compute", "cost", "actual", 100),
        ("A", "2026-01-01", "compute", "cost", "plan", 80), ("A", "2026-02-01", "compute", "cost", "plan", 80),
        ("A", "2026-02-01", "value", "benefit", "actual", 500),
        ("B", "2026-01-01", "people", "cost", "actual", 300), ("B", "2026-01-01", "people", "cost", "plan", 300),
        ("B", "2026-02-01", "value", "benefit", "actual", 200),
        ("C", "2026-02-01", "people", "cost", "actual", 50),
        ("D", "2026-02-01", "people", "cost", "actual", 10),
    ]
    with store.system_write(action="test.fixture") as cur:
        cur.executemany("INSERT INTO business_unit (code, name) VALUES (?, ?)", [["RETAIL", "Retail"], ["OPS", "Operations"]])
        cur.executemany(
            "INSERT INTO initiative VALUES (" + ", ".join("?" * 18) + ")",
            [_initiative("A", "RETAIL", "production"), _initiative("B", "OPS", "scaled"),
             _initiative("C", "RETAIL", "pilot", kpi=None, since=dt.date(2025, 6, 1)),
             _initiative("D", "OPS", "idea")],
        )
        cur.executemany("INSERT INTO stage_history VALUES (?, ?, ?)", [
            ["A", "idea", "2025-01-01"], ["A", "pilot", "2025-03-01"], ["A", "production", "2025-09-01"],
            ["B", "idea", "2025-01-01"], ["B", "pilot", "2025-02-01"], ["B", "production", "2025-05-01"],
            ["B", "scaled", "2025-11-01"],
            ["C", "idea", "2025-01-01"], ["C", "pilot", "2025-06-01"],
            ["D", "idea", "2026-02-01"],
        ])
        cur.executemany(
            "INSERT INTO financial_line (initiative, month, category, kind, scenario, amount) VALUES (?, ?, ?, ?, ?, ?)",
            [list(line) for line in lines],
        )
    yield store
    store.close()


class _RolledBack(Exception):
    """Raised inside ``rolled_back_write`` so its transaction is thrown away."""


def rolled_back_write(store, work):
    """``work(cur)`` inside a ``store.write`` (as the admin) that is then rolled back; returns what
    ``work`` returned. For test oracles that rebuild a derived table to compare it: read cursors
    are READ ONLY, and the comparison must not change the store."""
    result = []
    try:
        with store.write(ADMIN, "manage_users", action="test.rolled_back") as cur:
            result.append(work(cur))
            raise _RolledBack
    except _RolledBack:
        return result[0]
