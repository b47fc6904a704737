"""Helpers for the import tests: the data folder, table counts and a one-call import."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.ingest import import_upload
from tests.conftest import ADMIN

DATA = Path(__file__).resolve().parents[2] / "data"
FOCUS_SAMPLE = DATA / "focus" / "focus-1.0-sample-1000.csv"
# SQL: the usage facts of the import whose file had this sha256 (bind the sha256)
OF_IMPORT = "import_id = (SELECT id FROM import_ledger WHERE sha256 = ?)"
TABLES = ("business_unit", "initiative", "stage_history", "financial_line", "usage_event", "usage_monthly",
          "focus_charge", "import_ledger", "audit_event")


def counts(store) -> dict[str, int]:
    return {table: store.scalar(f"SELECT count(*) FROM {table}") for table in TABLES}


def run_import(store, kind, path: Path, actor=ADMIN, *, dry_run=False, **kw):
    return import_upload(store, actor, kind, path.name, path.read_bytes(), dry_run=dry_run, **kw)


@pytest.fixture
def store(demo_store):
    return demo_store
