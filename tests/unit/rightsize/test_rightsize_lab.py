"""End-to-end lab runs on real scikit-learn data sets written as workload files."""

import dataclasses
import json
import threading
import time

import numpy as np
import pandas as pd
import pytest

from core.rightsize.lab import LabCancelled, run_lab
from core.rightsize.upload import UploadRejected, check_upload
from core.lab.workloads import read_workload_file
from core.rightsize.workload import prepare_workload


def _ok(report):
    return [c for c in report.candidates if c.status == "ok"]


@pytest.mark.parametrize("frame_name, kind, metric", [
    ("cancer_frame", "csv", "roc_auc"),
    ("iris_frame", "parquet", "f1_macro"),
    ("diabetes_frame", "csv", "r2"),
])
def test_quick_ladder_measures_every_candidate(request, tmp_path, workload_file, quick_config,
                                               frame_name, kind, metric):
    frame = read_workload_file(workload_file(request.getfixturevalue(frame_name), tmp_path, kind))
    report = run_lab(frame, "target", quick_config)
    assert report.metric == metric and len(report.candidates) == 3
    for candidate in report.candidates:
        assert candidate.status == "ok", candidate.reason
        assert candidate.parity_max_abs_diff is not None and candidate.parity_max_abs_diff < 1e-4
        low, high = candidate.quality_ci
        assert low <= candidate.quality <= high
        assert candidate.latency.count == quick_config.latency_repetitions
        assert 0 < candidate.latency.p50_ms <= candidate.latency.p95_ms <= candidate.latency.p99_ms
        assert candidate.throughput_rps > 0 and candidate.size_bytes > 0
        assert candidate.peak_rss_bytes > 10_000_000
        assert candidate.cost_on("cloud-cpu-4").cost_per_1m_usd > 0
        assert len(report.onnx_bytes_by_name[candidate.name]) == candidate.size_bytes
    assert report.recommended in {c.name for c in report.candidates}
    json.dumps(report.to_dict(), allow_nan=False)


def test_full_ladder_on_a_small_data_set(iris_frame, quick_config):
    config = dataclasses.replace(quick_config, ladder="full")
    report = run_lab(iris_frame, "target", config)
    names = [c.name for c in report.candidates]
    assert len(names) == 6
    for family in ("Logistic regression", "Decision tree · depth 3", "HistGradientBoosting · ",
                   "Random forest · 100 trees", "MLP · 64-32 hidden"):
        assert any(name.startswith(family) for name in names), names
    assert all(c.status == "ok" for c in report.candidates), [c.reason for c in report.candidates]
    assert max(c.parity_max_abs_diff for c in report.candidates) < 1e-4
    assert report.frontier and report.best in names and report.sentence


def test_text_column_goes_through_tfidf(quick_config):
    rng = np.random.default_rng(0)
    good, bad, filler = ["great", "love", "excellent"], ["awful", "broken", "refund"], ["the", "box", "arrived", "today"]
    rows = []
    for i in range(240):
        positive = i % 2 == 0
        words = list(rng.choice(filler, 6)) + list(rng.choice(good if positive else bad, 2))
        rows.append({"review": " ".join(rng.permutation(words)) + f" order {i}",
                     "channel": rng.choice(["web", "shop", None]),
                     "order amount": rng.normal(50, 10) if i % 7 else np.nan,  # skl2onnx respells it
                     "label": "pos" if positive else "neg"})
    frame = pd.DataFrame(rows)
    report = run_lab(frame, "label", quick_config)
    assert all(c.status == "ok" for c in report.candidates), [c.reason for c in report.candidates]
    assert max(c.quality for c in report.candidates) > 0.9
    assert all(c.parity_max_abs_diff is not None for c in report.candidates)
    # skl2onnx exports TF-IDF with the com.microsoft Tokenizer: fine for our own ladder, but the
    # same file as an upload is refused by the strict standard-domains rule
    workload = prepare_workload(frame, "label", quick_config)
    with pytest.raises(UploadRejected, match="com.microsoft"):
        check_upload(report.onnx_bytes_by_name[report.candidates[0].name], workload, "again.onnx")


def test_time_limit_fails_candidates_and_the_run_goes_on(iris_frame, quick_config):
    config = dataclasses.replace(quick_config, time_limit_s=0.05, offline_min_s=5.0, offline_max_passes=10**6)
    report = run_lab(iris_frame, "target", config)
    assert [c.status for c in report.candidates] == ["failed"] * 3
    assert all("took longer than the 0.05 s time limit" in c.reason for c in report.candidates)
    assert report.recommended is None and report.sentence.startswith("No candidate")


@pytest.mark.parametrize("hook", ["event", "callable"])
def test_cancellation_stops_the_run(cancer_frame, quick_config, hook):
    event = threading.Event()
    steps = []

    def on_progress(step, done, total):
        steps.append(step)
        if step.startswith("measure"):
            event.set()  # cancel as soon as the first measurement starts

    should_cancel = event if hook == "event" else event.is_set
    started = time.perf_counter()
    with pytest.raises(LabCancelled, match="cancelled after"):
        run_lab(cancer_frame, "target", quick_config, on_progress=on_progress, should_cancel=should_cancel)
    assert len(steps) == 2 and time.perf_counter() - started < 20


def test_progress_reports_every_step(cancer_frame, quick_config):
    seen = []
    run_lab(cancer_frame, "target", quick_config, on_progress=lambda step, done, total: seen.append((step, done, total)))
    assert seen[0] == ("train Logistic regression", 0, 6) and seen[-1] == ("done", 6, 6)
    assert [done for _, done, _ in seen] == list(range(7))


def test_todays_model_is_measured_first_like_every_candidate_on_one_serving_basis(cancer_frame, good_upload,
                                                                                   quick_config):
    from core.rightsize.pricing import HardwareProfile

    gateway = HardwareProfile("cloud-cpu-4", "cloud", 0.17, 4, 65.0, overhead_per_request_usd=2e-6,
                              overhead_per_month_usd=50.0)
    bare = dataclasses.replace(gateway, name="bare", overhead_per_request_usd=0.0)
    report = run_lab(cancer_frame, "target", quick_config, today=("churn-gbm v3", good_upload),
                     profiles=[gateway, bare])
    today = report.candidates[0]
    assert report.today == today.name == "Today · churn-gbm v3" and report.today_candidate is today
    assert today.source == "today" and today.status == "ok" and today.quality > 0.9
    assert report.overhead_per_request_usd == 2e-6
    for candidate in _ok(report):
        # the same model on the same machine, $2 per 1M requests of serving overhead apart
        on_gateway, on_bare = candidate.cost_on("cloud-cpu-4"), candidate.cost_on("bare")
        assert on_gateway.cost_per_1m_usd == pytest.approx(on_bare.cost_per_1m_usd + 2.0)
    assert any("$2.00 serving overhead per 1M requests" in sentence for sentence in report.assumptions)
    restored = type(report).from_dict(json.loads(json.dumps(report.to_dict())))
    assert restored.today == report.today and restored.overhead_per_request_usd == 2e-6


def test_todays_model_that_does_not_fit_the_workload_is_rejected_with_the_reason(iris_frame, good_upload,
                                                                                quick_config):
    report = run_lab(iris_frame, "species" if "species" in iris_frame else iris_frame.columns[-1], quick_config,
                     today=("cancer-model v1", good_upload))
    today = report.today_candidate
    assert today.source == "today" and today.status == "rejected" and "inputs" in today.reason
    assert report.recommended is not None and report.recommended != today.name
