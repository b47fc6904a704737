"""The registry of upload kinds: what each importable file looks like and where it goes.

An upload kind is one module in ``core.ingest.kinds`` that builds an ``UploadKind`` and one
line in ``core.ingest.kinds.KINDS``. The pipeline (``core.ingest.pipeline``) does the rest:

1. read the file (CSV, Parquet, xlsx) into a DuckDB temp table of text columns
   ``upload_raw`` (``_row`` = spreadsheet row number, header = row 1); a CSV first tries the
   typed fast path (``fast_path.build_typed_fast``), which skips steps 1 and 3 when no cell
   has a problem and otherwise leaves them to the text path;
2. match headers to ``columns`` (case-, space- and underscore-insensitive, plus ``aliases``);
3. parse every column by its ``Column.type`` into ``upload_typed`` (DuckDB-side, vectorised)
   and record bad values in ``upload_problem``;
4. call ``kind.validate(cur, upload)`` for the kind's own rules (keys, references, scope),
   which inserts further rows into ``upload_problem`` with SQL;
5. dry run: preview ``upload_typed`` (or ``kind.preview``); import: ``kind.load(cur, upload)``
   inside the one ``store.write`` transaction — or, for a clean CSV of a kind with
   ``load_fast``, one insert straight from the typed reader — then the ``import_ledger`` row
   (its ``id`` is drawn first, so facts can carry it).

Column types (``Column.type``): ``text``, ``code`` (initiative/business-unit code pattern),
``choice`` (one of ``choices``, case-insensitive, stored in the canonical spelling),
``int`` (whole number ≥ 0), ``number`` (finite float, ≥ 0 unless ``signed``),
``money`` (DECIMAL(18, ``scale``), ≥ 0 unless ``signed``), ``decimal`` (DECIMAL(38, 12)),
the four numeric types all written in the one number grammar of ``core.ingest.validate``
and bounded by ``Column.maximum`` (or their type's bound),
``date``, ``month`` (a date or ``YYYY-MM``; stored as the first day), ``timestamp``
(stored as UTC), ``json`` (a JSON object of strings).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import CoreError

COLUMN_TYPES = ("text", "code", "choice", "int", "number", "money", "decimal", "date", "month", "timestamp", "json")
DEFAULT_MAX_BYTES = 150 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000_000


class IngestError(CoreError):
    """An upload cannot be read at all (unknown kind, unreadable file, over a limit)."""


@dataclass(frozen=True)
class Problem:
    """One data problem: ``row`` is the spreadsheet row (header = 1; None = whole file)."""

    row: int | None
    column: str | None
    message: str
    hint: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "hint": self.hint}

    def line(self, file_name: str, outcome: str = "nothing was imported") -> str:
        """One line: where (file, row, column), what, how to fix it, and what happened, e.g.
        "usage.csv, row 3, column `requests`: expected …, got '0x10'. Write … Nothing was imported."."""
        where = ", ".join([file_name, *([f"row {self.row:,}"] if self.row is not None else []),
                           *([f"column `{self.column}`"] if self.column else [])])
        hint = f" {self.hint.strip()}" if self.hint.strip() else ""
        return " ".join(f"{where}: {self.message}.{hint} {outcome[:1].upper()}{outcome[1:]}.".split())


@dataclass(frozen=True)
class ImportResult:
    """What an import (or dry run) did. ``status``: imported | dry_run | duplicate | rejected."""

    kind: str
    file: str
    status: str
    rows_added: int
    rows_rejected: int
    problems: tuple[Problem, ...] = ()
    sha256: str = ""
    problem_count: int = 0          # may exceed len(problems): the list is capped
    preview: Any = None             # dry run: a page-sized pandas DataFrame of rows to add
    notes: tuple[str, ...] = ()     # e.g. ignored columns, duplicate's ledger entry
    rows_updated: int = 0           # kinds that upsert (initiatives): existing records changed

    @property
    def ok(self) -> bool:
        return self.status in ("imported", "dry_run", "duplicate")

    def summary(self) -> str:
        """One line for the page and the CLI's stderr."""
        rows = f"{self.rows_added:,} row{'s' if self.rows_added != 1 else ''}"
        if self.status == "imported":
            if self.rows_updated:
                return f"{self.file}: added {rows}, updated {self.rows_updated:,}."
            return f"{self.file}: imported {rows}."
        if self.status == "dry_run":
            updated = f", {self.rows_updated:,} updated" if self.rows_updated else ""
            return f"{self.file}: {rows} would be added{updated} (dry run; nothing saved)."
        if self.status == "duplicate":
            return f"{self.file} was not imported again: {' '.join(self.notes)}"
        count = self.problem_count or len(self.problems)
        return f"{self.file} was not imported: {count:,} problem{'s' if count != 1 else ''}; nothing was saved."

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "file": self.file, "status": self.status,
            "rows_added": self.rows_added, "rows_updated": self.rows_updated, "rows_rejected": self.rows_rejected,
            "problem_count": self.problem_count or len(self.problems), "sha256": self.sha256,
            "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in self.problems],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Column:
    """One column of an upload kind. ``name`` is the store column; ``header`` the template's."""

    name: str
    type: str = "text"
    required: bool = False          # the column must be in the file
    nullable: bool = False          # ... but its cells may be empty
    header: str | None = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    default: Any = None
    signed: bool = False
    scale: int = 2                   # decimals kept by ``money``
    max_length: int | None = None
    maximum: float | None = None    # largest magnitude accepted (None: the type's, see numbers.number_bound)
    unit_scale: Mapping[str, float] = field(default_factory=dict)  # alias -> factor (seconds → ms)

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"unknown column type {self.type!r}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"choice column {self.name!r} needs choices")

    @property
    def template_header(self) -> str:
        return self.header or self.name


