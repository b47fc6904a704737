"""Usage (inference) facts: appending them and keeping the monthly rollup in step.

``usage_event`` holds one row per call or per aggregated interval (tens of millions of
rows). Pages never scan it: every append also folds the new rows into ``usage_monthly``
(month × initiative × model × location × hardware) inside the same transaction, so the
rollup is always exactly the GROUP BY of the facts (a test checks this).
"""

from __future__ import annotations

import duckdb

USAGE_COLUMNS = (
    "ts", "initiative", "provider", "model", "operation", "requests", "input_tokens",
    "output_tokens", "cached_input_tokens", "latency_ms", "cost_usd", "location", "hardware",
    "cost_from_book", "import_id",
)

# Staging relations that may feed ``append_usage`` (identifiers come only from here).
STAGING_TABLES = frozenset({"demo_usage_staging", "usage_import_staging"})


def append_usage(cur: duckdb.DuckDBPyConnection, staging_table: str, *, order_by_ts: bool = True) -> int:
    """Append the rows of ``staging_table`` (same columns as usage_event) and roll them up.

    Must run inside the caller's write transaction (``Store.write``/``system_write``).
    ``order_by_ts`` (default, used by the demo generator, where it is cheap) sorts the rows by
    ``ts`` first; imports pass ``False`` and append in file order, because sorting millions
    of rows costs about as much as the whole validated read and nothing on a hot path scans
    ``usage_event`` by time range (pages read ``usage_monthly``). Returns the number of
    events added.
    """
    if staging_table not in STAGING_TABLES:
        raise ValueError(f"not a usage staging table: {staging_table!r}")
    columns = ", ".join(USAGE_COLUMNS)
    order = " ORDER BY ts" if order_by_ts else ""
    cur.execute(f"INSERT INTO usage_event ({columns}) SELECT {columns} FROM {staging_table}{order}")
    added = cur.execute(f"SELECT count(*) FROM {staging_table}").fetchone()[0]
    _roll_up(cur, staging_table, [])
    return added


def group_import(cur: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """The temp table ``usage_import_groups``: the monthly GROUP BY of one import's facts
    (``import_id``, inserted by the caller in this same transaction), in ``usage_monthly``'s
    columns. A few hundred rows for millions of events, so an import can check rules that
    hold per initiative, model, location or hardware here, once per value instead of once per
    row, before ``merge_import_groups``."""
    cur.execute(f"CREATE OR REPLACE TEMP TABLE usage_import_groups AS {_monthly_select('usage_event WHERE import_id = ?')}",
                [import_id])


def merge_import_groups(cur: duckdb.DuckDBPyConnection) -> None:
    """``usage_monthly`` += ``usage_import_groups`` (then dropped)."""
    _merge(cur, "SELECT * FROM usage_import_groups", [])
    cur.execute("DROP TABLE usage_import_groups")


def _roll_up(cur: duckdb.DuckDBPyConnection, source_sql: str, params: list) -> None:
    """``usage_monthly`` += the GROUP BY of ``source_sql`` (a staging table or a filtered
    ``usage_event``; identifiers from this module only)."""
    _merge(cur, _monthly_select(source_sql), params)


def _monthly_select(source_sql: str) -> str:
    """The GROUP BY that defines ``usage_monthly`` (month × initiative × model × location ×
    hardware): events, sums of requests and tokens, cost in USD (DECIMAL(18, 6)), and
    ``latency_ms_sum`` = Σ latency_ms × requests over ``latency_count`` = Σ requests of rows
    with a latency, so a mean latency per request is their ratio."""
    return f"""
        SELECT date_trunc('month', ts)::DATE AS month, initiative, model, location, hardware,
               count(*) AS events, sum(requests) AS requests, sum(input_tokens) AS input_tokens,
               sum(output_tokens) AS output_tokens, sum(cost_usd)::DECIMAL(18, 6) AS cost_usd,
               coalesce(sum(latency_ms * requests), 0) AS latency_ms_sum,
               coalesce(sum(CASE WHEN latency_ms IS NOT NULL THEN requests END), 0) AS latency_count
        FROM {source_sql}
        GROUP BY ALL"""


def _merge(cur: duckdb.DuckDBPyConnection, groups_sql: str, params: list) -> None:
    cur.execute(
        f"""
        INSERT INTO usage_monthly {groups_sql}
        ON CONFLICT DO UPDATE SET
            events = usage_monthly.events + EXCLUDED.events,
            requests = usage_monthly.requests + EXCLUDED.requests,
            input_tokens = usage_monthly.input_tokens + EXCLUDED.input_tokens,
            output_tokens = usage_monthly.output_tokens + EXCLUDED.output_tokens,
            cost_usd = usage_monthly.cost_usd + EXCLUDED.cost_usd,
            latency_ms_sum = usage_monthly.latency_ms_sum + EXCLUDED.latency_ms_sum,
            latency_count = usage_monthly.latency_count + EXCLUDED.latency_count
        """,
        params,
    )


def rebuild_usage_rollup_from(cur: duckdb.DuckDBPyConnection, month) -> None:
    """Recompute the ``usage_monthly`` rows of ``month`` (a first day) and later from the facts,
    after a write that changed those facts in place (re-pricing); earlier months stay as they
    are. Scans only the facts from ``month`` on (usage_event's ts zone maps skip the rest when
    rows were appended roughly in time order)."""
    cur.execute("DELETE FROM usage_monthly WHERE month >= ?", [month])
    cur.execute(f"INSERT INTO usage_monthly {_monthly_select('usage_event WHERE ts >= ?')}", [month])


def rebuild_usage_rollup(cur: duckdb.DuckDBPyConnection) -> None:
    """Recompute ``usage_monthly`` from the facts (repair tool; also the test oracle)."""
    cur.execute("DELETE FROM usage_monthly")
    cur.execute(f"INSERT INTO usage_monthly {_monthly_select('usage_event')}")
