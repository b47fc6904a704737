"""Validation, vectorised in DuckDB: header matching, then one pass that parses every column.

``match_headers`` maps the file's headers to a kind's columns; ``build_typed`` creates
``upload_typed`` (``_row`` plus one typed column per kind column) from ``upload_raw`` and
fills ``upload_problem (row, column, message, hint)`` with every value that failed to parse.
Nothing here loops over rows in Python.

Accepted values (decisions, tested in tests/unit/ingest and tests/security):
* numbers — one grammar and per-column bounds for every numeric column: ``core.ingest.numbers``.
* dates: ``YYYY-MM-DD`` (``month`` also ``YYYY-MM``); timestamps: ``YYYY-MM-DD``,
  ``YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]`` with an optional ``Z`` or ``±HH[:MM]`` offset,
  converted to UTC; no offset means UTC; month, day, hour, minute and second may have one
  digit. Anything else (``03/04/2026``) is rejected.
* missing: an empty cell or the bare word ``NULL``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from core.entities import CODE_PATTERN
from core.ingest.reader import RawUpload
from core.store.sql import quote_identifier, quote_literal
from core.ingest.registry import Column, Problem, UploadKind, normalise_header
from core.ingest.numbers import NUMERIC_TYPES, parse_number
from core.ingest.problem_sql import got, msg

DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
# one- or two-digit month, day, hour, minute and second, any whitespace around and between
# date and time: exactly the shapes DuckDB's strptime accepts (the fast path reads
# timestamps with it; tests/unit/ingest/test_timestamps.py checks both agree)
TS_RE = (r"^\s*(\d{4}-\d{1,2}-\d{1,2}(?:(?:T|\s+)\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,9})?)?)?)"
         r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$")
# fast path: a reader-typed timestamp outside these bounds is left to the text path (strptime
# also reads 'epoch', 'infinity' and two-digit years, which the text path rejects)
FAST_TS_RANGE = ("1990-01-01", "2200-01-01")
TS_HINT = "Write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM offset."


@dataclass(frozen=True)
class HeaderMatch:
    """``columns``: kind column name -> (raw column ``c{i}``, unit factor); ``extra``: (header, raw)."""

    columns: dict
    extra: tuple[tuple[str, str], ...]
    ignored: tuple[str, ...]
    problems: tuple[Problem, ...]
    look_alike: tuple[tuple[str, str], ...] = ()  # (unknown header, the kind column it looks like)


def match_headers(kind: UploadKind, raw: RawUpload) -> HeaderMatch:
    lookup: dict[str, tuple[Column, float]] = {}
    for column in kind.columns:
        for name in (column.name, column.template_header, *column.aliases):
            lookup[normalise_header(name)] = (column, 1.0)
        for alias, factor in column.unit_scale.items():
            lookup[normalise_header(alias)] = (column, factor)
    found: dict[str, tuple[str, float, str]] = {}
    extra, ignored, problems = [], [], []
    for i, header in enumerate(raw.headers):
        key = normalise_header(header)
        if not key:
            problems.append(Problem(1, f"column {i + 1}", "has no header", "Name every column or delete empty ones."))
            continue
        if key in lookup:
            column, factor = lookup[key]
            if column.name in found:
                first = found[column.name][2]
                problems.append(Problem(
                    1, header, f"duplicated column: {first!r} and {header!r} both mean `{column.name}` "
                    "(headers ignore case, spaces and underscores)", "Keep one of the two columns."))
                continue
            found[column.name] = (f"c{i}", factor, header)
        elif kind.keep_extra:
            extra.append((header.strip(), f"c{i}"))
        else:
            ignored.append(header)
    seen: dict[str, tuple[str, str]] = {}
    for header, raw_col in extra:
        key = normalise_header(header)
        if key in seen:
            first, first_col = seen[key]
            problems.append(Problem(
                1, header, f"duplicated column: {first!r} (column {int(first_col[1:]) + 1}) and {header!r} (column "
                f"{int(raw_col[1:]) + 1}) are the same name (headers ignore case, spaces and underscores)",
                "Keep one of the two columns, or rename one."))
        else:
            seen[key] = (header, raw_col)
    unknown = [h for h, _ in extra] if kind.keep_extra else ignored
    look_alike = _look_alikes(kind, found, unknown)
    missing = [c for c in kind.columns if c.required and c.name not in found]
    if missing:
        names = [c.template_header for c in missing]
        close = "".join(f"The file's column {header!r} looks like `{name}`: rename it. " for header, name in look_alike
                        if name in names)
        problems.append(Problem(
            1, ", ".join(names), f"missing required column{'s' if len(names) > 1 else ''}: {', '.join(names)}",
            f"{close}Add {'them' if len(names) > 1 else 'it'}; download the {kind.name} template for the expected "
            "headers."))
    return HeaderMatch({name: (raw_col, factor) for name, (raw_col, factor, _) in found.items()},
                       tuple(extra), tuple(ignored), tuple(problems), look_alike)


def _look_alikes(kind: UploadKind, found: dict, unknown: list[str]) -> tuple[tuple[str, str], ...]:
    """(file header, kind column's template header) for each unknown header that looks like
    a kind column the file lacks: a typo (``modle``) or a shortened name (``cost`` for
    ``cost_usd``), so a refusal or an ignored-columns note can say which to rename."""
    candidates: dict[str, str] = {}
    for column in kind.columns:
        if column.name not in found:
            for name in (column.name, column.template_header, *column.aliases):
                candidates.setdefault(normalise_header(name), column.template_header)
    pairs = []
    for header in unknown:
        key = normalise_header(header)
        close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.8)
        prefix = [c for c in candidates if len(key) >= 3 and (c.startswith(key) or key.startswith(c))]
        match = close or sorted(prefix, key=len)[:1]
        if match:
            pairs.append((header, candidates[match[0]]))
    return tuple(pairs)


def build_typed(cur, kind: UploadKind, match: HeaderMatch) -> None:
    """Create ``upload_typed`` and ``upload_problem`` from ``upload_raw`` in one scan.

    Three nested projections so that nothing is computed twice per row: cleaned text
    (``_v_x``; timestamps also split by one regex into ``_m_x``), then typed values, then a
    problem message per column whose diagnosis only runs when the fast check fails.
    """
    # rowid follows insertion (= file) order; inside a transaction it starts at a large
    # offset, so subtract the first one. Header = row 1.
    first = cur.execute("SELECT coalesce(min(rowid), 0) FROM upload_raw").fetchall()[0][0]
    clean, values, outer, checks = projections(kind, match, typed_numbers=False)
    clean.insert(0, f"CAST(rowid - {int(first)} + 2 AS BIGINT) AS _row")
    values.insert(0, "_row")
    outer.insert(0, "_row")
    outer += [f"{problem} AS _p_{name}" for name, problem in checks]
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE upload_typed AS SELECT {', '.join(outer)} FROM ("
        f"SELECT {', '.join(values)} FROM (SELECT {', '.join(clean)} FROM upload_raw) AS l1) AS l2"
    )
    cur.execute("DROP TABLE upload_raw")  # free its memory before the next steps
    cur.execute("CREATE OR REPLACE TEMP TABLE upload_problem (row BIGINT, col VARCHAR, message VARCHAR, hint VARCHAR)")
    if checks:
        header_of = {c.name: c.template_header for c in kind.columns}
        union = " UNION ALL ".join(
            f"SELECT _row, {quote_literal(header_of[name])}, _p_{name} FROM upload_typed WHERE _p_{name} IS NOT NULL"
            for name, _problem in checks
        )
        cur.execute(
            "INSERT INTO upload_problem SELECT _row, col, split_part(p, chr(31), 1), split_part(p, chr(31), 2)"
            f" FROM ({union}) AS t(_row, col, p)"
        )


# Fast path: types whose check rejects any untrimmed text itself (a shape test, a strict cast
# or a case-folded choice), so the per-cell ``trim`` test (a fifth of the fast path's CPU) is
# skipped: a padded value becomes a problem and the text path, which trims, decides. Numbers
# are never trimmed on either path (the grammar refuses spaces; see ``_number_text``).
SELF_TRIMMING = frozenset({"timestamp", "choice"}) | NUMERIC_TYPES


def projections(kind: UploadKind, match: HeaderMatch, *, typed_numbers: bool, reader_types=None,
                 per_value=frozenset()):
    """(clean, values, outer, [(column, problem SQL)]) for the three nested projections.

    Shared by ``build_typed`` and the fast path (``core.ingest.fast_path``).
    ``typed_numbers``: the fast path (timestamps parsed by the reader where ``reader_types``
    says TIMESTAMP; ``SELF_TRIMMING`` types read untrimmed; numbers are text on both paths,
    checked by the number grammar). ``per_value``: columns passed through as raw text with no check (see
    ``fast_typed_select``)."""
    reader_types = reader_types or {}
    clean, values, outer, checks = [], [], [], []
    for column in kind.columns:
        name = column.name
        if name not in match.columns:
            values.append(f"{default_sql(column)} AS {quote_identifier(name)}")
            outer.append(quote_identifier(name))
            continue
        raw_col, factor = match.columns[name]
        if name in per_value:
            clean.append(f"{raw_col} AS _v_{name}")
            values += [f"_v_{name}", f"_v_{name} AS {quote_identifier(name)}"]
            outer.append(quote_identifier(name))
            continue
        if column.type in NUMERIC_TYPES:  # the grammar reads the cell as written (both paths)
            clean.append(f"{raw_col if typed_numbers else _number_text(raw_col)} AS _v_{name}")
            value, problem = _parse(column, f"_v_{name}", factor)
        elif typed_numbers and reader_types.get(raw_col) == "TIMESTAMP":
            clean.append(f"{raw_col} AS _v_{name}")  # parsed by the reader's strptime
            value, problem = _typed_timestamp(column, f"_v_{name}")
        else:
            text = raw_col if typed_numbers and column.type in SELF_TRIMMING else _cleaned(raw_col)
            clean.append(f"{text} AS _v_{name}")
            if column.type == "timestamp":  # the regex only runs when the fixed-shape fast path does not apply
                if typed_numbers:  # fast path: other shapes are left to the text path
                    clean.append(f"NULL AS _m_{name}")
                else:
                    # a fixed shape the plain cast cannot read ('10:00:0\t') may still be a
                    # valid one-digit shape: the regex decides
                    clean.append(f"CASE WHEN NOT ({_fixed_shape_timestamp(text)} AND TRY_CAST(rtrim({text}, 'Z')"
                                 f" AS TIMESTAMP) IS NOT NULL) THEN "
                                 f"regexp_extract({text}, {quote_literal(TS_RE)}, ['d', 'o']) END AS _m_{name}")
            value, problem = _parse(column, f"_v_{name}", factor)
            if typed_numbers and column.type == "timestamp":
                value, problem = _parse_fixed_timestamp(column, f"_v_{name}")
        values += [f"_v_{name}", f"{value} AS {quote_identifier(name)}"]
        outer.append(quote_identifier(name))
        checks.append((name, problem))
    for _header, raw_col in match.extra:
        clean.append(f"{_cleaned(raw_col)} AS {raw_col}")
        values.append(raw_col)
        outer.append(raw_col)
    return clean, values, outer, checks


def _missing(column: Column) -> str:
    return (msg(quote_literal("is required but empty"), "Fill it in or remove the row.")
            if column.required and not column.nullable else "NULL")


def _typed_timestamp(column: Column, v: str) -> tuple[str, str]:
    """Fast path timestamp already parsed by the reader (``sniff_timestamp_format``): the value
    itself; outside ``FAST_TS_RANGE`` (strptime's 'epoch', 'infinity', two-digit years) it is
    a "problem" here, so the text path decides."""
    low, high = FAST_TS_RANGE
    ok = f"{v} >= TIMESTAMP {quote_literal(low)} AND {v} < TIMESTAMP {quote_literal(high)}"
    return v, f"CASE WHEN {v} IS NULL THEN {_missing(column)} WHEN {ok} THEN NULL ELSE 'x' END"


def _parse_fixed_timestamp(column: Column, v: str) -> tuple[str, str]:
    """Fast path timestamps: exactly ``build_typed``'s fixed-shape cast (``TRY_CAST(rtrim(v, 'Z')
    AS TIMESTAMP)``), shapes checked with LIKE (cheaper than ``substr``); anything else is a
    "problem" here so the text path decides (offsets, fractions and bad values alike)."""
    x = quote_identifier(column.name)
    # most files use one shape: test it first and skip rtrim's copy where no Z can be
    value = (f"(CASE WHEN strlen({v}) = 19 AND ({v} LIKE '____-__-__ __:__:__' OR {v} LIKE '____-__-__T__:__:__')"
             f" AND right({v}, 1) <> 'Z' THEN TRY_CAST({v} AS TIMESTAMP)"
             f" WHEN (strlen({v}) = 19 AND ({v} LIKE '____-__-__ __:__:__' OR {v} LIKE '____-__-__T__:__:__'))"
             f" OR (strlen({v}) = 20 AND ({v} LIKE '____-__-__ __:__:__Z' OR {v} LIKE '____-__-__T__:__:__Z'))"
             f" OR (strlen({v}) = 10 AND {v} LIKE '____-__-__') THEN TRY_CAST(rtrim({v}, 'Z') AS TIMESTAMP) END)")
    return value, f"CASE WHEN {v} IS NULL THEN {_missing(column)} WHEN {x} IS NOT NULL THEN NULL ELSE 'x' END"


def _cleaned(raw_col: str) -> str:
    """Trimmed text, NULL for '' and 'NULL'. The reader already turned untrimmed '' and 'NULL'
    into NULL, so only values with an outer space pay for ``trim`` (it is 30 % of a scan)."""
    return (f"CASE WHEN starts_with({raw_col}, ' ') OR ends_with({raw_col}, ' ') "
            f"THEN nullif(nullif(trim({raw_col}), ''), 'NULL') ELSE {raw_col} END")


def _number_text(raw_col: str) -> str:
    """A number cell as written, NULL when empty: a cell of spaces only (or `` NULL ``) is
    empty; any other padding stays, so the grammar refuses it (numbers are never trimmed)."""
    return (f"CASE WHEN starts_with({raw_col}, ' ') OR ends_with({raw_col}, ' ') THEN "
            f"CASE WHEN trim({raw_col}) IN ('', 'NULL') THEN NULL ELSE {raw_col} END ELSE {raw_col} END")


def _fixed_shape_timestamp(text: str) -> str:
    """``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM:SS`` or ``YYYY-MM-DDTHH:MM:SS[Z]``: no offset can
    hide in these shapes, so a plain cast is exact (digits are checked by the cast)."""
    return (f"substr({text}, 5, 1) = '-' AND substr({text}, 8, 1) = '-' AND (length({text}) = 10 OR "
            f"(length({text}) = 19 OR (length({text}) = 20 AND right({text}, 1) = 'Z')) AND substr({text}, 11, 1) "
            f"IN (' ', 'T') AND substr({text}, 14, 1) = ':' AND substr({text}, 17, 1) = ':')")


def _parse(column: Column, v: str, factor: float) -> tuple[str, str]:
    """SQL for (typed value from ``v``, problem from ``v`` and the value column ``column.name``).

    ``v`` is the cleaned text (NULL when empty or ``NULL``). The problem expression is
    ``CASE WHEN v IS NULL THEN <required?> WHEN <fast check> THEN NULL ELSE <diagnosis> END``.
    """
    x = quote_identifier(column.name)
    missing = (msg(quote_literal("is required but empty"), "Fill it in or remove the row.")
               if column.required and not column.nullable else "NULL")
    t = column.type

    def problem(ok: str, diagnosis: str) -> str:
        return f"CASE WHEN {v} IS NULL THEN {missing} WHEN {ok} THEN NULL ELSE {diagnosis} END"

    if t in ("text", "code"):
        ok, diag = "true", "NULL"
        if t == "code":
            ok = f"regexp_full_match({v}, {quote_literal(CODE_PATTERN)})"
            diag = msg(f"'expected a code (letters, digits, ''.'', ''_'', ''-''; at most 40), ' || {got(v)}",
                        "Use the code exactly as it appears in Factory Floor.")
        if column.max_length:
            long = msg(f"'longer than {column.max_length} characters'", "Shorten it.")
            diag = f"CASE WHEN length({v}) > {column.max_length} THEN {long} ELSE {diag} END"
            ok = f"{ok} AND length({v}) <= {column.max_length}"
        return v, problem(ok, diag)
    if t == "choice":
        cases = " ".join(f"WHEN {quote_literal(c.lower())} THEN {quote_literal(c)}" for c in column.choices)
        valid = ", ".join(column.choices)
        diag = msg(f"'expected one of: {valid.replace(chr(39), chr(39) * 2)}; ' || {got(v)}", f"Use one of: {valid}.")
        return f"CASE lower({v}) {cases} END", problem(f"{x} IS NOT NULL", diag)
    if t in ("int", "number", "money", "decimal"):
        return parse_number(column, v, factor, problem)
    if t in ("date", "month"):
        text = v
        if t == "month":
            text = f"(CASE WHEN regexp_full_match({v}, '^\\d{{4}}-\\d{{2}}$') THEN {v} || '-01' ELSE {v} END)"
        text = f"regexp_replace({text}, '[T ]00:00(:00)?$', '')"
        value = f"(CASE WHEN regexp_full_match({text}, {quote_literal(DATE_RE)}) THEN TRY_CAST({text} AS DATE) END)"
        if t == "month":
            value = f"CAST(date_trunc('month', {value}) AS DATE)"
        expected = "YYYY-MM-DD or YYYY-MM" if t == "month" else "YYYY-MM-DD"
        diag = msg(f"'expected a date {expected}, ' || {got(v)}", f"Write dates as {expected} (ISO 8601).")
        return value, problem(f"{x} IS NOT NULL", diag)
    if t == "timestamp":
        m = f"_m_{column.name}"
        o = f"replace({m}.o, ':', '')"  # '', 'Z', '+02', '+0200'
        minutes = (f"(CASE WHEN left({o}, 1) = '-' THEN -1 ELSE 1 END) * (CAST(substr({o}, 2, 2) AS INTEGER) * 60"
                   f" + CASE WHEN length({o}) = 5 THEN CAST(substr({o}, 4, 2) AS INTEGER) ELSE 0 END)")
        naive = f"TRY_CAST(regexp_replace({m}.d, '[T\\s]+', ' ') AS TIMESTAMP)"
        value = (f"(CASE WHEN {m} IS NULL THEN TRY_CAST(rtrim({v}, 'Z') AS TIMESTAMP) "
                 f"WHEN {m}.o IN ('', 'Z') THEN {naive} "
                 f"ELSE {naive} - to_minutes(CAST({minutes} AS BIGINT)) END)")
        diag = msg(f"'expected an ISO 8601 date/time, ' || {got(v)}", TS_HINT)
        return value, problem(f"{x} IS NOT NULL", diag)
    if t == "json":
        as_map = f"TRY_CAST(TRY_CAST({v} AS JSON) AS MAP(VARCHAR, VARCHAR))"
        value = (f"(CASE WHEN json_valid({v}) AND json_type(TRY_CAST({v} AS JSON)) = 'OBJECT' THEN "
                 f"map_from_entries(list_distinct(list_transform(map_entries({as_map}), "
                 f"lambda e: {{'key': trim(e.key), 'value': e.value}}))) END)")
        diag = msg(f"'expected a JSON object of key/value strings, ' || {got(v)}",
                    'Write tags as {"key": "value", ...}.')
        return value, problem(f"{x} IS NOT NULL", diag)
    raise ValueError(t)


def default_sql(column: Column) -> str:
    sql_type = {"text": "VARCHAR", "code": "VARCHAR", "choice": "VARCHAR", "int": "BIGINT", "number": "DOUBLE",
                "money": f"DECIMAL(18, {column.scale})", "decimal": "DECIMAL(38, 12)", "date": "DATE",
                "month": "DATE", "timestamp": "TIMESTAMP", "json": "MAP(VARCHAR, VARCHAR)"}[column.type]
    if column.default is None:
        return f"CAST(NULL AS {sql_type})"
    return f"CAST({quote_literal(str(column.default))} AS {sql_type})"
