"""Hand-built lab reports and a store with known usage, so savings can be checked by hand.

Initiative A (RETAIL) in ``tiny_store`` gets usage in the 12 months up to 2026-02-28:
2026-01: 1,000,000 requests for $500; 2026-02: 1,000,000 requests for $700 (and 2025-01,
outside the window: 5,000,000 requests for $99,999). So volume_12m = 2,000,000 (and the
usage logs say $0.0006 per call — which savings must NOT be measured against).

``hand_report`` measured today's model ("Today · churn-gbm v3", quality 0.92) at $400 per 1M
inferences on cloud-cpu-4, the recommended "small" at $10 per 1M: savings = ($0.0004 −
$0.00001) × 2,000,000 = $780 a year. Every candidate's single-row latencies are 0.01, 0.02,
0.03, 0.05 ms: mean 0.0275, p50 0.025, p95 0.047 (numpy's linear interpolation).
"""

from __future__ import annotations

import zlib

import onnx
from onnx import TensorProto, helper

from core.rightsize.report import CandidateResult, LabReport, LatencyReport, ProfileCost

PROFILE = "cloud-cpu-4"
CSV_BYTES = b"x1,x2,label\n" + b"".join(f"{i},{i % 7},{i % 2}\n".encode() for i in range(60))


def distinct_csv(tag: str) -> bytes:
    """CSV_BYTES with one more valid row numbered from ``tag``: different bytes (a workload is
    stored once per content), the same columns."""
    return CSV_BYTES + f"{1000 + zlib.crc32(tag.encode()) % 100000},1,0\n".encode()


def identity_onnx(width: int = 2) -> bytes:
    graph = helper.make_graph([helper.make_node("Identity", ["input"], ["output"])], "identity",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, width])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, width])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model.SerializeToString()


def _candidate(name: str, quality: float, cost_per_1m_usd: float, source: str = "ladder") -> CandidateResult:
    return CandidateResult(
        name=name, source=source, status="ok", quality=quality, quality_ci=(quality - 0.02, quality + 0.01),
        latency=LatencyReport.from_values([0.01, 0.02, 0.03, 0.05]), throughput_rps=50_000.0, batch_size=256,
        size_bytes=1234, cpu_seconds_per_inference=1e-5, parity_max_abs_diff=1e-7,
        costs=(ProfileCost(PROFILE, cost_per_1m_usd, 0.01), ProfileCost("edge-arm", cost_per_1m_usd / 5, 0.002)))


TODAY = "Today · churn-gbm v3"


def hand_report(small_cost_per_1m_usd: float = 10.0, big_cost_per_1m_usd: float = 100.0, *,
                today_cost_per_1m_usd: float | None = 400.0, today_quality: float = 0.92,
                today_failed: bool = False) -> LabReport:
    """'small' (quality 0.90) recommended, 'big' (0.93) best, both on the frontier, and today's
    model (``today_cost_per_1m_usd=None``: the run had none; ``today_failed``: it was rejected)."""
    small, big = _candidate("small", 0.90, small_cost_per_1m_usd), _candidate("big", 0.93, big_cost_per_1m_usd)
    failed = CandidateResult(name="broken", source="upload", status="rejected", reason="not an ONNX file")
    candidates = (small, big, failed)
    if today_failed:
        candidates += (CandidateResult(name=TODAY, source="today", status="rejected",
                                       reason="its inputs do not match the workload's feature columns"),)
    elif today_cost_per_1m_usd is not None:
        candidates += (_candidate(TODAY, today_quality, today_cost_per_1m_usd, source="today"),)
    return LabReport(
        task="classification", metric="roc_auc", target="label", rows_train=48, rows_test=12, profile=PROFILE,
        tolerance=0.95, latency_budget_ms=None, candidates=candidates, best="big", recommended="small",
        today=TODAY if (today_failed or today_cost_per_1m_usd is not None) else None,
        quality_ratio=0.90 / 0.93, cost_ratio=small_cost_per_1m_usd / big_cost_per_1m_usd,
        sentence="small reaches 97% of the best quality at 10% of its cost (10.0× cheaper).",
        frontier=("small", "big"), batch_size=256, assumptions=("Cost per 1M inferences on cloud-cpu-4 = …",),
        onnx_bytes_by_name={"small": identity_onnx(), "big": identity_onnx(3)})


def add_usage(store) -> None:
    with store.system_write(action="test.usage") as cur:
        cur.executemany(
            "INSERT INTO usage_monthly VALUES (?, ?, 'gbm', 'cloud', 'cloud-cpu-4', 1, ?, 0, 0, ?, 0, 0)",
            [["2026-01-01", "A", 1_000_000, 500], ["2026-02-01", "A", 1_000_000, 700],
             ["2025-01-01", "A", 5_000_000, 99_999], ["2026-02-01", "B", 10, 1]])
        cur.executemany("INSERT INTO hardware_profile (name, location, price_per_hour_usd, cores, watts) "
                        "VALUES (?, ?, ?, ?, ?)", [["cloud-cpu-4", "cloud", 0.17, 4, 65.0],
                                                   ["edge-arm", "edge", 0.02, 4, 10.0]])
