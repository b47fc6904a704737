"""Benchmark: Factory Floor's validated usage import vs bare DuckDB vs pandas.

    .venv/bin/python bench/ingest.py [--rows 10000000] [--rounds 3] [--keep-csv]

Writes a seeded usage CSV of ``rows`` rows (10M ≈ 805 MB) to ``bench/out/`` (generated in
DuckDB from hashes of the row number, so the same ``rows`` always give the same bytes) and a
small store with the demo initiatives and no usage. Then, each in its own subprocess (so peak
RSS is separate), on a fresh copy of that store:

1. bare DuckDB: ``CREATE TABLE … AS SELECT * FROM read_csv(file)`` (typed auto-detection, no
   validation), with the store's limits (2 threads, 4 GB);
2. Factory Floor import: ``import_upload(path, dry_run=False)`` — one real import, which
   validates every cell and the kind's rules and loads in one transaction (with the monthly
   rollup) — then a CHECKPOINT;
3. Factory Floor dry run: ``import_upload(path, dry_run=True)`` alone (a user's choice before
   importing; printed separately, not part of the bar);
4. pandas: ``pandas.read_csv`` (pyarrow engine) then insert the frame into DuckDB.

The contenders run in ``--rounds`` interleaved rounds (default 3); prints each one's median
seconds, ratios of the medians to bare DuckDB, the import's ratio in every round, the highest
peak RSS (MB: each subprocess's own VmHWM) and the bars: the import ≤ 1.5× bare DuckDB, and
< pandas. (This shared 2-core machine swings ±20 % between single runs; medians hold still.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out" / "ingest"


def make_csv(rows: int) -> Path:
    """The usage CSV (our column names; OTel names cost the same: a header lookup)."""
    import duckdb

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"usage_{rows}.csv"
    if path.exists():
        return path
    codes = _codes()
    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count() or 2}")
    con.execute(
        """
        COPY (
            SELECT TIMESTAMP '2026-01-01' + to_seconds(CAST(i * 2 AS BIGINT)) AS ts,
                   list_extract(?, CAST(hash(i, 1) % len(?) AS INTEGER) + 1) AS initiative,
                   list_extract(['gpt-4o', 'gpt-4o-mini', 'gbm-classifier', 'claude-sonnet'],
                                CAST(hash(i, 2) % 4 AS INTEGER) + 1) AS model,
                   1 + CAST(hash(i, 3) % 5 AS INTEGER) AS requests,
                   CAST(hash(i, 4) % 4000 AS INTEGER) AS input_tokens,
                   CAST(hash(i, 5) % 900 AS INTEGER) AS output_tokens,
                   round((hash(i, 6) % 500000) / 100.0, 2) AS latency_ms,
                   round((hash(i, 7) % 10000000) / 1e9, 8) AS cost_usd,
                   CASE WHEN hash(i, 8) % 5 = 0 THEN 'edge' ELSE 'cloud' END AS location,
                   CASE WHEN hash(i, 8) % 5 = 0 THEN 'edge-arm' ELSE 'vendor-api' END AS hardware
            FROM range(?) t(i) ORDER BY i
        ) TO ? (HEADER, DELIMITER ',')
        """,
        [codes, codes, rows, str(path)],
    )
    return path


def _codes() -> list[str]:
    from core.store import Store

    store = Store.open(_template())
    try:
        return [r[0] for r in store.rows("SELECT code FROM initiative ORDER BY code")]
    finally:
        store.close()


def _template() -> Path:
    path = OUT / "template" / "store.duckdb"
    if not path.exists():
        from core.demo import build_demo

        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo(path, usage_rows=0)
    return path


def _fresh_store(name: str) -> Path:
    folder = OUT / f"run-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(_template(), folder / "store.duckdb")
    return folder / "store.duckdb"


def _fresh_connection(name: str):
    """A plain DuckDB connection to a fresh copy of the store, with the store's limits."""
    import duckdb

    con = duckdb.connect(str(_fresh_store(name)))
    con.execute("SET threads = 2")
    con.execute("SET memory_limit = '4GB'")
    return con


# -- the three contenders (each runs alone in a subprocess) ---------------------------------
def run_duckdb(csv: Path) -> dict:
    con = _fresh_connection("duckdb")
    started = time.perf_counter()
    con.execute("CREATE TABLE usage_bare AS SELECT * FROM read_csv(?)", [str(csv)])
    rows = con.execute("SELECT count(*) FROM usage_bare").fetchone()[0]
    con.execute("CHECKPOINT")
    return {"seconds": time.perf_counter() - started, "rows": rows}


