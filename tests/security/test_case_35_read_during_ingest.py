"""Case 35 — read during ingest: while a large usage import commits on one thread, a dashboard
query loops on another. Each read sees the store before the import or after it, never a part:
the usage cost total (``total_costs_by_source``, what the Unit Costs and FOCUS views add up from
the monthly rollup) is always one of the two expected values, and within one read snapshot the
facts and the rollup agree. An import that fails on its last row leaves every read at the
value before (that one runs the typed fast path, fails, and reruns on the text path).

The case names a 1M-row ingest; 200k generated rows (a ~10 MB CSV) keep it cheap on a shared
machine and still take long enough that the loop reads many times while the import runs (the
test asserts it did)."""

from __future__ import annotations

import threading

import pytest

from core.finance.focus_billing import total_costs_by_source
from core.ingest import import_upload
from tests.conftest import ADMIN

ROWS = 200_000
COST = 0.0125  # exact at the rollup's six decimals: the import adds ROWS × COST = 2,500 USD


def _usage(rows: int, last_row: str | None = None) -> bytes:
    codes = ("COA-01", "CP-01", "APM-01", "SRA-01")
    lines = ["ts,initiative,model,requests,cost_usd"]
    lines += [f"2026-0{1 + n % 9}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z,{codes[n % 4]},ingest-{n % 7},1,{COST}"
              for n in range(rows)]
    if last_row is not None:
        lines[-1] = last_row
    return ("\n".join(lines) + "\n").encode()


def _snapshot(store) -> tuple[int, float, float]:
    """(facts, their cost, the rollup's cost), read in one READ ONLY transaction."""
    with store.cursor() as cur:
        facts, fact_cost = cur.execute("SELECT count(*), sum(cost_usd)::DOUBLE FROM usage_event").fetchone()
        rollup_cost = cur.execute("SELECT sum(cost_usd)::DOUBLE FROM usage_monthly").fetchone()[0]
    return facts, fact_cost, rollup_cost


def _read_while(store, importing: threading.Thread) -> tuple[list[float], list[tuple]]:
    totals, snapshots = [], []
    importing.start()
    while importing.is_alive():
        totals.append(total_costs_by_source(store).usage_usd)
        snapshots.append(_snapshot(store))
    importing.join()
    return totals, snapshots


def _one_of(value: float, *expected: float) -> bool:
    return any(abs(value - e) < 1e-3 for e in expected)


def test_a_reader_sees_the_total_before_or_after_the_import_never_between(demo_store):
    before_total = total_costs_by_source(demo_store).usage_usd
    before_facts = demo_store.scalar("SELECT count(*) FROM usage_event")
    data = _usage(ROWS)
    result = {}
    importing = threading.Thread(target=lambda: result.update(
        r=import_upload(demo_store, ADMIN, "usage", "big.csv", data, dry_run=False)))
    totals, snapshots = _read_while(demo_store, importing)
    assert result["r"].status == "imported" and result["r"].rows_added == ROWS, result["r"].problems
    after_total = total_costs_by_source(demo_store).usage_usd
    assert after_total == pytest.approx(before_total + ROWS * COST, abs=1e-3)
    assert len(totals) >= 3, "the import finished before the reader could read during it"
    between = [t for t in totals if not _one_of(t, before_total, after_total)]
    assert not between, f"{len(between)} of {len(totals)} reads saw a partial import, e.g. {between[:3]}"
    for facts, fact_cost, rollup_cost in snapshots:
        assert facts in (before_facts, before_facts + ROWS)
        assert _one_of(rollup_cost, before_total, after_total)
        assert (facts == before_facts) == _one_of(rollup_cost, before_total)  # facts and rollup of one moment
        assert fact_cost == pytest.approx(rollup_cost, rel=1e-9)


def test_an_import_that_fails_on_its_last_row_leaves_every_read_at_the_value_before(demo_store):
    before = _snapshot(demo_store)
    before_total = total_costs_by_source(demo_store).usage_usd
    data = _usage(ROWS, last_row="2026-01-01T00:00:00Z,COA-01,ingest-0,1,N/A")
    result = {}
    importing = threading.Thread(target=lambda: result.update(
        r=import_upload(demo_store, ADMIN, "usage", "bad.csv", data, dry_run=False)))
    totals, snapshots = _read_while(demo_store, importing)
    assert result["r"].status == "rejected" and result["r"].problems[0].row == ROWS + 1
    assert len(totals) >= 3
    assert all(_one_of(t, before_total) for t in totals)
    assert set(snapshots) == {before} and _snapshot(demo_store) == before
