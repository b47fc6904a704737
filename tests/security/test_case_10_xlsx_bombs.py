"""Case 10 — zip bombs and XML bombs in xlsx: a 1 GB ``sharedStrings.xml`` packed into about
1 MB, a part that expands a 1000:1, billion laughs and external entities, 100k parts. The
archive guard refuses each from the zip's own records and bytes before any XML parser (openpyxl)
sees the file, on every way in (imports, lab workloads, CLI files), with memory bounded and
nothing staged or written; defusedxml is installed and openpyxl parses with it."""

from __future__ import annotations

import io
import struct
import tomllib
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from core.errors import CoreError
from core.ingest import import_upload
from core.lab.workloads import read_workload_file, save_workload
from core.store.intake import MAX_XLSX_UNCOMPRESSED_BYTES
from tests.conftest import ADMIN, LEAD_RETAIL

ROOT = Path(__file__).resolve().parents[2]


def _workbook(initiative: str = "COA-01", **parts: bytes) -> bytes:
    """A real workbook (openpyxl), with ``parts`` replacing or adding zip members."""
    book = openpyxl.Workbook()
    book.active.append(["ts", "initiative", "model", "cost_usd"])
    book.active.append(["2026-03-01", initiative, "gpt-4o", 0.25])
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info))
        for member, data in parts.items():
            target.writestr(member, data)
    return out.getvalue()


def _zip_of_zeros(member: str, size_bytes: int) -> bytes:
    """A zip whose one ``member`` inflates to ``size_bytes`` zeros, written without compressing
    them: one 8 MB deflate segment (full flush: each copy stands alone) repeated, then the end
    block — a valid archive (sizes and CRC true) in well under a second."""
    chunk = b"0" * (8 << 20)
    assert size_bytes % len(chunk) == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    copies = size_bytes // len(chunk)
    data = segment * copies + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(copies):
        crc = zlib.crc32(chunk, crc)
    name = member.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size_bytes, len(name), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size_bytes,
                          len(name), 0, 0, 0, 0, 0, 0)
    offset = len(local) + len(name) + len(data)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name), offset, 0)
    return local + name + data + central + name + end


def _many_parts(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(count - 1):
            archive.writestr(f"xl/p{i}.xml", b"")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {
        # moved from tests/unit/ingest/test_bad_inputs.py: ~50 MB of one byte, 1000:1
        "ratio": _zip_of_zeros("xl/worksheets/sheet1.xml", 48 << 20),
        # moved from tests/unit/store/test_intake.py: past the total limit
        "total": _zip_of_zeros("xl/worksheets/sheet1.xml", ((MAX_XLSX_UNCOMPRESSED_BYTES >> 23) + 1) << 23),
        "1 GB sharedStrings": _zip_of_zeros("xl/sharedStrings.xml", 1 << 30),
    }


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
          b"<si><t>&lol9;</t></si></sst>")
EXTERNAL = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
            b'<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


def _counts(store) -> tuple[int, int, int]:
    return (store.scalar("SELECT count(*) FROM import_ledger"), store.scalar("SELECT count(*) FROM workload"),
            store.scalar("SELECT count(*) FROM audit_event"))


def _every_way_in(store, tmp_path, data: bytes) -> list[str]:
    """The message from each way a workbook comes in; each must refuse it."""
    messages = []
    with pytest.raises(CoreError) as error:
        import_upload(store, ADMIN, "usage", "usage.xlsx", data, dry_run=False)
    messages.append(str(error.value))
    with pytest.raises(CoreError) as error:
        save_workload(store, LEAD_RETAIL, "bomb", data, file_name="usage.xlsx", business_unit="RETAIL")
    messages.append(str(error.value))
    path = tmp_path / "usage.xlsx"
    path.write_bytes(data)
    with pytest.raises(CoreError) as error:
        read_workload_file(path)
    messages.append(str(error.value))
    return messages


