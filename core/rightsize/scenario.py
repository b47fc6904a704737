"""Scenarios that warm up and time a session (names borrowed from MLPerf Inference).

* SingleStream: one row per call, one call after another; warm-up calls are excluded and each
  timed call is measured alone with ``perf_counter_ns`` (feeds are sliced before timing, so the
  harness adds only the timer calls).
* Offline: every held-out row in batches of ``batch_size``; throughput = rows ÷ wall seconds and
  CPU seconds per inference = process CPU seconds ÷ rows, over at least ``offline_min_s``.

Imports numpy and onnxruntime only: this module runs inside the measurement worker process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

SINGLE_ROW_FEEDS = 64  # distinct rows cycled through by SingleStream


class InputMismatch(ValueError):
    """The model asks for inputs the workload does not provide (a message in the user's terms)."""


@dataclass(frozen=True)
class ScenarioSettings:
    batch_size: int = 256
    warmup_runs: int = 20
    latency_repetitions: int = 300
    offline_min_s: float = 0.3
    offline_max_passes: int = 5
    single_stream_max_s: float = 10.0  # stop timing single rows early for a very slow model


def slice_feeds(feeds: dict[str, np.ndarray], start: int, stop: int) -> dict[str, np.ndarray]:
    return {name: array[start:stop] for name, array in feeds.items()}


def batch_feeds(feeds: dict[str, np.ndarray], batch_size: int) -> list[dict[str, np.ndarray]]:
    n_rows = len(next(iter(feeds.values())))
    return [slice_feeds(feeds, start, start + batch_size) for start in range(0, n_rows, batch_size)]


def run_all(session, batches) -> list[tuple[str, np.ndarray]]:
    """Outputs for every row, batch by batch, concatenated per output (strings as numpy str)."""
    names = [output.name for output in session.get_outputs()]
    pieces = [session.run(None, feed) for feed in batches]
    outputs = []
    for i, name in enumerate(names):
        array = np.concatenate([np.asarray(piece[i]) for piece in pieces], axis=0)
        if array.dtype == object:
            array = array.astype(str)
        outputs.append((name, array))
    return outputs


def measure_single_stream(session, single_feeds, warmup_runs: int, repetitions: int,
                          max_seconds: float = 10.0) -> np.ndarray:
    """Latency in ms of ``repetitions`` single-row calls after ``warmup_runs`` untimed calls."""
    run = session.run
    count = len(single_feeds)
    for i in range(warmup_runs):
        run(None, single_feeds[i % count])
    latencies_ns = np.empty(repetitions, dtype=np.int64)
    clock = time.perf_counter_ns
    stop_ns = clock() + int(max_seconds * 1e9)
    done = 0
    for i in range(repetitions):
        feed = single_feeds[i % count]
        start = clock()
        run(None, feed)
        end = clock()
        latencies_ns[i] = end - start
        done += 1
        if end > stop_ns:
            break
    return latencies_ns[:done] / 1e6


def measure_offline(session, batches, n_rows: int, min_seconds: float, max_passes: int):
    """(rows scored, wall seconds, process CPU seconds) over ≥ 1 full pass, until ``min_seconds``."""
    run = session.run
    rows = 0
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(max_passes):
        for feed in batches:
            run(None, feed)
        rows += n_rows
        if time.perf_counter() - wall_start >= min_seconds:
            break
    return rows, time.perf_counter() - wall_start, time.process_time() - cpu_start


def measure_candidate(model_bytes: bytes, feeds: dict[str, np.ndarray], settings: ScenarioSettings):
    """Create a session, score every row, time Offline then SingleStream.

    Returns ``(header, arrays)``: a JSON-safe dict of figures and the arrays (latencies, outputs).
    """
    from core.rightsize.backend import create_session

    wall_start = time.perf_counter()
    session = create_session(model_bytes)
    session_create_ms = (time.perf_counter() - wall_start) * 1e3
    expected = [i.name for i in session.get_inputs()]
    missing = [name for name in expected if name not in feeds]
    if missing:
        raise InputMismatch(f"the model asks for inputs {missing} that the workload does not provide")
    feeds = {name: feeds[name] for name in expected}
    n_rows = len(feeds[expected[0]])
    single = [slice_feeds(feeds, i, i + 1) for i in range(min(SINGLE_ROW_FEEDS, n_rows))]

    start = time.perf_counter()
    session.run(None, single[0])
    first_inference_ms = (time.perf_counter() - start) * 1e3

    batches = batch_feeds(feeds, settings.batch_size)
    outputs = run_all(session, batches)  # also warms the batch path up before Offline timing
    rows, wall_s, cpu_s = measure_offline(session, batches, n_rows, settings.offline_min_s,
                                          settings.offline_max_passes)
    latencies_ms = measure_single_stream(session, single, settings.warmup_runs,
                                         settings.latency_repetitions, settings.single_stream_max_s)
    header = {
        "session_create_ms": session_create_ms,
        "first_inference_ms": first_inference_ms,
        "offline_rows": rows, "offline_wall_s": wall_s, "offline_cpu_s": cpu_s,
        "throughput_rps": rows / wall_s if wall_s > 0 else None,
        "cpu_seconds_per_inference": cpu_s / rows if rows else None,
        "output_names": [name for name, _ in outputs],
    }
    return header, [latencies_ms] + [array for _, array in outputs]
