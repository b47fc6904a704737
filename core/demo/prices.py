"""The demo's price book: public list prices (USD per 1M tokens) of the models its usage logs
name, as noted on 2026-11-01, valid for every date of the demo's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

VALID_FROM = dt.date(2000, 1, 1)
SOURCE = "list price 2026-11-v1"

# model -> (provider, USD per 1M input tokens, USD per 1M output tokens)
LIST_PRICES: dict[str, tuple[str, Decimal, Decimal]] = {
    "gpt-4o": ("openai", Decimal("2.50"), Decimal("10.00")),
    "gpt-4o-mini": ("openai", Decimal("0.15"), Decimal("0.60")),
    "gpt-4.1": ("openai", Decimal("2.00"), Decimal("8.00")),
    "gpt-4.1-mini": ("openai", Decimal("0.40"), Decimal("1.60")),
    "claude-sonnet": ("anthropic", Decimal("3.00"), Decimal("15.00")),
    "claude-haiku": ("anthropic", Decimal("0.80"), Decimal("4.00")),
    "gemini-1.5-flash": ("gcp.gemini", Decimal("0.075"), Decimal("0.30")),
}


def insert_list_prices(cur) -> None:
    """Put the list prices into ``model_price`` (a store without any, e.g. a new demo)."""
    cur.executemany(
        "INSERT INTO model_price (model, provider, valid_from, input_usd_per_1m, output_usd_per_1m, source)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [[model, provider, VALID_FROM, inp, out, SOURCE] for model, (provider, inp, out) in sorted(LIST_PRICES.items())])
