"""Import an upload: read → validate (DuckDB-side) → dry-run preview or one transaction.

``import_upload(store, actor, kind, file_name, data, dry_run=True)`` is the one entry point
used by the Imports page, the CLI and the bench. Any problem rejects the whole file and
writes nothing; an accepted file is loaded in ONE ``store.write`` transaction together with
its ``import_ledger`` row (keyed by the file's sha256, so the same bytes twice are a no-op)
and its audit event.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from core.auth import require
from core.ingest.reader import stage_upload
from core.ingest.registry import IngestError, ImportResult, Problem, UploadKind, get_kind
from core.ingest.validate import HeaderMatch, build_typed, match_headers

PREVIEW_ROWS = 50
MAX_LISTED_PROBLEMS = 1_000


@dataclass(frozen=True)
class StagedUpload:
    """What a kind's ``validate``/``load`` may use: ``upload_typed`` is on the cursor."""

    kind: UploadKind
    file_name: str
    sha256: str
    actor: object
    rows: int
    present: frozenset[str]
    extra: tuple[tuple[str, str], ...] = ()
    options: dict = field(default_factory=dict)


class _Rejected(Exception):
    def __init__(self, result: ImportResult):
        super().__init__(result.summary())
        self.result = result


def max_bytes_for(kind: UploadKind) -> int:
    """Per-kind size limit; ``FACTORY_MAX_UPLOAD_MB`` overrides every kind's default."""
    override = os.environ.get("FACTORY_MAX_UPLOAD_MB")
    return int(float(override) * 1024 * 1024) if override else kind.max_bytes


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ledger_entry(store, sha256: str) -> dict | None:
    row = store.one("SELECT kind, file_name, rows_added, actor, ts FROM import_ledger WHERE sha256 = ?", [sha256])
    if row is None:
        return None
    return dict(zip(("kind", "file_name", "rows_added", "actor", "ts"), row))


def recent_imports(store, limit: int = 20):
    """The latest ledger rows, newest first (a page-sized DataFrame)."""
    return store.frame(
        "SELECT ts AS imported_at, kind, file_name, rows_added, actor, sha256 FROM import_ledger"
        " ORDER BY ts DESC LIMIT ?", [limit])


def import_upload(store, actor, kind: str | UploadKind, file_name: str, data: bytes, *,
                  dry_run: bool = True, preview_rows: int = PREVIEW_ROWS, options: dict | None = None,
                  max_bytes: int | None = None) -> ImportResult:
    """Validate ``data`` as ``kind``; unless ``dry_run``, import it whole or not at all.

    Raises ``PermissionDenied`` when the actor's role may not import this kind at all and
    ``IngestError`` when the file cannot be read; data problems come back as a rejected
    ``ImportResult`` listing every problem (capped at 1,000 listed, all counted).
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    scope = actor.business_unit if actor is not None else None
    require(actor, kind.permission, business_unit=scope)
    sha = file_sha256(data)
    limit = max_bytes if max_bytes is not None else max_bytes_for(kind)
    if len(data) > limit:
        return _rejected(kind, file_name, sha, [Problem(
            None, None, f"the file is {len(data) / 2**20:,.1f} MB; the limit for {kind.name} files is "
            f"{limit / 2**20:,.0f} MB", "Split it into several files (for example one per month).")], 0)
    previous = ledger_entry(store, sha)
    if previous is not None:
        return _duplicate(kind, file_name, sha, previous)
    if dry_run:
        with store.cursor() as cur:
            upload, problems, count, rejected_rows, notes = _stage_and_validate(cur, store, kind, actor, file_name, sha,
                                                                                data, options or {})
            if count:
                return _rejected(kind, file_name, sha, problems, rejected_rows, count, notes)
            preview = _preview(cur, kind, preview_rows)
        return ImportResult(kind.name, file_name, "dry_run", upload.rows, 0, (), sha, 0, preview, notes)
    detail = {"sha256": sha, "file": file_name}
    try:
        with store.write(actor, kind.permission, action=f"import.{kind.name}", target=file_name,
                         business_unit=scope, detail=detail) as cur:
            if cur.execute("SELECT count(*) FROM import_ledger WHERE sha256 = ?", [sha]).fetchall()[0][0]:
                raise _Rejected(_duplicate(kind, file_name, sha, ledger_entry(store, sha) or {}))
            upload, problems, count, rejected_rows, notes = _stage_and_validate(cur, store, kind, actor, file_name, sha,
                                                                                data, options or {})
            if count:
                raise _Rejected(_rejected(kind, file_name, sha, problems, rejected_rows, count, notes))
            added = kind.load(cur, upload)
            cur.execute("INSERT INTO import_ledger (sha256, kind, file_name, rows_added, actor) VALUES (?, ?, ?, ?, ?)",
                        [sha, kind.name, file_name, added, actor.name])
            detail["rows_added"] = added
            _drop_temp(cur)
    except _Rejected as rejected:
        return rejected.result
    return ImportResult(kind.name, file_name, "imported", added, 0, (), sha, 0, None, notes)


def _stage_and_validate(cur, store, kind, actor, file_name, sha, data, options):
    raw = stage_upload(cur, store.staging_dir, file_name, data)
    if not raw.headers:
        return None, [Problem(None, None, "the file is empty", "Start from the template: a header row, then data rows.")], 1, 0, ()
    if raw.rows > kind.max_rows:
        raise IngestError(f"{file_name}: {raw.rows:,} rows; the limit for {kind.name} files is {kind.max_rows:,}.")
    match: HeaderMatch = match_headers(kind, raw)
    notes = (f"Ignored unknown columns: {', '.join(match.ignored)}.",) if match.ignored else ()
    if match.problems:
        return None, list(match.problems), len(match.problems), 0, notes
    if raw.rows == 0:
        return None, [Problem(None, None, "the file has a header but no data rows",
                              "Add at least one row under the header.")], 1, 0, notes
    build_typed(cur, kind, match)
    upload = StagedUpload(kind, file_name, sha, actor, raw.rows, frozenset(match.columns), match.extra, options)
    if kind.scoped_by_initiative and actor.role == "team_lead":
        _check_business_unit_scope(cur, actor)
    if kind.validate is not None:
        kind.validate(cur, upload)
    count, rejected_rows = cur.execute("SELECT count(*), count(DISTINCT row) FROM upload_problem").fetchone()
    problems = [Problem(row, col, message, hint) for row, col, message, hint in cur.execute(
        "SELECT row, col, message, hint FROM upload_problem ORDER BY row NULLS FIRST, col LIMIT ?",
        [MAX_LISTED_PROBLEMS]).fetchall()]
    return upload, problems, count, rejected_rows, notes


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


def _preview(cur, kind: UploadKind, rows: int):
    columns = ", ".join(
        (f"CAST(to_json({c.name}) AS VARCHAR) AS {c.name}" if c.type == "json" else c.name) for c in kind.columns)
    return cur.execute(f"SELECT _row AS row, {columns} FROM upload_typed ORDER BY _row LIMIT ?", [rows]).df()


def _drop_temp(cur) -> None:
    for table in ("upload_raw", "upload_typed", "upload_problem"):
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
