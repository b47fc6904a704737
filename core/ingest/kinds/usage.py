"""Usage (inference) events: our column names and the OpenTelemetry GenAI attribute names.

A clean CSV is inserted into ``usage_event`` straight from DuckDB's typed reader in one
statement (``load_fast``: cell checks on the way, per-value rules on the import's monthly
groups; any problem raises and the import reruns on the text path). Other files are validated in DuckDB and
appended through ``core.portfolio.usage.append_usage`` from the view ``usage_import_staging``. Either
way ``usage_monthly`` is updated in the same transaction, so it stays the exact GROUP BY of
the facts. Rows without ``cost_usd`` are priced from the store's price book
(``core.ingest.price_book``: the model's price valid at the row's timestamp); an empty cell
of a column with a default (``hardware``, ``location``, counts) takes that default, as when
the column is absent; ``provider`` and ``operation`` have none (NULL: not recorded). Every
fact row carries ``import_id``, its ``import_ledger`` row.
"""

from __future__ import annotations

from core.entities import LOCATIONS
from core.ingest import price_book
from core.ingest.kinds.common import check_known_initiatives, check_not_in_future
from core.portfolio.period import latest_allowed_ts
from core.store.sql import quote_literal
from core.ingest.registry import Column, UploadKind

# bounds (numbers.number_bound): ``requests`` is INTEGER in usage_event; a row's tokens stay
# ≤ 10^11 so that a file's sum (≤ 50M rows) fits the BIGINT of usage_monthly
MAX_REQUESTS = 2**31 - 1
MAX_TOKENS = 10**11
COLUMNS = (
    Column("ts", "timestamp", required=True, aliases=("timestamp", "time", "start_time")),
    Column("initiative", "code", required=True),
    Column("model", "text", required=True, aliases=("gen_ai.request.model", "gen_ai.response.model")),
    Column("requests", "int", default=1, maximum=MAX_REQUESTS),
    Column("input_tokens", "int", default=0, maximum=MAX_TOKENS,
           aliases=("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")),
    Column("output_tokens", "int", default=0, maximum=MAX_TOKENS,
           aliases=("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")),
    Column("latency_ms", "number", unit_scale={"gen_ai.client.operation.duration": 1000.0}),
    Column("cost_usd", "money", scale=8),
    Column("location", "choice", choices=LOCATIONS, default="cloud"),
    Column("hardware", "text", default="unspecified", max_length=120),
    # no default: an empty or absent provider/operation is stored as NULL, "not recorded"
    Column("provider", "text", aliases=("gen_ai.provider.name", "gen_ai.system")),
    Column("operation", "text", aliases=("gen_ai.operation.name",)),
    Column("cached_input_tokens", "int", default=0, maximum=MAX_TOKENS,
           aliases=("gen_ai.usage.cache_read.input_tokens",)),
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
    book = price_book.read_prices(cur)
    known = ", ".join(price_book.priced_models(book)) or "none yet"
    parsed = " AND t._p_cost_usd IS NULL" if "cost_usd" in upload.present else ""  # bad values: reported already
    cur.execute(
        "INSERT INTO upload_problem SELECT min(t._row), 'cost_usd', 'no cost_usd and no price for model ' ||"
        " t.model || ' valid on ' || CAST(min(CAST(t.ts AS DATE)) AS VARCHAR) || ' (' || count(*) || ' row' ||"
        " CASE WHEN count(*) > 1 THEN 's)' ELSE ')' END, ?"
        f" FROM upload_typed t WHERE t.cost_usd IS NULL AND t.model IS NOT NULL AND t.ts IS NOT NULL{parsed}"
        f" AND ({price_book.price_source_sql(book, 't.ts')}) IS NULL GROUP BY t.model",
        [f"Add a cost_usd column, or import a price for the model valid from that date (kind 'prices'); "
         f"priced models: {known}."],
    )
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'requests', 'expected at least 1 request, got 0',"
        " 'Remove rows with no calls.' FROM upload_typed WHERE requests = 0")
    check_not_in_future(cur, "ts", "ts", "usage")


def _filled(name: str) -> str:
    """``t.name``, with the column's documented default for an empty cell (an empty
    ``hardware`` is 'unspecified', like a file without that column)."""
    column = next(c for c in COLUMNS if c.name == name)
    if column.default is None:
        return f"t.{name}"
    default = str(column.default) if column.type == "int" else quote_literal(str(column.default))
    return f"coalesce(t.{name}, {default})"


def _facts_sql(ts_sql: str, cost_sql: str) -> str:
    """The usage_event columns in ``core.portfolio.usage.USAGE_COLUMNS`` order, up to
    ``cost_from_book`` (TRUE when the file gave no ``cost_usd``, so ``cost_sql`` priced the row
    from the price book), from a typed relation ``t``."""
    return (f"{ts_sql} AS ts, t.initiative AS initiative, {_filled('provider')} AS provider, t.model AS model,"
            f" {_filled('operation')} AS operation, CAST({_filled('requests')} AS INTEGER) AS requests,"
            f" {_filled('input_tokens')} AS input_tokens, {_filled('output_tokens')} AS output_tokens,"
            f" {_filled('cached_input_tokens')} AS cached_input_tokens, t.latency_ms AS latency_ms,"
            f" {cost_sql} AS cost_usd, {_filled('location')} AS location, {_filled('hardware')} AS hardware,"
            " t.cost_usd IS NULL AS cost_from_book")


