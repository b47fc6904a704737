"""Upload kind ``snapshots``: feature snapshots of a model, one or more monthly windows.

A file (CSV, Parquet, xlsx) has one row per scored record:

* ``model_id`` — the model (see the Drift page or ``factory users``/Model Registry for ids);
* ``window`` (``YYYY-MM`` or a date) or ``ts`` (a timestamp): the row's monthly window,
  labelled ``YYYY-MM``;
* optional ``label`` and ``prediction`` (for accuracy / MAE by window);
* every other column is a feature. A feature whose every value is a number (the number
  grammar of ``core.ingest.validate``, magnitude ≤ 10^15: no NaN, infinity, ``0x10`` or
  ``1,5``) is numeric, otherwise categorical; a feature already stored for the model keeps
  its stored type (then a value that is not such a number is refused).

Rules: the model must exist; a team lead may import only models of their own business unit
(through the model's initiative); a (model, window) already stored is refused, so a window
is never silently mixed from two files. The import stores the windows in the long
``feature_snapshot`` layout (core.drift.storage) and computes every window of each touched
model against the model's first window, so the Drift page shows the new data at once.
"""

from __future__ import annotations

import datetime as dt

from core.drift.monitor import compute_window_drift
from core.drift.storage import append_window, declare_features, feature_types, replace_results
from core.ingest.registry import Column, UploadKind
from core.ingest.numbers import NUMBER_MAX, number_value_sql

COLUMNS = (
    Column("model_id", "int", required=True, aliases=("model",)),
    Column("window", "month", nullable=True, aliases=("window_label", "window_start", "month", "date")),
    Column("ts", "timestamp", nullable=True, aliases=("timestamp", "time")),
    Column("label", "text", nullable=True, aliases=("target", "actual", "y")),
    Column("prediction", "text", nullable=True, aliases=("predicted", "score_class", "y_pred")),
)

TEMPLATE_ROWS = (
    {"model_id": "26", "window": "2026-01", "label": "1", "prediction": "1", "age": "41", "channel": "app"},
    {"model_id": "26", "window": "2026-01", "label": "0", "prediction": "1", "age": "57", "channel": "branch"},
    {"model_id": "26", "window": "2026-02", "label": "", "prediction": "0", "age": "33", "channel": "web"},
)

_WINDOW_SQL = "coalesce(t.window, CAST(date_trunc('month', t.ts) AS DATE))"


def _problem(cur, sql: str, params: list) -> None:
    cur.execute("INSERT INTO upload_problem " + sql, params)


def _numeric(cur, raw: str) -> bool:
    """Every non-empty value of raw column ``raw`` (a ``c{i}`` name from the reader) is a number
    within ±``NUMBER_MAX`` (so NaN and infinity never reach the drift statistics)."""
    bad, filled = cur.execute(
        f"SELECT count(*) FILTER ({raw} IS NOT NULL AND NOT coalesce(abs({number_value_sql(raw)}) <= ?, false)),"
        f" count({raw}) FROM upload_typed", [NUMBER_MAX]).fetchall()[0]
    return bad == 0 and filled > 0


def _feature_types(cur, upload) -> dict[str, tuple[str, str]]:
    """header → (raw column, "numeric" | "categorical") of the file's feature columns."""
    return {header: (raw, "numeric" if _numeric(cur, raw) else "categorical") for header, raw in upload.extra}


