"""The price book: what a usage row without ``cost_usd`` costs, from the store's ``model_price``.

One row per model and ``valid_from`` date; a usage row is priced with the newest row of its
model whose ``valid_from`` is on or before the row's timestamp (UTC date). Cost of one row, USD:

    ((input_tokens − cached) × input_usd_per_1m + cached × cached_input_usd_per_1m
      + output_tokens × output_usd_per_1m) ÷ 1,000,000 + requests × usd_per_request

where ``cached`` = ``cached_input_tokens`` when the price has a cached-input rate (else 0: every
input token at the input rate) and the per-request term counts only when the price has one.
A model (or a date before its first price) without a price is refused by validation, never
priced at zero. Prices are DECIMAL(18, 6); costs DECIMAL(18, 8).

The book is read once per import (a few rows) and turned into one nested CASE — model, then
date — which runs only for rows without ``cost_usd``: a join would probe every row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.store.sql import quote_literal


@dataclass(frozen=True)
class Price:
    model: str
    provider: str
    valid_from: dt.date
    input_usd_per_1m: Decimal
    output_usd_per_1m: Decimal
    cached_input_usd_per_1m: Decimal | None
    usd_per_request: Decimal | None


_FIELDS = ("model", "provider", "valid_from", "input_usd_per_1m", "output_usd_per_1m", "cached_input_usd_per_1m",
           "usd_per_request")


def read_prices(cur) -> tuple[Price, ...]:
    """Every price, by model then newest ``valid_from`` first."""
    rows = cur.execute(f"SELECT {', '.join(_FIELDS)} FROM model_price ORDER BY model, valid_from DESC").fetchall()
    return tuple(Price(*row) for row in rows)


def priced_models(prices: tuple[Price, ...]) -> list[str]:
    return sorted({p.model for p in prices})


def _decimal(value: Decimal) -> str:
    return f"CAST({quote_literal(str(value))} AS DECIMAL(18, 8))"


def _row_cost(price: Price, tokens: dict[str, str]) -> str:
    """The cost of row ``t`` under one price (expressions of ``tokens``: input, output, cached, requests)."""
    if price.cached_input_usd_per_1m is not None:
        tokens_cost = (f"({tokens['input']} - {tokens['cached']}) * {_decimal(price.input_usd_per_1m)}"
                       f" + {tokens['cached']} * {_decimal(price.cached_input_usd_per_1m)}")
    else:
        tokens_cost = f"{tokens['input']} * {_decimal(price.input_usd_per_1m)}"
    cost = f"({tokens_cost} + {tokens['output']} * {_decimal(price.output_usd_per_1m)}) / 1000000"
    if price.usd_per_request is not None:
        cost += f" + {tokens['requests']} * {_decimal(price.usd_per_request)}"
    return cost


def _by_model(prices: tuple[Price, ...]) -> dict[str, list[Price]]:
    grouped: dict[str, list[Price]] = {}
    for price in prices:  # newest valid_from first within a model (read_prices' order)
        grouped.setdefault(price.model, []).append(price)
    return grouped


def price_case(prices: tuple[Price, ...], value, ts_sql: str, tokens: dict[str, str]) -> str:
    """``CASE t.model WHEN … THEN CASE WHEN ts >= newest THEN … WHEN ts >= older THEN … END … END``:
    ``value(price)`` for the price valid at ``ts_sql`` (NULL when none is). Names and dates are
    core's quoted constants, never a file's text."""
    if not prices:
        return "NULL"
    whens = []
    for model, versions in _by_model(prices).items():
        dated = " ".join(f"WHEN CAST({ts_sql} AS DATE) >= DATE {quote_literal(p.valid_from.isoformat())} THEN {value(p)}"
                         for p in versions)
        whens.append(f"WHEN {quote_literal(model)} THEN CASE {dated} END")
    return f"CASE t.model {' '.join(whens)} END"


def book_cost_sql(prices: tuple[Price, ...], ts_sql: str, tokens: dict[str, str]) -> str:
    """The price book's cost of row ``t`` (DECIMAL(18, 8); NULL when no price is valid at ``ts_sql``)."""
    return f"CAST({price_case(prices, lambda p: _row_cost(p, tokens), ts_sql, tokens)} AS DECIMAL(18, 8))"


def priced_cost_sql(prices: tuple[Price, ...], ts_sql: str, tokens: dict[str, str]) -> str:
    """``cost_usd`` of a typed row ``t``: the file's when given, else the price book's. Each
    branch is DECIMAL(18, 8) on its own: a CASE mixing the file's DECIMAL with the book's
    arithmetic would be typed DOUBLE and round the file's money (9999999999.99999999)."""
    return (f"CASE WHEN t.cost_usd IS NOT NULL THEN CAST(t.cost_usd AS DECIMAL(18, 8))"
            f" ELSE {book_cost_sql(prices, ts_sql, tokens)} END")


def price_source_sql(prices: tuple[Price, ...], ts_sql: str) -> str:
    """Which price priced the row, for the dry run: "gpt-4o from 2026-11-01" (NULL when none)."""
    return price_case(prices, lambda p: quote_literal(f"{p.model} from {p.valid_from.isoformat()}"), ts_sql, {})
