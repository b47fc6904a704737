"""The Right-Size Lab's workloads in the store (uploaded benchmark tables).

* ``save_workload`` takes an upload in through the file intake (``core.store.intake``: size
  limit ``FACTORY_MAX_WORKLOAD_MB``, uuid name in the store's staging folder, content sniffed,
  a workbook's archive checked) and DuckDB reads it (``read_csv``/``read_parquet``; xlsx through
  openpyxl and Arrow) into a table of its own, ``workload_rows_<id>``; the staged file is
  removed. Rows never become pandas row objects on the way in. The same file (sha256) twice
  gives back the workload stored the first time.
* ``read_workload_file`` reads a workload file the CLI was given, through the same intake.

Runs and hardware profiles are in ``core.lab.runs``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.errors import NotFoundError, ValidationError
from core.config import setting
from core.rightsize.workload import WorkloadError
from core.store.intake import (csv_read_error, discard, display_file_name, read_local_table, stage_file, table_source,
                               xlsx_frame)

PREVIEW_ROWS = 20


@dataclass(frozen=True)
class WorkloadRecord:
    """One stored workload (its rows are in ``workload_rows_<id>``)."""

    id: int
    name: str
    business_unit: str
    initiative: str | None
    file_name: str
    sha256: str
    rows: int
    columns: int
    target: str | None
    task: str | None
    uploaded_by: str
    created: bool = False  # True when this call stored it, False when it was already there


_WORKLOAD_FIELDS = ("id", "name", "business_unit", "initiative", "file_name", "sha256", "rows", "columns",
                    "target", "task", "uploaded_by")


_log = logging.getLogger(__name__)


def _rows_table(workload_id: int) -> str:
    """The only way a workload's table name is built: from an integer id."""
    return f"workload_rows_{int(workload_id)}"


def get_workload(store, workload_id: int) -> WorkloadRecord:
    row = store.one(f"SELECT {', '.join(_WORKLOAD_FIELDS)} FROM workload WHERE id = ?", [int(workload_id)])
    if row is None:
        raise NotFoundError(f"There is no stored workload #{workload_id}. Pick one from the list.")
    return WorkloadRecord(*row)


def list_workloads(store) -> pd.DataFrame:
    """Stored workloads, newest first (one row each; page-sized)."""
    return store.frame(
        "SELECT id, name, business_unit, initiative, file_name, rows, columns, target, task, uploaded_by, "
        "uploaded_at FROM workload ORDER BY uploaded_at DESC, id DESC")


def unit_initiatives(store, business_unit: str) -> list[tuple[str, str]]:
    """(code, name) of a business unit's initiatives, by name: what its workloads may be linked to."""
    return [(code, name) for code, name in store.rows(
        "SELECT code, name FROM initiative WHERE business_unit = ? ORDER BY name", [business_unit])]


def save_workload(store, actor, name: str, data: bytes, *, file_name: str, business_unit: str,
                  initiative: str | None = None) -> WorkloadRecord:
    """Store an uploaded workload file for ``business_unit`` (permission ``upload_workload``),
    optionally linked to one of that unit's initiatives (what it benchmarks; adopting a result
    then defaults to it).

    Idempotent on the file's sha256 within the business unit: the same bytes again return that
    unit's stored workload (another unit's upload of the same bytes is stored as its own, never
    handed the first unit's). Raises ``WorkloadError`` when the file cannot be read or holds no
    data rows (a header alone, blank lines), ``PermissionDenied`` for others.
    """
    store.require(actor, "upload_workload", action="workload.upload", target=file_name, business_unit=business_unit)
    file_name = display_file_name(file_name)  # display metadata only: the file is staged under a uuid
    if initiative is not None:
        owner = store.scalar("SELECT business_unit FROM initiative WHERE code = ?", [initiative])
        if owner != business_unit:
            where = f"belongs to {owner}" if owner is not None else "does not exist"
            raise ValidationError(f"Initiative {initiative} {where}: a workload of {business_unit} can only be "
                                  f"linked to one of {business_unit}'s initiatives. Pick one of them, or none.")
    name = (name or "").strip() or Path(file_name).stem
    if not data:
        raise WorkloadError(f"Workload file {file_name}: the file is empty. Upload a table with a header row and "
                            "at least one row of data; nothing was saved.")
    try:
        staged = stage_file(store.staging_dir, file_name, data, max_bytes=setting("FACTORY_MAX_WORKLOAD_MB"),
                            what="workloads", error_type=WorkloadError)
    except WorkloadError as error:
        raise WorkloadError(f"Workload file {str(error).rstrip('.')}; nothing was saved.") from None
    try:
        existing = store.scalar("SELECT id FROM workload WHERE sha256 = ? AND business_unit = ?",
                                [staged.sha256, business_unit])
        if existing is not None:
            return get_workload(store, existing)
        arrow = None
        detail = {"sha256": staged.sha256, "name": name}
        if staged.file_format == "xlsx":  # DuckDB has no offline xlsx reader: openpyxl → Arrow columns
            import pyarrow as pa
            try:
                frame = xlsx_frame(file_name, staged.path, error_type=WorkloadError)
            except WorkloadError as error:
                raise WorkloadError(f"Workload file {str(error).rstrip('.')}; nothing was saved.") from None
            detail["sheet"] = frame.attrs["sheet"]  # the one visible sheet: the audit log says which
            arrow = pa.Table.from_pandas(frame, preserve_index=False)
        try:
            workload_id = _store_rows(store, actor, name, file_name, business_unit, initiative, staged, arrow, detail)
        except _StoredMeanwhile as stored:
            return get_workload(store, stored.workload_id)
    finally:
        discard(staged)
    record = get_workload(store, workload_id)
    return WorkloadRecord(**{**record.__dict__, "created": True})


