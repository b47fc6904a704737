"""Drift monitor schema: feature snapshots per model and window, and stored drift results.

Layout — LONG, chosen for speed of the two things that happen to snapshots:

* ``feature_snapshot(model_id, window_label, feature, row_id, value_num, value_cat)`` holds one
  row per (row, feature). A wide per-model table would need DDL generated from uploaded
  column names (identifiers a user typed) and an ALTER for every new feature; the long table
  takes any feature set with one fixed, parameterised schema.
* Rows are inserted ordered by (model_id, window_label, feature, row_id), so DuckDB's zone
  maps (min/max per row group) prune a read of one model × window to its own row groups, and
  the ``feature`` column is dictionary-compressed by DuckDB (few distinct names per row group).
  A window is read once as an Arrow table sorted by (feature, row_id) and sliced per feature
  without copying (core.drift.storage), so no PIVOT and no Python row loop is needed.
* ``value_num`` holds numeric features, ``value_cat`` categorical ones; the type of each
  feature is declared once in ``snapshot_feature`` (and passed to compute_drift as
  ``column_types``), so "1" in a categorical column stays a level.
* ``snapshot_window`` is the small per-window index (start date, rows) that pages list
  without touching the facts; ``snapshot_outcome`` holds labels and predictions (text, so
  classes and numbers fit; MAE casts them) for performance drift.

``drift_result`` holds one row per column per (model, reference window, current window);
recomputing a pair replaces its rows. ``drift_share``/``dataset_drift`` repeat on each row of a
pair so history is one GROUP BY. Statistics are DOUBLE and may be +Infinity (chi-squared
with a level new in the current window): DuckDB stores IEEE infinity exactly, it is never
money, and the status column still says "drift".
"""

STATEMENTS = (
    """CREATE TABLE snapshot_feature (
        model_id BIGINT NOT NULL,
        feature VARCHAR NOT NULL,
        feature_type VARCHAR NOT NULL CHECK (feature_type IN ('numeric', 'categorical')),
        position INTEGER NOT NULL,
        PRIMARY KEY (model_id, feature)
    )""",
    """CREATE TABLE snapshot_window (
        model_id BIGINT NOT NULL,
        window_label VARCHAR NOT NULL,
        window_start DATE NOT NULL,
        rows BIGINT NOT NULL,
        has_outcomes BOOLEAN NOT NULL DEFAULT false,
        import_sha256 VARCHAR,
        PRIMARY KEY (model_id, window_label)
    )""",
    """CREATE TABLE feature_snapshot (
        model_id BIGINT NOT NULL,
        window_label VARCHAR NOT NULL,
        feature VARCHAR NOT NULL,
        row_id BIGINT NOT NULL,
        value_num DOUBLE,
        value_cat VARCHAR
    )""",
    """CREATE TABLE snapshot_outcome (
        model_id BIGINT NOT NULL,
        window_label VARCHAR NOT NULL,
        row_id BIGINT NOT NULL,
        label VARCHAR,
        prediction VARCHAR
    )""",
    """CREATE TABLE drift_result (
        model_id BIGINT NOT NULL,
        reference_window VARCHAR NOT NULL,
        current_window VARCHAR NOT NULL,
        computed_at TIMESTAMP NOT NULL,
        computed_by VARCHAR NOT NULL,
        "column" VARCHAR NOT NULL,
        column_type VARCHAR NOT NULL,
        method VARCHAR NOT NULL,
        statistic DOUBLE,
        p_value DOUBLE,
        threshold DOUBLE NOT NULL,
        drifted BOOLEAN NOT NULL,
        status VARCHAR NOT NULL,
        n_reference BIGINT NOT NULL,
        n_current BIGINT NOT NULL,
        drift_share DOUBLE NOT NULL,
        dataset_drift BOOLEAN NOT NULL,
        PRIMARY KEY (model_id, reference_window, current_window, "column")
    )""",
)