def _checked_id(import_id) -> int:
    if not isinstance(import_id, int) or isinstance(import_id, bool):
        raise ValueError(f"not an import id: {import_id!r}")
    return import_id


def load(cur, upload) -> int:
    from core.portfolio.usage import append_usage

    # A view, not a copy: append_usage reads it once to insert and once for the rollup. Views
    # take no parameters; the import id is our own integer (checked), never user text.
    import_id = _checked_id(upload.import_id)
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW usage_import_staging AS SELECT {_facts_sql('t.ts', _priced_cost(cur))},"
        f" CAST({import_id} AS BIGINT) AS import_id FROM upload_typed t")
    added = append_usage(cur, "usage_import_staging", order_by_ts=False)
    cur.execute("DROP VIEW usage_import_staging")
    return added


def preview(cur, rows: int):
    """The dry run's first rows as ``usage_event`` will hold them: defaults filled and, for rows
    without ``cost_usd``, the cost from the price book, with ``cost_from`` saying which price
    (model and valid_from) priced it (a CFO checking a file sees the money it adds; the money
    comes before the optional columns, where it is seen without scrolling)."""
    book = price_book.read_prices(cur)
    return cur.execute(
        "SELECT row, ts, initiative, model, requests, input_tokens, output_tokens, cost_usd, cost_from, latency_ms,"
        " location, hardware, provider, operation, cached_input_tokens FROM ("
        f"SELECT t._row AS row, {_facts_sql('t.ts', _priced_cost(cur, book))}, CASE WHEN t.cost_usd IS NOT NULL"
        f" THEN 'file' ELSE 'price ' || ({price_book.price_source_sql(book, 't.ts')}) END AS cost_from"
        " FROM upload_typed t) ORDER BY row LIMIT ?", [rows]).df()


def _priced_cost(cur, book=None) -> str:
    """``cost_usd`` of a typed row ``t``: the file's, else the price book's price valid at the
    row's timestamp (``core.ingest.price_book``). An unpriced row gives NULL (``validate``
    reports it; on the fast load ``usage_event``'s NOT NULL refuses it)."""
    book = price_book.read_prices(cur) if book is None else book
    tokens = {"input": _filled("input_tokens"), "output": _filled("output_tokens"),
              "cached": _filled("cached_input_tokens"), "requests": _filled("requests")}
    return price_book.priced_cost_sql(book, "t.ts", tokens)


def load_fast(cur, upload, typed_sql: str, params: list, business_unit: str | None) -> int:
    """Insert a clean CSV in one pass, then check the rules that hold per value on the
    import's monthly groups; any problem raises, so the caller's transaction rolls back and
    the text path words the problems (``validate``, the team lead's scope).

    Per row, only what cannot wait: a cell problem (``_bad``), ``requests = 0`` or a
    timestamp after ``period.latest_allowed_ts()`` (usage from the future) raises via
    ``error()``; a row without ``cost_usd`` whose model has no list price gets a NULL cost,
    which ``usage_event``'s NOT NULL refuses. Per group (``core.portfolio.usage.group_import``, a few
    hundred rows): every initiative must exist (and, for a team lead, be in their business
    unit). Then the groups are merged into ``usage_monthly``."""
    from core.portfolio.usage import USAGE_COLUMNS, group_import, merge_import_groups

    import_id = _checked_id(upload.import_id)
    allowed_sql, allowed = ("SELECT code FROM initiative WHERE business_unit = ?", [business_unit]) \
        if business_unit is not None else ("SELECT code FROM initiative", [])
    broken = f"t._bad OR {_filled('requests')} = 0 OR t.ts > ?::TIMESTAMP"
    # the check rides on ts (always inserted), so the optimiser cannot drop it
    ts = f"CASE WHEN {broken} THEN error('usage import: a row has a problem; the text path words it') ELSE t.ts END"
    cur.execute(
        f"INSERT INTO usage_event ({', '.join(USAGE_COLUMNS)}) SELECT {_facts_sql(ts, _priced_cost(cur))},"
        f" CAST(? AS BIGINT) FROM ({typed_sql}) AS t", [latest_allowed_ts(), import_id, *params])
    added = cur.fetchall()[0][0]
    group_import(cur, import_id)
    # the per-value columns (``checked_per_value``) arrive raw: each distinct value must be
    # exactly what the text path would store (a known code; trimmed text within its length)
    wrong = cur.execute(
        f"SELECT count(*) FROM usage_import_groups WHERE initiative NOT IN ({allowed_sql})"
        " OR model <> trim(model) OR hardware <> trim(hardware) OR length(hardware) > ?",
        [*allowed, KIND.column("hardware").max_length]).fetchall()[0][0]
    if wrong:
        raise ValueError("usage import: a value is unknown, out of scope or untrimmed; the text path words it")
    merge_import_groups(cur)
    return added


KIND = UploadKind(
    name="usage", label="Usage events", permission="import_usage", columns=COLUMNS, load=load,
    validate=validate, load_fast=load_fast, checked_per_value=("initiative", "model", "hardware"), preview=preview,
    template_rows=TEMPLATE_ROWS, scoped_by_initiative=True,
    description="One row per inference call or interval. OpenTelemetry GenAI attribute names are accepted "
                "(gen_ai.request.model, gen_ai.usage.input_tokens, gen_ai.client.operation.duration in seconds, ...).",
)
