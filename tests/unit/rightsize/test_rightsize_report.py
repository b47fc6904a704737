"""LatencyReport against numpy, and LabReport serialisation (JSON-safe, round trip)."""

import json
import math

import numpy as np
import pytest

from core.rightsize.report import CandidateResult, LabReport, LatencyReport, ProfileCost


@pytest.mark.parametrize("values", [
    [1.0],
    [0.5, 0.7, 0.9, 10.0],
    list(np.random.default_rng(3).lognormal(mean=-3, sigma=0.8, size=1001)),
])
def test_latency_report_matches_numpy_percentiles(values):
    report = LatencyReport.from_values(values)
    array = np.asarray(values)
    assert report.count == len(values)
    assert report.mean_ms == pytest.approx(array.mean())
    assert report.stdev_ms == pytest.approx(array.std(ddof=1) if len(values) > 1 else 0.0)
    for q, value in zip((50, 90, 95, 99), (report.p50_ms, report.p90_ms, report.p95_ms, report.p99_ms)):
        assert value == pytest.approx(np.percentile(array, q))


def test_latency_report_refuses_no_values():
    with pytest.raises(ValueError):
        LatencyReport.from_values([])


def _report(quality=float("nan")) -> LabReport:
    ok = CandidateResult(
        name="Logistic regression · 31 params", source="ladder", status="ok", quality=0.97,
        quality_ci=(0.95, 0.99), metrics={"roc_auc": 0.97, "accuracy": quality},
        latency=LatencyReport.from_values([0.01, 0.02, 0.03]), throughput_rps=1e6, batch_size=256,
        size_bytes=1234, peak_rss_bytes=60_000_000, cpu_seconds_per_inference=1e-6,
        parity_max_abs_diff=1e-7, costs=(ProfileCost("cloud-cpu-4", 0.0001, 2e-6),
                                        ProfileCost("edge-arm", float("inf"), None)))
    rejected = CandidateResult(name="Upload · x.onnx", source="upload", status="rejected",
                               reason="x.onnx: not an ONNX model.")
    return LabReport(task="classification", metric="roc_auc", target="target", rows_train=455, rows_test=114,
                     profile="cloud-cpu-4", tolerance=0.95, latency_budget_ms=None,
                     candidates=(ok, rejected), best=ok.name, recommended=ok.name, quality_ratio=1.0,
                     cost_ratio=1.0, sentence="…", frontier=(ok.name,), assumptions=("a",),
                     onnx_bytes_by_name={ok.name: b"onnx"})


def test_to_dict_is_json_safe_without_nan_and_without_bytes():
    data = _report().to_dict()
    text = json.dumps(data, allow_nan=False)  # raises on NaN or infinity
    assert "onnx_bytes" not in text
    first = data["candidates"][0]
    assert first["metrics"]["accuracy"] is None
    assert first["costs_by_profile"]["edge-arm"]["cost_per_1m_usd"] is None
    assert first["cost_per_1m_usd"] == 0.0001 and first["latency_ms"]["p95"] > 0


def test_from_dict_round_trips_and_bytes_stay_beside_the_report():
    report = _report(quality=0.9)
    again = LabReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.to_dict() == report.to_dict()
    assert again.candidates[0].latency == report.candidates[0].latency
    assert report.onnx_bytes_by_name["Logistic regression · 31 params"] == b"onnx"
    with pytest.raises(TypeError):
        report.onnx_bytes_by_name["other"] = b""  # read-only view
    assert math.isclose(again.candidates[0].quality, 0.97)
