"""Immutable results of a lab run, built from raw measurements, JSON-safe on the way out.

``LabReport.to_dict()`` never contains NaN or infinity (they become ``None``), so it can go to
``json.dumps(..., allow_nan=False)`` and into DuckDB as is. ONNX bytes are kept beside the report
(``LabReport.onnx_bytes_by_name``), never inside ``to_dict()``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Mapping

import numpy as np

STATUSES = ("ok", "rejected", "failed")


def finite_or_none(value):
    """``float(value)`` when finite, else ``None`` (JSON and DECIMAL have no NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class LatencyReport:
    """Single-row latency statistics in milliseconds (warm-up calls excluded).

    Percentiles use numpy's default linear interpolation; ``stdev_ms`` is the sample standard
    deviation (ddof = 1), 0 for a single value.
    """

    count: int
    mean_ms: float
    stdev_ms: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float

    @classmethod
    def from_values(cls, values_ms) -> "LatencyReport":
        values = np.asarray(values_ms, dtype=np.float64).reshape(-1)
        if values.size == 0:
            raise ValueError("LatencyReport needs at least one latency value")
        p50, p90, p95, p99 = np.percentile(values, [50, 90, 95, 99])
        stdev = float(values.std(ddof=1)) if values.size > 1 else 0.0
        return cls(count=int(values.size), mean_ms=float(values.mean()), stdev_ms=stdev,
                   p50_ms=float(p50), p90_ms=float(p90), p95_ms=float(p95), p99_ms=float(p99))

    def to_dict(self) -> dict:
        return {"count": self.count, "mean": self.mean_ms, "stdev": self.stdev_ms, "p50": self.p50_ms,
                "p90": self.p90_ms, "p95": self.p95_ms, "p99": self.p99_ms}

    @classmethod
    def from_dict(cls, data: Mapping) -> "LatencyReport":
        return cls(count=int(data["count"]), mean_ms=data["mean"], stdev_ms=data["stdev"],
                   p50_ms=data["p50"], p90_ms=data["p90"], p95_ms=data["p95"], p99_ms=data["p99"])


@dataclass(frozen=True)
class ProfileCost:
    """Cost and energy of one candidate on one hardware profile (see ``pricing``)."""

    profile: str
    cost_per_1m_usd: float | None
    energy_wh_per_1k: float | None


@dataclass(frozen=True)
class CandidateResult:
    """Everything measured for one candidate. ``status``: ok, rejected (upload checks) or failed."""

    name: str
    source: str  # "ladder", "upload", or "today" (the initiative's production model)
    status: str
    reason: str | None = None
    quality: float | None = None
    quality_ci: tuple[float | None, float | None] | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    latency: LatencyReport | None = None
    throughput_rps: float | None = None  # rows per second in the Offline scenario
    batch_size: int | None = None
    session_create_ms: float | None = None
    first_inference_ms: float | None = None
    size_bytes: int | None = None
    peak_rss_bytes: int | None = None
    cpu_seconds_per_inference: float | None = None
    parity_max_abs_diff: float | None = None
    costs: tuple[ProfileCost, ...] = ()
    train_s: float | None = None
    convert_s: float | None = None
    measure_s: float | None = None
    assumptions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def cost_on(self, profile: str) -> ProfileCost | None:
        return next((cost for cost in self.costs if cost.profile == profile), None)

    def to_dict(self, profile: str | None = None) -> dict:
        """JSON-safe dict; ``cost_per_1m_usd`` / ``energy_wh_per_1k`` are for ``profile``."""
        chosen = self.cost_on(profile) if profile else None
        latency = self.latency
        return {
            "name": self.name, "source": self.source, "status": self.status, "reason": self.reason,
            "quality": finite_or_none(self.quality),
            "quality_ci": [finite_or_none(v) for v in self.quality_ci] if self.quality_ci else None,
            "metrics": {k: finite_or_none(v) for k, v in self.metrics.items()},
            "latency_ms": ({"p50": latency.p50_ms, "p95": latency.p95_ms, "p99": latency.p99_ms}
                           if latency else None),
            "latency": latency.to_dict() if latency else None,
            "throughput_rps": finite_or_none(self.throughput_rps),
            "batch_size": self.batch_size,
            "session_create_ms": finite_or_none(self.session_create_ms),
            "first_inference_ms": finite_or_none(self.first_inference_ms),
            "size_bytes": self.size_bytes,
            "peak_rss_bytes": self.peak_rss_bytes,
            "cpu_seconds_per_inference": finite_or_none(self.cpu_seconds_per_inference),
            "cost_per_1m_usd": finite_or_none(chosen.cost_per_1m_usd) if chosen else None,
            "energy_wh_per_1k": finite_or_none(chosen.energy_wh_per_1k) if chosen else None,
            "costs_by_profile": {c.profile: {"cost_per_1m_usd": finite_or_none(c.cost_per_1m_usd),
                                             "energy_wh_per_1k": finite_or_none(c.energy_wh_per_1k)}
                                 for c in self.costs},
            "parity_max_abs_diff": finite_or_none(self.parity_max_abs_diff),
            "train_s": finite_or_none(self.train_s),
            "convert_s": finite_or_none(self.convert_s),
            "measure_s": finite_or_none(self.measure_s),
            "assumptions": list(self.assumptions),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "CandidateResult":
        ci = data.get("quality_ci")
        return cls(
            name=data["name"], source=data["source"], status=data["status"], reason=data.get("reason"),
            quality=data.get("quality"), quality_ci=tuple(ci) if ci else None,
            metrics=dict(data.get("metrics") or {}),
            latency=LatencyReport.from_dict(data["latency"]) if data.get("latency") else None,
            throughput_rps=data.get("throughput_rps"), batch_size=data.get("batch_size"),
            session_create_ms=data.get("session_create_ms"),
            first_inference_ms=data.get("first_inference_ms"),
            size_bytes=data.get("size_bytes"), peak_rss_bytes=data.get("peak_rss_bytes"),
            cpu_seconds_per_inference=data.get("cpu_seconds_per_inference"),
            parity_max_abs_diff=data.get("parity_max_abs_diff"),
            costs=tuple(ProfileCost(name, v["cost_per_1m_usd"], v["energy_wh_per_1k"])
                        for name, v in (data.get("costs_by_profile") or {}).items()),
            train_s=data.get("train_s"), convert_s=data.get("convert_s"), measure_s=data.get("measure_s"),
            assumptions=tuple(data.get("assumptions") or ()),
        )


@dataclass(frozen=True)
class LabReport:
    """One lab run: the candidates, the decision and every assumption behind the numbers."""

    task: str
    metric: str
    target: str
    rows_train: int
    rows_test: int
    profile: str
    tolerance: float
    latency_budget_ms: float | None
    candidates: tuple[CandidateResult, ...]
    best: str | None
    recommended: str | None
    quality_ratio: float | None
    cost_ratio: float | None
    sentence: str
    frontier: tuple[str, ...] = ()
    batch_size: int | None = None
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    today: str | None = None  # name of the candidate that is the initiative's production model, if given
    overhead_per_request_usd: float = 0.0  # the profile's serving overhead inside every cost per 1M
    # ONNX bytes of each measured candidate, to register an adopted model; not serialised
    onnx_bytes_by_name: Mapping[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "onnx_bytes_by_name", MappingProxyType(dict(self.onnx_bytes_by_name)))

    def candidate(self, name: str) -> CandidateResult:
        """The candidate called ``name``; ``KeyError`` (listing the names) when there is none."""
        for candidate in self.candidates:
            if candidate.name == name:
                return candidate
        raise KeyError(f"no candidate {name!r}; candidates: {', '.join(c.name for c in self.candidates)}")

    def to_dict(self) -> dict:
        """JSON-safe dict (no NaN, no bytes) — the CLI's ``--json`` output and the stored form."""
        return {
            "task": self.task, "metric": self.metric, "target": self.target,
            "rows_train": self.rows_train, "rows_test": self.rows_test, "profile": self.profile,
            "tolerance": self.tolerance, "latency_budget_ms": self.latency_budget_ms,
            "batch_size": self.batch_size,
            "candidates": [c.to_dict(self.profile) for c in self.candidates],
            "best": self.best, "recommended": self.recommended,
            "quality_ratio": finite_or_none(self.quality_ratio),
            "cost_ratio": finite_or_none(self.cost_ratio),
            "sentence": self.sentence, "frontier": list(self.frontier),
            "notes": list(self.notes), "assumptions": list(self.assumptions), "today": self.today,
            "overhead_per_request_usd": self.overhead_per_request_usd,
        }

    @property
    def today_candidate(self) -> CandidateResult | None:
        """The measured result of the initiative's production model, when the run had one."""
        return self.candidate(self.today) if self.today else None

    @classmethod
    def from_dict(cls, data: Mapping, onnx_bytes_by_name: Mapping[str, bytes] | None = None) -> "LabReport":
        names = {f.name for f in fields(cls)} - {"candidates", "frontier", "notes", "assumptions",
                                                  "onnx_bytes_by_name"}
        values = {name: data.get(name) for name in names}
        values["overhead_per_request_usd"] = data.get("overhead_per_request_usd") or 0.0  # runs before it existed
        return cls(
            **values,
            candidates=tuple(CandidateResult.from_dict(c) for c in data["candidates"]),
            frontier=tuple(data.get("frontier") or ()), notes=tuple(data.get("notes") or ()),
            assumptions=tuple(data.get("assumptions") or ()),
            onnx_bytes_by_name=onnx_bytes_by_name or {},
        )
