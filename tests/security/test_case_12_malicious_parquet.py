"""Case 12 — malicious Parquet (CVE-2023-47248): a Parquet file whose Arrow schema declares an
``arrow.py_extension_type`` column carries a pickle that, once unpickled, writes a marker file.
pyarrow before 14.0.1 unpickled it on read. Read through every way a Parquet file comes in — an
import, a lab workload, a CLI file — and through DuckDB's ``read_parquet`` on the store's own
connection, the marker file is never written.

The payload is built as in the CVE write-up; a positive control unpickles it by hand and sees the
marker appear, so a reader that did unpickle it would fail these tests."""

from __future__ import annotations

import io
import pathlib
import pickle

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.ingest import import_upload
from core.lab.workloads import read_workload_file, save_workload
from tests.conftest import ADMIN, LEAD_RETAIL

EXTENSION_NAME = "arrow.py_extension_type"


class _WritesMarker:
    """Unpickling this writes ``marker`` (what an attacker's payload would do, harmlessly)."""

    def __init__(self, marker: pathlib.Path):
        self.marker = marker

    def __reduce__(self):
        return pathlib.Path.write_text, (self.marker, "unpickled")


def _payload_type(payload: bytes):
    class PickledExtension(pa.ExtensionType):
        def __init__(self):
            super().__init__(pa.int64(), EXTENSION_NAME)

        def __arrow_ext_serialize__(self):
            return payload

        @classmethod
        def __arrow_ext_deserialize__(cls, storage_type, serialized):
            return cls()

    return PickledExtension()


def _malicious_parquet(marker: pathlib.Path) -> bytes:
    """A usage-shaped Parquet file whose ``requests`` column is the pickled extension type."""
    payload = pickle.dumps(_WritesMarker(marker))
    requests = pa.ExtensionArray.from_storage(_payload_type(payload), pa.array([1, 2], pa.int64()))
    table = pa.table({
        "ts": ["2026-01-15T09:30:00Z", "2026-01-15T09:31:00Z"], "initiative": ["COA-01", "COA-01"],
        "model": ["gbm", "gbm"], "requests": requests, "cost_usd": [0.5, 0.5],
    })
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "marker-cve-2023-47248"


@pytest.fixture
def evil(marker):
    data = _malicious_parquet(marker)
    assert not marker.exists()
    return data


def test_the_payload_is_live_positive_control(tmp_path, evil):
    """The file really holds the extension type and a pickle that writes a marker when loaded."""
    schema = pq.read_schema(io.BytesIO(evil))
    assert schema.field("requests").metadata[b"ARROW:extension:name"] == EXTENSION_NAME.encode()
    other = tmp_path / "control"
    pickle.loads(pickle.dumps(_WritesMarker(other)))
    assert other.exists()


def test_pyarrow_is_a_patched_version_and_does_not_unpickle_on_read(marker, evil):
    major, minor, patch = (int(part) for part in pa.__version__.split(".")[:3])
    assert (major, minor, patch) >= (14, 0, 1), pa.__version__
    table = pq.read_table(io.BytesIO(evil))
    assert table.column("requests").to_pylist() == [1, 2]  # read as its plain storage type
    assert not marker.exists()


def test_an_import_of_it_never_unpickles(demo_store, marker, evil):
    for dry_run in (True, False):
        import_upload(demo_store, ADMIN, "usage", "usage.parquet", evil, dry_run=dry_run)
        assert not marker.exists()
    assert not list((demo_store.staging_dir / "uploads").glob("*"))


def test_a_workload_of_it_never_unpickles(demo_store, tmp_path, marker, evil):
    save_workload(demo_store, LEAD_RETAIL, "evil", evil, file_name="evil.parquet", business_unit="RETAIL")
    assert not marker.exists()
    path = tmp_path / "evil.parquet"
    path.write_bytes(evil)
    read_workload_file(path)  # the CLI's way in
    assert not marker.exists()


def test_duckdb_read_parquet_on_the_store_connection_never_unpickles(demo_store, marker, evil):
    path = demo_store.staging_dir / "evil.parquet"
    path.write_bytes(evil)
    try:
        with demo_store.cursor() as cur:
            rows = cur.execute("SELECT requests FROM read_parquet(?)", [str(path)]).fetchall()
            cur.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    finally:
        path.unlink()
    assert rows == [(1,), (2,)]
    assert not marker.exists()
