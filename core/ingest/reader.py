"""Reading an upload (CSV, Parquet, xlsx) into a DuckDB temp table of text columns.

``stage_upload(cur, staging_dir, name, data)`` creates ``upload_raw`` with one VARCHAR column
``c0 … cN`` per header (the user's header names never become SQL identifiers) in file order,
with '' and ``NULL`` already NULL,
so ``rowid + 2`` is the spreadsheet row number (the header is row 1). CSV and Parquet are
read by DuckDB from the locked-down staging folder; xlsx through the intake's sheet reader
(``core.store.intake``: archive guard, the one visible sheet, saved values only, row limit).
Staging, sniffing and guarding the file are the intake's; this module only lays the staged
file out as text columns.

Empty strings and the bare word ``NULL`` (as FOCUS exports write it) are missing values.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from core.ingest.registry import IngestError
from core.store.intake import (COPY_CHUNK_BYTES, cell_text, csv_read_error, discard, file_format, read_xlsx_sheet,
                               stage_file)
from core.store.sql import quote_identifier, quote_literal

#: how an import's refusal ends (the page's summary says "nothing was saved" too)
NOT_IMPORTED = "nothing was imported"
_log = logging.getLogger(__name__)
# DuckDB type names of nested values: STRUCT(...), MAP(...), UNION(...), and lists/arrays (``BIGINT[]``, ``INTEGER[3]``)
_NESTED = re.compile(r"^(STRUCT|MAP|UNION)\(|\[\d*\]$")


@dataclass(frozen=True)
class RawUpload:
    """``upload_raw`` as staged: original headers (``c{i}`` is ``headers[i]``) and row count."""

    headers: tuple[str, ...]
    rows: int
    file_format: str
    notes: tuple[str, ...] = ()   # a workbook: which sheet was read, which hidden ones were not


def stage_upload(cur, staging_dir: Path, name: str, data: bytes | Path) -> RawUpload:
    """Create the temp table ``upload_raw`` on ``cur`` from the file's bytes (or a path)."""
    staged = stage_file(staging_dir, name, data, error_type=IngestError, outcome=NOT_IMPORTED)
    try:
        return stage_staged(cur, name, staged.path)
    finally:
        discard(staged)


def stage_staged(cur, name: str, path: Path) -> RawUpload:
    """``upload_raw`` from a file already in the staging folder (see ``stage_file``)."""
    fmt = file_format(name, error_type=IngestError, outcome=NOT_IMPORTED)
    if fmt == "xlsx":
        return _stage_xlsx(cur, name, Path(path))
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
    except Exception as error:  # DuckDB's parser: worded in the user's terms, the raw text to the log
        raise IngestError(csv_read_error(name, str(error), len(headers))) from None
    rows = cur.execute("SELECT count(*) FROM upload_raw").fetchone()[0]
    return RawUpload(tuple(headers), rows, "csv")


def _stage_parquet(cur, name: str, path: Path) -> RawUpload:
    try:
        described = cur.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        # the file's own names (its footer), so that a repeated header is refused as one
        # rather than read as an unknown `cost_usd_1`
        written = tuple(pq.read_schema(path).names)
    except Exception as error:  # duckdb and pyarrow raise several types; DuckDB's text names the staging path
        _log.info("Parquet reader refused %s: %s", name, error)
        raise IngestError(f"{name}: cannot be read as Parquet: the file is damaged or cut short. Write it again, "
                          f"or save it as a comma-separated CSV with a header row; {NOT_IMPORTED}.") from None
    nested = [f"`{column}` ({kind})" for column, kind, *_ in described if _NESTED.search(kind)]
    if nested:  # cast to text, a struct, map or list would pass as one value ("{'a': 1}")
        raise IngestError(f"{name}: column{'s' if len(nested) > 1 else ''} {', '.join(nested[:5])} "
                          f"{'hold' if len(nested) > 1 else 'holds'} nested values (struct, map or list); "
                          "every column must hold one plain value per row (text, a number or a date). Flatten "
                          f"the file, or save it as CSV; {NOT_IMPORTED}.")
    names = tuple(row[0] for row in described)  # DuckDB's: a repeated name comes back as name_1
    headers = written if len(written) == len(names) else names
    select = ", ".join(f"nullif(nullif(CAST({quote_identifier(h)} AS VARCHAR), ''), 'NULL') AS c{i}"
                       for i, h in enumerate(names))
    try:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE upload_raw AS SELECT {select} FROM read_parquet(?)", [str(path)])
    except Exception as error:  # a damaged row group, past the footer DuckDB could read
        _log.info("Parquet reader refused %s: %s", name, error)
        raise IngestError(f"{name}: cannot be read as Parquet: part of the file is damaged. Write it again, "
                          f"or save it as a comma-separated CSV with a header row; {NOT_IMPORTED}.") from None
    rows = cur.execute("SELECT count(*) FROM upload_raw").fetchone()[0]
    return RawUpload(headers, rows, "parquet")


def _stage_xlsx(cur, name: str, path: Path) -> RawUpload:
    """``upload_raw`` from the one visible sheet of a staged workbook (each cell as CSV-like text)."""
    sheet = read_xlsx_sheet(name, path, error_type=IngestError, outcome=NOT_IMPORTED)
    if not sheet.headers:
        return replace(_empty(cur, "xlsx"), notes=sheet.notes())
    headers = tuple("" if h is None else h for h in sheet.headers)
    table = pa.table({f"c{i}": pa.array([cell_text(v) for v in values], type=pa.string())
                      for i, values in enumerate(sheet.columns)})
    cur.register("upload_xlsx_arrow", table)
    cur.execute("CREATE OR REPLACE TEMP TABLE upload_raw AS SELECT * FROM upload_xlsx_arrow")
    cur.unregister("upload_xlsx_arrow")
    return RawUpload(headers, sheet.rows, "xlsx", sheet.notes())


def _empty(cur, fmt: str) -> RawUpload:
    cur.execute("CREATE OR REPLACE TEMP TABLE upload_raw (c0 VARCHAR)")
    return RawUpload((), 0, fmt)