@dataclass(frozen=True)
class UploadKind:
    """An importable file kind.

    * ``validate(cur, upload)`` — kind-specific rules as SQL over ``upload_typed``, inserting
      ``(row, column, message, hint)`` into ``upload_problem``; may be ``None``.
    * ``load(cur, upload) -> int`` — insert ``upload_typed`` into the store; runs inside the
      write transaction; returns rows added.
    * ``permission`` — a ``core.auth`` permission; ``scoped_by_initiative`` means a team lead
      may only import rows of initiatives of their own business unit.
    * ``keep_extra`` — unknown columns are kept (as ``upload.extra_headers``) instead of ignored.
    * ``load_fast(cur, upload, typed_sql, params, business_unit) -> int`` — optional: insert a
      clean CSV straight from ``typed_sql`` (``fast_path.fast_typed_select``; its ``_bad``
      column flags cell problems) in ONE statement that raises on any cell problem or kind
      rule (``business_unit``: the team lead's scope, else None); any error rolls the import
      back and the pipeline reruns it on the text path, which words the problems.
    * ``preview(cur, rows) -> DataFrame`` — optional: the dry run's first ``rows`` rows as they
      would be stored (defaults filled, derived values computed), instead of the parsed cells.
    * ``checked_per_value`` — columns that ``load_fast`` checks once per distinct value (on
      the import's groups) instead of per row: ``typed_sql`` passes their raw text through,
      untrimmed and unchecked, so ``load_fast`` MUST reject any value that is not already
      clean and valid (it then falls back to the text path).
    """

    name: str
    label: str
    permission: str
    columns: tuple[Column, ...]
    load: Callable[..., int]
    validate: Callable[..., None] | None = None
    load_fast: Callable[..., int] | None = None
    checked_per_value: tuple[str, ...] = ()
    preview: Callable[..., Any] | None = None
    count_upserts: Callable[..., tuple[int, int, int]] | None = None
    template_rows: tuple[dict, ...] = ()
    description: str = ""
    scoped_by_initiative: bool = False
    keep_extra: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS

    def column(self, name: str) -> Column:
        """The column called ``name`` (a name from core, never a user's header)."""
        return {c.name: c for c in self.columns}[name]

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.template_header for c in self.columns if c.required)


def normalise_header(header: str) -> str:
    """``' Cost '`` ≡ ``'cost'``; ``'Input Tokens'`` ≡ ``'input_tokens'`` ≡ ``'InputTokens'``.

    The one header mapping, the same for CSV, Parquet and xlsx: Unicode NFKC (full-width
    ``ＣＯＳＴ`` is ``COST``), invisible format characters dropped (a byte-order mark or a
    zero-width space pasted from a web page), then case, whitespace (any, non-breaking too)
    and underscores ignored."""
    text = unicodedata.normalize("NFKC", str(header))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"[\s_]+", "", text.casefold())


# -- the registry ----------------------------------------------------------------------
def all_kinds() -> tuple[UploadKind, ...]:
    """Every upload kind, from the one explicit list ``core.ingest.kinds.KINDS`` (imported
    here, late: the kind modules import this module for ``Column`` and ``UploadKind``)."""
    from core.ingest.kinds import KINDS

    return KINDS


def get_kind(name: str) -> UploadKind:
    by_name = {kind.name: kind for kind in all_kinds()}
    if name not in by_name:
        raise IngestError(f"Unknown upload kind {name!r}: choose one of {', '.join(by_name)}.")
    return by_name[name]


def kinds_for(actor) -> tuple[UploadKind, ...]:
    """The kinds ``actor``'s role may import (a team lead's BU scope is checked per file)."""
    from core.auth import PERMISSIONS

    if actor is None:
        return ()
    return tuple(k for k in all_kinds() if actor.role in PERMISSIONS[k.permission])
