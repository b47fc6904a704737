"""One valid row per import kind (for the demo store) and a file made of copies of it with one
cell changed per row: the bad-value tables of security cases 5 to 7 build their files here."""

from __future__ import annotations

import csv
import io

from core.ingest import import_upload
from core.ingest.kinds import initiatives, focus
from tests.conftest import ADMIN

USAGE = {"ts": "2026-01-05T10:00:00Z", "initiative": "COA-01", "model": "gpt-4o", "requests": "1",
         "input_tokens": "10", "output_tokens": "5", "latency_ms": "12.5", "cost_usd": "0.01"}
FINANCIALS = {"initiative": "COA-01", "month": "2030-01", "category": "compute", "kind": "cost",
              "scenario": "plan", "amount": "100.00", "currency": "USD"}
PRICES = {"model": "new-llm", "provider": "acme", "valid_from": "2026-01-01", "input_usd_per_1m": "1",
          "output_usd_per_1m": "2"}
INITIATIVES = {**initiatives.TEMPLATE_ROWS[0], "code": "NUM-01"}
FOCUS = dict(focus.TEMPLATE_ROWS[0])
SNAPSHOTS = {"model_id": "{model_id}", "window": "2031-01", "label": "1", "prediction": "1", "age": "41"}
BASE = {"usage": USAGE, "financials": FINANCIALS, "prices": PRICES, "initiatives": INITIATIVES, "focus": FOCUS,
        "snapshots": SNAPSHOTS}

# every numeric column of every kind, by type: (kind, header)
INT_COLUMNS = [("usage", "requests"), ("usage", "input_tokens"), ("snapshots", "model_id")]
NUMBER_COLUMNS = [("usage", "latency_ms"), ("initiatives", "kpi_baseline")]
MONEY_COLUMNS = [("usage", "cost_usd"), ("financials", "amount"), ("prices", "input_usd_per_1m"),
                 ("focus", "BilledCost")]
NUMERIC_COLUMNS = INT_COLUMNS + NUMBER_COLUMNS + MONEY_COLUMNS


def base_row(store, kind: str) -> dict:
    row = dict(BASE[kind])
    if kind == "snapshots":
        row["model_id"] = str(store.scalar("SELECT min(id) FROM model"))
    return row


def csv_bytes(rows: list[dict], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or list(rows[0]))
    for row in rows:
        writer.writerow(row.values())
    return out.getvalue().encode()


def file_with(store, kind: str, header: str, values: list[str]) -> bytes:
    """The kind's valid row, then one row per value with ``header`` set to it (row i + 3 of
    the file holds ``values[i]``); kinds with a key get a distinct key per row."""
    first = base_row(store, kind)
    rows = [first]
    for i, value in enumerate(values):
        row = dict(first)
        _distinct(kind, row, i)
        row[header] = value
        rows.append(row)
    return csv_bytes(rows)


def _distinct(kind: str, row: dict, i: int) -> None:
    if kind == "financials":
        row["month"] = f"{2031 + i // 12}-{i % 12 + 1:02d}"
    elif kind == "prices":
        row["valid_from"] = f"{2026 + i // 12}-{i % 12 + 1:02d}-02"
    elif kind == "initiatives":
        row["code"] = f"NUM-{i + 2:02d}"
    elif kind == "usage":
        row["ts"] = f"2026-01-05T10:{i // 60:02d}:{i % 60:02d}Z"


def both_paths(store, kind: str, data: bytes, *, dry_run: bool = True) -> list:
    """The import on the typed fast path and on the text path (``fast=False``)."""
    return [import_upload(store, ADMIN, kind, f"{kind}.csv", data, dry_run=dry_run, fast=fast)
            for fast in (True, False)]


def written(store) -> tuple[int, ...]:
    """What any import would have touched: ledger, facts, lines, prices, charges, audit."""
    return tuple(store.scalar(f"SELECT count(*) FROM {table}") for table in (
        "import_ledger", "usage_event", "usage_monthly", "financial_line", "model_price", "initiative",
        "focus_charge", "feature_snapshot", "audit_event"))
