"""Validated imports of initiatives, financial lines, usage events and FOCUS billing files.

Public API:
* ``import_upload(store, actor, kind, file_name, data, dry_run=True)`` → ``ImportResult``
* ``all_kinds()``, ``get_kind(name)``, ``kinds_for(actor)`` (the kinds: ``core.ingest.kinds``)
* ``template_csv(kind)`` — the downloadable template; ``recent_imports(store)`` — the ledger;
  ``recent_failures(store)`` — imports that never finished (the process died)
"""

from core.ingest.pipeline import (PREVIEW_ROWS, StagedUpload, import_upload, ledger_entry, recent_failures,
                                  recent_imports)
from core.ingest.registry import (
    Column, IngestError, ImportResult, Problem, UploadKind, all_kinds, get_kind, kinds_for,
)
from core.ingest.templates import template_csv

__all__ = [
    "Column", "IngestError", "ImportResult", "PREVIEW_ROWS", "Problem", "StagedUpload", "UploadKind", "all_kinds",
    "get_kind", "import_upload", "kinds_for", "ledger_entry", "recent_failures", "recent_imports", "template_csv",
]
