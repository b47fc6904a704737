"""The drift monitor's read side: what the Drift page, the portfolio flag and the CLI show.

Everything reads the stored results (``drift_result``, a few rows per model × window × feature)
and the small ``snapshot_window`` index; only ``feature_distributions`` and
``performance_by_window`` touch the snapshot facts, for one model at a time. Nothing here
imports scipy, so the "drifting" portfolio flag (``core.portfolio.flags``) costs no import time.

Traffic light of a model (its latest stored window against its reference):

* ``drift`` — dataset drift: drifted features ÷ evaluated features ≥ the drift share (0.5);
* ``possible drift`` — at least one feature drifted, but fewer than the drift share;
* ``no drift`` — no feature drifted.

Value at risk (USD per month) of a drifting model = the actual benefit its initiative booked
in the reporting month (``core.portfolio.period.as_of_date``): the value the model is there to
deliver while its inputs no longer look like what it learnt. An initiative counts once in
the total, however many of its models drift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.errors import ValidationError
from core.portfolio.period import as_of_date

if TYPE_CHECKING:
    from core.store import Store

DRIFT, POSSIBLE_DRIFT, NO_DRIFT = "drift", "possible drift", "no drift"
#: Bins of a numeric feature's histogram on the page (equal width over both windows).
HISTOGRAM_BINS = 30
#: Levels shown for a categorical feature; the rest are summed as "(other levels)".
MAX_LEVELS_SHOWN = 15

# One row per stored (model, reference, current) pair; drift_result is small (models ×
# windows × features), so grouping it whole is cheap.
_PAIRS_SQL = """
    SELECT r.model_id, r.reference_window, r.current_window, w.window_start,
           any_value(r.drift_share) AS drift_share, bool_or(r.dataset_drift) AS dataset_drift,
           count(*) FILTER (r.drifted) AS n_drifted, count(*) FILTER (r.status <> 'no data') AS n_evaluated,
           max(r.computed_at) AS computed_at, any_value(r.computed_by) AS computed_by
    FROM drift_result r
    JOIN snapshot_window w ON w.model_id = r.model_id AND w.window_label = r.current_window
    GROUP BY ALL
"""
# The pair shown per current window: the latest computation.
_HISTORY_SQL = f"""
    SELECT * FROM ({_PAIRS_SQL}) QUALIFY row_number() OVER (
        PARTITION BY model_id, current_window ORDER BY computed_at DESC, reference_window) = 1
"""
_LATEST_SQL = f"""
    SELECT * FROM ({_HISTORY_SQL}) QUALIFY row_number() OVER (PARTITION BY model_id ORDER BY window_start DESC) = 1
