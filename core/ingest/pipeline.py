"""Import an upload: read → validate (DuckDB-side) → dry-run preview or one transaction.

``import_upload(store, actor, kind, file_name, data, dry_run=True)`` is the one entry point
used by the Imports page, the CLI and the bench (``data``: the bytes, or a path to them).
Any problem rejects the whole file and writes nothing; an accepted file is validated and
loaded in ONE ``store.write`` transaction together with its ``import_ledger`` row (keyed by
the file's sha256, so the same bytes twice are a no-op) and its audit event. The file is
copied into the staging folder once (hashed on the way) and read from there.

CSV files take a fast path first (``fast_path.build_typed_fast``): DuckDB's typed reader with
numbers parsed as DOUBLE and one "is any cell a problem" flag per row. A file with any cell
problem or unreadable line (or a reader error) is read again by the text path
(``build_typed``), which words every problem exactly as before; so both paths report the
same problems, the fast one only decides faster that there are none.

A real import of a CSV whose kind has ``load_fast`` (usage) goes further: it inserts
straight from the typed reader in ONE statement that also applies the kind's rules and
raises on the first problem row; that rolls the transaction back and the import reruns on
the text path. A clean file is thus read once and written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from core.config import setting
from core.ingest.reader import NOT_IMPORTED, RawUpload, csv_options, read_csv_head, stage_staged
from core.store.intake import (StagedFile, digest_hex, discard, display_file_name, mark_in_progress, sha256_of,
                               size_bytes_of, stage_file)
from core.store.sql import quote_identifier, quote_literal
from core.store.store import restart_read
from core.ingest.registry import IngestError, ImportResult, Problem, UploadKind, get_kind
from core.ingest.fast_path import build_typed_fast, fast_reader_types, fast_typed_select, sniff_timestamp_format
from core.ingest.validate import HeaderMatch, build_typed, match_headers

PREVIEW_ROWS = 50
MAX_LISTED_PROBLEMS = 1_000


@dataclass(frozen=True)
class StagedUpload:
    """What a kind's ``validate``/``load`` may use: ``upload_typed`` is on the cursor."""

    kind: UploadKind
    file_name: str
    digest: object        # hex sha256, or a ``BackgroundDigest`` still computing it
    actor: object
    rows: int
    present: frozenset[str]
    extra: tuple[tuple[str, str], ...] = ()
    options: dict = field(default_factory=dict)
    import_id: int | None = None   # the ledger id this import will get (None in a dry run)

    @property
    def sha256(self) -> str:
        """The file's sha256 (waits for a background hash: loads that store it pay the wait)."""
        return digest_hex(self.digest)


class _Rejected(Exception):
    def __init__(self, result: ImportResult):
        super().__init__(result.summary())
        self.result = result


class _FastPathFailed(Exception):
    """The typed reader raised inside the write transaction (which is now aborted): retry
    the whole import, on the fast path with timestamps read as text when ``retry_untyped``
    (the reader could not parse a line with the first row's timestamp format), else on the
    text path."""

    def __init__(self, retry_untyped: bool = False):
        super().__init__("fast path failed")
        self.retry_untyped = retry_untyped


def max_bytes_for(kind: UploadKind) -> int:
    """Per-kind size limit; the ``FACTORY_MAX_UPLOAD_MB`` setting overrides every kind's default."""
    override = setting("FACTORY_MAX_UPLOAD_MB")
    return override if override is not None else kind.max_bytes


def ledger_entry(store, sha256: str) -> dict | None:
    row = store.one("SELECT kind, file_name, rows_added, actor, ts FROM import_ledger WHERE sha256 = ?", [sha256])
    if row is None:
        return None
    return dict(zip(("kind", "file_name", "rows_added", "actor", "ts"), row))


def recent_imports(store, limit: int = 20):
    """The latest ledger rows, newest first (a page-sized DataFrame)."""
    return store.frame(
        "SELECT ts AS imported_at, kind, file_name, rows_added, size_bytes, actor, sha256 FROM import_ledger"
        " ORDER BY ts DESC LIMIT ?", [limit])


def recent_failures(store, limit: int = 20):
    """Imports that never finished (the process died), newest first: what the Imports page
    lists under the ledger so the file is imported again."""
    return store.frame(
        "SELECT detected_at, started_at, kind, file_name, actor, reason FROM import_failure"
        " ORDER BY detected_at DESC, id DESC LIMIT ?", [limit])


