"""Case 13 — corrupt or odd Parquet: a truncated footer, the wrong magic bytes, a damaged data
page, nested (struct, map, list) columns and a schema that does not match the kind are refused
with a message in the user's terms (never DuckDB's text, which names the staging path), nothing
is written, no staged file is left; and DuckDB reads files only inside the staging folder.

Not covered: a 1 GB row group. Building one costs a gigabyte of disk and minutes of this shared
machine for what the size limit already decides before any read (case 1, ``max_bytes_for``)
and what DuckDB's ``memory_limit`` bounds (case 40)."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.ingest import import_upload
from core.ingest.registry import IngestError
from core.lab.workloads import save_workload
from core.rightsize.workload import WorkloadError
from tests.conftest import ADMIN, LEAD_RETAIL
from tests.unit.lab.conftest import lab_store  # noqa: F401 (fixture, by name)

ROWS = 200


def _parquet(table: pa.Table, **options) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


def _usage(**columns) -> pa.Table:
    base = {"ts": ["2026-01-15T09:30:00Z"] * ROWS, "initiative": ["COA-01"] * ROWS, "model": ["gbm"] * ROWS,
            "requests": list(range(1, ROWS + 1)), "cost_usd": [0.25] * ROWS}
    return pa.table({**base, **columns})


GOOD = _parquet(_usage(), compression="none")


def _damaged_page(data: bytes) -> bytes:
    """The footer intact, the bytes of the ``requests`` column's pages overwritten."""
    start = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(0).column(3).data_page_offset
    return data[:start] + b"\xff" * 64 + data[start + 64:]


def _counts(store):
    return (store.scalar("SELECT count(*) FROM usage_event"), store.scalar("SELECT count(*) FROM import_ledger"),
            store.revision)


def test_positive_control_the_good_file_imports(demo_store):
    result = import_upload(demo_store, ADMIN, "usage", "usage.parquet", GOOD, dry_run=False)
    assert (result.status, result.rows_added) == ("imported", ROWS), result.problems


@pytest.mark.parametrize("data, words", [
    (GOOD[:len(GOOD) // 2], "not a Parquet file"),                       # truncated: no end marker
    (GOOD[:40] + GOOD[-4:], "damaged or cut short"),                      # footer cut, both markers kept
    (b"PAR1" + GOOD[4:-4] + b"PAR2", "not a Parquet file"),               # wrong magic at the end
    (b"PAR0" + GOOD[4:], "not a Parquet file"),                           # wrong magic at the start
    (b"PAR1garbagePAR1", "damaged or cut short"),
    (_damaged_page(GOOD), "damaged"),
])
def test_a_broken_file_is_refused_in_the_users_terms_and_writes_nothing(demo_store, data, words):
    before = _counts(demo_store)
    with pytest.raises(IngestError, match=words) as refused:
        import_upload(demo_store, ADMIN, "usage", "usage.parquet", data, dry_run=False)
    message = str(refused.value)
    assert message.startswith("usage.parquet: ")
    assert "staging" not in message and str(demo_store.staging_dir) not in message and "uploads/" not in message
    assert _counts(demo_store) == before
    assert not list((demo_store.staging_dir / "uploads").glob("*"))


@pytest.mark.parametrize("column, values", [
    ("model", pa.array([{"name": "gbm"}] * ROWS)),
    ("model", pa.array([[("k", "gbm")]] * ROWS, type=pa.map_(pa.string(), pa.string()))),
    ("initiative", pa.array([["COA-01", "CP-01"]] * ROWS)),
    ("requests", pa.array([[1]] * ROWS, type=pa.list_(pa.int64(), 1))),
])
def test_nested_columns_are_refused_naming_the_column(demo_store, column, values):
    """Cast to text, a struct or a list passed as one value: ``{'name': gbm}`` became a model name."""
    before = _counts(demo_store)
    data = _parquet(_usage(**{column: values}))
    with pytest.raises(IngestError, match=f"column `{column}` .*nested values.*nothing was imported"):
        import_upload(demo_store, ADMIN, "usage", "nested.parquet", data, dry_run=False)
    assert _counts(demo_store) == before


@pytest.mark.parametrize("table, words", [
    (_usage().drop_columns(["initiative"]), "initiative"),                          # a required column missing
    (_usage(requests=["many"] * ROWS), "requests"),                                  # text where a number goes
    (_usage(cost_usd=pa.array([-1.0] * ROWS)), "cost_usd"),                          # out of range
    (_usage(ts=pa.array([1.5] * ROWS)), "ts"),                                       # a number where a time goes
])
def test_a_schema_that_does_not_match_the_kind_is_rejected_whole(demo_store, table, words):
    before = _counts(demo_store)
    result = import_upload(demo_store, ADMIN, "usage", "odd.parquet", _parquet(table), dry_run=False)
    assert result.status == "rejected" and result.rows_added == 0
    assert any(words in f"{problem.column} {problem.message}" for problem in result.problems), result.problems
    assert _counts(demo_store) == before


def test_duckdb_reads_parquet_only_inside_the_staging_folder(demo_store, tmp_path):
    outside = tmp_path / "outside.parquet"
    outside.write_bytes(GOOD)
    with demo_store.cursor() as cur, pytest.raises(Exception, match="(?i)permission|not allowed"):
        cur.execute("SELECT count(*) FROM read_parquet(?)", [str(outside)]).fetchall()
    inside = demo_store.staging_dir / "inside.parquet"  # positive control
    inside.write_bytes(GOOD)
    try:
        with demo_store.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM read_parquet(?)", [str(inside)]).fetchall() == [(ROWS,)]
    finally:
        inside.unlink()
    # a path given to an import is copied into the staging folder first, then read there
    result = import_upload(demo_store, ADMIN, "usage", "outside.parquet", outside, dry_run=True)
    assert result.status == "dry_run" and result.rows_added == ROWS


# moved from tests/unit/lab/test_lab_workloads.py
def test_unreadable_upload_saves_nothing_and_says_how_to_fix(lab_store):
    with pytest.raises(WorkloadError, match="could not be read.*nothing was saved"):
        save_workload(lab_store, LEAD_RETAIL, "bad", b"PAR1garbagePAR1", file_name="bad.parquet",
                      business_unit="RETAIL")
    with pytest.raises(WorkloadError, match="not a Parquet file"):
        save_workload(lab_store, LEAD_RETAIL, "bad", b"\x00\x01PAR1garbage", file_name="bad.parquet",
                      business_unit="RETAIL")
    assert lab_store.scalar("SELECT count(*) FROM workload") == 0
    assert not list((lab_store.staging_dir / "uploads").glob("*")), "a refused upload left its staged file"
    with pytest.raises(WorkloadError, match="unsupported file type '.json'"):
        save_workload(lab_store, LEAD_RETAIL, "bad", b"{}", file_name="x.json", business_unit="RETAIL")
