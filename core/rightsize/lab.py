"""``run_lab``: train the ladder, add uploads, measure everything in the worker, recommend.

Order per candidate: train → convert → measure, so progress reaches the caller candidate by
candidate. Cancellation is checked before every step and while waiting for the worker; a
cancelled run raises ``LabCancelled`` and produces no report.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from core.errors import CoreError
from core.rightsize.config import LabConfig
from core.rightsize.convert import (ConversionError, convert_pipeline, parity_max_abs_diff,
                                    reference_scores)
from core.rightsize.inputs import InputBinding, build_feeds
from core.rightsize.ladder import LadderStep, build_pipeline, describe_model, ladder_for, training_matrix
from core.rightsize.pricing import (DEFAULT_PROFILES, HardwareProfile, price_candidate, pricing_assumptions,
                                    profile_named)
from core.rightsize.quality import METRIC_LABELS, OutputError, evaluate_quality, headline_metric, read_scores
from core.rightsize.recommend import recommend_model
from core.rightsize.report import CandidateResult, LabReport, LatencyReport
from core.rightsize.scenario import ScenarioSettings
from core.rightsize.upload import UploadRejected, check_upload
from core.rightsize.worker import MeasurementCancelled, MeasurementWorker
from core.rightsize.workload import Workload, WorkloadSplit, prepare_workload, split_workload

ProgressCallback = Callable[[str, int, int], None]


class LabCancelled(CoreError):
    """The run was cancelled by the user; no report was produced."""


@dataclass(frozen=True)
class _Prepared:
    """A candidate ready to measure: its ONNX bytes, how to feed it and its reference outputs."""

    name: str
    source: str
    model_bytes: bytes
    binding: InputBinding
    reference: np.ndarray | None = None  # scikit-learn's scores on the test rows (ladder only)
    train_s: float | None = None
    convert_s: float | None = None


def _cancel_hook(should_cancel) -> Callable[[], bool]:
    """Accept a ``threading.Event``, a callable returning bool, or None."""
    if should_cancel is None:
        return lambda: False
    if hasattr(should_cancel, "is_set"):
        return should_cancel.is_set
    return should_cancel


def run_lab(frame: pd.DataFrame, target: str, config: LabConfig | None = None, *,
            uploads: Sequence[tuple[str, bytes]] = (), today: tuple[str, bytes] | None = None,
            profiles: Sequence[HardwareProfile] = DEFAULT_PROFILES,
            on_progress: ProgressCallback | None = None, should_cancel=None,
            workload_name: str = "workload") -> LabReport:
    """Right-size ``frame`` (a workload table with column ``target``) and return a ``LabReport``.

    ``uploads``: (file name, ONNX bytes) pairs, checked before use and measured like the ladder.
    ``today``: (label, ONNX bytes) of the model the initiative runs in production, measured first
    with the same checks, worker and pricing as every candidate (source ``today``): the basis
    that savings are measured against (``core.models.adoption``).
    ``profiles``: hardware profiles to price on; the recommendation uses ``config.profile``.
    ``on_progress(step_name, done, total)`` is called before each step and once at the end
    with ``("done", total, total)``.
    ``should_cancel``: a ``threading.Event`` or a callable returning True to stop the run.
    Raises ``WorkloadError`` for an unusable workload, ``ValidationError`` for an unknown
    profile and ``LabCancelled`` when cancelled.
    """
    config = config or LabConfig()
    profiles = tuple(profiles)
    profile = profile_named(profiles, config.profile)
    workload = prepare_workload(frame, target, config, workload_name)
    split = split_workload(workload, config)
    run = _LabRun(workload, split, config, profiles, _cancel_hook(should_cancel),
                  on_progress or (lambda step, done, total: None))
    results = run.measure_all(ladder_for(workload.task, config.ladder), uploads, today)
    return _assemble(run, profile, results, today_name=results[0].name if today is not None else None)


@dataclass
class _LabRun:
    """State of one run: the data, the worker, progress, and the ONNX bytes of measured candidates."""

    workload: Workload
    split: WorkloadSplit
    config: LabConfig
    profiles: tuple[HardwareProfile, ...]
    cancelled: Callable[[], bool]
    progress: ProgressCallback
    done: int = 0
    total: int = 0
    onnx_bytes: dict[str, bytes] = field(default_factory=dict)
    _taken: set[str] = field(default_factory=set)

    def measure_all(self, steps: Sequence[LadderStep], uploads, today=None) -> list[CandidateResult]:
        self.total = 2 * (len(steps) + len(uploads) + (today is not None))
        results = []
        worker = MeasurementWorker(self.config.memory_limit_bytes, self.cancelled)
        try:
            worker.start()  # its imports overlap the first training
            if today is not None:
                label, data = today
                self._step(f"check today's model {label}")
                prepared = self._check(label, data, source="today")
                self._step(f"measure today's model {label}")
                results.append(self._measure(prepared, worker))
            for ladder_step in steps:
                self._step(f"train {ladder_step.family}")
                prepared = self._train_and_convert(ladder_step)
                self._step(f"measure {prepared.name}")
                results.append(self._measure(prepared, worker))
            for upload_name, data in uploads:
                self._step(f"check {upload_name}")
                prepared = self._check(upload_name, data)
                self._step(f"measure {prepared.name}")
                results.append(self._measure(prepared, worker))
        except MeasurementCancelled:
            raise self._cancelled_error() from None
        finally:
            worker.close()
        self.progress("done", self.total, self.total)
        return results

    def _cancelled_error(self) -> LabCancelled:
        return LabCancelled(f"Lab run cancelled after {self.done} of {self.total} steps; nothing was saved.")

    def _step(self, name: str) -> None:
        if self.cancelled():
            raise self._cancelled_error()
        self.progress(name, self.done, self.total)
        self.done += 1

    def _unique(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self._taken:
            candidate, n = f"{name} ({n})", n + 1
        self._taken.add(candidate)
        return candidate

    def _train_and_convert(self, ladder_step: LadderStep) -> _Prepared | CandidateResult:
        workload, split = self.workload, self.split
        pipeline = build_pipeline(workload, ladder_step.make(self.config.seed), ladder_step.scale)
        started = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence warnings: the measured quality says enough
                pipeline.fit(training_matrix(workload, split.X_train), split.y_train)
        except Exception as error:  # one rung failing must not stop the ladder
            return CandidateResult(name=self._unique(ladder_step.family), source="ladder", status="failed",
                                   reason=f"training failed: {type(error).__name__}: {error}")
        train_s = time.perf_counter() - started
        name = self._unique(describe_model(pipeline.steps[-1][1]))
        X_test = training_matrix(workload, split.X_test)
        started = time.perf_counter()
        try:
            converted = convert_pipeline(pipeline, X_test[:1], workload.input_layout)
        except ConversionError as error:
            return CandidateResult(name=name, source="ladder", status="failed", reason=str(error),
                                   train_s=train_s)
        convert_s = time.perf_counter() - started
        # skl2onnx keeps the DataFrame's column order, so inputs map to columns by position
        binding = InputBinding(workload.input_layout, converted.input_names, tuple(workload.features.columns))
        return _Prepared(name=name, source="ladder", model_bytes=converted.model_bytes, binding=binding,
                         reference=reference_scores(pipeline, X_test, workload.task),
                         train_s=train_s, convert_s=convert_s)

    def _check(self, upload_name: str, data: bytes, source: str = "upload") -> _Prepared | CandidateResult:
        name = self._unique(f"{'Today' if source == 'today' else 'Upload'} · {upload_name}")
        try:
            checked = check_upload(data, self.workload, upload_name, self.config.max_upload_bytes)
        except UploadRejected as error:
            return CandidateResult(name=name, source=source, status="rejected", reason=str(error),
                                   size_bytes=len(data))
        return _Prepared(name=name, source=source, model_bytes=checked.model_bytes, binding=checked.binding)

    def _settings(self) -> dict:
        config = self.config
        return asdict(ScenarioSettings(
            batch_size=config.batch_size, warmup_runs=config.warmup_runs,
            latency_repetitions=config.latency_repetitions, offline_min_s=config.offline_min_s,
            offline_max_passes=config.offline_max_passes,
            # leave time for session creation and the Offline passes within the limit
            single_stream_max_s=config.time_limit_s / 4))

    def _measure(self, item: _Prepared | CandidateResult, worker: MeasurementWorker) -> CandidateResult:
        if isinstance(item, CandidateResult):  # failed to train/convert, or rejected upload
            return item
        workload, split, config = self.workload, self.split, self.config
        common = dict(name=item.name, source=item.source, size_bytes=len(item.model_bytes),
                      train_s=item.train_s, convert_s=item.convert_s, batch_size=config.batch_size)
        started = time.perf_counter()
        outcome = worker.measure(item.model_bytes, build_feeds(split.X_test, item.binding), self._settings(),
                                 config.time_limit_s)
        common["measure_s"] = time.perf_counter() - started
        if not outcome.ok:
            return CandidateResult(status="failed", reason=outcome.reason, **common)
        header, (latencies_ms, *output_arrays) = outcome.header, outcome.arrays
        try:
            scores = read_scores(list(zip(header["output_names"], output_arrays)), workload.task,
                                 workload.classes, len(split.y_test))
            quality = evaluate_quality(split.y_test, scores, workload.task, len(workload.classes),
                                       config.bootstrap_resamples, config.seed)
        except OutputError as error:  # no quality, cost or recommendation from such outputs
            return CandidateResult(status="failed", reason=f"outputs not understood: {error}", **common)
        onnx_scores = scores.predictions if workload.task == "regression" else scores.probabilities
        parity = parity_max_abs_diff(item.reference, onnx_scores) if item.reference is not None else None
        self.onnx_bytes[item.name] = item.model_bytes
        return CandidateResult(
            status="ok", quality=quality.value, quality_ci=(quality.ci_low, quality.ci_high),
            metrics=quality.metrics, latency=LatencyReport.from_values(latencies_ms),
            throughput_rps=header["throughput_rps"], session_create_ms=header["session_create_ms"],
            first_inference_ms=header["first_inference_ms"], peak_rss_bytes=header.get("peak_rss_bytes"),
            cpu_seconds_per_inference=header["cpu_seconds_per_inference"], parity_max_abs_diff=parity,
            costs=price_candidate(header["cpu_seconds_per_inference"], self.profiles),
            assumptions=self._candidate_assumptions(item, scores.probabilities is not None), **common)

    def _candidate_assumptions(self, item: _Prepared, has_probabilities: bool) -> tuple[str, ...]:
        workload = self.workload
        sentences = []
        if item.source in ("upload", "today"):
            sentences.append(("The model in production today" if item.source == "today" else "Uploaded model")
                             + ": no scikit-learn reference, so parity is not measured.")
            if workload.task == "classification":
                sentences.append("Its probability columns are assumed to follow the sorted class order "
                                 f"({', '.join(map(str, workload.classes[:10]))}).")
        if workload.task == "classification" and not has_probabilities:
            sentences.append("The model gives labels only: ROC AUC is computed from hard labels.")
        return tuple(sentences)


def _assemble(run: _LabRun, profile: HardwareProfile, results: list[CandidateResult], *,
              today_name: str | None = None) -> LabReport:
    workload, split, config = run.workload, run.split, run.config
    metric = headline_metric(workload.task, len(workload.classes))
    label = METRIC_LABELS[metric]
    decision = recommend_model(results, profile.name, config.tolerance, config.latency_budget_ms, metric)
    n_classes = len(workload.classes)
    task = "regression" if workload.task == "regression" else \
        f"{'binary' if n_classes == 2 else f'{n_classes}-class'} classification"
    assumptions = (
        f"Task: {task} of `{workload.target}`; quality = {label} on {len(split.y_test):,} held-out rows "
        f"(seed {config.seed}), with a bootstrap 95% interval from {config.bootstrap_resamples} resamples.",
        "Latency: single-row calls to ONNX Runtime with one thread on this machine, after "
        f"{config.warmup_runs} warm-up calls that are not counted.",
        f"Throughput: rows per second scoring batches of {config.batch_size} rows with one thread.",
        "Peak memory: resident memory of the measurement process, including ~60-100 MB for Python, "
        "numpy and ONNX Runtime themselves.",
        f"Every candidate ran in a separate process limited to {config.memory_limit_bytes / 1024**3:.1f} GiB "
        f"of address space and {config.time_limit_s:g} s.",
    ) + pricing_assumptions(profile, config.batch_size)
    return LabReport(
        task=workload.task, metric=metric, target=workload.target, rows_train=len(split.y_train),
        rows_test=len(split.y_test), profile=profile.name, tolerance=config.tolerance,
        latency_budget_ms=config.latency_budget_ms, candidates=tuple(results), best=decision.best,
        recommended=decision.recommended, quality_ratio=decision.quality_ratio,
        cost_ratio=decision.cost_ratio, sentence=decision.sentence, frontier=decision.frontier,
        batch_size=config.batch_size, notes=workload.notes + split.notes, assumptions=assumptions,
        onnx_bytes_by_name=run.onnx_bytes, today=today_name,
        overhead_per_request_usd=profile.overhead_per_request_usd)
