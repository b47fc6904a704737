"""Right-Size Lab benchmark: full ladder on 100k × 20 rows, and the harness's own overhead.

Run: .venv/bin/python bench/lab.py [--rows 100000]

Bars: full ladder (train + convert + measure, every candidate) < 60 s on a 2-core machine;
harness SingleStream / Offline time ≤ 1.05 × a bare ``InferenceSession.run`` loop on the same
model and rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.rightsize.backend import create_session  # noqa: E402
from core.rightsize.config import LabConfig  # noqa: E402
from core.rightsize.lab import run_lab  # noqa: E402
from core.rightsize.scenario import batch_feeds, measure_offline, measure_single_stream, slice_feeds  # noqa: E402

LADDER_BAR_S = 60.0
OVERHEAD_BAR = 1.05


def synthetic_workload(rows: int, seed: int = 0) -> pd.DataFrame:
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=rows, n_features=20, n_informative=10, n_redundant=4,
                               class_sep=0.8, random_state=seed)
    frame = pd.DataFrame(X, columns=[f"x{i:02d}" for i in range(20)])
    frame["target"] = y
    return frame


def bench_ladder(frame: pd.DataFrame):
    started = time.perf_counter()
    report = run_lab(frame, "target", LabConfig(ladder="full"))
    total_s = time.perf_counter() - started
    print(f"Full ladder on {len(frame):,} rows × {frame.shape[1] - 1} features "
          f"(train {report.rows_train:,} / test {report.rows_test:,}), {report.metric}:")
    print(f"  {'candidate':<48} {'train s':>8} {'convert s':>9} {'measure s':>9} {'quality':>8} "
          f"{'p50 µs':>8} {'rows/s':>10} {'$/1M':>10}")
    for c in report.candidates:
        cost = c.cost_on(report.profile)
        print(f"  {c.name:<48} {c.train_s or 0:>8.2f} {c.convert_s or 0:>9.2f} {c.measure_s or 0:>9.2f} "
              f"{c.quality if c.quality is not None else float('nan'):>8.4f} "
              f"{c.latency.p50_ms * 1e3 if c.latency else float('nan'):>8.1f} "
              f"{c.throughput_rps or float('nan'):>10,.0f} {cost.cost_per_1m_usd if cost else float('nan'):>10.2e}")
    parts = {k: sum(getattr(c, k) or 0 for c in report.candidates) for k in ("train_s", "convert_s", "measure_s")}
    print(f"  totals: train {parts['train_s']:.1f} s, convert {parts['convert_s']:.1f} s, "
          f"measure {parts['measure_s']:.1f} s, wall {total_s:.1f} s "
          f"(bar < {LADDER_BAR_S:.0f} s: {'PASS' if total_s < LADDER_BAR_S else 'FAIL'})")
    print(f"  {report.sentence}")
    return report


def bench_overhead(report, frame: pd.DataFrame, rounds: int = 7, calls: int = 2000) -> None:
    """Interleave bare and harness runs on one session; compare medians of per-call time."""
    name = next(c.name for c in report.candidates if c.name.startswith("HistGradientBoosting"))
    session = create_session(report.onnx_bytes_by_name[name])
    X = frame.drop(columns=["target"]).to_numpy(dtype=np.float32)[:20_000]
    feeds = {"input": X}
    single = [slice_feeds(feeds, i, i + 1) for i in range(64)]
    batches = batch_feeds(feeds, 256)
    for feed in single * 5:
        session.run(None, feed)
    bare_single, harness_single, bare_batch, harness_batch = [], [], [], []
    passes = 3
    for round_index in range(rounds):
        # alternate which goes first so drift in machine load hits both sides alike
        for harness_first in ((round_index % 2 == 0), (round_index % 2 == 1)):
            if harness_first:
                harness_single.append(float(np.mean(measure_single_stream(session, single, 0, calls))))
                rows, wall_s, _ = measure_offline(session, batches, len(X), 0.0, passes)
                harness_batch.append(rows / wall_s)
            else:
                started = time.perf_counter()
                for i in range(calls):
                    session.run(None, single[i % 64])
                bare_single.append((time.perf_counter() - started) / calls * 1e3)
                started = time.perf_counter()
                for _ in range(passes):
                    for feed in batches:
                        session.run(None, feed)
                bare_batch.append(passes * len(X) / (time.perf_counter() - started))
    single_ratio = statistics.median(harness_single) / statistics.median(bare_single)
    batch_ratio = statistics.median(bare_batch) / statistics.median(harness_batch)
    print(f"Harness overhead on {name} (medians of {rounds} interleaved rounds):")
    print(f"  SingleStream: bare loop {statistics.median(bare_single) * 1e3:.2f} µs/call, harness "
          f"{statistics.median(harness_single) * 1e3:.2f} µs/call, ratio {single_ratio:.3f} "
          f"(bar ≤ {OVERHEAD_BAR}: {'PASS' if single_ratio <= OVERHEAD_BAR else 'FAIL'})")
    print(f"  Offline (batch 256): bare {statistics.median(bare_batch):,.0f} rows/s, harness "
          f"{statistics.median(harness_batch):,.0f} rows/s, time ratio {batch_ratio:.3f} "
          f"(bar ≤ {OVERHEAD_BAR}: {'PASS' if batch_ratio <= OVERHEAD_BAR else 'FAIL'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    frame = synthetic_workload(args.rows)
    report = bench_ladder(frame)
    bench_overhead(report, frame)


if __name__ == "__main__":
    main()
