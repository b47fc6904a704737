"""Case 33 — concurrent uploads: two sessions (threads here, each calling the entry point the
Imports page and the Right-Size Lab call) upload at the same moment.

* Different files: both land whole, with their exact row counts, each row stamped with its own
  import, the monthly rollup still the exact GROUP BY of the facts (writes are serialised by
  the store's one write lock, so nothing interleaves).
* The same file: one import, and the other is told it was already imported (the ledger is
  keyed by the file's sha256, checked again inside the write); the same workload file twice
  at once is stored once and both sessions get that workload."""

from __future__ import annotations

import threading

import pytest

from core.ingest import import_upload
from core.lab.workloads import list_workloads, save_workload
from tests.conftest import ADMIN, LEAD_RETAIL
from tests.unit.lab.lab_fixtures import CSV_BYTES

ROWS = 20_000


def _usage(rows: int, model: str, cost: str = "0.001") -> bytes:
    lines = ["ts,initiative,model,requests,cost_usd"]
    lines += [f"2026-03-{1 + n % 28:02d}T10:{n % 60:02d}:00Z,{'COA-01' if n % 2 else 'CP-01'},{model},1,{cost}"
              for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _at_once(*calls):
    """Run the calls on threads released together; their results (or errors) in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "an upload hung"
    return results


def _rollup_matches_facts(store) -> bool:
    """For this file's models (costs exact at the rollup's 6 decimals)."""
    facts = store.rows("SELECT initiative, model, count(*), sum(requests), sum(cost_usd) FROM usage_event"
                       " WHERE model LIKE 'model-%' GROUP BY ALL ORDER BY ALL")
    rollup = store.rows("SELECT initiative, model, sum(events), sum(requests), sum(cost_usd) FROM usage_monthly"
                        " WHERE model LIKE 'model-%' GROUP BY ALL ORDER BY ALL")
    return bool(facts) and facts == rollup


@pytest.mark.parametrize("fast", [True, False])
def test_two_different_files_at_once_both_land_whole(demo_store, fast):
    before = demo_store.scalar("SELECT count(*) FROM usage_event")
    first, second = _usage(ROWS, "model-a"), _usage(ROWS + 1, "model-b")
    results = _at_once(
        lambda: import_upload(demo_store, ADMIN, "usage", "a.csv", first, dry_run=False, fast=fast),
        lambda: import_upload(demo_store, LEAD_RETAIL, "usage", "b.csv", second, dry_run=False, fast=fast))
    assert [(r.status, r.rows_added) for r in results] == [("imported", ROWS), ("imported", ROWS + 1)], results
    assert demo_store.scalar("SELECT count(*) FROM usage_event") == before + 2 * ROWS + 1
    per_import = demo_store.rows(
        "SELECT l.file_name, l.rows_added, count(*), count(DISTINCT e.model), min(e.model) FROM usage_event e"
        " JOIN import_ledger l ON l.id = e.import_id WHERE l.file_name IN ('a.csv', 'b.csv') GROUP BY ALL ORDER BY 1")
    assert per_import == [("a.csv", ROWS, ROWS, 1, "model-a"), ("b.csv", ROWS + 1, ROWS + 1, 1, "model-b")]
    assert _rollup_matches_facts(demo_store)


@pytest.mark.parametrize("fast", [True, False])
def test_the_same_file_at_once_is_imported_once_and_the_other_is_told(demo_store, fast):
    data = _usage(ROWS, "model-same")
    before = demo_store.scalar("SELECT count(*) FROM usage_event")
    imports = demo_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'import.usage'")
    results = _at_once(
        lambda: import_upload(demo_store, ADMIN, "usage", "same.csv", data, dry_run=False, fast=fast),
        lambda: import_upload(demo_store, LEAD_RETAIL, "usage", "same-copy.csv", data, dry_run=False, fast=fast))
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(r.status for r in results) == ["duplicate", "imported"]
    [duplicate] = [r for r in results if r.status == "duplicate"]
    assert duplicate.rows_added == 0 and "already imported" in duplicate.notes[0]
    assert demo_store.scalar("SELECT count(*) FROM usage_event") == before + ROWS
    assert demo_store.scalar("SELECT count(*) FROM import_ledger WHERE sha256 = ?", [results[0].sha256]) == 1
    assert demo_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'import.usage'") == imports + 1
    assert _rollup_matches_facts(demo_store)


def test_the_same_workload_file_at_once_is_stored_once(demo_store):
    before = len(list_workloads(demo_store))
    uploads = demo_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'workload.upload'")
    results = _at_once(*[lambda: save_workload(demo_store, LEAD_RETAIL, "churn", CSV_BYTES, file_name="churn.csv",
                                               business_unit="RETAIL") for _ in range(2)])
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert results[0].id == results[1].id and sorted(r.created for r in results) == [False, True]
    assert len(list_workloads(demo_store)) == before + 1
    assert demo_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'workload.upload'") == uploads + 1
