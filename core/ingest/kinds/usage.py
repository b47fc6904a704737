"""Usage (inference) events: our column names and the OpenTelemetry GenAI attribute names.

Rows are validated in DuckDB and appended through ``core.usage.append_usage`` from the temp
table ``usage_import_staging`` inside the import transaction, so ``usage_monthly`` stays the
exact GROUP BY of the facts. Rows without ``cost_usd`` are priced from ``core.ingest.prices``.
"""

from __future__ import annotations

import re

from core.entities import LOCATIONS
from core.ingest import prices
from core.ingest.kinds.common import check_known_initiatives
from core.ingest.reader import quote_literal
from core.ingest.registry import Column, UploadKind, register

COLUMNS = (
    Column("ts", "timestamp", required=True, aliases=("timestamp", "time", "start_time")),
    Column("initiative", "code", required=True),
    Column("model", "text", required=True, aliases=("gen_ai.request.model", "gen_ai.response.model")),
    Column("requests", "int", default=1),
    Column("input_tokens", "int", default=0, aliases=("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")),
    Column("output_tokens", "int", default=0,
           aliases=("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")),
    Column("latency_ms", "number", unit_scale={"gen_ai.client.operation.duration": 1000.0}),
    Column("cost_usd", "money", scale=8),
    Column("location", "choice", choices=LOCATIONS, default="cloud"),
    Column("hardware", "text", default="unspecified", max_length=120),
    Column("provider", "text", default="self-hosted", aliases=("gen_ai.provider.name", "gen_ai.system")),
    Column("operation", "text", default="predict", aliases=("gen_ai.operation.name",)),
    Column("cached_input_tokens", "int", default=0, aliases=("gen_ai.usage.cache_read.input_tokens",)),
)

TEMPLATE_ROWS = (
    {"ts": "2026-01-15T09:30:00Z", "initiative": "CHURN-01", "model": "gbm-classifier", "requests": "120",
     "input_tokens": "0", "output_tokens": "0", "latency_ms": "6.5", "cost_usd": "0.0144", "location": "cloud",
     "hardware": "cloud-cpu-4"},
    {"ts": "2026-01-15T09:31:00+01:00", "initiative": "CHURN-01", "model": "gpt-4o-mini", "requests": "1",
     "input_tokens": "1800", "output_tokens": "450", "latency_ms": "1100", "cost_usd": "", "location": "cloud",
     "hardware": "vendor-api"},
)


def validate(cur, upload) -> None:
    check_known_initiatives(cur)
    cur.execute("CREATE OR REPLACE TEMP TABLE usage_price (model VARCHAR, provider VARCHAR,"
                " input_per_1m DECIMAL(18, 6), output_per_1m DECIMAL(18, 6))")
    cur.executemany("INSERT INTO usage_price VALUES (?, ?, ?, ?)", prices.price_rows())
    known = ", ".join(sorted(prices.PRICES))
    parsed = " AND t._p_cost_usd IS NULL" if "cost_usd" in upload.present else ""  # bad values: reported already
    cur.execute(
        "INSERT INTO upload_problem SELECT min(t._row), 'cost_usd', 'no cost_usd and no price for model ' ||"
        " t.model || ' in price table ' || ? || ' (' || count(*) || ' row' || CASE WHEN count(*) > 1 THEN 's)' ELSE ')' END, ?"
        " FROM upload_typed t ANTI JOIN usage_price p ON p.model = t.model"
        f" WHERE t.cost_usd IS NULL AND t.model IS NOT NULL{parsed} GROUP BY t.model",
        [prices.PRICE_TABLE_VERSION, f"Add a cost_usd column, or use a priced model: {known}."],
    )
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'requests', 'expected at least 1 request, got 0',"
        " 'Remove rows with no calls.' FROM upload_typed WHERE requests = 0")


def load(cur, upload) -> int:
    from core.usage import append_usage

    # A view, not a copy: append_usage reads it once to insert and once for the rollup. Views
    # take no parameters; the sha256 is our own hex digest (checked), never user text.
    sha = upload.sha256
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise ValueError(f"not a sha256 digest: {sha!r}")
    unpriced = cur.execute("SELECT count(*) FROM upload_typed WHERE cost_usd IS NULL").fetchone()[0]
    cost = ("CAST(coalesce(t.cost_usd, (t.input_tokens * p.input_per_1m + t.output_tokens * p.output_per_1m)"
            " / 1000000) AS DECIMAL(18, 8))" if unpriced else "CAST(t.cost_usd AS DECIMAL(18, 8))")
    priced = " LEFT JOIN usage_price p USING (model)" if unpriced else ""  # every row has its cost: no join
    cur.execute(
        "CREATE OR REPLACE TEMP VIEW usage_import_staging AS SELECT ts, initiative, t.provider, model, operation,"
        " CAST(requests AS INTEGER) AS requests, input_tokens, output_tokens, cached_input_tokens, latency_ms,"
        f" {cost} AS cost_usd, location, hardware, CAST("
        f"{quote_literal(sha)} AS VARCHAR) AS import_sha256 FROM upload_typed t{priced}")
    added = append_usage(cur, "usage_import_staging")
    cur.execute("DROP VIEW usage_import_staging")
    return added


KIND = register(UploadKind(
    name="usage", label="Usage events", permission="import_usage", columns=COLUMNS, load=load,
    validate=validate, template_rows=TEMPLATE_ROWS, scoped_by_initiative=True,
    description="One row per inference call or interval. OpenTelemetry GenAI attribute names are accepted "
                "(gen_ai.request.model, gen_ai.usage.input_tokens, gen_ai.client.operation.duration in seconds, ...).",
))
