"""The typed CSV fast path: DuckDB's reader parses the cells, one flag per row says whether any
would be a problem for the text path (``validate.build_typed``), which then decides.

``build_typed_fast`` makes ``upload_typed`` for a dry run; ``fast_typed_select`` is the one
SELECT a kind's ``load_fast`` inserts from; ``fast_reader_types`` and
``sniff_timestamp_format`` choose how the reader types each column. Both paths share the
value expressions (``validate.projections``), so a clean file types the same either way.
"""

from __future__ import annotations

import re

from core.store.sql import quote_identifier
from core.ingest.registry import UploadKind
from core.ingest.validate import HeaderMatch, default_sql, projections


def build_typed_fast(cur, kind: UploadKind, match: HeaderMatch, source_sql: str, params: list,
                     reader_types: dict[str, str]) -> int | None:
    """The fast path: ``upload_typed`` straight from DuckDB's typed CSV reader, or ``None``.

    ``source_sql`` reads the file with columns ``c0 … cN`` typed as ``reader_types`` says
    (``fast_reader_types``): when the first row showed a format, timestamps as TIMESTAMP
    (parsed by the reader, no text kept), every other column as text — numbers too, as the
    number grammar (``numbers.NUMBER_RE``) reads the cell as written. Values are the SAME as
    ``build_typed``'s (text timestamps only in the fixed shapes ``YYYY-MM-DD[ |T]HH:MM:SS[Z]``/
    ``YYYY-MM-DD``, where both paths do one cast), and one boolean per row says whether any
    cell would be a problem for ``build_typed``. Returns the row count when no cell is a
    problem and the reader rejected no line; otherwise drops what it made and returns
    ``None``, and the caller runs the text path (``build_typed``), which words every problem. Kind rules (``validate``) then run on either ``upload_typed``.

    ``upload_typed`` here is a view over the temp table ``upload_fast``: ``_row`` comes from
    its rowid (file order), and the ``_p_x`` columns are NULL (no cell problems).
    """
    clean, values, outer, checks = projections(kind, match, typed_numbers=True, reader_types=reader_types)
    # columns absent from the file are constants: added by the view below, not stored per row
    absent = {quote_identifier(c.name): f"{default_sql(c)} AS {quote_identifier(c.name)}"
              for c in kind.columns if c.name not in match.columns}
    values = [v for v in values if v not in absent.values()]
    view_columns = list(outer)
    outer = [o for o in outer if o not in absent]
    bad = " OR ".join(f"({problem}) IS NOT NULL" for _name, problem in checks) or "false"
    outer.append(f"({bad}) AS _bad")
    try:
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE upload_fast AS SELECT {', '.join(outer)} FROM ("
            f"SELECT {', '.join(values)} FROM (SELECT {', '.join(clean)} FROM {source_sql}) AS l1) AS l2", params)
    except Exception:  # noqa: BLE001 - any reader error: the text path reports it in its own words
        cur.execute("DROP TABLE IF EXISTS upload_fast")
        raise
    rows, bad_rows, first = cur.execute(
        "SELECT count(*), count(*) FILTER (_bad), coalesce(min(rowid), 0) FROM upload_fast").fetchall()[0]
    rejected = cur.execute("SELECT count(*) FROM upload_reject_errors").fetchall()[0][0]
    if bad_rows or rejected or rows == 0:
        cur.execute("DROP TABLE upload_fast")
        return None
    names = [absent.get(c, c) for c in view_columns]
    nulls = [f"CAST(NULL AS VARCHAR) AS _p_{name}" for name, _problem in checks]
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW upload_typed AS SELECT CAST(rowid - {int(first)} + 2 AS BIGINT) AS _row, "
        f"{', '.join(names + nulls)} FROM upload_fast")
    cur.execute("CREATE OR REPLACE TEMP TABLE upload_problem (row BIGINT, col VARCHAR, message VARCHAR, hint VARCHAR)")
    return rows


def fast_typed_select(kind: UploadKind, match: HeaderMatch, source_sql: str, reader_types: dict[str, str]) -> str:
    """One SELECT over the typed reader (``source_sql``, as for ``build_typed_fast``): every
    kind column by name (absent ones as their defaults), the kept extra columns, and
    ``_bad``: true when any cell of the row would be a problem for ``build_typed``.

    For loads that insert straight from the file in one pass (``UploadKind.load_fast``):
    nothing is stored in between; a row with ``_bad`` must abort that statement. Columns in
    ``kind.checked_per_value`` come through as the raw text, neither trimmed nor checked:
    the load checks each distinct value instead (far fewer than rows)."""
    clean, values, outer, checks = projections(kind, match, typed_numbers=True, reader_types=reader_types,
                                                per_value=frozenset(kind.checked_per_value))
    bad = " OR ".join(f"({problem}) IS NOT NULL" for _name, problem in checks) or "false"
    outer.append(f"({bad}) AS _bad")
    return (f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(values)} FROM "
            f"(SELECT {', '.join(clean)} FROM {source_sql}) AS l1) AS l2")


def fast_reader_types(kind: UploadKind, match: HeaderMatch, width: int,
                      timestamp_format: str | None = None) -> dict[str, str]:
    """``c{i}`` -> DuckDB type for the typed reader: TIMESTAMP for timestamp columns when
    ``timestamp_format`` is set (the reader then parses them with strptime and that format),
    VARCHAR for the rest. Never DOUBLE for numbers: the reader's number parser takes spaces,
    ``1_000``, ``inf`` and ``+-1``, which the number grammar refuses."""
    types = {f"c{i}": "VARCHAR" for i in range(width)}
    for column in kind.columns:
        if column.name not in match.columns:
            continue
        if column.type == "timestamp" and timestamp_format is not None:
            types[match.columns[column.name][0]] = "TIMESTAMP"
    return types


# the whole-second shapes machine-written logs use: first-row text -> strptime format
TIMESTAMP_FORMATS = (
    (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", "%Y-%m-%d %H:%M:%S"),
    (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", "%Y-%m-%dT%H:%M:%S"),
    (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "%Y-%m-%dT%H:%M:%SZ"),
    (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z", "%Y-%m-%d %H:%M:%SZ"),
)


def sniff_timestamp_format(kind: UploadKind, match: HeaderMatch, first_row: tuple[str, ...]) -> str | None:
    """The strptime format of the kind's timestamp column, judged from the file's first data
    row, when it is one of ``TIMESTAMP_FORMATS`` (else None: the column is read as text).

    Reading with it is the fast path's cheapest check: the reader parses the column (no text
    is kept) and a line in another shape fails the read, so the import falls back to the text
    path. Everything strptime accepts within ``FAST_TS_RANGE`` the text path accepts too,
    with the same value (one-digit fields and extra whitespace included)."""
    columns = [c for c in kind.columns if c.type == "timestamp" and c.name in match.columns]
    if len(columns) != 1:
        return None
    index = int(match.columns[columns[0].name][0][1:])
    if index >= len(first_row):
        return None
    text = first_row[index].strip()
    return next((fmt for pattern, fmt in TIMESTAMP_FORMATS if re.fullmatch(pattern, text)), None)