def no_parser(monkeypatch) -> None:
    """openpyxl must never be asked to open these files."""
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called on a file the archive guard should refuse")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.fixture(name="no_parser")
def no_parser_fixture(monkeypatch) -> None:
    no_parser(monkeypatch)


def test_defusedxml_is_pinned_installed_and_used_by_openpyxl():
    import defusedxml  # noqa: F401 (the import is the check)
    import openpyxl.xml
    import openpyxl.xml.functions

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert [d for d in dependencies if d.split(";")[0].replace(" ", "").startswith("defusedxml==")], dependencies
    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


def test_without_defusedxml_in_use_no_workbook_is_parsed(demo_store, monkeypatch):
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(CoreError, match="defusedxml") as error:
        import_upload(demo_store, ADMIN, "usage", "usage.xlsx", _workbook(), dry_run=True)
    assert str(error.value).endswith("nothing was imported.")


@pytest.mark.parametrize("bomb", ["ratio", "total", "1 GB sharedStrings"])
def test_a_zip_bomb_is_refused_from_the_zip_records_on_every_way_in(demo_store, tmp_path, bombs, bomb, no_parser):
    data = bombs[bomb]
    assert len(data) < 1_100_000
    before = _counts(demo_store)
    tracemalloc.start()
    try:
        messages = _every_way_in(demo_store, tmp_path, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MB allocated while refusing a {len(data) / 2**20:.1f} MB file"
    for message in messages:
        assert "usage.xlsx: the workbook would expand to more than 300 MB" in message, message
        assert "zip bomb" in message and "Export the sheet as CSV" in message
    assert messages[0].endswith("nothing was imported.") and messages[1].endswith("nothing was saved.")
    assert _counts(demo_store) == before
    assert not list((demo_store.staging_dir / "uploads").glob("*"))


@pytest.mark.parametrize("part, content", [
    ("xl/sharedStrings.xml", LAUGHS),                                   # billion laughs
    ("xl/worksheets/sheet1.xml", EXTERNAL),                             # external entity (XXE)
    ("xl/sharedStrings.xml", LAUGHS.decode().replace('version="1.0"?', 'version="1.0" encoding="UTF-16"?')
     .encode("utf-16")),                                                # the same in UTF-16
    ("docProps/custom.xml", b'<?xml version="1.0"?><!DOCTYPE Properties SYSTEM "http://x/p.dtd"><Properties/>'),
], ids=["billion laughs", "external entity", "billion laughs in UTF-16", "external DTD"])
def test_a_dtd_or_entity_in_any_part_is_refused_before_parsing(demo_store, tmp_path, part, content, monkeypatch):
    plain = import_upload(demo_store, ADMIN, "usage", "usage.xlsx", _workbook(), dry_run=True)
    assert plain.status == "dry_run" and plain.rows_added == 1, plain.problems  # the same workbook, plain
    no_parser(monkeypatch)
    before = _counts(demo_store)
    for message in _every_way_in(demo_store, tmp_path, _workbook(**{part: content})):
        assert f"usage.xlsx: the part '{part}' declares a DTD or entities" in message, message
        assert "save it again from Excel" in message
    assert _counts(demo_store) == before


def test_a_hundred_thousand_parts_are_refused_from_the_end_record(demo_store, tmp_path, no_parser):
    data = _many_parts(100_000)
    before = _counts(demo_store)
    for message in _every_way_in(demo_store, tmp_path, data):
        assert "usage.xlsx: the workbook has 65,535 or more parts" in message, message
        assert "zip bomb" in message
    assert _counts(demo_store) == before
    with pytest.raises(CoreError, match="the workbook has 2,001 parts"):
        import_upload(demo_store, ADMIN, "usage", "usage.xlsx", _many_parts(2_001))


def test_a_part_twice_is_refused(demo_store, no_parser):
    data = io.BytesIO(_workbook())
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(data, "a") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    with pytest.raises(CoreError, match="holds the part 'xl/worksheets/sheet1.xml' twice"):
        import_upload(demo_store, ADMIN, "usage", "usage.xlsx", data.getvalue())
