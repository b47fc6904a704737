"""Feature snapshots survive the store unchanged, and bad windows are refused with a reason."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from core.drift import DriftInputError
from core.drift.storage import append_window, declare_features, feature_types, read_window
from tests.unit.drift.conftest import TYPES, window_table


def test_window_round_trips_values_types_and_missing(drift_store):
    with drift_store.cursor() as cur:
        stored = read_window(cur, 1, "2026-02")
    original = window_table(11, shifted=True)
    assert stored.column_names == ["x", "colour"]
    # Drift compares distributions, so the window is a multiset: compare sorted values.
    np.testing.assert_array_equal(np.sort(stored.column("x").to_numpy()), np.sort(original.column("x").to_numpy()))
    assert int(np.isnan(stored.column("x").to_numpy()).sum()) == 3  # NaN stays NaN (missing for drift)
    assert sorted(stored.column("colour").to_pylist()) == sorted(original.column("colour").to_pylist())


def test_features_keep_their_declared_type_and_order(drift_store):
    with drift_store.cursor() as cur:
        assert feature_types(cur, 1) == TYPES


def test_window_index_counts_rows_and_knows_about_labels(drift_store):
    assert drift_store.rows(
        "SELECT window_label, window_start, rows, has_outcomes FROM snapshot_window WHERE model_id = 3 ORDER BY 1"
    ) == [("2026-01", dt.date(2026, 1, 1), 200, True), ("2026-02", dt.date(2026, 2, 1), 200, True)]


def test_same_window_twice_is_refused(drift_store):
    with pytest.raises(DriftInputError, match="already has a window '2026-01'"):
        with drift_store.system_write(action="test") as cur:
            append_window(cur, 1, "2026-01", dt.date(2026, 1, 1), window_table(1, False))


def test_undeclared_feature_is_refused(drift_store):
    with pytest.raises(DriftInputError, match="not declared"):
        with drift_store.system_write(action="test") as cur:
            append_window(cur, 1, "2026-03", dt.date(2026, 3, 1), pa.table({"age": [1.0, 2.0]}))


def test_a_feature_cannot_change_type(drift_store):
    with pytest.raises(DriftInputError, match="cannot become numeric"):
        with drift_store.system_write(action="test") as cur:
            declare_features(cur, 1, {"colour": "numeric"})
