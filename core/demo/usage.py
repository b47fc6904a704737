"""Expand the monthly usage plan into individual usage events inside DuckDB.

Each plan row (initiative × model × month, with its requests and cost targets) becomes
``n_events`` rows whose requests and cost add up to about the targets. Randomness comes
from ``hash(plan_id, event, stream, seed)``, so the result is identical for a seed whatever
the thread count — no Python loop over rows.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

PLAN_COLUMNS = (
    "initiative", "model", "provider", "operation", "month", "requests", "cost_usd",
    "tokens_in", "tokens_out", "latency_ms", "location", "hardware",
)

# u(k): a uniform number in [0, 1) from the k-th hash stream of an event.
_U = "((hash(p.plan_id, t.i, {k}, $seed) % 1000003) / 1000003.0)"


def u(k: int) -> str:
    return _U.format(k=k)


def generate_usage(cur: duckdb.DuckDBPyConnection, plan_rows: list[tuple], *, total_events: int, seed: int) -> None:
    """Create temp table ``demo_usage_staging`` with about ``total_events`` usage events."""
    columns = list(zip(*plan_rows)) if plan_rows else [[] for _ in PLAN_COLUMNS]
    plan = pa.table({name: list(values) for name, values in zip(PLAN_COLUMNS, columns)})
    cur.register("demo_usage_plan_input", plan)
    # Events per plan row ∝ sqrt(requests × cost): cheap high-volume predictive models and
    # expensive low-volume agents both get enough rows to draw a smooth monthly trend.
    cur.execute(
        """
        CREATE OR REPLACE TEMP TABLE demo_usage_plan AS
        WITH weighted AS (
            SELECT row_number() OVER (ORDER BY initiative, model, month) AS plan_id, *,
                   sqrt(greatest(requests, 1) * greatest(cost_usd, 0.01)) AS weight
            FROM demo_usage_plan_input
        )
        SELECT *, greatest(1, round($total * weight / sum(weight) OVER ()))::BIGINT AS n_events
        FROM weighted
        """,
        {"total": total_events},
    )
    cur.unregister("demo_usage_plan_input")
    cur.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE demo_usage_staging AS
        SELECT
            p.month::TIMESTAMP + to_microseconds(CAST({u(1)} * (last_day(p.month) - p.month + 1)
                * 86400e6 AS BIGINT)) AS ts,
            p.initiative, p.provider, p.model, p.operation,
            greatest(1, round(p.requests / p.n_events * (0.5 + {u(2)})))::INTEGER AS requests,
            (round(p.requests / p.n_events * (0.5 + {u(2)})) * p.tokens_in * (0.7 + 0.6 * {u(3)}))::BIGINT AS input_tokens,
            (round(p.requests / p.n_events * (0.5 + {u(2)})) * p.tokens_out * (0.7 + 0.6 * {u(4)}))::BIGINT AS output_tokens,
            0::BIGINT AS cached_input_tokens,
            p.latency_ms * (0.6 + 0.8 * {u(5)}) * CASE WHEN {u(6)} > 0.98 THEN 4 ELSE 1 END AS latency_ms,
            (p.cost_usd / p.n_events * (0.5 + {u(2)}) * (0.9 + 0.2 * {u(7)}))::DECIMAL(18, 8) AS cost_usd,
            p.location, p.hardware, FALSE AS cost_from_book, NULL::BIGINT AS import_id
        FROM demo_usage_plan p, range(p.n_events) t(i)
        """,
        {"seed": seed},
    )
