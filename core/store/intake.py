"""File intake: every file that comes in — an upload from a page, a path given to the CLI —
enters through here, with one level of safety for all of them.

stage → sniff → guard → read:

1. **stage** (``stage_file``): the size limit is checked before a byte is copied; the file is
   copied (or hard-linked) under a random uuid name into ``<staging>/uploads`` — the user's
   file name never becomes a path — and its sha256 is computed on the way (on a thread for a
   hard link, see ``BackgroundDigest``).
2. **sniff** (``check_content``): the suffix says what the file claims to be and its first bytes
   must agree — Parquet starts and ends with ``PAR1``, a workbook is a zip archive, a CSV is
   text (no NUL byte in its first MB). A mismatch is refused, naming both.
3. **guard**: a workbook's zip archive is checked before openpyxl parses anything (zip bombs,
   macros and other active parts, links to other workbooks, DTDs); then one sheet is read, the
   only visible one or the one named, with its saved values (``core.store.workbook``).
4. **read**: CSV and Parquet are read by DuckDB, only from the staging folder of a connection
   locked down like the store's (``core.store.store.lock_down``: no extensions, no network, no
   other folder, configuration locked) — the store's own connection for uploads, a private
   in-memory one (``scratch_connection``) for CLI files; workbooks by openpyxl into Arrow.

Every refusal is an ``error_type`` (a ``CoreError`` subclass the caller names, so an import says
``IngestError`` and a lab workload ``WorkloadError``) whose message says which file, what is
wrong and how to fix it, and, given an ``outcome`` ("nothing was imported"), ends with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.errors import CoreError
from core.store.workbook import (MAX_XLSX_MEMBERS, MAX_XLSX_RATIO, MAX_XLSX_ROWS,  # noqa: F401 (re-exported)
                                 MAX_XLSX_UNCOMPRESSED_BYTES, SheetRows, check_archive, read_sheet, refusal)

#: File suffix → format. ``.txt``/``.tsv`` are CSV (a ``.tsv`` is tab-delimited).
SUFFIX_FORMATS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
}
COPY_CHUNK_BYTES = 8 * 1024 * 1024
_SNIFF_BYTES = 1 << 20


_log = logging.getLogger(__name__)


class IntakeError(CoreError):
    """A file cannot be taken in (type, size, content); the message says how to fix it."""


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / 2**20:,.1f} MB"


#: the longest file name kept for display (the ledger, messages, the audit log)
MAX_FILE_NAME = 255


def display_file_name(name: str) -> str:
    """An uploaded file's name as display metadata only (never a path): the last component of
    either separator (``../../x.csv`` → ``x.csv``, ``C:\\x.csv`` → ``x.csv``), NFC-normalised,
    without control and format characters (NUL, newlines, the right-to-left override U+202E
    that makes a name ending ``exe.csv`` read as if it ended ``.csv``), at most ``MAX_FILE_NAME``
    characters (the suffix kept). Percent escapes are left as text: nothing decodes them."""
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(text) > MAX_FILE_NAME:
        stem, dot, suffix = text.rpartition(".")
        text = (stem[:MAX_FILE_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 \
            else text[:MAX_FILE_NAME]
    return text or "upload"


def file_format(name: str, *, error_type: type[CoreError] = IntakeError, outcome: str | None = None) -> str:
    """``csv``, ``parquet`` or ``xlsx`` from the file name's suffix; ``error_type`` otherwise."""
    suffix = Path(str(name)).suffix.lower()
    fmt = SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        raise refusal(error_type, f"{name}: unsupported file type '{suffix or 'none'}'; upload a .csv, .parquet or "
                                  ".xlsx file.", outcome)
    return fmt


def size_bytes_of(data: bytes | Path) -> int:
    return len(data) if isinstance(data, (bytes, bytearray, memoryview)) else Path(data).stat().st_size