def import_upload(store, actor, kind: str | UploadKind, file_name: str, data: bytes | Path, *,
                  dry_run: bool = True, preview_rows: int = PREVIEW_ROWS, options: dict | None = None,
                  max_bytes: int | None = None, fast: bool = True) -> ImportResult:
    """Validate ``data`` (bytes or a path) as ``kind``; unless ``dry_run``, import it whole or not at all.

    Raises ``PermissionDenied`` when the actor's role may not import this kind at all and
    ``IngestError`` when the file cannot be read; data problems come back as a rejected
    ``ImportResult`` listing every problem (capped at 1,000 listed, all counted).
    ``fast=False`` skips the typed CSV fast path (the tests compare both).
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    scope = actor.business_unit if actor is not None else None
    file_name = display_file_name(file_name)  # display metadata only: the file is staged under a uuid
    store.require(actor, kind.permission, action=f"import.{kind.name}", target=file_name, business_unit=scope)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        data = Path(data)
    size_bytes = size_bytes_of(data)
    limit = max_bytes if max_bytes is not None else max_bytes_for(kind)
    if size_bytes > limit:
        return _rejected(kind, file_name, sha256_of(data), [Problem(
            None, None, f"the file is {size_bytes / 2**20:,.1f} MB; the limit for {kind.name} files is "
            f"{limit / 2**20:,.0f} MB", "Split it into several files (for example one per month).")], 0)
    # staged once (the intake): hard-linked (hashed on a thread) or copied while hashing,
    # its content checked against its suffix (and a workbook's archive) before any read
    staged = stage_file(store.staging_dir, file_name, data, error_type=IngestError, outcome=NOT_IMPORTED)
    digest = staged.digest
    try:
        # Only a file of a size seen before can be a duplicate: then wait for its hash and say
        # so now. Otherwise the hash finishes during the import; the transaction checks it
        # again before writing the ledger row.
        if _ledger_may_hold(store, kind, size_bytes):
            previous = ledger_entry(store, digest_hex(digest))
            if previous is not None:
                return _duplicate(kind, file_name, digest_hex(digest), previous)
        upload = _Upload(file_name, digest, size_bytes, staged, options or {})
        try:
            return _run(store, actor, kind, scope, upload, dry_run, preview_rows, fast)
        except _FastPathFailed as failed:
            if failed.retry_untyped:  # e.g. a file mixing timestamp shapes: still clean
                try:
                    return _run(store, actor, kind, scope, replace(upload, typed_timestamps=False), dry_run,
                                preview_rows, fast)
                except _FastPathFailed:
                    pass
            return _run(store, actor, kind, scope, upload, dry_run, preview_rows, False)
    finally:
        discard(staged)


def _ledger_may_hold(store, kind: UploadKind, size_bytes: int) -> bool:
    """Whether an earlier import could be these bytes: one of the same size, or of this kind
    with no recorded size (imports before migration 6)."""
    return bool(store.scalar("SELECT count(*) FROM import_ledger WHERE size_bytes = ?"
                             " OR (size_bytes IS NULL AND kind = ?)", [size_bytes, kind.name]))


@dataclass(frozen=True)
class _Upload:
    file_name: str
    digest: object        # hex sha256, or a ``BackgroundDigest`` (see ``stage_file``)
    size_bytes: int
    staged: StagedFile    # the file in the staging folder (core.store.intake)
    options: dict
    import_id: int | None = None  # set inside the import transaction (``import_ledger.id``)
    typed_timestamps: bool = True  # fast path: let the reader parse timestamps (first row's format)

    @property
    def sha256(self) -> str:
        return digest_hex(self.digest)


def _run(store, actor, kind, scope, up: _Upload, dry_run: bool, preview_rows: int, fast: bool) -> ImportResult:
    """One attempt (fast or text path). ``up.sha256`` is read only once the data is validated
    or loaded, so a background hash of the file overlaps that work."""
    file_name = up.file_name
    if dry_run:
        with store.cursor() as cur:
            upload, problems, count, rejected_rows, notes = _stage_and_validate(cur, kind, actor, up, fast, False)
            if count:
                return _rejected(kind, file_name, up.sha256, problems, rejected_rows, count, notes)
            preview = _preview(cur, kind, preview_rows)
            added, updated, notes = _upsert_counts(cur, kind, upload.rows, notes)
            _drop_temp(cur)
        return ImportResult(kind.name, file_name, "dry_run", added, 0, (), up.sha256, 0, preview, notes, updated)
    detail = {"file": file_name}
    # if this process dies before the transaction ends, the next Store.open records it as interrupted
    mark_in_progress(up.staged, kind=kind.name, file_name=file_name, actor=actor.name)
    try:
        with store.write(actor, kind.permission, action=f"import.{kind.name}", target=file_name,
                         business_unit=scope, detail=detail) as cur:
            # the ledger id first: loads stamp every fact row with it (usage_event.import_id)
            up = replace(up, import_id=cur.execute("SELECT nextval('import_ledger_id_seq')").fetchall()[0][0])
            loaded = _load_fast(cur, kind, actor, up) if fast else None
            if loaded is not None:
                (added, notes), updated = loaded, 0
            else:
                upload, problems, count, rejected_rows, notes = _stage_and_validate(cur, kind, actor, up, fast, True)
                if count:
                    raise _Rejected(_rejected(kind, file_name, up.sha256, problems, rejected_rows, count, notes))
                if kind.count_upserts is not None:  # counted before the load changes what is there
                    added, updated, notes = _upsert_counts(cur, kind, upload.rows, notes)
                    kind.load(cur, upload)
                else:
                    added, updated = kind.load(cur, upload), 0
            sha = up.sha256
            # the same bytes imported meanwhile (or not caught before: see import_upload)
            if cur.execute("SELECT count(*) FROM import_ledger WHERE sha256 = ?", [sha]).fetchall()[0][0]:
                raise _Rejected(_duplicate(kind, file_name, sha, ledger_entry(store, sha) or {}))
            cur.execute("INSERT INTO import_ledger (id, sha256, kind, file_name, rows_added, actor, size_bytes)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [up.import_id, sha, kind.name, file_name, added, actor.name, up.size_bytes])
            detail.update(sha256=sha, rows_added=added, rows_updated=updated)
            _drop_temp(cur)
    except _Rejected as rejected:
        return rejected.result
    return ImportResult(kind.name, file_name, "imported", added, 0, (), sha, 0, None, notes, updated)


def _stage_and_validate(cur, kind, actor, up: _Upload, fast: bool, in_transaction: bool):
    """(StagedUpload, problems, problem count, rejected rows, notes): ``upload_typed`` on ``cur``."""
    file_name = up.file_name
    typed = _fast_csv(cur, kind, up, in_transaction) if fast and up.staged.file_format == "csv" else None
    if typed is not None:
        return _validate_typed(cur, kind, actor, up, *typed)
    raw = stage_staged(cur, file_name, up.staged.path)
    if not raw.headers:
        return None, [Problem(None, None, "the file is empty", "Start from the template: a header row, then data rows.")], 1, 0, raw.notes
    if raw.rows > kind.max_rows:
        raise IngestError(f"{file_name}: {raw.rows:,} rows; the limit for {kind.name} files is {kind.max_rows:,}.")
    match: HeaderMatch = match_headers(kind, raw)
    notes = raw.notes + _notes(match)
    if match.problems:
        return None, list(match.problems), len(match.problems), 0, notes
    if raw.rows == 0:
        return None, [Problem(None, None, "the file has a header but no data rows",
                              "Add at least one row under the header.")], 1, 0, notes
    build_typed(cur, kind, match)
    return _validate_typed(cur, kind, actor, up, raw.rows, match, raw.notes)


def _notes(match: HeaderMatch) -> tuple[str, ...]:
    """The ignored headers, each with the column it looks like ("cost (did you mean cost_usd?)"):
    a file whose ``cost`` is ignored would otherwise be priced from the price book unnoticed."""
    if not match.ignored:
        return ()
    alike = dict(match.look_alike)
    shown = [f"{h} (did you mean {alike[h]}? rename it)" if h in alike else h for h in match.ignored]
    return (f"Ignored unknown columns: {', '.join(shown)}.",)


def _typed_csv_source(kind, up: _Upload, *, rejects: bool = True, typed_timestamps: bool = True):
    """(header match, reader column types, typed ``read_csv`` SQL) for the fast path, or None
    when the header itself needs the text path (empty, header only, header problems).

    ``rejects``: unreadable lines go to the table ``upload_reject_errors`` (the dry run counts
    them); without, the reader raises at the first one (a load stops there).
    ``typed_timestamps``: read the timestamp column with the first row's format, if any."""
    head = read_csv_head(up.file_name, up.staged.path)
    if not head.headers or head.header_only:
        return None
    match = match_headers(kind, RawUpload(head.headers, -1, "csv"))
    if match.problems:
        return None
    timestamp_format = sniff_timestamp_format(kind, match, head.first_row) if typed_timestamps else None
    types = fast_reader_types(kind, match, len(head.headers), timestamp_format)
    options = csv_options(head.delimiter)
    if timestamp_format is not None:
        options += f", timestampformat = {quote_literal(timestamp_format)}"
    if rejects:
        options += ", store_rejects = true, rejects_table = 'upload_reject_errors', rejects_scan = 'upload_reject_scans'"
    return match, types, f"read_csv(?, {options}, columns = ?)"


