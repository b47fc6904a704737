"""Case 7 — numeric edge values: NaN and infinity (as text or typed), values beyond a column's
bound (its SQL type, or the stated maximum that keeps sums finite), money with more decimal
places than its DECIMAL holds, values a double would hold as 0, and negative costs are refused
per row and column with the bound or precision allowed; nothing is rounded, nothing written.
FOCUS costs keep their credit semantics (negative allowed); an ROI over zero cost reads "—"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.finance import compute_roi
from core.ingest import import_upload
from tests.conftest import ADMIN
from tests.security.upload_rows import NUMERIC_COLUMNS, base_row, both_paths, csv_bytes, file_with, written
from tests.unit.ingest.conftest import check_bad_file
from ui.formatting import percent

NOT_FINITE = ["NaN", "nan", "-NaN", "inf", "-inf", "+Infinity", "Infinity"]

# (kind, header, cell) -> words of its problem: each column's bound
BEYOND = {
    ("usage", "requests", "2147483648"): "at most 2,147,483,647",          # INTEGER in usage_event
    ("usage", "input_tokens", "100000000001"): "at most 100,000,000,000",  # a file's sum fits BIGINT
    ("usage", "input_tokens", "9223372036854775808"): "at most 100,000,000,000",
    ("snapshots", "model_id", "9007199254740992"): "at most 9,007,199,254,740,991",
    ("usage", "latency_ms", "1e308"): "finite number of at most 1,000,000,000,000,000",
    ("usage", "latency_ms", "1e309"): "finite number of at most 1,000,000,000,000,000",
    ("initiatives", "kpi_baseline", "-1e16"): "finite number of at most 1,000,000,000,000,000",
    ("usage", "cost_usd", "1e10"): "below 10,000,000,000 (DECIMAL(18, 8))",
    ("financials", "amount", "10000000000000000"): "below 10,000,000,000,000,000 (DECIMAL(18, 2))",
    ("prices", "input_usd_per_1m", "1e309"): "below 1,000,000,000,000 (DECIMAL(18, 6))",
    ("focus", "BilledCost", "1e18"): "below 1e18 (DECIMAL(38, 12))",
    ("focus", "BilledCost", "-1000000000000000000"): "below 1e18 (DECIMAL(38, 12))",
}
# money the column cannot hold exactly: refused with the places allowed, never rounded
TOO_PRECISE = {
    ("usage", "cost_usd", "1e-9"): "more than 8 decimal places, got '1e-9' (`cost_usd` holds at most 8: DECIMAL(18, 8))",
    ("usage", "cost_usd", "0.000000001"): "more than 8 decimal places, got '0.000000001' (`cost_usd` holds at most 8",
    ("usage", "cost_usd", "1.23456789e-1"): "more than 8 decimal places",
    ("financials", "amount", "10.123"): "more than 2 decimal places, got '10.123' (`amount` holds at most 2",
    ("financials", "amount", "1005e-3"): "more than 2 decimal places",
    ("prices", "input_usd_per_1m", "0.0000001"): "more than 6 decimal places, got '0.0000001' (`input_usd_per_1m`"
                                                  " holds at most 6: DECIMAL(18, 6))",
    ("focus", "BilledCost", "0.0000000000001"): "more than 12 decimal places, got '0.0000000000001' (`BilledCost`"
                                                " holds at most 12: DECIMAL(38, 12))",
    ("focus", "BilledCost", "-1e-13"): "more than 12 decimal places",
}
NEGATIVE = [("usage", "requests", "-1"), ("usage", "input_tokens", "-4"), ("usage", "latency_ms", "-0.5"),
            ("usage", "cost_usd", "-3"), ("financials", "amount", "-5.00"), ("prices", "input_usd_per_1m", "-1")]

# tests/data/bad files of this case (the bad-input contract: tests/unit/ingest/test_bad_inputs.py)
BAD_FILES = {
    "usage_infinite.csv": ["below 10,000,000,000", "1e309"],
    "usage_nan.csv": ["finite", "nan"],
    "usage_negative_cost.csv": ["≥ 0", "-3"],
    "financials_too_many_decimals.csv": ["more than 2 decimal places", "10.123", "never rounded"],
}


def _refused(store, kind, header, cell) -> str:
    """The one problem of a file whose second data row has ``cell`` in ``header``; both paths
    agree and a real import writes nothing."""
    data = file_with(store, kind, header, [cell])
    before = written(store)
    fast, text = both_paths(store, kind, data)
    assert [p.as_dict() for p in fast.problems] == [p.as_dict() for p in text.problems]
    assert fast.status == "rejected" and [(p.row, p.column) for p in fast.problems] == [(3, header)], fast.problems
    assert import_upload(store, ADMIN, kind, f"{kind}.csv", data, dry_run=False).status == "rejected"
    assert written(store) == before
    (problem,) = fast.problems
    assert problem.hint
    return problem.message


@pytest.mark.parametrize("kind, header", NUMERIC_COLUMNS)
def test_nan_and_infinity_are_refused_in_every_numeric_column(demo_store, kind, header):
    data = file_with(demo_store, kind, header, NOT_FINITE)
    for result in both_paths(demo_store, kind, data):
        assert result.status == "rejected"
        assert [(p.row, p.column) for p in result.problems] == [(i + 3, header) for i in range(len(NOT_FINITE))]
        for i, (cell, problem) in enumerate(zip(NOT_FINITE, result.problems)):
            assert problem.line(result.file) == (
                f"{kind}.csv, row {i + 3}, column `{header}`: expected a finite number, got '{cell}'. NaN and infinity"
                " cannot be stored; fix or remove the row (leave the cell empty when unknown). Nothing was imported.")


@pytest.mark.parametrize("kind, header, cell", sorted(BEYOND))
def test_a_value_beyond_its_columns_bound_is_refused_with_the_bound(demo_store, kind, header, cell):
    message = _refused(demo_store, kind, header, cell)
    assert BEYOND[kind, header, cell] in message and f"got '{cell}'" in message


@pytest.mark.parametrize("kind, header, cell", sorted(TOO_PRECISE))
def test_money_that_its_decimal_cannot_hold_is_refused_not_rounded(demo_store, kind, header, cell):
    message = _refused(demo_store, kind, header, cell)
    assert TOO_PRECISE[kind, header, cell] in message and f"got '{cell}'" in message


@pytest.mark.parametrize("kind, header, cell", NEGATIVE)
def test_negative_costs_and_counts_are_refused(demo_store, kind, header, cell):
    data = file_with(demo_store, kind, header, [cell])
    before = written(demo_store)
    for fast in (True, False):
        result = import_upload(demo_store, ADMIN, kind, f"{kind}.csv", data, dry_run=False, fast=fast)
        word = "a whole number" if header in ("requests", "input_tokens") else (
            "a number" if header == "latency_ms" else "an amount")
        assert [p.line(result.file) for p in result.problems] == [
            f"{kind}.csv, row 3, column `{header}`: expected {word} ≥ 0, got '{cell}'. Costs and counts cannot be "
            "negative; record refunds as a separate benefit or credit line. Nothing was imported."]
    assert written(demo_store) == before


def test_a_non_zero_latency_that_a_double_holds_as_zero_is_refused(demo_store):
    message = _refused(demo_store, "usage", "latency_ms", "1e-400")
    assert message == "too close to zero to store, got '1e-400' (a double would hold 0)"


def test_the_overflowing_count_is_a_problem_not_a_traceback(demo_store):
    """``requests=2147483648`` crashed the import with DuckDB's conversion error (INTEGER)."""
    row = {**base_row(demo_store, "usage"), "requests": "2147483648"}
    for dry_run in (True, False):
        result = import_upload(demo_store, ADMIN, "usage", "usage.csv", csv_bytes([row]), dry_run=dry_run)
        assert result.status == "rejected"
        assert result.problems[0].message == "expected a whole number of at most 2,147,483,647, got '2147483648'"