def sha256_of(data: bytes | Path) -> str:
    """sha256 of the bytes (streamed for a path)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return hashlib.sha256(data).hexdigest()
    with open(data, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def check_size(name: str, size_bytes: int, max_bytes: int | None, *, what: str = "files",
               error_type: type[CoreError] = IntakeError, outcome: str | None = None) -> None:
    """Refuse a file over ``max_bytes`` (None: no limit) before anything reads it."""
    if max_bytes is not None and size_bytes > max_bytes:
        raise refusal(error_type, f"{name}: the file is {_megabytes(size_bytes)}; the limit for {what} is "
                                  f"{_megabytes(max_bytes)}. Split it into smaller files, or ask an admin to raise "
                                  "the limit.", outcome)


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
    """A file copied once into the staging folder: its path there (a uuid name), format,
    sha256 (maybe still being computed, see ``BackgroundDigest``) and size."""

    path: Path
    file_format: str
    digest: "str | BackgroundDigest"
    size_bytes: int

    @property
    def sha256(self) -> str:
        return digest_hex(self.digest)


def stage_file(staging_dir: Path, name: str, data: bytes | Path, *, max_bytes: int | None = None,
               what: str = "files", error_type: type[CoreError] = IntakeError,
               outcome: str | None = None) -> StagedFile:
    """Put a file into ``<staging>/uploads`` under a uuid name, after the size check, then check
    that its content is what its name says (``check_content``; a workbook's archive too).

    Bytes are hashed and written; a path is hard-linked when it is on the same file system (no
    copy; hashed on a thread), else copied while hashing (one pass). A refused file is removed
    again; otherwise the caller removes it (``discard``). ``outcome`` ends every refusal's message."""
    fmt = file_format(name, error_type=error_type, outcome=outcome)
    check_size(name, size_bytes_of(data), max_bytes, what=what, error_type=error_type, outcome=outcome)
    folder = Path(staging_dir) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.{fmt}"
    staged = _copy_in(path, fmt, data)
    try:
        check_content(name, staged.path, fmt, error_type=error_type, outcome=outcome)
    except BaseException:
        discard(staged)
        raise
    return staged


def _copy_in(path: Path, fmt: str, data: bytes | Path) -> StagedFile:
    if isinstance(data, (bytes, bytearray, memoryview)):
        path.write_bytes(data)
        return StagedFile(path, fmt, hashlib.sha256(data).hexdigest(), len(data))
    try:  # same file system: a hard link stages it without copying (then one read, to hash)
        os.link(data, path)
    except OSError:
        pass
    else:
        return StagedFile(path, fmt, BackgroundDigest(path), path.stat().st_size)
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
    return StagedFile(path, fmt, digest.hexdigest(), size)


def discard(staged: StagedFile) -> None:
    staged.path.unlink(missing_ok=True)
    _in_progress_note(staged.path).unlink(missing_ok=True)


def _in_progress_note(path: Path) -> Path:
    return path.with_name(path.name + ".importing.json")


def mark_in_progress(staged: StagedFile, **record) -> None:
    """Leave a note beside a staged file while its import runs (kind, file name, actor, start):
    if the process dies before the import's transaction ends, the next ``Store.open`` finds the
    note (``sweep_staging``) and records the import as interrupted. ``discard`` removes it."""
    record = {**record, "started_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat()}
    _in_progress_note(staged.path).write_text(json.dumps(record, default=str))


@dataclass(frozen=True)
class InterruptedImport:
    """A staged file whose import never finished: its note, and the file's sha256 (to tell an
    import that committed just before the process died from one that did not)."""

    record: dict
    sha256: str


def sweep_staging(staging_dir: Path) -> list[InterruptedImport]:
    """Empty ``<staging>/uploads`` of what a process that died left there, returning the imports
    that were running (their notes). Only safe when no import runs: ``Store.open`` calls it once
    it holds the database's lock, so no other process can be staging into this folder."""
    folder = Path(staging_dir) / "uploads"
    if not folder.is_dir():
        return []
    interrupted = []
    for note in sorted(folder.glob("*.importing.json")):
        staged = note.with_name(note.name.removesuffix(".importing.json"))
        try:
            record = json.loads(note.read_text())
        except (OSError, ValueError):
            record = {}
        if staged.is_file() and isinstance(record, dict):
            interrupted.append(InterruptedImport(record, sha256_of(staged)))
    for leftover in folder.iterdir():
        if leftover.is_file() or leftover.is_symlink():
            leftover.unlink(missing_ok=True)
    return interrupted


def check_content(name: str, path: Path, fmt: str, *, error_type: type[CoreError] = IntakeError,
                  outcome: str | None = None) -> None:
    """The file's first bytes agree with its format (an empty file passes: readers say "empty")."""
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb") as source:
        head = source.read(_SNIFF_BYTES)
        if fmt == "parquet":
            source.seek(max(size - 4, 0))
            tail = source.read(4)
    if fmt == "parquet" and not (head.startswith(b"PAR1") and tail == b"PAR1"):
        raise refusal(error_type, f"{name}: not a Parquet file (it does not start and end with the Parquet "
                                  "marker); export it again as Parquet, or save it as CSV.", outcome)
    if fmt == "xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise refusal(error_type, f"{name}: not a valid .xlsx file (it is not a zip archive); save it again "
                                      "from Excel.", outcome)
        check_xlsx_archive(name, path, error_type=error_type, outcome=outcome)
    if fmt == "csv" and b"\x00" in head:
        what = "a workbook" if head.startswith(b"PK\x03\x04") else "a binary file"
        raise refusal(error_type, f"{name}: this is {what}, not CSV text; save it as CSV (UTF-8), or upload it "
                                  "with its own suffix (.xlsx, .parquet).", outcome)


def check_xlsx_archive(name: str, data: bytes | Path, *, error_type: type[CoreError] = IntakeError,
                       outcome: str | None = None) -> None:
    """Refuse a workbook before any XML parser sees it: zip bombs (part count, total size, ratio),
    macros, ActiveX/OLE parts, links to other workbooks, DTDs and entities
    (``core.store.workbook.check_archive``)."""
    check_archive(name, data, error_type=error_type, outcome=outcome)


def read_xlsx_sheet(name: str, path: Path, *, sheet: str | None = None, max_rows: int = MAX_XLSX_ROWS,
                    error_type: type[CoreError] = IntakeError, outcome: str | None = None) -> SheetRows:
    """Read the one visible sheet (or the visible sheet named ``sheet``) of a staged workbook:
    archive guarded again, openpyxl read-only with saved values only and links off, a formula
    cell without a saved value refused (``core.store.workbook.read_sheet``). Columns run to the
    last non-empty header cell; rows whose cells are all empty there are skipped. More than
    ``max_rows`` data rows is refused."""
    return read_sheet(name, path, sheet=sheet, max_rows=max_rows, error_type=error_type, outcome=outcome)


def cell_text(value) -> str | None:
    """A workbook cell as the text a CSV would hold ('' and ``NULL`` are missing)."""
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


def xlsx_frame(name: str, path: Path, *, sheet: str | None = None, error_type: type[CoreError] = IntakeError,
               outcome: str | None = None):
    """The workbook's sheet (see ``read_xlsx_sheet``) as a pandas DataFrame with typed columns: a
    column whose every value reads as a number becomes numeric; unnamed header cells become
    ``column_<n>``. ``frame.attrs["sheet"]`` is the sheet's name."""
    import pandas as pd

    rows = read_xlsx_sheet(name, path, sheet=sheet, error_type=error_type, outcome=outcome)
    if not rows.headers:
        raise refusal(error_type, f"{name}: sheet '{rows.sheet}' is empty; put a header row, then data rows, on "
                                  "it.", outcome)
    names = [h if h is not None else f"column_{i + 1}" for i, h in enumerate(rows.headers)]
    frame = pd.DataFrame({n: pd.Series(values, dtype=object) for n, values in zip(names, rows.columns)})
    for column in frame.columns:  # cells arrive as Python objects: recover numeric columns
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().sum() == frame[column].notna().sum():
            frame[column] = converted
    frame.attrs["sheet"] = rows.sheet
    return frame


_BAD_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COUNTS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def csv_read_error(name: str, raw: str, columns: int | None = None, *,
                   outcome: str = "nothing was imported") -> str:
    """The message for a CSV DuckDB's strict reader refuses, in the user's terms: which line and
    what is wrong when DuckDB says, else the two usual causes — never DuckDB's own text, which
    names the staging path and its parser options (that goes to the log)."""
    _log.info("CSV reader refused %s: %s", name, raw)
    line, counts = _BAD_LINE.search(raw), _COUNTS.search(raw)
    if "not utf-8 encoded" in raw.lower() or "invalid unicode" in raw.lower():
        where = f"line {int(line.group(1)):,}" if line else "the file"
        return (f"{name}: cannot be read as CSV: {where} is not UTF-8 text. Save the file as \"CSV UTF-8\" "
                f"(Excel: File → Save As → CSV UTF-8); {outcome}.")
    if line and counts:
        what = (f"line {int(line.group(1)):,} has {int(counts.group(2)):,} values where the header has "
                f"{int(counts.group(1)):,} columns")
    elif line:
        what = f"line {int(line.group(1)):,} does not fit the header's columns"
    else:
        header = f"the header's {columns:,} columns" if columns else "the header"
        what = f"a row has more or fewer values than {header}, or a quote is not closed"
    return (f"{name}: cannot be read as CSV: {what}. Give every row one value per header column and put text "
            f"that contains the delimiter or a line break in double quotes; {outcome}.")


def table_source(staged: StagedFile) -> str:
    """The DuckDB table function that reads a staged CSV or Parquet file, for
    ``f"SELECT … FROM {table_source(staged)}"`` with the path bound as the one parameter;
    CSV column types are detected by DuckDB (a workload; imports use their own reader), but never
    the dialect: DuckDB's sniffer, left free, takes a file whose last line has one value too many
    as 100 skipped lines and a header, so the header is line 1, the delimiter a comma, and a row
    that does not fit the header is an error, not a padded or dropped row."""
    if staged.file_format == "parquet":
        return "read_parquet(?)"
    if staged.file_format == "csv":
        return ("read_csv(?, header = true, skip = 0, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false)")
    raise ValueError(f"no DuckDB reader for {staged.file_format}")


@contextmanager
def scratch_connection(memory_limit: str = "2GB", threads: int = 2) -> Iterator[tuple[object, Path]]:
    """A private in-memory DuckDB, locked down like the store's connection, with its own
    staging folder (removed afterwards): for files the CLI reads without a store."""
    import duckdb

    from core.store.lockdown import SAFE_CONNECT_CONFIG, StoreLimits, lock_down

    folder = Path(tempfile.mkdtemp(prefix="factory-intake-"))
    try:
        (folder / "tmp").mkdir()
        con = duckdb.connect(":memory:", config=SAFE_CONNECT_CONFIG)
        try:
            lock_down(con, folder, StoreLimits(memory_limit=memory_limit, threads=threads))
            yield con, folder
        finally:
            con.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_local_table(path: Path | str, *, max_bytes: int | None, what: str, arrow: bool,
                     error_type: type[CoreError] = IntakeError):
    """Read a file the CLI was given (CSV, Parquet or xlsx) through the intake: staged into a
    locked-down scratch DuckDB, sniffed, guarded, read. Returns a pyarrow Table (``arrow``)
    or a pandas DataFrame."""
    path = Path(path)
    if not path.is_file():
        raise error_type(f"{path.name}: not found at {path}. Check the path.")
    with scratch_connection() as (con, folder):
        staged = stage_file(folder, path.name, path, max_bytes=max_bytes, what=what, error_type=error_type,
                            outcome="nothing was read")
        try:
            if staged.file_format == "xlsx":
                frame = xlsx_frame(path.name, staged.path, error_type=error_type, outcome="nothing was read")
                if not arrow:
                    return frame
                import pyarrow as pa
                return pa.Table.from_pandas(frame, preserve_index=False)
            try:
                relation = con.sql(f"SELECT * FROM {table_source(staged)}", params=[str(staged.path)])
                return relation.to_arrow_table() if arrow else relation.df()
            except Exception as error:  # duckdb raises several types; its text names the scratch path
                if staged.file_format != "parquet":
                    raise error_type(csv_read_error(path.name, str(error), outcome="nothing was read")) from None
                _log.info("Parquet reader refused %s: %s", path.name, error)
                raise error_type(f"{path.name}: could not be read as Parquet: the file is damaged or cut short. "
                                 "Write it again, or save it as a comma-separated CSV with a header row; "
                                 "nothing was read.") from None
        finally:
            discard(staged)
