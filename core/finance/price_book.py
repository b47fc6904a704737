"""The price book as finance keeps it: the table of model prices, edited as a whole, and
re-pricing usage from a date once a price has changed.

Prices are rows of ``model_price`` (model, valid_from → USD per 1M input, output and cached
input tokens, and per request); ``core.ingest.price_book`` turns them into the cost of a
usage row. Saving the table never touches a cost already in the store: usage rows keep the
cost they were imported with until finance chooses to re-price.

Re-pricing from date X rewrites ``cost_usd`` of every usage row the price book priced
(``usage_event.cost_from_book``) whose timestamp is on or after X, with the price valid at the
row's own timestamp in today's book; rows whose file gave a cost are never rewritten.
``preview_repricing`` shows the before/after totals first (per model); ``reprice_from`` applies
them in one audited transaction that also rebuilds the ``usage_monthly`` rollup from X's month,
and refuses when a row would have no valid price or the totals moved since the preview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from core.errors import ValidationError
from core.ingest import price_book as book
from core.portfolio.usage import rebuild_usage_rollup_from
from core.store.table_edits import EditableColumn, TableChanges, plan_edit, refuse_if_changed

if TYPE_CHECKING:
    from core.auth import Actor
    from core.store import Store

KEY = ("model", "valid_from")
#: USD per 1M tokens above this is a typo (the dearest list prices of 2026 are below $200)
MAX_USD_PER_1M = 100_000
COLUMNS = (
    EditableColumn("model", "text", required=True),
    EditableColumn("provider", "text", required=True),
    EditableColumn("valid_from", "date", required=True),
    EditableColumn("input_usd_per_1m", "decimal", required=True, scale=6, maximum=MAX_USD_PER_1M),
    EditableColumn("output_usd_per_1m", "decimal", required=True, scale=6, maximum=MAX_USD_PER_1M),
    EditableColumn("cached_input_usd_per_1m", "decimal", scale=6, maximum=MAX_USD_PER_1M),
    EditableColumn("usd_per_request", "decimal", scale=8, maximum=1_000),
)
WHAT = "The price book"


def price_key(row: dict) -> str:
    """"gpt-4o from 2026-11-01": how a message and the audit log name a price."""
    return f"{row['model']} from {row['valid_from']}"


def list_prices(store: Store) -> list[dict]:
    """Every price (the editable columns and ``source``), by model then ``valid_from``."""
    names = [column.name for column in COLUMNS]
    rows = store.rows(f"SELECT {', '.join(names)}, source FROM model_price ORDER BY model, valid_from")
    return [dict(zip([*names, "source"], row)) for row in rows]


def _current(cur) -> list[dict]:
    names = [column.name for column in COLUMNS]
    return [dict(zip(names, row)) for row in
            cur.execute(f"SELECT {', '.join(names)} FROM model_price ORDER BY model, valid_from").fetchall()]


def save_prices(store: Store, actor: Actor, rows: list[dict], *, shown: list[dict]) -> TableChanges:
    """Make the price book hold exactly ``rows`` (every row of the editor: added, changed and
    kept; a row left out is removed). ``shown`` is the table the editor was opened on: if the
    store holds something else now, someone saved in between and nothing is written.

    Finance and administrators (``edit_prices``), one audited transaction. Costs already in the
    store are not changed (``reprice_from`` does that, when asked). Returns the changes (empty:
    nothing written)."""
    new, shown_clean, changes = plan_edit(COLUMNS, rows, shown, KEY, WHAT, price_key)
    if not changes:
        return changes
    with store.write(actor, "edit_prices", action="prices.edit", target="model_price",
                     detail=changes.audit_detail(price_key)) as cur:
        refuse_if_changed(_current(cur), shown_clean, KEY, WHAT, price_key)
        source = f"edited by {actor.name} {dt.date.today().isoformat()}"
        for row in changes.removed:
            cur.execute("DELETE FROM model_price WHERE model = ? AND valid_from = ?", [row["model"], row["valid_from"]])
        for row in new:
            identity = price_key(row)
            if identity in changes.changed:
                cur.execute(
                    "UPDATE model_price SET provider = ?, input_usd_per_1m = ?, output_usd_per_1m = ?,"
                    " cached_input_usd_per_1m = ?, usd_per_request = ?, source = ? WHERE model = ? AND valid_from = ?",
                    [row["provider"], row["input_usd_per_1m"], row["output_usd_per_1m"],
                     row["cached_input_usd_per_1m"], row["usd_per_request"], source, row["model"], row["valid_from"]])
        for row in changes.added:
            cur.execute(
                "INSERT INTO model_price (model, provider, valid_from, input_usd_per_1m, output_usd_per_1m,"
                " cached_input_usd_per_1m, usd_per_request, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [row["model"], row["provider"], row["valid_from"], row["input_usd_per_1m"], row["output_usd_per_1m"],
                 row["cached_input_usd_per_1m"], row["usd_per_request"], source])
    return changes


def earliest_change(changes: TableChanges) -> dt.date | None:
    """The first date a saved change can move a cost: the earliest ``valid_from`` among the
    added, changed and removed prices (where a re-price should start), or ``None``."""
    dates = [row["valid_from"] for row in (*changes.added, *changes.removed)]
    dates += [dt.date.fromisoformat(key.rsplit(" from ", 1)[1]) for key in changes.changed]
    return min(dates, default=None)


@dataclass(frozen=True)
class ModelRepricing:
    model: str
    rows: int
    before_usd: Decimal
    after_usd: Decimal | None  # None: some rows of the model have no price valid at their date
    first_unpriced: dt.date | None = None


@dataclass(frozen=True)
class RepricingReport:
    """Re-pricing from ``from_date``: the book-priced usage rows it rewrites and their total
    cost before and after (USD), per model. ``applied`` is False for a preview."""

    from_date: dt.date
    by_model: tuple[ModelRepricing, ...]
    file_priced_rows: int  # rows on or after from_date whose file gave the cost: never rewritten
    applied: bool = False

    @property
    def rows(self) -> int:
        return sum(m.rows for m in self.by_model)

    @property
    def before_usd(self) -> Decimal:
        return sum((m.before_usd for m in self.by_model), Decimal(0))

    @property
    def after_usd(self) -> Decimal | None:
        if any(m.after_usd is None for m in self.by_model):
            return None
        return sum((m.after_usd for m in self.by_model), Decimal(0))

    @property
    def unpriced(self) -> tuple[ModelRepricing, ...]:
        return tuple(m for m in self.by_model if m.after_usd is None)

    def to_dict(self) -> dict:
        return {"from_date": self.from_date.isoformat(), "rows": self.rows, "before_usd": str(self.before_usd),
                "after_usd": None if self.after_usd is None else str(self.after_usd),
                "file_priced_rows": self.file_priced_rows, "applied": self.applied,
                "by_model": [{"model": m.model, "rows": m.rows, "before_usd": str(m.before_usd),
                              "after_usd": None if m.after_usd is None else str(m.after_usd)} for m in self.by_model]}


_TOKENS = {"input": "t.input_tokens", "output": "t.output_tokens", "cached": "t.cached_input_tokens",
           "requests": "t.requests"}


def _new_cost_sql(prices) -> str:
    return book.book_cost_sql(prices, "t.ts", _TOKENS)


def _measure(cur, from_date: dt.date) -> RepricingReport:
    """The preview, inside ``cur`` (one GROUP BY model over the usage rows from ``from_date``)."""
    prices = book.read_prices(cur)
    # usage_event: one scan of the rows from from_date (ts zone maps), grouped by model (tens of rows)
    rows = cur.execute(
        f"SELECT t.model, count(*), sum(t.cost_usd), sum(new_cost), count(*) - count(new_cost),"
        f" min(CASE WHEN new_cost IS NULL THEN CAST(t.ts AS DATE) END)"
        f" FROM (SELECT t.*, {_new_cost_sql(prices)} AS new_cost FROM usage_event t"
        f"       WHERE t.ts >= ? AND t.cost_from_book) t GROUP BY t.model ORDER BY t.model",
        [from_date]).fetchall()
    by_model = tuple(ModelRepricing(model, int(count), Decimal(before or 0), None if unpriced else Decimal(after or 0),
                                    first_unpriced)
                     for model, count, before, after, unpriced, first_unpriced in rows)
    file_priced = cur.execute("SELECT count(*) FROM usage_event WHERE ts >= ? AND NOT cost_from_book",
                              [from_date]).fetchone()[0]
    return RepricingReport(from_date, by_model, int(file_priced))


def _checked_date(from_date) -> dt.date:
    if isinstance(from_date, dt.datetime):
        return from_date.date()
    if isinstance(from_date, dt.date):
        return from_date
    try:
        return dt.date.fromisoformat(str(from_date).strip())
    except ValueError:
        raise ValidationError(f"re-price from: expected a date as YYYY-MM-DD, got {str(from_date)[:30]!r}.") from None


def preview_repricing(store: Store, from_date) -> RepricingReport:
    """What ``reprice_from(from_date)`` would do, without writing anything."""
    with store.cursor() as cur:
        return _measure(cur, _checked_date(from_date))


def reprice_from(store: Store, actor: Actor, from_date, *, expected_before_usd: Decimal | None = None,
                 expected_rows: int | None = None) -> RepricingReport:
    """Re-price every book-priced usage row on or after ``from_date`` with today's price book,
    and rebuild ``usage_monthly`` from that month: one transaction, audited with the totals.

    ``expected_before_usd`` / ``expected_rows``: the preview's figures the user agreed to; if
    an import or another re-price moved them since, nothing is written. Refused (nothing
    written) when a row would have no price valid at its date: the message names the model
    and the first such date."""
    from_date = _checked_date(from_date)
    try:
        return _reprice(store, actor, from_date, expected_before_usd, expected_rows)
    except _NothingToReprice as nothing:  # no row to rewrite: no write, no audit event, no revision bump
        return nothing.report


class _NothingToReprice(Exception):
    def __init__(self, report: RepricingReport):
        super().__init__("nothing to re-price")
        self.report = report


def _reprice(store, actor, from_date: dt.date, expected_before_usd, expected_rows) -> RepricingReport:
    # the audit event is written when the block ends, so the totals measured inside it go in
    detail = {"from_date": from_date.isoformat()}
    with store.write(actor, "edit_prices", action="prices.reprice", target=f"usage from {from_date.isoformat()}",
                     detail=detail) as cur:
        report = _measure(cur, from_date)
        if report.unpriced:
            missing = "; ".join(f"{m.model} from {m.first_unpriced}" for m in report.unpriced)
            raise ValidationError(f"Re-pricing from {from_date} was refused: no price is valid for {missing}. "
                                  "Add a price for that model valid from that date (or earlier); nothing was changed.")
        if (expected_rows is not None and expected_rows != report.rows) or \
                (expected_before_usd is not None and Decimal(expected_before_usd) != report.before_usd):
            raise ValidationError(f"The usage from {from_date} changed since the preview ({report.rows:,} rows, "
                                  f"${report.before_usd:,.2f} now). Preview again; nothing was changed.")
        if not report.rows:
            raise _NothingToReprice(report)
        cur.execute(f"UPDATE usage_event AS t SET cost_usd = {_new_cost_sql(book.read_prices(cur))}"
                    " WHERE t.ts >= ? AND t.cost_from_book", [from_date])
        rebuild_usage_rollup_from(cur, from_date.replace(day=1))
        applied = RepricingReport(from_date, report.by_model, report.file_priced_rows, applied=True)
        detail.update(applied.to_dict())
    return applied