def test_money_exact_in_any_notation_is_stored_to_the_last_digit(demo_store):
    """Trailing zeros and exponents are fine when the column holds the value exactly."""
    cells = {"1.50000000000": Decimal("1.5"), "1e-8": Decimal("0.00000001"), "123456789e-8": Decimal("1.23456789"),
             "9999999999.99999999": Decimal("9999999999.99999999"), "0": Decimal("0"), "5.": Decimal("5")}
    rows = []
    for i, cell in enumerate(cells):
        rows.append({**base_row(demo_store, "usage"), "ts": f"2026-01-05T12:00:0{i}Z", "cost_usd": cell})
    result = import_upload(demo_store, ADMIN, "usage", "exact.csv", csv_bytes(rows), dry_run=False)
    assert result.status == "imported", result.problems
    stored = [r[0] for r in demo_store.rows(
        "SELECT cost_usd FROM usage_event WHERE import_id = (SELECT id FROM import_ledger WHERE sha256 = ?)"
        " ORDER BY ts", [result.sha256])]
    assert stored == list(cells.values())


def test_focus_credits_stay_negative_and_exact(demo_store):
    """FOCUS has credit semantics (refunds, discounts): a negative cost is kept, to 12 places,
    whatever its notation (trailing zeros beyond the scale included)."""
    row = {**base_row(demo_store, "focus"), "BilledCost": "-0.5000000000000", "EffectiveCost": "-125e-2",
           "ChargeCategory": "Credit"}
    result = import_upload(demo_store, ADMIN, "focus", "focus.csv", csv_bytes([row]), dry_run=False)
    assert result.status == "imported", result.problems
    assert demo_store.one("SELECT billed_cost, effective_cost FROM focus_charge WHERE import_sha256 = ?",
                          [result.sha256]) == (Decimal("-0.5"), Decimal("-1.25"))


def test_nan_in_a_feature_never_reaches_the_drift_statistics(demo_store):
    """A snapshot feature is numeric only if every value is a finite number of the grammar:
    ``NaN``/``inf`` (which DuckDB's cast reads as numbers) leave it categorical."""
    rows = []
    for i, score in enumerate(["0.5", "NaN", "inf", "1.5"]):
        rows.append({**base_row(demo_store, "snapshots"), "label": str(i % 2), "score": score})
    result = import_upload(demo_store, ADMIN, "snapshots", "snap.csv", csv_bytes(rows), dry_run=False)
    assert result.status == "imported", result.problems
    model_id = int(rows[0]["model_id"])
    assert demo_store.scalar("SELECT feature_type FROM snapshot_feature WHERE model_id = ? AND feature = 'score'",
                             [model_id]) == "categorical"


def test_an_roi_over_zero_cost_reads_as_a_dash_never_inf_percent():
    assert compute_roi(100.0, 0.0) is None
    assert percent(compute_roi(100.0, 0.0)) == "—"
    assert [percent(v) for v in (float("inf"), float("-inf"), float("nan"))] == ["—", "—", "—"]
    assert percent(1.5) == "150%"


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_rejected_with_its_reason_and_writes_nothing(demo_store, name):
    check_bad_file(demo_store, name, BAD_FILES[name])