def _fast_csv(cur, kind, up: _Upload, in_transaction: bool):
    """(rows, match) when the typed reader found every cell clean; None → the text path.
    Tried with timestamps parsed by the reader first and, only when the reader refused a
    timestamp (a file mixing timestamp shapes), once more with them as text."""
    for typed_timestamps in (True, False):
        typed = _typed_csv_source(kind, up, typed_timestamps=typed_timestamps)
        if typed is None:
            return None
        match, types, source = typed
        timestamp_refused = False
        try:
            rows = build_typed_fast(cur, kind, match, source, [str(up.staged.path), types], types)
            if rows is None and not in_transaction:
                timestamp_refused = _reader_refused(cur, [c for c, t in types.items() if t == "TIMESTAMP"])
        except Exception:  # noqa: BLE001 - the text path reads the file again and words the error
            if in_transaction:
                raise _FastPathFailed() from None
            # a dry run's read cursor is a READ ONLY transaction, which the failed statement
            # aborted: nothing is staged yet, so the text path starts on a fresh one
            restart_read(cur)
            return None
        finally:
            if not in_transaction:
                _drop_rejects(cur)
        if rows is not None:
            break
        if not timestamp_refused:  # a cell problem: reading again with text timestamps finds it again
            return None
    else:
        return None
    if rows > kind.max_rows:
        raise IngestError(f"{up.file_name}: {rows:,} rows; the limit for {kind.name} files is {kind.max_rows:,}.")
    return rows, match


