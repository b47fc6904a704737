"""Reading an upload (CSV, Parquet, xlsx) into a DuckDB temp table of text columns.

``stage_upload(cur, staging_dir, name, data)`` creates ``upload_raw`` with one VARCHAR column
``c0 … cN`` per header (the user's header names never become SQL identifiers) in file order,
with '' and ``NULL`` already NULL,
so ``rowid + 2`` is the spreadsheet row number (the header is row 1). CSV and Parquet are
read by DuckDB from the locked-down staging folder; xlsx by openpyxl in read-only mode after
a zip-bomb check (total uncompressed size of the zip members) and with a row limit.

Empty strings and the bare word ``NULL`` (as FOCUS exports write it) are missing values.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import threading
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from core.ingest.registry import IngestError

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_XLSX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_XLSX_RATIO = 200          # uncompressed/compressed of one member; real sheets stay far below
MAX_XLSX_ROWS = 1_048_576     # Excel's own limit


@dataclass(frozen=True)
class RawUpload:
    """``upload_raw`` as staged: original headers (``c{i}`` is ``headers[i]``) and row count."""

    headers: tuple[str, ...]
    rows: int
    file_format: str


def file_format(name: str) -> str:
    lower = name.lower()
    if lower.endswith(CSV_SUFFIXES):
        return "csv"
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if lower.endswith(EXCEL_SUFFIXES):
        return "xlsx"
    raise IngestError(f"{name}: unsupported file type; upload a .csv, .parquet or .xlsx file.")


class BackgroundDigest:
    """The sha256 of a file, computed on a thread while the caller goes on (DuckDB reading the
    same file, typically): hashlib releases the GIL while it reads and hashes, so on two
    cores the ~0.6 s per GB overlaps the import instead of preceding it. ``hexdigest()``
    waits. The file is opened here, so deleting it afterwards cannot race the thread."""

    def __init__(self, path: Path):
        self._handle = open(path, "rb")
        self._hex: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._handle:  # a fixed buffer (not a memory map): memory stays flat for any size
                self._hex = hashlib.file_digest(self._handle, "sha256").hexdigest()
        except BaseException as error:  # noqa: BLE001 - re-raised by hexdigest() in the caller
            self._error = error

    def hexdigest(self) -> str:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._hex


def digest_hex(digest: "str | BackgroundDigest") -> str:
    """The hex sha256 of a digest that may still be computing (waits for it)."""
    return digest if isinstance(digest, str) else digest.hexdigest()


@dataclass(frozen=True)
class StagedFile:
    """An upload copied once into the staging folder: its path there, sha256 (maybe still
    being computed, see ``BackgroundDigest``) and size."""

    path: Path
    digest: "str | BackgroundDigest"
    size_bytes: int

    @property
    def sha256(self) -> str:
        return digest_hex(self.digest)


COPY_CHUNK_BYTES = 8 * 1024 * 1024


def upload_size_bytes(data: bytes | Path) -> int:
    return len(data) if isinstance(data, (bytes, bytearray, memoryview)) else Path(data).stat().st_size


def upload_sha256(data: bytes | Path) -> str:
    """sha256 of the upload's bytes (streamed for a path)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with open(data, "rb") as source:
        while chunk := source.read(COPY_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def stage_file(staging_dir: Path, name: str, data: bytes | Path) -> StagedFile:
    """Put the upload into ``<staging>/uploads`` once: bytes are hashed and written; a path is
    hard-linked when it is on the same file system (no copy; hashed on a thread, see
    ``BackgroundDigest``), else copied while hashing (one pass). The caller deletes ``path``
    (``discard``); DuckDB reads only from the staging folder."""
    fmt = file_format(name)
    folder = Path(staging_dir) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.{fmt}"
    if isinstance(data, (bytes, bytearray, memoryview)):
        path.write_bytes(data)
        return StagedFile(path, hashlib.sha256(data).hexdigest(), len(data))
    try:  # same file system: a hard link stages it without copying (then one read, to hash)
        os.link(data, path)
    except OSError:
        pass
    else:
        return StagedFile(path, BackgroundDigest(path), path.stat().st_size)
    digest, size = hashlib.sha256(), 0
    try:
        with open(data, "rb") as source, open(path, "wb") as target:
            while chunk := source.read(COPY_CHUNK_BYTES):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StagedFile(path, digest.hexdigest(), size)


def discard(staged: StagedFile) -> None:
    staged.path.unlink(missing_ok=True)


def stage_upload(cur, staging_dir: Path, name: str, data: bytes | Path) -> RawUpload:
    """Create the temp table ``upload_raw`` on ``cur`` from the file's bytes (or a path)."""
    if file_format(name) == "xlsx" and isinstance(data, (bytes, bytearray, memoryview)):
        return _stage_xlsx(cur, name, bytes(data))
    staged = stage_file(staging_dir, name, data)
    try:
        return stage_staged(cur, name, staged.path)
    finally:
        discard(staged)


def stage_staged(cur, name: str, path: Path) -> RawUpload:
    """``upload_raw`` from a file already in the staging folder (see ``stage_file``)."""
    fmt = file_format(name)
    if fmt == "xlsx":
        return _stage_xlsx(cur, name, Path(path).read_bytes())
    return _stage_csv(cur, name, Path(path)) if fmt == "csv" else _stage_parquet(cur, name, Path(path))


@dataclass(frozen=True)
class CsvHead:
    """What the first bytes of a CSV say: its headers (empty = empty file), delimiter, and
    whether it has no data lines at all."""

    headers: tuple[str, ...]
    delimiter: str
    header_only: bool
    first_row: tuple[str, ...] = ()   # the first data line's cells, when it is in the first MB


def read_csv_head(name: str, path: Path) -> CsvHead:
    """The header line of a staged CSV (read with Python's csv module: user headers never
    become SQL), without reading the whole file."""
    delimiter = "\t" if name.lower().endswith(".tsv") else ","
    size = path.stat().st_size
    with open(path, "rb") as source:
        first = source.read(1 << 20)
        if not first.strip() and _rest_is_blank(source):
            return CsvHead((), delimiter, True)
        try:
            head = first.decode("utf-8-sig")
        except UnicodeDecodeError:
            head = first.decode("utf-8-sig", errors="ignore")
            if not head:
                raise IngestError(f"{name}: not UTF-8 text; save the file as CSV (UTF-8).") from None
        lines = csv.reader(io.StringIO(head), delimiter=delimiter)
        try:
            headers = next(lines)
        except (StopIteration, csv.Error) as error:
            raise IngestError(f"{name}: cannot read the header line ({error}).") from None
        try:
            first_row = tuple(next(lines))
        except (StopIteration, csv.Error):
            first_row = ()
        if not headers or all(not h.strip() for h in headers):
            return CsvHead((), delimiter, True)
        newline = _find_newline(source, first)
        header_only = newline < 0
        if not header_only and size - newline < 65536:
            source.seek(newline + 1)
            header_only = not source.read().strip()
    return CsvHead(tuple(headers), delimiter, header_only, first_row)


def _rest_is_blank(source) -> bool:
    while chunk := source.read(COPY_CHUNK_BYTES):
        if chunk.strip():
            return False
    return True


def _find_newline(source, first: bytes) -> int:
    """Offset of the first ``\\n`` in the file (-1 when none)."""
    found = first.find(b"\n")
    offset = len(first)
    while found < 0:
        source.seek(offset)
        chunk = source.read(COPY_CHUNK_BYTES)
        if not chunk:
            return -1
        found = chunk.find(b"\n")
        if found >= 0:
            return offset + found
        offset += len(chunk)
    return found


def csv_options(delimiter: str) -> str:
    """The read_csv options both readers use (the text one and the typed fast path)."""
    return (f"header = false, skip = 1, delim = {quote_literal(delimiter)}, quote = '\"', escape = '\"',"
            " nullstr = ['', 'NULL'], strict_mode = true, null_padding = false")


def _stage_csv(cur, name: str, path: Path) -> RawUpload:
    head = read_csv_head(name, path)
    if not head.headers:
        return _empty(cur, "csv")
    headers = head.headers
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers))}
    if head.header_only:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE upload_raw ({', '.join(f'{c} VARCHAR' for c in columns)})")
        return RawUpload(tuple(headers), 0, "csv")
    try:
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE upload_raw AS SELECT * FROM read_csv(?, {csv_options(head.delimiter)},"
            " columns = ?)",
            [str(path), columns],
        )
    except Exception as error:  # DuckDB's parser message names the line
        raise IngestError(f"{name}: cannot be read as CSV: {str(error).splitlines()[0]}") from None
    rows = cur.execute("SELECT count(*) FROM upload_raw").fetchone()[0]
    return RawUpload(tuple(headers), rows, "csv")


