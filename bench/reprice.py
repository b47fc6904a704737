"""Benchmark: re-pricing usage from a date vs importing the same usage.

    .venv/bin/python bench/reprice.py [--rows 2000000] [--rounds 3]

Writes a seeded usage CSV of ``rows`` rows without ``cost_usd`` (so the price book prices
every row) over three priced models, January to March 2026, to ``bench/out/reprice/``. Each
round, on a fresh copy of a store with the demo initiatives and list prices and no usage:

1. baseline — the validated import of the file (``import_upload``, dry_run=False) and a
   CHECKPOINT: what it costs to bring these rows in;
2. a new price for each model from 2026-01-01 (``save_prices``, not timed);
3. re-pricing from 2026-01-01 (``reprice_from``: every row rewritten, the rollup rebuilt,
   one audited transaction) and a CHECKPOINT.

Prints each round's seconds and ratio, the medians, and the bar: re-pricing < 1.5× the import
(issue 11). Both are measured in the same process and round, so a slow spell of this shared
2-core machine hits both.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "bench" / "out" / "reprice"
MODELS = ("gpt-4o", "gpt-4o-mini", "claude-sonnet")
BAR = 1.5


def make_csv(rows: int) -> Path:
    import duckdb

    from ingest import _codes  # the demo initiatives of bench/ingest.py's template store

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"usage_{rows}_book_priced.csv"
    if path.exists():
        return path
    codes = _codes()
    con = duckdb.connect()
    con.execute(
        """
        COPY (
            SELECT TIMESTAMP '2026-01-01' + to_microseconds(CAST(i * (7776000e6 / ?) AS BIGINT)) AS ts,
                   list_extract(?, CAST(hash(i, 1) % len(?) AS INTEGER) + 1) AS initiative,
                   list_extract(?, CAST(hash(i, 2) % 3 AS INTEGER) + 1) AS model,
                   1 + CAST(hash(i, 3) % 5 AS INTEGER) AS requests,
                   CAST(hash(i, 4) % 4000 AS INTEGER) AS input_tokens,
                   CAST(hash(i, 5) % 900 AS INTEGER) AS output_tokens,
                   round((hash(i, 6) % 500000) / 100.0, 2) AS latency_ms
            FROM range(?) t(i) ORDER BY i
        ) TO ? (HEADER, DELIMITER ',')
        """,
        [rows, codes, codes, list(MODELS), rows, str(path)],
    )
    return path


def one_round(csv: Path, number: int) -> dict:
    from core.auth import Actor
    from core.finance import price_book
    from core.ingest import get_kind, import_upload
    from core.store import Store
    from ingest import _fresh_store

    os.environ["FACTORY_MAX_UPLOAD_MB"] = "4096"
    store = Store.open(_fresh_store(f"reprice-{number}"))
    actor = Actor.local_admin()
    get_kind("usage")  # the kind modules loaded first, as in a running app
    try:
        started = time.perf_counter()
        result = import_upload(store, actor, "usage", csv.name, csv, dry_run=False, preview_rows=20)
        store.checkpoint()
        imported_s = time.perf_counter() - started
        assert result.status == "imported", (result.summary(), result.problems[:3])

        shown = price_book.list_prices(store)
        cheaper = [{"model": row["model"], "provider": row["provider"], "valid_from": "2026-01-01",
                    "input_usd_per_1m": row["input_usd_per_1m"] * 9 / 10,
                    "output_usd_per_1m": row["output_usd_per_1m"] * 9 / 10}
                   for row in shown if row["model"] in MODELS]
        price_book.save_prices(store, actor, [*shown, *cheaper], shown=shown)

        started = time.perf_counter()
        report = price_book.reprice_from(store, actor, "2026-01-01")
        store.checkpoint()
        repriced_s = time.perf_counter() - started
        assert report.applied and report.rows == result.rows_added, report.to_dict()
        return {"rows": report.rows, "import_s": imported_s, "reprice_s": repriced_s,
                "before_usd": float(report.before_usd), "after_usd": float(report.after_usd)}
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    csv = make_csv(args.rows)
    print(f"usage CSV: {args.rows:,} rows without cost_usd, {csv.stat().st_size / 2**20:,.0f} MB")
    rounds = []
    for number in range(1, args.rounds + 1):
        result = one_round(csv, number)
        ratio = result["reprice_s"] / result["import_s"]
        rounds.append({**result, "ratio": ratio})
        print(f"round {number}: import {result['import_s']:.2f} s, re-price {result['reprice_s']:.2f} s "
              f"(ratio {ratio:.2f}); cost ${result['before_usd']:,.2f} → ${result['after_usd']:,.2f}")
    import_s = statistics.median(r["import_s"] for r in rounds)
    reprice_s = statistics.median(r["reprice_s"] for r in rounds)
    ratio = statistics.median(r["ratio"] for r in rounds)
    print(f"\nmedian of {args.rounds} rounds, {rounds[0]['rows']:,} rows:")
    print(f"  baseline: Factory Floor import (validated)  {import_s:7.2f} s")
    print(f"  re-price from 2026-01-01 (all rows)         {reprice_s:7.2f} s   {ratio:.2f}× the import")
    verdict = "PASS" if ratio < BAR else "FAIL"
    print(f"bar: re-pricing < {BAR}× the import: {verdict}")


if __name__ == "__main__":
    main()