def _reader_refused(cur, raw_columns: list[str]) -> bool:
    """Whether the typed reader rejected a cell of one of ``raw_columns`` (``c{i}``)."""
    if not raw_columns:
        return False
    return bool(cur.execute("SELECT count(*) FROM upload_reject_errors WHERE column_name IN (SELECT unnest(?))",
                            [raw_columns]).fetchall()[0][0])


def _load_fast(cur, kind, actor, up: _Upload):
    """(rows added, notes) when the kind loaded a clean CSV in one pass (``kind.load_fast``);
    None when it does not apply (no ``load_fast``, not a CSV, header problems, no data rows).

    Any row with a problem makes the statement raise; then, like a reader error, the import
    transaction rolls back and ``_FastPathFailed`` reruns it on the text path, which words
    every problem (so both paths still report the same problems)."""
    if kind.load_fast is None or up.staged.file_format != "csv":
        return None
    typed = _typed_csv_source(kind, up, rejects=False, typed_timestamps=up.typed_timestamps)
    if typed is None:
        return None
    match, types, source = typed
    typed_timestamps = "TIMESTAMP" in types.values()
    upload = StagedUpload(kind, up.file_name, up.digest, actor, -1, frozenset(match.columns), match.extra, up.options,
                          up.import_id)
    scope = actor.business_unit if kind.scoped_by_initiative and actor.role == "team_lead" else None
    try:
        typed_sql = fast_typed_select(kind, match, source, types)
        added = kind.load_fast(cur, upload, typed_sql, [str(up.staged.path), types], scope)
    except Exception as error:  # noqa: BLE001 - a problem row or a reader error: the text path words it
        # only a timestamp the reader could not parse with the first row's format (a file mixing
        # shapes) is worth another fast attempt with timestamps as text; anything else goes
        # to the text path at once
        raise _FastPathFailed(typed_timestamps and "to 'TIMESTAMP'" in str(error)) from None
    if added == 0:
        raise _FastPathFailed()
    if added > kind.max_rows:
        raise IngestError(f"{up.file_name}: {added:,} rows; the limit for {kind.name} files is {kind.max_rows:,}.")
    return added, _notes(match)


def _drop_rejects(cur) -> None:
    for table in ("upload_reject_errors", "upload_reject_scans"):
        cur.execute(f"DROP TABLE IF EXISTS {table}")


