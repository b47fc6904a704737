"""Page render times at scale vs the naive pandas way.

Builds (or reuses) a demo store with 10M usage events, then for each page prints the median
server-side render time of a cold AppTest run (caches cleared before each run, so every
query really executes) and the time of the same figures computed the naive way: load the
usage facts and financial lines into pandas and group there. Ratio = naive ÷ Factory Floor.

    .venv/bin/python bench/pages.py [--usage-rows 10000000] [--db bench/out/pages.duckdb] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.auth import Actor  # noqa: E402
from core.demo import build_demo  # noqa: E402
from core.store import Store  # noqa: E402

PAGES = {
    "Portfolio": ("pages/portfolio.py", {}),
    "Initiative": ("pages/initiative.py", {"initiative": "VCA-01"}),
    "ROI Review": ("pages/roi_review.py", {}),
    "Unit Costs": ("pages/unit_costs.py", {}),
}


def render_seconds(page: str, params: dict, runs: int) -> list[float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import state

    timings = []
    for _ in range(runs):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        # a session re-reads its user from the store at every run: the demo's executive account
        at.session_state[state.ACTOR] = Actor("exec", "viewer")
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        st.cache_data.clear()  # cold: every query runs again (the store stays open, as in the server)
        started = time.perf_counter()
        at.switch_page(page).run()
        timings.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    return timings


def naive_seconds(db: Path, page: str, runs: int) -> list[float]:
    """Load the facts into pandas and compute the page's usage and money figures there."""
    timings = []
    for _ in range(runs):
        store = Store.open(db)
        started = time.perf_counter()
        usage = store.frame("SELECT ts, initiative, model, requests, cost_usd::DOUBLE AS cost_usd FROM usage_event")
        money = store.frame("SELECT initiative, month, kind, scenario, amount::DOUBLE AS amount FROM financial_line")
        usage["month"] = usage["ts"].dt.to_period("M")
        if page == "Portfolio":
            monthly = usage.groupby(["initiative", "month"])[["requests", "cost_usd"]].sum()
            monthly["per_1k"] = 1000 * monthly["cost_usd"] / monthly["requests"]
            money.groupby(["initiative", "kind", "scenario"])["amount"].sum()
        else:
            one = usage[usage["initiative"] == "VCA-01"]
            one.groupby("month")[["requests", "cost_usd"]].sum()
            one.groupby("model")[["requests", "cost_usd"]].sum()
            money[money["initiative"] == "VCA-01"].groupby(["month", "kind", "scenario"])["amount"].sum()
        timings.append(time.perf_counter() - started)
        store.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--usage-rows", type=int, default=10_000_000)
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "pages.duckdb")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if args.db.exists():
        store = Store.open(args.db)
        have = store.scalar("SELECT count(*) FROM usage_event")
        store.close()
        if abs(have - args.usage_rows) > args.usage_rows * 0.01:
            build_demo(args.db, usage_rows=args.usage_rows, replace=True)
    else:
        print(f"building a demo store with {args.usage_rows:,} usage events …", flush=True)
        print(f"  {build_demo(args.db, usage_rows=args.usage_rows).seconds:.1f} s")
    os.environ["FACTORY_DB"] = str(args.db)
    from ui.store import reset_store
    print(f"store: {args.db} ({args.db.stat().st_size / 1e6:,.0f} MB), {args.runs} runs each, medians")
    print(f"{'page':<12} {'Factory Floor (cold AppTest)':>30} {'naive pandas':>14} {'ratio':>8}")
    for name, (page, params) in PAGES.items():
        ours = statistics.median(render_seconds(page, params, args.runs))
        reset_store()  # the naive baseline opens the file itself
        naive = statistics.median(naive_seconds(args.db, name, max(2, args.runs // 2)))
        print(f"{name:<12} {ours:>28.3f} s {naive:>12.3f} s {naive / ours:>7.1f}×", flush=True)



if __name__ == "__main__":
    main()