"""
_STATUS_SQL = (f"CASE WHEN dataset_drift THEN '{DRIFT}' WHEN n_drifted > 0 THEN '{POSSIBLE_DRIFT}' "
               f"ELSE '{NO_DRIFT}' END")


@dataclass(frozen=True)
class DriftOverview:
    """Per monitored model its latest verdict (``models``), and the portfolio totals.

    ``value_at_risk_usd`` = Σ over initiatives with a drifting model of that initiative's
    actual benefit in the reporting month ``as_of`` (each initiative once).
    """

    as_of: dt.date
    models: pd.DataFrame
    drifting_models: int
    possible_models: int
    value_at_risk_usd: float


def parse_model_id(raw: str) -> int:
    """A model id from a link (``?model=12``); ValidationError names the expected form."""
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 12:
        shown = text[:30] + ("…" if len(text) > 30 else "")
        raise ValidationError(f"The link names model '{shown}', which is not a model number (e.g. ?model=26).")
    return int(text)


def drift_overview(store: Store, *, as_of: dt.date | None = None) -> DriftOverview:
    """One row per monitored model: status, drift share, windows and value at risk (USD per
    month) in the month of ``as_of`` (the reporting date; read from the store when None)."""
    as_of = as_of_date(store) if as_of is None else as_of
    models = store.frame(
        f"""
        WITH latest AS ({_LATEST_SQL}),
        benefit AS (
            SELECT initiative, sum(amount)::DOUBLE AS monthly_benefit_usd FROM financial_line
            WHERE kind = 'benefit' AND scenario = 'actual' AND month = date_trunc('month', ?::DATE)
            GROUP BY initiative
        )
        SELECT l.model_id, m.name AS model, m.initiative, i.name AS initiative_name, i.business_unit,
               {_STATUS_SQL} AS status, l.drift_share, l.n_drifted, l.n_evaluated,
               l.reference_window, l.current_window, l.computed_at,
               coalesce(b.monthly_benefit_usd, 0) AS monthly_benefit_usd,
               CASE WHEN l.dataset_drift THEN coalesce(b.monthly_benefit_usd, 0) ELSE 0 END AS value_at_risk_usd
        FROM latest l JOIN model m ON m.id = l.model_id JOIN initiative i ON i.code = m.initiative
        LEFT JOIN benefit b ON b.initiative = m.initiative
        ORDER BY CASE status WHEN '{DRIFT}' THEN 0 WHEN '{POSSIBLE_DRIFT}' THEN 1 ELSE 2 END,
                 l.drift_share DESC, l.model_id
        """,
        [as_of],
    )
    drifting = models[models["status"] == DRIFT]
    at_risk = float(drifting.drop_duplicates("initiative")["monthly_benefit_usd"].sum()) if len(drifting) else 0.0
    return DriftOverview(as_of=as_of, models=models, drifting_models=len(drifting),
                         possible_models=int((models["status"] == POSSIBLE_DRIFT).sum()), value_at_risk_usd=at_risk)


def monitored_models(store: Store) -> list[tuple[int, str, str]]:
    """(model id, model name, initiative) of every model with stored snapshot windows."""
    return store.rows(
        "SELECT m.id, m.name, m.initiative FROM model m WHERE m.id IN (SELECT model_id FROM snapshot_window) ORDER BY m.id"
    )


def drift_history(store: Store, model_id: int) -> pd.DataFrame:
    """Per current window (oldest first): drift share, dataset drift and drifted features."""
    return store.frame(
        f"""
        SELECT current_window, window_start, reference_window, drift_share, dataset_drift, n_drifted, n_evaluated,
               {_STATUS_SQL} AS status
        FROM ({_HISTORY_SQL}) WHERE model_id = ? ORDER BY window_start
        """,
        [model_id],
    )


def feature_results(store: Store, model_id: int, window: str) -> pd.DataFrame:
    """Per feature of the latest computation for ``window``, most severe first.

    Order: status (drift, possible drift, no drift, no data), then ``severity`` — how far past
    its threshold the feature is: statistic ÷ threshold for distances, threshold ÷ p for tests
    (≥ 1 means drift under either kind).
    """
    return store.frame(
        f"""
        WITH pair AS ({_HISTORY_SQL})
        SELECT r."column" AS feature, r.column_type, r.method, r.statistic, r.p_value, r.threshold, r.status,
               r.drifted, r.n_reference, r.n_current, r.reference_window, r.current_window,
               CASE WHEN r.p_value IS NOT NULL THEN r.threshold / greatest(r.p_value, 1e-300)
                    WHEN r.statistic IS NOT NULL THEN r.statistic / r.threshold END AS severity
        FROM drift_result r JOIN pair p USING (model_id, reference_window, current_window)
        WHERE r.model_id = ? AND r.current_window = ?
        ORDER BY CASE r.status WHEN 'drift' THEN 0 WHEN 'possible drift' THEN 1 WHEN 'no drift' THEN 2 ELSE 3 END,
                 severity DESC NULLS LAST, feature
        """,
        [model_id, window],
    )


def feature_distributions(store: Store, model_id: int, feature: str, reference: str, current: str) -> pd.DataFrame:
    """Shares of ``feature``'s values in both windows, page-sized, computed in DuckDB.

    Numeric: at most ``HISTOGRAM_BINS`` equal-width bins over [min, max] of both windows
    (whole-number features: bins of whole width centred on the values), columns
    ``window_label, bin_left_value, bin_right_value, share``. Categorical: the ``MAX_LEVELS_SHOWN``
    most common levels (the rest as "(other levels)"), columns ``window_label, level, share``.
    share = rows in bin (level) ÷ non-missing rows of that window.
    """
    kind = store.scalar("SELECT feature_type FROM snapshot_feature WHERE model_id = ? AND feature = ?",
                        [model_id, feature])
    # Zone maps on (model_id, window_label, feature) — the insert order — keep these scans small.
    if kind == "numeric":
        return store.frame(
            """
            WITH v AS (SELECT window_label, value_num AS x FROM feature_snapshot
                       WHERE model_id = $m AND feature = $f AND window_label IN ($r, $c) AND isfinite(value_num)),
            -- Whole-number features (counts, ages) get whole-number bins centred on the values,
            -- so no bin is empty merely because no integer falls inside it.
            span AS (SELECT CASE WHEN bool_and(x = round(x)) THEN min(x) - 0.5 ELSE min(x) END AS lo,
                            CASE WHEN bool_and(x = round(x)) THEN ceil((max(x) - min(x) + 1) / $bins)
                                 ELSE greatest(max(x) - min(x), 1e-12) / $bins END AS width FROM v),
            binned AS (SELECT window_label, least(floor((x - lo) / width), $bins - 1)::INTEGER AS bin FROM v, span)
            SELECT window_label, lo + bin * width AS bin_left_value, lo + (bin + 1) * width AS bin_right_value,
                   count(*) / sum(count(*)) OVER (PARTITION BY window_label) AS share
            FROM binned, span GROUP BY window_label, bin, lo, width ORDER BY window_label, bin
            """,
            {"m": model_id, "f": feature, "r": reference, "c": current, "bins": HISTOGRAM_BINS},
        )
    return store.frame(
        """
        WITH counts AS (SELECT window_label, value_cat AS level, count(*) AS n FROM feature_snapshot
                        WHERE model_id = $m AND feature = $f AND window_label IN ($r, $c) AND value_cat IS NOT NULL
                        GROUP BY ALL),
        shares AS (SELECT window_label, level, n / sum(n) OVER (PARTITION BY window_label) AS share FROM counts),
        top AS (SELECT level FROM shares GROUP BY level ORDER BY max(share) DESC, level LIMIT $top)
        SELECT window_label, CASE WHEN level IN (SELECT level FROM top) THEN level ELSE '(other levels)' END AS level,
               sum(share) AS share
        FROM shares GROUP BY ALL ORDER BY window_label, share DESC
        """,
        {"m": model_id, "f": feature, "r": reference, "c": current, "top": MAX_LEVELS_SHOWN},
    )


def performance_by_window(store: Store, model_id: int) -> pd.DataFrame:
    """Model quality per window where labels were stored (empty frame when none).

    Classification models: accuracy = rows with prediction = label ÷ labelled rows.
    Other tasks: MAE = mean |prediction − label| (both read as numbers).
    """
    task = store.scalar("SELECT task FROM model WHERE id = ?", [model_id])
    if task == "classification":
        metric, value = "accuracy", "avg((o.prediction = o.label)::INTEGER)"
    else:
        metric, value = "MAE", "avg(abs(TRY_CAST(o.prediction AS DOUBLE) - TRY_CAST(o.label AS DOUBLE)))"
    # snapshot_outcome is appended per window, so one model's rows are contiguous.
    return store.frame(
        f"""
        SELECT w.window_label, w.window_start, '{metric}' AS metric, {value} AS value, count(*) AS labelled_rows
        FROM snapshot_outcome o JOIN snapshot_window w USING (model_id, window_label)
        WHERE o.model_id = ? AND o.label IS NOT NULL AND o.prediction IS NOT NULL
        GROUP BY ALL ORDER BY w.window_start
        """,
        [model_id],
    )


def drifting_initiatives(store: Store, as_of: dt.date) -> set[str]:
    """Initiatives with at least one model whose latest stored window shows dataset drift.

    ``as_of`` is not used (a model's latest window is its latest whatever the reporting
    date); it is there because every portfolio flag is called as ``codes(store, as_of)``.
    """
    rows = store.rows(
        f"SELECT DISTINCT m.initiative FROM ({_LATEST_SQL}) l JOIN model m ON m.id = l.model_id WHERE l.dataset_drift"
    )
    return {r[0] for r in rows}
