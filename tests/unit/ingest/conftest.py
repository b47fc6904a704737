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


def check_bad_file(store, name: str, words: list[str]) -> None:
    """The bad-input contract for ``tests/data/bad/<name>`` (kind = the name's first word):
    rejected whole on a dry run and an import alike, every expected word in the problems'
    messages and hints (lower-cased), every problem with a hint and on one line (``Problem.line``),
    and nothing written."""
    kind = name.split("_", 1)[0]
    before, revision = counts(store), store.revision
    for dry_run in (True, False):
        result = run_import(store, kind, DATA / "bad" / name, dry_run=dry_run)
        assert result.status == "rejected", result
        assert result.rows_added == 0 and result.problems
        text = " ".join(f"{p.message} {p.hint}" for p in result.problems).lower()
        for word in words:
            assert word in text, f"{name}: {word!r} not in {text!r}"
        assert all(p.hint for p in result.problems), "every problem says how to fix it"
        lines = [p.line(name) for p in result.problems]
        assert all(line.startswith(name) and line.endswith("Nothing was imported.") and "\n" not in line
                   for line in lines), lines
        assert "nothing was saved" in result.summary()
    assert counts(store) == before and store.revision == revision


@pytest.fixture
def store(demo_store):
    return demo_store
