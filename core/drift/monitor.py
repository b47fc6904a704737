"""Compute drift between two stored windows of a model and keep the result.

``compute_and_store_drift`` is the audited operation behind the Drift page's "Recompute"
button: the actor needs ``compute_drift`` for the business unit of the model's initiative
(team leads for their own unit, admins everywhere), checked here before any work and again
by ``store.write``. ``compute_all_windows`` is what the demo build runs: every window of
every model against that model's first (reference) window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from core.drift.compute import compute_drift
from core.drift.report import DriftReport
from core.drift.storage import feature_types, read_window, replace_results
from core.errors import NotFoundError

if TYPE_CHECKING:
    from core.auth import Actor
    from core.store import Store

DATASET_DRIFT_SHARE = 0.5


def model_business_unit(cur, model_id: int) -> str:
    """The business unit owning ``model_id`` (through its initiative); NotFoundError if none."""
    row = cur.execute(
        "SELECT i.business_unit FROM model m JOIN initiative i ON i.code = m.initiative WHERE m.id = ?", [model_id]
    ).fetchall()
    if not row:
        raise NotFoundError(f"There is no model with id {model_id}; pick one on the Drift page.")
    return row[0][0]


def _check_window(cur, model_id: int, window_label: str) -> None:
    known = [r[0] for r in cur.execute(
        "SELECT window_label FROM snapshot_window WHERE model_id = ? ORDER BY window_start", [model_id]).fetchall()]
    if window_label not in known:
        raise NotFoundError(
            f"Model {model_id} has no snapshot window {window_label!r}; "
            f"stored windows: {', '.join(known) or '(none — import feature snapshots first)'}.")


def compute_window_drift(cur, model_id: int, reference_window: str, current_window: str, *,
                         method_overrides: Mapping[str, str] | None = None,
                         threshold_overrides: Mapping[str, float] | None = None,
                         drift_share: float = DATASET_DRIFT_SHARE) -> DriftReport:
    """``compute_drift`` of two stored windows, with the declared feature types."""
    _check_window(cur, model_id, reference_window)
    _check_window(cur, model_id, current_window)
    types = feature_types(cur, model_id)
    return compute_drift(
        read_window(cur, model_id, reference_window, types), read_window(cur, model_id, current_window, types),
        method_overrides=method_overrides, threshold_overrides=threshold_overrides,
        drift_share=drift_share, column_types=types,
    )


def compute_and_store_drift(store: Store, actor: Actor, model_id: int, reference_window: str, current_window: str, *,
                            method_overrides: Mapping[str, str] | None = None,
                            threshold_overrides: Mapping[str, float] | None = None,
                            drift_share: float = DATASET_DRIFT_SHARE) -> DriftReport:
    """Compute drift of ``current_window`` against ``reference_window`` and store it.

    Per column the method is Evidently's automatic choice unless overridden (see
    :func:`core.drift.compute_drift`); ``dataset_drift = drifted / evaluated ≥ drift_share``.
    The stored rows replace an earlier computation of the same pair, in one audited write.
    """
    with store.cursor() as cur:
        business_unit = model_business_unit(cur, model_id)
        store.require(actor, "compute_drift", action="drift.compute", target=f"model {model_id}",
                      business_unit=business_unit)  # refuse before doing the work
        report = compute_window_drift(cur, model_id, reference_window, current_window,
                                      method_overrides=method_overrides,
                                      threshold_overrides=threshold_overrides, drift_share=drift_share)
    detail = {"reference": reference_window, "current": current_window, "drift_share": report.drift_share,
              "dataset_drift": report.dataset_drift, "method_overrides": dict(method_overrides or {}),
              "threshold_overrides": dict(threshold_overrides or {})}
    with store.write(actor, "compute_drift", action="drift.compute", target=f"model {model_id}",
                     business_unit=business_unit, detail=detail) as cur:
        replace_results(cur, model_id, reference_window, current_window, report,
                        computed_by=actor.name, computed_at=_now())
    return report


def compute_all_windows(cur, *, computed_by: str = "system") -> int:
    """Every stored window of every model against the model's first window; returns pairs stored."""
    windows = cur.execute(
        "SELECT model_id, list(window_label ORDER BY window_start) FROM snapshot_window GROUP BY model_id ORDER BY model_id"
    ).fetchall()
    pairs = 0
    now = _now()
    for model_id, labels in windows:
        reference = labels[0]
        for current in labels[1:]:
            report = compute_window_drift(cur, model_id, reference, current)
            replace_results(cur, model_id, reference, current, report, computed_by=computed_by, computed_at=now)
            pairs += 1
    return pairs


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
