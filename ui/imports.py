"""Imports page glue: run a dry run or an import without ever raising, show its result."""

from __future__ import annotations

import hashlib
import logging

import pandas as pd
import streamlit as st

from core.errors import CoreError
from core.ingest import ImportResult, Problem, import_upload, recent_failures, recent_imports
from ui import state
from ui.formatting import file_size
from ui.filters import literal

log = logging.getLogger(__name__)


def run_upload(store, actor, kind: str, file_name: str, data: bytes, *, dry_run: bool) -> ImportResult:
    """``core.ingest.import_upload`` that turns every failure into a rejected result."""
    try:
        return import_upload(store, actor, kind, file_name, data, dry_run=dry_run)
    except CoreError as error:
        message = str(error)
    except Exception as error:  # never a traceback on the page; the log keeps it
        log.exception("import of %s failed", file_name)
        message = f"unexpected error while reading the file ({type(error).__name__}); nothing was saved"
    return ImportResult(kind, file_name, "rejected", 0, 0, (Problem(None, None, message),), "", 1)


def dry_run_once(store, actor, kind: str, file_name: str, data: bytes, cache=None) -> ImportResult:
    """The dry run of this upload, run once per file, kind, user and store revision.

    Clicking "Import" reruns the page with the file still uploaded: without this, every rerun
    would validate the whole file again before importing it. ``cache`` (default: the session
    state) keeps the latest result only; a store change (``store.revision``) runs it again, so
    a file imported meanwhile shows as already imported."""
    cache = st.session_state if cache is None else cache
    key = (kind, file_name, hashlib.sha256(data).hexdigest(), store.revision, actor.name)
    held = cache.get(state.IMPORT_DRY_RUN)
    if held is not None and held[0] == key:
        return held[1]
    result = run_upload(store, actor, kind, file_name, data, dry_run=True)
    cache[state.IMPORT_DRY_RUN] = (key, result)
    return result


def problems_frame(result: ImportResult) -> pd.DataFrame:
    return pd.DataFrame(
        [{"row": p.row, "column": p.column or "", "problem": p.message, "fix": p.hint} for p in result.problems],
        columns=["row", "column", "problem", "fix"],
    )


def show_result(result: ImportResult) -> None:
    """One summary line (success/info/error) and, when rejected, the table of problems."""
    if result.status == "imported":
        st.success(result.summary(), icon=":material/check_circle:")
    elif result.status == "dry_run":
        st.info(result.summary(), icon=":material/preview:")
    elif result.status == "duplicate":
        st.warning(result.summary(), icon=":material/content_copy:")
    else:
        single = len(result.problems) == 1 and result.problems[0].row is None
        message = result.problems[0].message.rstrip(". ").removeprefix(f"{result.file}: ") if single else ""
        if single and not message.endswith(("nothing was imported", "nothing was saved")):
            message += "; nothing was saved"  # a file-level refusal says what happened to the data, once
        st.error(f"{literal(result.file)} was not imported: {literal(message, 600)}."
                 if single and not result.sha256 else result.summary(), icon=":material/error:")
        if result.problem_count > len(result.problems):
            st.caption(f"Showing the first {len(result.problems):,} of {result.problem_count:,} problems.")
        st.dataframe(problems_frame(result), hide_index=True, width="stretch")
    for note in result.notes:
        if result.status != "duplicate":
            st.caption(note)


@st.cache_data(show_spinner=False, max_entries=8)
def recent(_store, revision: int, limit: int = 20) -> pd.DataFrame:
    """The latest ledger rows, sizes as text (— for imports made before sizes were kept)."""
    frame = recent_imports(_store, limit)
    frame["size_bytes"] = [file_size(None if pd.isna(v) else v) for v in frame["size_bytes"]]
    return frame


@st.cache_data(show_spinner=False, max_entries=8)
def interrupted(_store, revision: int, limit: int = 20) -> pd.DataFrame:
    """Imports that never finished (``core.ingest.recent_failures``), without the reason column
    the page states once above the table."""
    return recent_failures(_store, limit).drop(columns=["reason"])


INTERRUPTED_COLUMNS = {
    "detected_at": st.column_config.DatetimeColumn("Found (UTC)", format="YYYY-MM-DD HH:mm"),
    "started_at": st.column_config.DatetimeColumn("Started (UTC)", format="YYYY-MM-DD HH:mm"),
    "kind": "Kind", "file_name": "File", "actor": "By",
}


RECENT_COLUMNS = {
    "imported_at": st.column_config.DatetimeColumn("Imported (UTC)", format="YYYY-MM-DD HH:mm"),
    "kind": "Kind", "file_name": "File", "actor": "By",
    "rows_added": st.column_config.NumberColumn("Rows added", format="localized"),
    "size_bytes": st.column_config.TextColumn("Size"),
    "sha256": st.column_config.TextColumn("sha256", help="The file's fingerprint: the same bytes are imported once."),
}
