"""Downloadable CSV templates, generated from the registry (``data/templates/`` holds copies,
kept in step by ``tests/unit/ingest/test_templates.py``)."""

from __future__ import annotations

import csv
import io

from core.ingest.registry import UploadKind, get_kind


def template_csv(kind: UploadKind | str) -> str:
    """Header row of every column (required first, as declared) plus the kind's example rows.

    A kind that keeps extra columns (``keep_extra``: feature snapshots, whose features are the
    file's own columns) also shows the extra columns of its example rows, so the template says
    where they go."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    headers = [c.template_header for c in kind.columns]
    if kind.keep_extra:
        headers += list(dict.fromkeys(k for row in kind.template_rows for k in row if k not in headers))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in kind.template_rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue()


def template_file_name(kind: UploadKind | str) -> str:
    name = kind if isinstance(kind, str) else kind.name
    return f"{name}-template.csv"
