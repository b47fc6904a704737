"""SQL rules shared by several kinds (duplicate keys, unknown initiatives, dates in the future)."""

from __future__ import annotations

from core.portfolio.period import FUTURE_TOLERANCE, latest_allowed_ts, utc_now
from core.store.sql import quote_literal


def check_duplicate_keys(cur, keys: tuple[str, ...], label: str, *, codes: tuple[str, ...] = ()) -> None:
    """Rows of the file that repeat a key: each repeat is a problem naming the first row.

    ``codes``: key columns compared without letter case (``DUP-01`` and ``dup-01`` are one
    initiative: codes are ASCII by their pattern, so case is the only way two spellings of one
    code can differ)."""
    key_sql = ", ".join(keys)
    partition = ", ".join(f"lower({k})" if k in codes else k for k in keys)
    shown = " || '/' || ".join(f"coalesce(CAST({k} AS VARCHAR), '')" for k in keys)
    cur.execute(
        f"INSERT INTO upload_problem SELECT _row, {quote_literal(keys[0])}, "
        f"'duplicate {label} ' || {shown} || ' (first on row ' || first_row || ')', "
        f"'Keep one row per {label}.' FROM ("
        f"SELECT _row, {key_sql}, min(_row) OVER (PARTITION BY {partition}) AS first_row FROM upload_typed"
        f" WHERE {' AND '.join(f'{k} IS NOT NULL' for k in keys)}) WHERE _row <> first_row"
    )


def check_code_spelling(cur, column: str, table: str, label: str) -> None:
    """Codes of the file that match a code of the store except in letter case (``dup-01`` for
    the stored ``DUP-01``): refused, naming the stored spelling, so one initiative or unit never
    becomes two that differ only in case."""
    cur.execute(
        f"INSERT INTO upload_problem SELECT min(t._row), {quote_literal(column)}, "
        f"'{label} ' || t.{column} || ' differs only in letter case from the existing ' || s.code, "
        f"'Write it as ' || s.code || ' (the same {label}), or choose a code that is not already taken.' "
        f"FROM upload_typed t JOIN {table} s ON lower(s.code) = lower(t.{column}) AND s.code <> t.{column} "
        f"GROUP BY t.{column}, s.code"
    )


def check_known_initiatives(cur, column: str = "initiative") -> None:
    """Codes that are not initiatives in the store: one problem per code, listing valid ones."""
    valid = [row[0] for row in cur.execute("SELECT code FROM initiative ORDER BY code LIMIT 5").fetchall()]
    examples = ", ".join(valid) if valid else "(none yet: import initiatives first)"
    cur.execute(
        f"INSERT INTO upload_problem SELECT min(t._row), {quote_literal(column)}, "
        f"'unknown initiative ' || t.{column} || ' (' || count(*) || ' row' || CASE WHEN count(*) > 1 THEN 's)' ELSE ')' END"
        f" || coalesce(' — did you mean ' || any_value(alike.code) || '? Codes are matched exactly', ''), "
        f"? FROM upload_typed t LEFT JOIN initiative alike ON lower(alike.code) = lower(t.{column}) "
        f"ANTI JOIN initiative i ON i.code = t.{column} "
        f"WHERE t.{column} IS NOT NULL GROUP BY t.{column}",
        [f"Use an existing initiative code, e.g. {examples}; or import the initiative first."],
    )


def check_not_in_future(cur, column: str, header: str, what: str) -> None:
    """Rows whose ``column`` (a UTC timestamp) is after now + ``FUTURE_TOLERANCE``: one
    problem per row, naming the value and today's date. Nothing has happened in the future,
    so such a row is a wrong year, or a local time written without its offset."""
    now = utc_now()
    tolerance_min = int(FUTURE_TOLERANCE.total_seconds() // 60)
    cur.execute(
        f"INSERT INTO upload_problem SELECT _row, {quote_literal(header)}, 'dated '"
        f" || strftime({column}, '%Y-%m-%d %H:%M:%S') || ' UTC, which is in the future (today is '"
        f" || strftime(?::TIMESTAMP, '%Y-%m-%d %H:%M') || ' UTC)', ? FROM upload_typed WHERE {column} > ?::TIMESTAMP",
        [now,
         f"{what.capitalize()} is recorded after it happens, so this date is wrong: fix it (a wrong year? a local "
         f"time without its offset, e.g. +01:00?) or remove the row. Up to {tolerance_min} minutes ahead of the "
         "clock is accepted (clock skew).",
         latest_allowed_ts(now)],
    )
