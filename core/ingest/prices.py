"""A small, versioned price table for usage rows that carry no ``cost_usd``.

USD per 1M input / output tokens, per model name as it appears in usage logs. These are
public list prices as noted on ``PRICES_AS_OF``; contracts differ, so a usage file that
knows its real cost should carry ``cost_usd`` (it always wins). A model missing here makes
its rows fail validation rather than be priced at zero.

Cost of one row = (input_tokens × input_per_1m + output_tokens × output_per_1m) / 1,000,000.
"""

from __future__ import annotations

from decimal import Decimal

PRICE_TABLE_VERSION = "2026-11-v1"
PRICES_AS_OF = "2026-11-01"

# model -> (provider, USD per 1M input tokens, USD per 1M output tokens)
PRICES: dict[str, tuple[str, Decimal, Decimal]] = {
    "gpt-4o": ("openai", Decimal("2.50"), Decimal("10.00")),
    "gpt-4o-mini": ("openai", Decimal("0.15"), Decimal("0.60")),
    "gpt-4.1": ("openai", Decimal("2.00"), Decimal("8.00")),
    "gpt-4.1-mini": ("openai", Decimal("0.40"), Decimal("1.60")),
    "claude-sonnet": ("anthropic", Decimal("3.00"), Decimal("15.00")),
    "claude-haiku": ("anthropic", Decimal("0.80"), Decimal("4.00")),
    "gemini-1.5-flash": ("gcp.gemini", Decimal("0.075"), Decimal("0.30")),
}


def price_rows() -> list[tuple[str, str, Decimal, Decimal]]:
    """(model, provider, input_per_1m, output_per_1m) rows for a DuckDB temp table."""
    return [(model, provider, inp, out) for model, (provider, inp, out) in sorted(PRICES.items())]
