"""Immutable drift results: one per column, and the report over all columns.

``DriftReport.drift_share`` is the share of *evaluated* columns (those with data in both
windows) that drifted; ``dataset_drift`` is ``drift_share >= drift_share_threshold``
(Evidently's default 0.5). Columns whose status is "no data" are listed but count neither
as drifted nor in the denominator; with no evaluated column the share is 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.drift.registry import NO_DATA


def _json_number(value: float | None) -> float | None:
    # JSON has no NaN/inf: an infinite chi-squared (new level in current) becomes None;
    # the status and the p-value still say "drift".
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclass(frozen=True)
class ColumnDriftResult:
    """Drift of one column: the method and threshold used, the statistic and the verdict.

    ``statistic`` is the test statistic (KS D, χ², z) or the distance; ``p_value`` is None
    for distances. Both are None when status is "no data" (an empty window). Counts are of
    non-missing values; ``n_missing_*`` counts null/NaN/±inf dropped from each window.
    """

    column: str
    column_type: str
    method: str
    statistic: float | None
    p_value: float | None
    threshold: float
    drifted: bool
    status: str
    n_reference: int
    n_current: int
    n_missing_reference: int
    n_missing_current: int

    def to_dict(self) -> dict:
        """JSON-safe dict (non-finite numbers become None)."""
        return {
            "column": self.column,
            "type": self.column_type,
            "method": self.method,
            "statistic": _json_number(self.statistic),
            "p_value": _json_number(self.p_value),
            "threshold": self.threshold,
            "drifted": self.drifted,
            "status": self.status,
            "n_reference": self.n_reference,
            "n_current": self.n_current,
            "n_missing_reference": self.n_missing_reference,
            "n_missing_current": self.n_missing_current,
        }


@dataclass(frozen=True)
class DriftReport:
    """Drift of a dataset: per-column results and the share of drifted columns.

    ``n_reference`` / ``n_current`` are the row counts of the two windows;
    ``skipped_columns`` are common columns of a type no method handles (dates, lists ...).
    """

    columns: tuple[ColumnDriftResult, ...]
    drift_share: float
    dataset_drift: bool
    n_reference: int
    n_current: int
    drift_share_threshold: float = 0.5
    skipped_columns: tuple[str, ...] = ()

    @classmethod
    def from_results(
        cls,
        columns: tuple[ColumnDriftResult, ...],
        *,
        n_reference: int,
        n_current: int,
        drift_share_threshold: float = 0.5,
        skipped_columns: tuple[str, ...] = (),
    ) -> "DriftReport":
        """Build the report; ``drift_share = drifted / evaluated`` (see the module docstring)."""
        evaluated = [c for c in columns if c.status != NO_DATA]
        share = sum(c.drifted for c in evaluated) / len(evaluated) if evaluated else 0.0
        return cls(
            columns=tuple(columns),
            drift_share=share,
            dataset_drift=bool(evaluated) and share >= drift_share_threshold,
            n_reference=n_reference,
            n_current=n_current,
            drift_share_threshold=drift_share_threshold,
            skipped_columns=tuple(skipped_columns),
        )

    @property
    def n_drifted(self) -> int:
        return sum(c.drifted for c in self.columns)

    def column(self, name: str) -> ColumnDriftResult:
        """The result of column ``name`` (KeyError if it was not compared)."""
        for result in self.columns:
            if result.column == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict:
        """JSON-safe dict: columns, drift_share, dataset_drift, n_reference, n_current, ..."""
        return {
            "columns": [c.to_dict() for c in self.columns],
            "drift_share": self.drift_share,
            "dataset_drift": self.dataset_drift,
            "drift_share_threshold": self.drift_share_threshold,
            "n_reference": self.n_reference,
            "n_current": self.n_current,
            "skipped_columns": list(self.skipped_columns),
        }
