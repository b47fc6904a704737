"""Stored drift results are exactly what compute_drift says on the same data, and the
read side (history, features by severity, distributions, accuracy) reads them back."""

from __future__ import annotations

import math

import pytest

from core.drift import compute_drift
from core.drift.monitor import compute_and_store_drift
from core.drift.queries import (
    drift_history, feature_distributions, feature_results, parse_model_id, performance_by_window,
)
from core.errors import NotFoundError, ValidationError
from tests.conftest import ADMIN
from tests.unit.drift.conftest import TYPES, window_table


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b or (math.isinf(a) and math.isinf(b))


def test_stored_results_equal_compute_drift_on_the_same_data(drift_store):
    report = compute_and_store_drift(drift_store, ADMIN, 1, "2026-01", "2026-02")
    oracle = compute_drift(window_table(10, False), window_table(11, True), column_types=TYPES)
    stored = feature_results(drift_store, 1, "2026-02").set_index("feature")
    assert report.to_dict() == oracle.to_dict()
    for column in oracle.columns:
        row = stored.loc[column.column]
        assert (row["method"], row["threshold"], row["status"], bool(row["drifted"])) == (
            column.method, column.threshold, column.status, column.drifted)
        assert _same(row["statistic"], column.statistic)
        assert _same(None if math.isnan(row["p_value"]) else row["p_value"], column.p_value)
    assert math.isinf(stored.loc["colour", "statistic"])  # a new level: χ² = +∞ is stored as such


def test_recompute_replaces_the_pair_and_is_audited(drift_store):
    compute_and_store_drift(drift_store, ADMIN, 1, "2026-01", "2026-02")
    compute_and_store_drift(drift_store, ADMIN, 1, "2026-01", "2026-02", threshold_overrides={"x": 0.01})
    assert drift_store.scalar("SELECT count(*) FROM drift_result WHERE model_id = 1") == 2
    assert drift_store.scalar("SELECT threshold FROM drift_result WHERE model_id = 1 AND \"column\" = 'x'") == 0.01
    assert drift_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'drift.compute'") == 2


def test_history_has_one_point_per_current_window(drift_store):
    compute_and_store_drift(drift_store, ADMIN, 1, "2026-01", "2026-02")
    compute_and_store_drift(drift_store, ADMIN, 1, "2026-01", "2026-01")
    history = drift_history(drift_store, 1)
    assert list(history["current_window"]) == ["2026-01", "2026-02"]
    assert list(history["drift_share"]) == [0.0, 1.0]
    assert list(history["status"]) == ["no drift", "drift"]


def test_features_are_sorted_by_severity(drift_store):
    compute_and_store_drift(drift_store, ADMIN, 3, "2026-01", "2026-02", threshold_overrides={"x": 0.999})
    frame = feature_results(drift_store, 3, "2026-02")
    assert frame["status"].iloc[0] == "drift" and frame["feature"].iloc[0] == "x"


def test_numeric_and_categorical_distributions_are_shares_per_window(drift_store):
    numeric = feature_distributions(drift_store, 1, "x", "2026-01", "2026-02")
    levels = feature_distributions(drift_store, 1, "colour", "2026-01", "2026-02")
    for frame in (numeric, levels):
        assert frame.groupby("window_label")["share"].sum().round(9).tolist() == [1.0, 1.0]
    assert len(numeric) <= 2 * 30
    assert "c" in set(levels[levels["window_label"] == "2026-02"]["level"])
    assert "c" not in set(levels[levels["window_label"] == "2026-01"]["level"])


def test_accuracy_by_window_counts_matching_predictions(drift_store):
    frame = performance_by_window(drift_store, 1)
    assert list(frame["metric"]) == ["accuracy", "accuracy"]
    assert list(frame["value"]) == [0.75, 0.75]  # 3 of every 4 rows in OUTCOMES match
    assert list(frame["labelled_rows"]) == [200, 200]


def test_unknown_window_or_model_says_what_exists(drift_store):
    with pytest.raises(NotFoundError, match="stored windows: 2026-01, 2026-02"):
        compute_and_store_drift(drift_store, ADMIN, 1, "2026-01", "2027-01")
    with pytest.raises(NotFoundError, match="no model with id 42"):
        compute_and_store_drift(drift_store, ADMIN, 42, "2026-01", "2026-02")


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "'; DROP TABLE model; --", "9" * 20, ""])
def test_malformed_model_ids_are_refused(raw):
    with pytest.raises(ValidationError, match="not a model number"):
        parse_model_id(raw)


def test_model_id_from_a_link():
    assert parse_model_id(" 26 ") == 26