def _stage_parquet(cur, name: str, path: Path) -> RawUpload:
    try:
        described = cur.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        headers = tuple(row[0] for row in described)
        select = ", ".join(f"nullif(nullif(CAST({quote_identifier(h)} AS VARCHAR), ''), 'NULL') AS c{i}"
                           for i, h in enumerate(headers))
        cur.execute(f"CREATE OR REPLACE TEMP TABLE upload_raw AS SELECT {select} FROM read_parquet(?)", [str(path)])
    except Exception as error:
        raise IngestError(f"{name}: cannot be read as Parquet: {str(error).splitlines()[0]}") from None
    rows = cur.execute("SELECT count(*) FROM upload_raw").fetchone()[0]
    return RawUpload(headers, rows, "parquet")


def check_xlsx_archive(name: str, data: bytes) -> None:
    """Refuse zip bombs before openpyxl inflates anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError(f"{name}: not a valid .xlsx file (it is not a zip archive); save it again from Excel.") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_XLSX_UNCOMPRESSED_BYTES or (info.file_size > 10_000_000 and ratio > MAX_XLSX_RATIO):
            raise IngestError(
                f"{name}: the workbook would expand to more than {MAX_XLSX_UNCOMPRESSED_BYTES // 2**20} MB "
                f"(member {info.filename!r} compresses {ratio:,.0f}:1); refused as a possible zip bomb. "
                "Export the sheet as CSV instead."
            )


def stage_xlsx(cur, name: str, data: bytes) -> RawUpload:
    """``upload_raw`` from the bytes of a workbook (openpyxl reads bytes; nothing is staged)."""
    return _stage_xlsx(cur, name, data)


def _stage_xlsx(cur, name: str, data: bytes) -> RawUpload:
    import openpyxl

    check_xlsx_archive(name, data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise IngestError(f"{name}: cannot be opened as an Excel workbook ({error}).") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None or all(v is None for v in header_row):
            return _empty(cur, "xlsx")
        width = max(i for i, v in enumerate(header_row) if v is not None) + 1
        headers = tuple("" if v is None else str(v) for v in header_row[:width])
        columns: list[list[str | None]] = [[] for _ in range(width)]
        count = 0
        for row in rows:
            if all(v is None for v in row[:width]):
                continue
            count += 1
            if count > MAX_XLSX_ROWS:
                raise IngestError(f"{name}: more than {MAX_XLSX_ROWS:,} rows; export the sheet as CSV instead.")
            for i in range(width):
                columns[i].append(_cell_text(row[i] if i < len(row) else None))
    finally:
        workbook.close()
    table = pa.table({f"c{i}": pa.array(values, type=pa.string()) for i, values in enumerate(columns)})
    cur.register("upload_xlsx_arrow", table)
    cur.execute("CREATE OR REPLACE TEMP TABLE upload_raw AS SELECT * FROM upload_xlsx_arrow")
    cur.unregister("upload_xlsx_arrow")
    return RawUpload(headers, count, "xlsx")


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return None if text.strip() in ("", "NULL") else text


def _empty(cur, fmt: str) -> RawUpload:
    cur.execute("CREATE OR REPLACE TEMP TABLE upload_raw (c0 VARCHAR)")
    return RawUpload((), 0, fmt)


def quote_identifier(name: str) -> str:
    """Quote an identifier for DuckDB (double quotes, embedded quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Quote a constant from core (never user input) as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"
