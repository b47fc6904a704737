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
import io
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


def stage_upload(cur, staging_dir: Path, name: str, data: bytes) -> RawUpload:
    """Create the temp table ``upload_raw`` on ``cur`` from the file's bytes."""
    fmt = file_format(name)
    if fmt == "xlsx":
        return _stage_xlsx(cur, name, data)
    folder = Path(staging_dir) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.{fmt}"
    path.write_bytes(data)
    try:
        return _stage_csv(cur, name, path, data) if fmt == "csv" else _stage_parquet(cur, name, path)
    finally:
        path.unlink(missing_ok=True)


def _stage_csv(cur, name: str, path: Path, data: bytes) -> RawUpload:
    if not data.strip():
        return _empty(cur, "csv")
    try:
        head = data[: 1 << 20].decode("utf-8-sig")
    except UnicodeDecodeError:
        head = data[: 1 << 20].decode("utf-8-sig", errors="ignore")
        if not head:
            raise IngestError(f"{name}: not UTF-8 text; save the file as CSV (UTF-8).") from None
    delimiter = "\t" if name.lower().endswith(".tsv") else ","
    try:
        headers = next(csv.reader(io.StringIO(head), delimiter=delimiter))
    except (StopIteration, csv.Error) as error:
        raise IngestError(f"{name}: cannot read the header line ({error}).") from None
    if not headers or all(not h.strip() for h in headers):
        return _empty(cur, "csv")
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers))}
    newline = data.find(b"\n")
    if newline < 0 or (len(data) - newline < 65536 and not data[newline + 1:].strip()):  # header only
        cur.execute(f"CREATE OR REPLACE TEMP TABLE upload_raw ({', '.join(f'{c} VARCHAR' for c in columns)})")
        return RawUpload(tuple(headers), 0, "csv")
    try:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE upload_raw AS SELECT * FROM read_csv(?, header = false, skip = 1,"
            " delim = ?, quote = '\"', escape = '\"', columns = ?, nullstr = ['', 'NULL'],"
            " strict_mode = true, null_padding = false)",
            [str(path), delimiter, columns],
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
