"""Case 6 — schema drift: headers map to a kind's columns by one deterministic rule
(``core.ingest.registry.normalise_header``: Unicode NFKC, invisible characters dropped, case,
whitespace and underscores ignored) whatever the file format and column order; a missing
required column or a repeated header rejects the file with the columns named (and, where a
header of the file looks like the missing one, which to rename); an unknown column is
ignored with a note that says what it looks like. Nothing is written when refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.ingest import import_upload
from core.ingest.registry import normalise_header
from tests.conftest import ADMIN
from tests.security.upload_rows import USAGE, base_row, csv_bytes, written
from tests.unit.ingest.conftest import check_bad_file

# tests/data/bad files of this case (the bad-input contract: tests/unit/ingest/test_bad_inputs.py)
BAD_FILES = {
    "usage_missing_column.csv": ["missing required column", "model"],
    "usage_duplicated_column.csv": ["duplicated column", "cost_usd", "keep one"],
    "financials_amount_twice.csv": ["duplicated column", "amount"],
    "focus_missing_columns.csv": ["missing required columns", "billingcurrency", "servicename"],
}


def _parquet(columns: dict, names: list[str] | None = None) -> bytes:
    table = pa.Table.from_arrays([pa.array(v) for v in columns.values()], names=names or list(columns))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("headers", [
    ["\u200bts", "Initiative", "MODEL", "cost_usd\ufeff"],            # zero-width space, byte-order mark
    ["ts", "initiative", "ｍｏｄｅｌ", "Cost\u00a0USD"],                 # full-width letters, no-break space
    ["Cost_USD\u2060", "model", "ts", "initiative"],                  # reordered, a word joiner
])
def test_headers_map_by_one_rule_in_any_order(demo_store, headers):
    values = {"ts": USAGE["ts"], "initiative": USAGE["initiative"], "model": USAGE["model"], "costusd": "0.25"}
    row = {header: values[normalise_header(header)] for header in headers}
    result = import_upload(demo_store, ADMIN, "usage", "usage.csv", csv_bytes([row], headers), dry_run=False)
    assert result.status == "imported" and result.notes == (), (result.problems, result.notes)
    assert demo_store.one("SELECT model, cost_usd FROM usage_event WHERE import_id = (SELECT id FROM import_ledger"
                          " WHERE sha256 = ?)", [result.sha256]) == ("gpt-4o", Decimal("0.25"))


def test_a_repeated_parquet_column_is_refused_not_read_as_an_unknown_one(demo_store):
    """DuckDB renames a Parquet file's second ``cost_usd`` to ``cost_usd_1``; the reader goes
    by the file's own names, so the repeat is refused like a CSV's."""
    row = base_row(demo_store, "usage")
    data = _parquet({"ts": [row["ts"]], "initiative": [row["initiative"]], "model": [row["model"]],
                     "a": [0.5], "b": [0.7]}, ["ts", "initiative", "model", "cost_usd", "cost_usd"])
    before = written(demo_store)
    result = import_upload(demo_store, ADMIN, "usage", "usage.parquet", data, dry_run=False)
    assert result.status == "rejected" and [p.message for p in result.problems] == [
        "duplicated column: 'cost_usd' and 'cost_usd' both mean `cost_usd` (headers ignore case, spaces and underscores)"]
    assert written(demo_store) == before


def test_repeated_extra_columns_are_named_with_their_positions(demo_store):
    """FOCUS keeps unknown columns; two that are one name are refused naming both."""
    row = {**base_row(demo_store, "focus"), "RegionName": "eu-west-1", " region_name ": "eu-west-2"}
    result = import_upload(demo_store, ADMIN, "focus", "focus.csv", csv_bytes([row]), dry_run=False)
    assert result.status == "rejected"
    (problem,) = result.problems
    assert (problem.row, problem.column) == (1, "region_name")
    assert problem.message == ("duplicated column: 'RegionName' (column 23) and 'region_name' (column 24) are the same "
                               "name (headers ignore case, spaces and underscores)")
    assert problem.hint == "Keep one of the two columns, or rename one."


def test_a_missing_required_column_names_the_header_that_looks_like_it(demo_store):
    row = base_row(demo_store, "usage")
    row["modle"] = row.pop("model")
    before = written(demo_store)
    result = import_upload(demo_store, ADMIN, "usage", "usage.csv", csv_bytes([row]), dry_run=False)
    assert result.status == "rejected"
    assert [p.line(result.file) for p in result.problems] == [
        "usage.csv, row 1, column `model`: missing required column: model. The file's column 'modle' looks like "
        "`model`: rename it. Add it; download the usage template for the expected headers. Nothing was imported."]
    assert written(demo_store) == before


def test_an_ignored_column_that_looks_like_a_known_one_says_so(demo_store):
    """A ``cost`` column is not ``cost_usd``: ignored, the rows would be priced from the price
    book, so the note names the column to rename (seen in the dry run before importing)."""
    row = base_row(demo_store, "usage")
    row["cost"] = row.pop("cost_usd")
    row["team"] = "ml"
    result = import_upload(demo_store, ADMIN, "usage", "usage.csv", csv_bytes([row]))
    assert result.status == "dry_run"
    assert result.notes == ("Ignored unknown columns: cost (did you mean cost_usd? rename it), team.",)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_rejected_with_its_reason_and_writes_nothing(demo_store, name):
    check_bad_file(demo_store, name, BAD_FILES[name])