def _validate_typed(cur, kind, actor, up: _Upload, rows: int, match: HeaderMatch,
                    read_notes: tuple[str, ...] = ()):
    notes = read_notes + _notes(match)
    upload = StagedUpload(kind, up.file_name, up.digest, actor, rows, frozenset(match.columns), match.extra,
                          up.options, up.import_id)
    if kind.scoped_by_initiative and actor.role == "team_lead":
        _check_business_unit_scope(cur, actor)
    if kind.validate is not None:
        kind.validate(cur, upload)
    count, rejected_rows = cur.execute("SELECT count(*), count(DISTINCT row) FROM upload_problem").fetchone()
    problems = [Problem(row, col, _one_line(message) or "this value cannot be used", _one_line(hint))
                for row, col, message, hint in cur.execute(
                    "SELECT row, col, message, hint FROM upload_problem ORDER BY row NULLS FIRST, col LIMIT ?",
                    [MAX_LISTED_PROBLEMS]).fetchall()]
    return upload, problems, count, rejected_rows, notes


_CONTROL = {ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r"}


def _one_line(text: str | None) -> str:
    """A problem's text as one line, whichever kind rule wrote it: tabs and line breaks a quoted
    value carried are written as \\t, \\n, \\r (as ``problem_sql.got`` does), other control
    characters dropped."""
    if text is None:
        return ""
    return "".join(ch for ch in text.translate(_CONTROL) if ch.isprintable() or ch == " ")


def _check_business_unit_scope(cur, actor) -> None:
    """A team lead may import rows only for initiatives of their own business unit."""
    cur.execute(
        "INSERT INTO upload_problem SELECT min(t._row), 'initiative', 'initiative ' || t.initiative || ' belongs to '"
        " || i.business_unit || '; ' || ? || ' may only import usage for business unit ' || ? || ' ('"
        " || count(*) || ' row' || CASE WHEN count(*) > 1 THEN 's)' ELSE ')' END, 'Remove these rows or ask an administrator to import them.'"
        " FROM upload_typed t JOIN initiative i ON i.code = t.initiative"
        " WHERE i.business_unit <> ? GROUP BY t.initiative, i.business_unit",
        [actor.name, actor.business_unit, actor.business_unit or ""],
    )


def _upsert_counts(cur, kind: UploadKind, rows: int, notes: tuple[str, ...]) -> tuple[int, int, tuple[str, ...]]:
    """(rows added, rows updated, notes): every row adds, unless the kind upserts
    (``count_upserts``); rows that would change nothing are said in a note."""
    if kind.count_upserts is None:
        return rows, 0, notes
    added, updated, unchanged = kind.count_upserts(cur)
    if unchanged:
        rows = f"{unchanged:,} row already matches" if unchanged == 1 else f"{unchanged:,} rows already match"
        notes = (*notes, f"{rows} the store (unchanged).")
    return added, updated, notes


def _preview(cur, kind: UploadKind, rows: int):
    if kind.preview is not None:
        return kind.preview(cur, rows)
    # quoted: a kind column may be an SQL keyword (snapshots' ``window``)
    columns = ", ".join(
        (f"CAST(to_json({quote_identifier(c.name)}) AS VARCHAR) AS {quote_identifier(c.name)}" if c.type == "json"
         else quote_identifier(c.name)) for c in kind.columns)
    return cur.execute(f"SELECT _row AS row, {columns} FROM upload_typed ORDER BY _row LIMIT ?", [rows]).df()


def _drop_temp(cur) -> None:
    if cur.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = 'upload_typed'").fetchone()[0]:
        cur.execute("DROP VIEW upload_typed")  # the fast path's view (the text path's is a table)
    for table in ("upload_raw", "upload_typed", "upload_fast", "upload_problem", "upload_reject_errors",
                  "upload_reject_scans"):
        cur.execute(f"DROP TABLE IF EXISTS {table}")


def _rejected(kind, file_name, sha, problems, rejected_rows, count=None, notes=()) -> ImportResult:
    return ImportResult(kind.name, file_name, "rejected", 0, rejected_rows, tuple(problems), sha,
                        count if count is not None else len(problems), None, tuple(notes))


def _duplicate(kind, file_name, sha, previous: dict) -> ImportResult:
    when = previous.get("ts")
    note = (f"already imported on {when:%Y-%m-%d %H:%M} UTC by {previous.get('actor')} "
            f"as {previous.get('file_name')!r} ({previous.get('rows_added', 0):,} rows)."
            if when is not None else "already imported.")
    return ImportResult(kind.name, file_name, "duplicate", 0, 0, (), sha, 0, None, (note,))
