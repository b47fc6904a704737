"""Case 5 — wrong column types: a cell of a numeric column that is not a number in the one
number grammar (``core.ingest.numbers.NUMBER_RE``) is refused with its row, column and value,
in every numeric column of every import kind, on the typed fast path and the text path alike.
It is never coerced (``0x10`` → 16, ``1_000`` → 1000, `` 2 `` → 2, ``yes`` → NULL); the
whole file is rejected and nothing is written."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.ingest import import_upload
from tests.conftest import ADMIN
from tests.security.upload_rows import INT_COLUMNS, NUMERIC_COLUMNS, base_row, both_paths, csv_bytes, file_with, written
from tests.unit.ingest.conftest import check_bad_file

# a cell -> words its problem says (besides "got '<cell>'")
NOT_NUMBERS = {
    "abc": "expected", "N/A": "expected", "yes": "expected", "Y": "expected", "true": "expected",
    "1,234.56": "thousands separators", "1 000": "thousands separators", "1'000": "thousands separators",
    "1.234,56": "decimal point", "1,5": "decimal point",
    "$100": "currency sign", "€100": "currency sign", "100 USD": "expected",
    "0x10": "decimal digits", "0b101": "decimal digits", "1_000": "'_' separators", "1e1_0": "'_' separators",
    " 2 ": "spaces around", "2\t": "spaces around", " 2": "spaces around",
    "+-1": "expected", "--1": "expected", "1.2.3": "expected", ".": "expected", "1e": "expected", "e5": "expected",
    "٣": "expected", "１": "expected",
}
# whole-number columns: numbers that are not written as whole numbers
NOT_WHOLE = {"1.5": "expected a whole number", "1e3": "plain digits", "2.50": "expected a whole number"}

# tests/data/bad files of this case (the bad-input contract: tests/unit/ingest/test_bad_inputs.py)
BAD_FILES = {
    "usage_thousands_separator.csv": ["thousands separators", "1,234.56", "write 1234.56"],
    "usage_na.csv": ["expected an amount ≥ 0", "'n/a'"],
}


def _shown(cell: str) -> str:
    return cell.replace("\t", "\\t")


def _check_refused_per_row(store, kind: str, header: str, table: dict[str, str]) -> None:
    cells = list(table)
    data = file_with(store, kind, header, cells)
    before = written(store)
    fast, text = both_paths(store, kind, data)
    assert [p.as_dict() for p in fast.problems] == [p.as_dict() for p in text.problems]
    assert fast.status == "rejected" and fast.rows_rejected == len(cells), [p.message for p in fast.problems]
    assert [(p.row, p.column) for p in fast.problems] == [(i + 3, header) for i in range(len(cells))]
    for cell, problem in zip(cells, fast.problems):
        assert f"got '{_shown(cell)}'" in problem.message and table[cell] in problem.message, (cell, problem)
        assert problem.hint, cell
    imported = import_upload(store, ADMIN, kind, f"{kind}.csv", data, dry_run=False)
    assert imported.status == "rejected" and "nothing was saved" in imported.summary()
    assert written(store) == before


@pytest.mark.parametrize("kind, header", NUMERIC_COLUMNS)
def test_a_cell_that_is_not_a_number_is_refused_per_row_and_column_in_every_numeric_column(demo_store, kind,
                                                                                             header):
    _check_refused_per_row(demo_store, kind, header, NOT_NUMBERS)


@pytest.mark.parametrize("kind, header", INT_COLUMNS)
def test_a_count_must_be_written_as_a_whole_number(demo_store, kind, header):
    _check_refused_per_row(demo_store, kind, header, NOT_WHOLE)


def test_the_testers_findings_are_refused_not_coerced(demo_store):
    rows = [{**base_row(demo_store, "usage"), "requests": value} for value in ("0x10", "1_000", " 2 ")]
    for i, row in enumerate(rows):
        row["ts"] = f"2026-01-05T11:00:0{i}Z"
    for result in both_paths(demo_store, "usage", csv_bytes(rows)):
        assert result.status == "rejected" and result.preview is None
        assert [p.message for p in result.problems] == [
            "expected a whole number ≥ 0 in decimal digits, got '0x10'",
            "expected a whole number ≥ 0 without '_' separators, got '1_000'",
            "expected a whole number ≥ 0 without spaces around it, got ' 2 '"]


def test_a_problem_reads_as_one_line_with_where_what_how_and_what_happened(demo_store):
    row = {**base_row(demo_store, "usage"), "requests": "0x10"}
    result = import_upload(demo_store, ADMIN, "usage", "usage.csv", csv_bytes([row]), dry_run=False)
    assert [p.line(result.file) for p in result.problems] == [
        "usage.csv, row 2, column `requests`: expected a whole number ≥ 0 in decimal digits, got '0x10'. "
        "Write the number in decimal digits: 16, not 0x10. Nothing was imported."]


def test_a_cell_with_a_line_break_or_tab_keeps_its_problem_on_one_line(demo_store):
    row = {**base_row(demo_store, "usage"), "cost_usd": "1\n2\t"}
    result = import_upload(demo_store, ADMIN, "usage", "usage.csv", csv_bytes([row]))
    (problem,) = result.problems
    assert "\n" not in problem.line(result.file) and "got '1\\n2\\t'" in problem.message


def test_typed_parquet_cells_go_through_the_same_grammar(demo_store):
    """A Parquet file types its columns itself: a boolean count, a NaN latency, an infinite
    cost, a count beyond its bound and a cost finer than DECIMAL(18, 8) are refused like the
    same text in a CSV (they crashed the import or were stored as 0 before)."""
    row = base_row(demo_store, "usage")
    table = pa.table({"ts": [row["ts"]] * 2, "initiative": [row["initiative"]] * 2, "model": [row["model"]] * 2,
                      "requests": pa.array([True, False]), "input_tokens": pa.array([1, 2**40], pa.int64()),
                      "latency_ms": [float("nan"), 1.0], "cost_usd": [float("inf"), 1e-9]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    before = written(demo_store)
    result = import_upload(demo_store, ADMIN, "usage", "usage.parquet", buffer.getvalue(), dry_run=False)
    assert result.status == "rejected"
    assert {(p.row, p.column, p.message) for p in result.problems} == {
        (2, "requests", "expected a whole number ≥ 0, got 'true'"),
        (3, "requests", "expected a whole number ≥ 0, got 'false'"),
        (3, "input_tokens", "expected a whole number of at most 100,000,000,000, got '1099511627776'"),
        (2, "latency_ms", "expected a finite number, got 'nan'"),
        (2, "cost_usd", "expected a finite number, got 'inf'"),
        (3, "cost_usd", "more than 8 decimal places, got '1e-09' (`cost_usd` holds at most 8: DECIMAL(18, 8))")}
    assert written(demo_store) == before


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_rejected_with_its_reason_and_writes_nothing(demo_store, name):
    check_bad_file(demo_store, name, BAD_FILES[name])
