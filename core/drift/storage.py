"""Feature snapshots and drift results in the store (schema: core/migrations/m004_drift.py).

Every function here takes a DuckDB cursor, so the same code runs inside an audited
``store.write`` block, inside the demo's ``store.system_write``, or on a read cursor.

* ``append_window`` turns one window of a wide Arrow table (rows × features) into the long
  ``feature_snapshot`` layout with Arrow kernels (no Python row loop) and inserts it ordered
  by feature, so each feature of a window sits in its own row groups;
* ``read_window`` gives the window back as a wide Arrow table, one zone-map-pruned query
  per feature (drift compares distributions, so row order inside a feature is irrelevant
  and nothing is sorted);
* ``replace_results`` stores a :class:`~core.drift.report.DriftReport` for one
  (model, reference, current) pair, replacing an earlier computation of the same pair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from core.drift.registry import CATEGORICAL, COLUMN_TYPES, NUMERIC, DriftInputError
from core.drift.report import DriftReport

_STAGING = "drift_window_staging"


def declare_features(cur, model_id: int, feature_types: Mapping[str, str]) -> None:
    """Record each feature's type ("numeric" / "categorical") for ``model_id``.

    A feature already declared keeps its position; a declared type cannot change (its
    stored history would stop being comparable).
    """
    known = dict(cur.execute(
        "SELECT feature, feature_type FROM snapshot_feature WHERE model_id = ?", [model_id]).fetchall())
    next_position = len(known)
    for feature, feature_type in feature_types.items():
        if feature_type not in COLUMN_TYPES:
            raise DriftInputError(f"feature `{feature}`: type {feature_type!r} is not one of: {', '.join(COLUMN_TYPES)}.")
        if feature in known:
            if known[feature] != feature_type:
                raise DriftInputError(
                    f"feature `{feature}` is stored as {known[feature]} for model {model_id}; "
                    f"it cannot become {feature_type}. Rename the column or keep its type.")
            continue
        cur.execute("INSERT INTO snapshot_feature (model_id, feature, feature_type, position) VALUES (?, ?, ?, ?)",
                    [model_id, feature, feature_type, next_position])
        next_position += 1


def feature_types(cur, model_id: int) -> dict[str, str]:
    """Declared features of ``model_id`` in declaration order → their type."""
    rows = cur.execute(
        "SELECT feature, feature_type FROM snapshot_feature WHERE model_id = ? ORDER BY position", [model_id]
    ).fetchall()
    return dict(rows)


def _long_table(features: pa.Table, types: Mapping[str, str]) -> pa.Table:
    """Wide (rows × features) → long (feature, row_id, value_num, value_cat), column by column."""
    n_rows = features.num_rows
    row_ids = pa.array(np.arange(n_rows, dtype=np.int64))
    parts = []
    for name in features.column_names:
        column = features.column(name)
        numeric = types[name] == NUMERIC
        parts.append(pa.table({
            "feature": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n_rows, dtype=np.int32)), pa.array([name])),
            "row_id": row_ids,
            "value_num": column.cast(pa.float64()) if numeric else pa.nulls(n_rows, pa.float64()),
            "value_cat": pa.nulls(n_rows, pa.string()) if numeric else column.cast(pa.string()),
        }))
    return pa.concat_tables(parts, promote_options="permissive") if parts else pa.table({})


def append_window(cur, model_id: int, window_label: str, window_start: dt.date, features: pa.Table,
                  outcomes: pa.Table | None = None, *, import_sha256: str | None = None) -> int:
    """Store one window of ``model_id``: every column of ``features`` must be declared.

    ``outcomes`` (optional, same rows) has columns ``label`` and/or ``prediction``.
    Returns the number of rows. A window label already stored is refused (replace it by
    deleting it first), so an import never silently mixes two windows.
    """
    types = feature_types(cur, model_id)
    undeclared = [name for name in features.column_names if name not in types]
    if undeclared:
        raise DriftInputError(f"feature(s) {', '.join(undeclared)} of model {model_id} are not declared.")
    if cur.execute("SELECT count(*) FROM snapshot_window WHERE model_id = ? AND window_label = ?",
                   [model_id, window_label]).fetchall()[0][0]:
        raise DriftInputError(f"model {model_id} already has a window {window_label!r}; choose another label.")
    cur.register(_STAGING, _long_table(features, types))
    try:
        # Ordered by feature: each feature of the window lands in its own row groups.
        cur.execute(
            "INSERT INTO feature_snapshot (model_id, window_label, feature, row_id, value_num, value_cat)"
            f" SELECT ?, ?, feature::VARCHAR, row_id, value_num, value_cat FROM {_STAGING}"
            " ORDER BY feature::VARCHAR, row_id",
            [model_id, window_label],
        )
    finally:
        cur.unregister(_STAGING)
    has_outcomes = outcomes is not None and outcomes.num_rows > 0
    if has_outcomes:
        n = outcomes.num_rows
        staged = pa.table({
            "row_id": pa.array(np.arange(n, dtype=np.int64)),
            "label": outcomes.column("label").cast(pa.string()) if "label" in outcomes.column_names else pa.nulls(n, pa.string()),
            "prediction": (outcomes.column("prediction").cast(pa.string())
                           if "prediction" in outcomes.column_names else pa.nulls(n, pa.string())),
        })
        cur.register(_STAGING, staged)
        try:
            cur.execute("INSERT INTO snapshot_outcome (model_id, window_label, row_id, label, prediction)"
                        f" SELECT ?, ?, row_id, label, prediction FROM {_STAGING}", [model_id, window_label])
        finally:
            cur.unregister(_STAGING)
    cur.execute("INSERT INTO snapshot_window (model_id, window_label, window_start, rows, has_outcomes, import_sha256)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [model_id, window_label, window_start, features.num_rows, has_outcomes, import_sha256])
    return features.num_rows


def read_window(cur, model_id: int, window_label: str, types: Mapping[str, str] | None = None) -> pa.Table:
    """One stored window as a wide Arrow table (a column per declared feature)."""
    types = dict(types) if types is not None else feature_types(cur, model_id)
    columns = {}
    for feature, feature_type in types.items():
        value = "value_num" if feature_type == NUMERIC else "value_cat"
        # Zone maps on (model_id, window_label, feature) — the insert order — prune the scan.
        table = cur.sql(
            f"SELECT {value} AS v FROM feature_snapshot WHERE model_id = ? AND window_label = ? AND feature = ?",
            params=[model_id, window_label, feature],
        ).to_arrow_table()
        columns[feature] = table.column("v")
    lengths = {len(c) for c in columns.values()}
    if len(lengths) > 1:
        raise DriftInputError(f"window {window_label!r} of model {model_id} has features of different lengths.")
    return pa.table(columns)


def replace_results(cur, model_id: int, reference_window: str, current_window: str, report: DriftReport,
                    *, computed_by: str, computed_at: dt.datetime) -> int:
    """Store ``report`` for the pair, replacing an earlier computation; returns rows written."""
    cur.execute("DELETE FROM drift_result WHERE model_id = ? AND reference_window = ? AND current_window = ?",
                [model_id, reference_window, current_window])
    rows = [
        {"model_id": model_id, "reference_window": reference_window, "current_window": current_window,
         "computed_at": computed_at, "computed_by": computed_by, "column": c.column, "column_type": c.column_type,
         "method": c.method, "statistic": c.statistic, "p_value": c.p_value, "threshold": c.threshold,
         "drifted": c.drifted, "status": c.status, "n_reference": c.n_reference, "n_current": c.n_current,
         "drift_share": report.drift_share, "dataset_drift": report.dataset_drift}
        for c in report.columns
    ]
    if rows:
        staged = pa.Table.from_pylist(rows)
        cur.register(_STAGING, staged)
        try:
            # BY NAME: each staged column lands in the drift_result column of the same name.
            cur.execute(f"INSERT INTO drift_result BY NAME SELECT * FROM {_STAGING}")
        finally:
            cur.unregister(_STAGING)
    return len(rows)


__all__ = ["CATEGORICAL", "NUMERIC", "append_window", "declare_features", "feature_types", "read_window",
           "replace_results"]
