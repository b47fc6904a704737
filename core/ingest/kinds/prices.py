"""Model prices: the price book that prices usage rows without ``cost_usd`` (finance, admin).

One row per model and the date its price takes effect (``valid_from``); a usage row is priced
with its model's price valid at the row's own timestamp (``core.ingest.price_book``). A price
is never changed in place: a row for a (model, valid_from) the book already has is refused —
add a row with a later ``valid_from`` instead, so costs already imported stay as they were.
"""

from __future__ import annotations

from core.ingest.kinds.common import check_duplicate_keys
from core.ingest.registry import Column, UploadKind

KEY = ("model", "valid_from")
COLUMNS = (
    Column("model", "text", required=True, max_length=120, aliases=("gen_ai.request.model",)),
    Column("provider", "text", required=True, max_length=120, aliases=("gen_ai.provider.name", "gen_ai.system")),
    Column("valid_from", "date", required=True),
    Column("input_usd_per_1m", "money", required=True, scale=6),
    Column("output_usd_per_1m", "money", required=True, scale=6),
    Column("cached_input_usd_per_1m", "money", scale=6),
    Column("usd_per_request", "money", scale=8),
)

TEMPLATE_ROWS = (
    {"model": "gpt-4o-mini", "provider": "openai", "valid_from": "2026-12-01", "input_usd_per_1m": "0.15",
     "output_usd_per_1m": "0.60", "cached_input_usd_per_1m": "0.075", "usd_per_request": ""},
    {"model": "private-llm", "provider": "self-hosted", "valid_from": "2026-12-01", "input_usd_per_1m": "0",
     "output_usd_per_1m": "0", "cached_input_usd_per_1m": "", "usd_per_request": "0.0004"},
)


def validate(cur, upload) -> None:
    check_duplicate_keys(cur, KEY, "price (model/valid_from)")
    cur.execute(
        "INSERT INTO upload_problem SELECT t._row, 'valid_from', 'the price book already has a price for ' || t.model"
        " || ' from ' || CAST(t.valid_from AS VARCHAR), 'A price is never changed in place: remove the row, or"
        " give the new price a later valid_from.'"
        " FROM upload_typed t SEMI JOIN model_price p ON p.model = t.model AND p.valid_from = t.valid_from")


def load(cur, upload) -> int:
    cur.execute(
        "INSERT INTO model_price (model, provider, valid_from, input_usd_per_1m, output_usd_per_1m,"
        " cached_input_usd_per_1m, usd_per_request, source)"
        " SELECT model, provider, valid_from, input_usd_per_1m, output_usd_per_1m, cached_input_usd_per_1m,"
        " usd_per_request, 'import ' || ? FROM upload_typed ORDER BY _row", [upload.file_name])
    return upload.rows


KIND = UploadKind(
    name="prices", label="Model prices", permission="import_billing", columns=COLUMNS,
    load=load, validate=validate, template_rows=TEMPLATE_ROWS, max_bytes=5 * 1024 * 1024, max_rows=100_000,
    description="The price book: USD per 1M input, output and cached-input tokens (and per request) of each model, "
                "valid from a date. Prices usage rows that carry no cost_usd.",
)