def run_ours(csv: Path, dry_run: bool = False) -> dict:
    from core.auth import Actor
    from core.ingest import get_kind, import_upload
    from core.store import Store

    os.environ["FACTORY_MAX_UPLOAD_MB"] = "4096"
    store = Store.open(_fresh_store("ours-dry" if dry_run else "ours"))
    get_kind("usage")  # import the kind modules first (a running app has them loaded; scipy takes ~1.5 s)
    started = time.perf_counter()
    result = import_upload(store, Actor.local_admin(), "usage", csv.name, csv, dry_run=dry_run, preview_rows=20)
    if not dry_run:
        store.checkpoint()
    ended = time.perf_counter()
    assert result.status == ("dry_run" if dry_run else "imported"), (result.summary(), result.problems[:3])
    return {"seconds": ended - started, "rows": result.rows_added}


def run_ours_dry(csv: Path) -> dict:
    return run_ours(csv, dry_run=True)


def run_pandas(csv: Path) -> dict:
    import pandas as pd

    con = _fresh_connection("pandas")
    started = time.perf_counter()
    frame = pd.read_csv(csv, engine="pyarrow", parse_dates=["ts"])
    con.register("frame", frame)
    con.execute("CREATE TABLE usage_pandas AS SELECT * FROM frame")
    rows = con.execute("SELECT count(*) FROM usage_pandas").fetchone()[0]
    con.execute("CHECKPOINT")
    return {"seconds": time.perf_counter() - started, "rows": rows}


CONTENDERS = {"duckdb": run_duckdb, "ours": run_ours, "ours_dry": run_ours_dry, "pandas": run_pandas}
LABELS = {"duckdb": "bare DuckDB read_csv → table", "ours": "Factory Floor import (validated)",
          "ours_dry": "Factory Floor dry run (separate)", "pandas": "pandas.read_csv + DuckDB insert"}


def _peak_rss_mb() -> float:
    """This process's own peak resident set (``VmHWM``; ``ru_maxrss`` would carry the parent's
    peak across fork and exec, and the parent wrote the CSV)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(name: str, csv: Path) -> None:
    result = CONTENDERS[name](csv)
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep-csv", action="store_true", help="keep the generated CSV for the next run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of all contenders; medians are reported (default 3)")
    parser.add_argument("--child", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.csv)
        return
    started = time.perf_counter()
    csv = make_csv(args.rows)
    print(f"usage CSV: {args.rows:,} rows, {csv.stat().st_size / 2**20:,.0f} MB "
          f"(written in {time.perf_counter() - started:.1f} s) at {csv.relative_to(ROOT)}")
    # rounds interleave the contenders, so a slow spell of this shared machine hits all of them;
    # each contender's figure is its median over the rounds (the ratios too: per round, then median)
    rounds: list[dict] = []
    for _ in range(args.rounds):
        round_results = {}
        for name in CONTENDERS:
            done = subprocess.run([sys.executable, __file__, "--child", name, "--csv", str(csv)],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{LABELS[name]}: FAILED\n{done.stderr[-2000:]}")
                continue
            round_results[name] = json.loads(done.stdout.strip().splitlines()[-1])
        rounds.append(round_results)
    results = {name: {"seconds": statistics.median(r[name]["seconds"] for r in rounds),
                      "peak_rss_mb": max(r[name]["peak_rss_mb"] for r in rounds), "rows": rounds[0][name]["rows"]}
               for name in CONTENDERS if all(name in r for r in rounds)}
    if args.rounds > 1 and {"duckdb", "ours"} <= set(results):
        print("import ÷ bare DuckDB per round: " + ", ".join(
            f"{r['ours']['seconds'] / r['duckdb']['seconds']:.2f}×" for r in rounds))
    base = results.get("duckdb", {}).get("seconds")
    for name, r in results.items():
        ratio = f"{r['seconds'] / base:5.2f}× bare DuckDB" if base else ""
        print(f"{LABELS[name]:<34} {r['seconds']:7.1f} s  {ratio}  peak RSS {r['peak_rss_mb']:7,.0f} MB"
              f"  rows {r['rows']:,}")
    if {"duckdb", "ours", "pandas"} <= set(results):
        ours, bare, pandas = results["ours"]["seconds"], results["duckdb"]["seconds"], results["pandas"]["seconds"]
        print(f"bar import ≤ 1.5× bare DuckDB: {'PASS' if ours <= 1.5 * bare else 'FAIL'} ({ours / bare:.2f}×); "
              f"bar import < pandas: {'PASS' if ours < pandas else 'FAIL'} ({ours / pandas:.2f}× pandas); "
              f"peak RSS of the import {results['ours']['peak_rss_mb']:,.0f} MB")
    for name in CONTENDERS:
        shutil.rmtree(OUT / f"run-{name}", ignore_errors=True)
    if not args.keep_csv:
        csv.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
