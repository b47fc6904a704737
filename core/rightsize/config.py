"""``LabConfig``: every knob of one right-size run, validated once on construction."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field as dataclass_field

from core.config import setting
from core.errors import ValidationError
from core.models.onnx_checks import TASKS

LADDERS = ("full", "quick")

GIB = 1024**3
MB = 1024**2


@dataclass(frozen=True)
class LabConfig:
    """How a lab run trains, measures and decides.

    Quality rule: a candidate qualifies when ``quality >= tolerance × best quality`` and,
    when ``latency_budget_ms`` is set, its single-row p95 latency ≤ the budget.
    """

    tolerance: float = 0.95
    latency_budget_ms: float | None = None
    profile: str = "cloud-cpu-4"  # hardware profile the recommendation is priced on
    ladder: str = "full"  # "full" (6+ candidates) or "quick" (3 small ones, for tests)
    task: str | None = None  # None: inferred from the target column
    test_fraction: float = 0.2
    seed: int = 0
    min_rows: int = 30
    max_train_rows: int = 30_000  # more training rows are subsampled (reported): keeps the full
    # ladder under a minute on 2 cores; the ladder's ranking rarely changes beyond this
    max_test_rows: int = 20_000  # held-out rows used for quality and throughput
    batch_size: int = 256  # rows per call in the Offline (throughput) scenario
    warmup_runs: int = 20  # single-row calls before timing starts, excluded from statistics
    latency_repetitions: int = 300  # timed single-row calls (SingleStream)
    offline_min_s: float = 0.3  # keep repeating Offline passes until this much wall time
    offline_max_passes: int = 5
    bootstrap_resamples: int = 200  # for the 95% interval of the quality metric
    time_limit_s: float = 60.0  # wall time per candidate measurement (session + runs)
    memory_limit_bytes: int = 4 * GIB  # address-space limit of the measurement worker
    max_upload_bytes: int = dataclass_field(default_factory=lambda: setting("FACTORY_MAX_MODEL_MB"))  # per ONNX file

    def __post_init__(self) -> None:
        def fail(field: str, expected: str) -> None:
            raise ValidationError(
                f"Lab setting `{field}`: expected {expected}, got {getattr(self, field)!r}."
            )

        if not 0 < self.tolerance <= 1:
            fail("tolerance", "a share in (0, 1], e.g. 0.95 for 95% of the best quality")
        if self.latency_budget_ms is not None and not self.latency_budget_ms > 0:
            fail("latency_budget_ms", "a number of milliseconds > 0, or nothing")
        if self.ladder not in LADDERS:
            fail("ladder", f"one of {', '.join(LADDERS)}")
        if self.task is not None and self.task not in TASKS:
            fail("task", f"one of {', '.join(TASKS)} (or nothing to infer it)")
        if not 0 < self.test_fraction < 1:
            fail("test_fraction", "a share strictly between 0 and 1")
        for name in ("min_rows", "max_train_rows", "max_test_rows", "batch_size",
                     "latency_repetitions", "offline_max_passes", "bootstrap_resamples",
                     "max_upload_bytes", "memory_limit_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                fail(name, "a whole number ≥ 1")
        if self.min_rows < 10:
            fail("min_rows", "at least 10 rows (a smaller held-out split says nothing)")
        if isinstance(self.warmup_runs, bool) or self.warmup_runs < 0:
            fail("warmup_runs", "a whole number ≥ 0")
        if not self.time_limit_s > 0:
            fail("time_limit_s", "seconds > 0")
        if not self.offline_min_s >= 0:
            fail("offline_min_s", "seconds ≥ 0")
        if self.memory_limit_bytes < 256 * MB:
            fail("memory_limit_bytes", "at least 256 MiB (the runtime alone needs ~100 MiB)")

    def to_dict(self) -> dict:
        return asdict(self)
