"""The ``snapshots`` upload kind: windows land in the store with drift computed, and bad
files (unknown model, another unit's model, a window twice, no features) are refused whole."""

from __future__ import annotations

import numpy as np

from core.drift.queries import drift_history
from core.ingest import import_upload
from tests.conftest import ADMIN, LEAD_OPS, LEAD_RETAIL


def _csv(model_id: int, windows: tuple[str, ...], rows: int = 120, extra: str = "") -> bytes:
    rng = np.random.default_rng(5)
    lines = ["model_id,window,label,prediction,x,colour" + extra]
    for window in windows:
        for i in range(rows):
            lines.append(f"{model_id},{window},{i % 2},{(i // 2) % 2},{rng.normal():.4f},{'ab'[i % 2]}"
                         + (",1" if extra else ""))
    return ("\n".join(lines) + "\n").encode()


def test_import_stores_windows_and_computes_their_drift(drift_store):
    result = import_upload(drift_store, ADMIN, "snapshots", "s.csv", _csv(3, ("2026-03", "2026-04")), dry_run=False)
    assert result.status == "imported", result.problems
    assert result.rows_added == 240
    assert drift_store.rows("SELECT window_label, rows, has_outcomes FROM snapshot_window"
                            " WHERE model_id = 3 AND window_label >= '2026-03' ORDER BY 1") == [
        ("2026-03", 120, True), ("2026-04", 120, True)]
    assert list(drift_history(drift_store, 3)["current_window"]) == ["2026-02", "2026-03", "2026-04"]
    assert drift_store.scalar("SELECT count(*) FROM import_ledger WHERE kind = 'snapshots'") == 1


def test_same_file_twice_imports_once(drift_store):
    data = _csv(3, ("2026-03",))
    import_upload(drift_store, ADMIN, "snapshots", "s.csv", data, dry_run=False)
    again = import_upload(drift_store, ADMIN, "snapshots", "s.csv", data, dry_run=False)
    assert again.status == "duplicate"


def test_a_timestamp_column_gives_monthly_windows(drift_store):
    data = b"model_id,ts,x,colour\n3,2026-05-03T10:00:00Z,1.5,a\n3,2026-05-20T11:00:00Z,2.5,b\n"
    result = import_upload(drift_store, ADMIN, "snapshots", "t.csv", data, dry_run=False)
    assert result.status == "imported", result.problems
    assert drift_store.scalar("SELECT window_start FROM snapshot_window WHERE window_label = '2026-05'").day == 1


def test_team_lead_imports_own_unit_and_is_refused_for_another(drift_store):
    own = import_upload(drift_store, LEAD_RETAIL, "snapshots", "own.csv", _csv(1, ("2026-03",)), dry_run=False)
    assert own.status == "imported", own.problems
    other = import_upload(drift_store, LEAD_OPS, "snapshots", "other.csv", _csv(1, ("2026-04",)), dry_run=False)
    assert other.status == "rejected"
    assert "belongs to business unit RETAIL" in other.problems[0].message
    assert drift_store.scalar("SELECT count(*) FROM snapshot_window WHERE window_label = '2026-04'") == 0


def test_a_window_already_stored_is_refused(drift_store):
    result = import_upload(drift_store, ADMIN, "snapshots", "s.csv", _csv(3, ("2026-02",)), dry_run=False)
    assert result.status == "rejected"
    assert "already has window 2026-02" in result.problems[0].message


def test_unknown_model_and_missing_features_are_named(drift_store):
    unknown = import_upload(drift_store, ADMIN, "snapshots", "s.csv", _csv(99, ("2026-03",)))
    assert "unknown model 99" in unknown.problems[0].message
    bare = import_upload(drift_store, ADMIN, "snapshots", "b.csv", b"model_id,window\n3,2026-03\n")
    assert bare.problems[0].message == "the file has no feature columns"


def test_text_in_a_stored_numeric_feature_is_refused(drift_store):
    data = b"model_id,window,x,colour\n3,2026-03,high,a\n3,2026-03,1.0,b\n"
    result = import_upload(drift_store, ADMIN, "snapshots", "s.csv", data)
    assert result.status == "rejected"
    assert "stored as numeric" in result.problems[0].message
