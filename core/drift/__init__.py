"""Data drift between a reference and a current window, per column and for the dataset.

Public API::

    from core.drift import compute_drift, METHODS, choose_method
    report = compute_drift(reference_table, current_table, method_overrides={"age": "psi"})
    report.to_dict()

Methods are registered by short name in :mod:`core.drift.registry` ("ks", "chisquare",
"z", "wasserstein", "jensenshannon", "psi"); the automatic choice per column follows
Evidently's defaults (:mod:`core.drift.choose`).
"""

from core.drift.choose import choose_method
from core.drift.compute import compute_drift
from core.drift.registry import METHODS, DriftInputError, DriftMethod, get_method
from core.drift.report import ColumnDriftResult, DriftReport

__all__ = [
    "METHODS", "ColumnDriftResult", "DriftInputError", "DriftMethod", "DriftReport",
    "choose_method", "compute_drift", "get_method",
]