def validate(cur, upload) -> None:
    if "window" not in upload.present and "ts" not in upload.present:
        _problem(cur, "SELECT NULL, 'window', ?, ?", [
            "the file has no window column", "Add a column `window` (YYYY-MM) or `ts` (a timestamp) per row."])
        return
    if not upload.extra:
        _problem(cur, "SELECT NULL, NULL, ?, ?", [
            "the file has no feature columns", "Add one column per model input besides model_id, window, label, prediction."])
        return
    _problem(cur, f"SELECT _row, 'window', 'no window: both window and ts are empty', 'Fill in one of them.'"
                  f" FROM upload_typed t WHERE {_WINDOW_SQL} IS NULL AND t._p_window IS NULL"
             if "window" in upload.present else
             f"SELECT _row, 'ts', 'no timestamp', 'Fill in ts.' FROM upload_typed t WHERE t.ts IS NULL AND t._p_ts IS NULL",
             [])
    known = ", ".join(str(r[0]) for r in cur.execute("SELECT id FROM model ORDER BY id LIMIT 8").fetchall())
    _problem(cur, "SELECT min(t._row), 'model_id', 'unknown model ' || t.model_id || ' (' || count(*) || ' rows)', ?"
                  " FROM upload_typed t ANTI JOIN model m ON m.id = t.model_id"
                  " WHERE t.model_id IS NOT NULL AND t._p_model_id IS NULL"
                  " GROUP BY t.model_id", [f"Use the id of a registered model, e.g. {known or '(none yet)'}."])
    actor = upload.actor
    if actor.role == "team_lead":
        _problem(cur, "SELECT min(t._row), 'model_id', 'model ' || t.model_id || ' belongs to business unit ' ||"
                      " i.business_unit || '; ' || ? || ' may only import snapshots for ' || ?, ?"
                      " FROM upload_typed t JOIN model m ON m.id = t.model_id JOIN initiative i ON i.code = m.initiative"
                      " WHERE i.business_unit <> ? GROUP BY t.model_id, i.business_unit",
                 [actor.name, actor.business_unit or "(none)", "Remove these rows or ask an administrator.",
                  actor.business_unit or ""])
    _problem(cur, "SELECT min(t._row), 'window', 'model ' || t.model_id || ' already has window ' ||"
                  " w.window_label, 'Each window is imported once: remove these rows.'"
                  f" FROM upload_typed t JOIN snapshot_window w ON w.model_id = t.model_id"
                  f" AND w.window_label = strftime({_WINDOW_SQL}, '%Y-%m') GROUP BY t.model_id, w.window_label", [])
    types = _feature_types(cur, upload)
    for model_id, feature, stored in cur.execute(
            "SELECT f.model_id, f.feature, f.feature_type FROM snapshot_feature f"
            " WHERE f.model_id IN (SELECT DISTINCT model_id FROM upload_typed) AND list_contains(?, f.feature)",
            [list(types)]).fetchall():
        if stored == "numeric" and types[feature][1] != "numeric":
            _problem(cur, "SELECT NULL, ?, ?, ?", [
                feature, f"feature `{feature}` of model {model_id} is stored as numeric, but the file has non-numbers",
                "Fix the values, or rename the column if it is a different feature."])


def load(cur, upload) -> int:
    types = _feature_types(cur, upload)
    pairs = cur.execute(f"SELECT DISTINCT t.model_id, {_WINDOW_SQL} FROM upload_typed t ORDER BY 1, 2").fetchall()
    added = 0
    for model_id, start in pairs:
        stored = feature_types(cur, model_id)
        kinds = {h: stored.get(h, kind) for h, (_raw, kind) in types.items()}
        declare_features(cur, model_id, kinds)
        # Raw column names are the reader's c{i}; headers travel only as Arrow names.
        selects = [number_value_sql(raw) if kinds[h] == "numeric" else raw for h, (raw, _k) in types.items()]
        rows = cur.sql(
            f"SELECT {', '.join(selects)}, t.label, t.prediction FROM upload_typed t"
            f" WHERE t.model_id = ? AND {_WINDOW_SQL} = ? ORDER BY t._row", params=[model_id, start]).to_arrow_table()
        features = rows.select(list(range(len(types)))).rename_columns(list(types))
        outcomes = rows.select([len(types), len(types) + 1]).rename_columns(["label", "prediction"])
        has_outcomes = outcomes.column("label").null_count < outcomes.num_rows
        added += append_window(cur, model_id, f"{start:%Y-%m}", start, features, outcomes if has_outcomes else None,
                               import_sha256=upload.sha256)
    for model_id in sorted({m for m, _ in pairs}):
        _recompute(cur, model_id, upload.actor.name)
    return added


def _recompute(cur, model_id: int, actor_name: str) -> None:
    """Every window of the model against its first window (a new window may be the new first)."""
    labels = [r[0] for r in cur.execute(
        "SELECT window_label FROM snapshot_window WHERE model_id = ? ORDER BY window_start", [model_id]).fetchall()]
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    cur.execute("DELETE FROM drift_result WHERE model_id = ? AND reference_window <> ?", [model_id, labels[0]])
    for current in labels[1:]:
        report = compute_window_drift(cur, model_id, labels[0], current)
        replace_results(cur, model_id, labels[0], current, report, computed_by=actor_name, computed_at=now)


KIND = UploadKind(
    name="snapshots", label="Feature snapshots (drift)", permission="import_snapshots", columns=COLUMNS,
    load=load, validate=validate, template_rows=TEMPLATE_ROWS, keep_extra=True,
    description="Model inputs per monthly window (one row per scored record), with optional labels and "
                "predictions; drift against the model's first window is computed on import.",
)