class _StoredMeanwhile(Exception):
    """The same bytes were stored for the unit by another session since the check before the
    write (that check runs outside the write lock): the write rolls back, the caller gets it."""

    def __init__(self, workload_id: int):
        super().__init__(f"workload {workload_id} stored meanwhile")
        self.workload_id = workload_id


def _store_rows(store, actor, name: str, file_name: str, business_unit: str, initiative: str | None, staged,
                arrow, detail: dict) -> int:
    """The workload's row table and its ``workload`` row, in one write; returns its id."""
    with store.write(actor, "upload_workload", action="workload.upload", target=file_name,
                     business_unit=business_unit, detail=detail) as cur:
        again = cur.execute("SELECT id FROM workload WHERE sha256 = ? AND business_unit = ?",
                            [staged.sha256, business_unit]).fetchall()
        if again:  # two sessions uploading the same file at once: the second gets the first's
            raise _StoredMeanwhile(again[0][0])
        workload_id = cur.execute("SELECT nextval('workload_id_seq')").fetchall()[0][0]
        table = _rows_table(workload_id)
        try:
            if arrow is not None:
                cur.register("workload_upload", arrow)
                cur.execute(f"CREATE TABLE {table} AS SELECT * FROM workload_upload")
                cur.unregister("workload_upload")
            else:  # table_source is one of two fixed reader calls; the path is bound
                cur.execute(f"CREATE TABLE {table} AS SELECT * FROM {table_source(staged)}", [str(staged.path)])
        except Exception as error:  # duckdb raises several types; its text names the staging path
            if staged.file_format == "csv":
                raise WorkloadError("Workload file " + csv_read_error(file_name, str(error),
                                                                      outcome="nothing was saved")) from None
            _log.info("workload file %s refused by the Parquet reader: %s", file_name, error)
            raise WorkloadError(
                f"Workload file {file_name}: could not be read as Parquet: the file is damaged or cut short. "
                f"Write it again, or save it as a comma-separated CSV with a header row; nothing was saved.") from None
        rows = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if rows == 0:  # raised inside the write: the table just created is rolled back with it
            raise WorkloadError(f"Workload file {file_name}: no data rows (a header alone, or blank lines). "
                                "Upload a table with a header row and at least one row of data; nothing was saved.")
        columns = len(cur.execute(f"DESCRIBE {table}").fetchall())
        cur.execute(
            "INSERT INTO workload (id, name, business_unit, initiative, file_name, sha256, rows, columns, "
            "uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [workload_id, name[:200], business_unit, initiative, file_name[:255], staged.sha256, rows, columns,
             actor.name])
    return workload_id


def workload_frame(store, workload_id: int, limit_rows: int | None = None) -> pd.DataFrame:
    """The workload's rows as a DataFrame for the engine (``limit_rows`` for a preview)."""
    record = get_workload(store, workload_id)
    sql = f"SELECT * FROM {_rows_table(record.id)}"
    if limit_rows is not None:
        return store.frame(sql + " LIMIT ?", [int(limit_rows)])
    return store.frame(sql)


def column_tasks(frame: pd.DataFrame) -> dict[str, str]:
    """The task each column would get as the target (``infer_task``): shown beside the picker."""
    from core.rightsize.workload import infer_task

    return {str(c): infer_task(frame[c]) for c in frame.columns}


def read_workload_file(path: Path | str) -> pd.DataFrame:
    """A workload file the CLI was given (CSV, Parquet or xlsx) as a DataFrame, through the file
    intake (size limit ``FACTORY_MAX_WORKLOAD_MB``, content sniffed, workbook archive checked,
    read by a locked-down scratch DuckDB). ``WorkloadError`` says what to fix."""
    return read_local_table(path, max_bytes=setting("FACTORY_MAX_WORKLOAD_MB"), what="workloads", arrow=False,
                            error_type=WorkloadError)
