"""Case 2 — type spoofing and client-filter bypass (CVE-2025-1684, NTFS alternate data streams):
a ``report.csv`` that holds a zip archive, an ELF executable or a pickle; a name like
``x.onnx:evil.csv``; a type the uploader's filter would not offer. The browser's ``type=``
filter is no control: core sniffs the content against the suffix (``core.store.intake``) and
refuses before anything parses it, on every way in (imports, lab workloads, CLI files), leaving
no staged file, no row and no ledger entry.

The direct POST to ``/_stcore/upload_file`` is case 1's (the upload route takes files only from
a signed-in uploader); what such a POST could smuggle past the page reaches core, tested here."""

from __future__ import annotations

import io
import pathlib
import pickle
import zipfile

import pytest

from core.ingest import import_upload
from core.ingest.registry import IngestError
from core.lab.workloads import read_workload_file, save_workload
from core.rightsize.workload import WorkloadError
from core.store.intake import IntakeError, stage_file
from tests.app.conftest import new_app
from tests.conftest import ADMIN, LEAD_RETAIL


class _WritesMarker:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return pathlib.Path.write_text, (self.marker, "unpickled")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ts,initiative.csv", "ts,initiative\n")
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
ONNX_LIKE = b"\x08\x07\x12\x07pytorch\x1a\x03" + b"\x00" * 64  # protobuf bytes, as an .onnx file starts


def _spoofs(marker) -> dict[str, bytes]:
    return {"zip": _zip(), "elf": ELF, "pickle": pickle.dumps(_WritesMarker(marker), protocol=5), "onnx": ONNX_LIKE}


def _written(store):
    return (store.scalar("SELECT count(*) FROM import_ledger"), store.scalar("SELECT count(*) FROM usage_event"),
            store.scalar("SELECT count(*) FROM workload"), store.revision)


def _left_in_staging(store):
    return list((store.staging_dir / "uploads").glob("*"))


@pytest.mark.parametrize("content", ["zip", "elf", "pickle", "onnx"])
@pytest.mark.parametrize("name", ["report.csv", "x.onnx:evil.csv", "usage.txt", "usage.tsv"])
def test_binary_content_named_as_csv_is_refused_on_every_way_in(demo_store, tmp_path, content, name):
    marker = tmp_path / "marker"
    data = _spoofs(marker)[content]
    before = _written(demo_store)
    with pytest.raises(IngestError, match="not CSV text"):
        import_upload(demo_store, ADMIN, "usage", name, data, dry_run=False)
    with pytest.raises(WorkloadError, match="not CSV text.*nothing was saved"):
        save_workload(demo_store, LEAD_RETAIL, "w", data, file_name=name, business_unit="RETAIL")
    path = tmp_path / name.replace(":", "_")
    path.write_bytes(data)
    with pytest.raises(WorkloadError, match="not CSV text"):
        read_workload_file(path)
    assert _written(demo_store) == before and not _left_in_staging(demo_store)
    assert not marker.exists()


@pytest.mark.parametrize("name, content", [
    ("usage.parquet", "zip"), ("usage.parquet", "elf"), ("usage.parquet", "pickle"),
    ("usage.xlsx", "elf"), ("usage.xlsx", "pickle"), ("usage.xlsm", "onnx"),
])
def test_content_that_is_not_the_named_binary_format_is_refused(demo_store, tmp_path, name, content):
    marker = tmp_path / "marker"
    before = _written(demo_store)
    with pytest.raises(IngestError, match="not a Parquet file|not a valid .xlsx"):
        import_upload(demo_store, ADMIN, "usage", name, _spoofs(marker)[content], dry_run=False)
    assert _written(demo_store) == before and not _left_in_staging(demo_store)
    assert not marker.exists()


@pytest.mark.parametrize("name", ["evil.exe", "model.onnx", "data.pkl", "usage.csv.exe", "usage", "usage.csv:evil",
                                  "usage.json"])
def test_a_type_outside_the_allow_list_is_refused_before_a_byte_is_staged(demo_store, name):
    before = _written(demo_store)
    with pytest.raises(IngestError, match="unsupported file type.*upload a .csv, .parquet or .xlsx"):
        import_upload(demo_store, ADMIN, "usage", name, b"ts,initiative\n2026-01-01,COA-01\n", dry_run=False)
    with pytest.raises(WorkloadError, match="unsupported file type"):
        save_workload(demo_store, LEAD_RETAIL, "w", b"a,b\n1,2\n", file_name=name, business_unit="RETAIL")
    assert _written(demo_store) == before and not _left_in_staging(demo_store)


def test_the_imports_page_shows_a_spoofed_upload_as_an_error(app_db):
    """The page's uploader offers csv, parquet and xlsx; a zip named report.csv gets through it
    (the filter looks at the name only) and core refuses it."""
    at = new_app(ADMIN)
    at.run()
    at.switch_page("pages/imports.py").run()
    at.radio[0].set_value("usage").run()
    at.get("file_uploader")[0].upload("report.csv", _zip()).run()
    assert not at.exception
    assert any("report.csv" in e.value and "not CSV text" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.label.startswith("Import ")]


# moved from tests/unit/store/test_intake.py
@pytest.mark.parametrize("name, data, words", [
    ("model.parquet", b"PK\x03\x04 a zip", "not a Parquet file"),
    ("sheet.xlsx", b"a,b\n1,2\n", "not a valid .xlsx file"),
    ("table.csv", b"PAR1\x00\x00\x00PAR1", "binary file, not CSV text"),
    ("table.csv", b"PK\x03\x04\x00\x00 zip bytes", "this is a workbook"),
    ("notes.docx", b"text", "unsupported file type '.docx'"),
])
def test_content_must_agree_with_the_suffix_and_refused_files_leave_nothing(tmp_path, name, data, words):
    with pytest.raises(IntakeError, match=words):
        stage_file(tmp_path, name, data)
    assert not list((tmp_path / "uploads").glob("*")) if (tmp_path / "uploads").exists() else True


# moved from tests/unit/ingest/test_bad_inputs.py
def test_not_an_xlsx_is_a_clear_error(demo_store):
    with pytest.raises(IngestError, match="not a valid .xlsx"):
        import_upload(demo_store, ADMIN, "usage", "fake.xlsx", b"ts,initiative\n")


def test_unsupported_file_type(demo_store):
    with pytest.raises(IngestError, match="upload a .csv, .parquet or .xlsx"):
        import_upload(demo_store, ADMIN, "usage", "usage.json", b"{}")
