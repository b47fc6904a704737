"""SQL rules shared by several kinds (duplicate keys, unknown initiatives, dates in the future)."""

from __future__ import annotations

from core.portfolio.period import FUTURE_TOLERANCE, latest_allowed_ts, utc_now
from core.store.sql import quote_literal


def check_duplicate_keys(cur, keys: tuple[str, ...], label: str) -> None:
    """Rows of the file that repeat a key: each repeat is a problem naming the first row."""
    key_sql = ", ".join(keys)
    shown = " || '/' || ".join(f"coalesce(CAST({k} AS VARCHAR), '')" for k in keys)
    cur.execute(
        f"INSERT INTO upload_problem SELECT _row, {quote_literal(keys[0])}, "
        f"'duplicate {label} ' || {shown} || ' (first on row ' || first_row || ')', "
        f"'Keep one row per {label}.' FROM ("
        f"SELECT _row, {key_sql}, min(_row) OVER (PARTITION BY {key_sql}) AS first_row FROM upload_typed"
        f" WHERE {' AND '.join(f'{k} IS NOT NULL' for k in keys)}) WHERE _row <> first_row"
    )


def check_known_initiatives(cur, column: str = "initiative") -> None:
    """Codes that are not initiatives in the store: one problem per code, listing valid ones."""
    valid = [row[0] for row in cur.execute("SELECT code FROM initiative ORDER BY code LIMIT 5").fetchall()]
    examples = ", ".join(valid) if valid else "(none yet: import initiatives first)"
    cur.execute(
        f"INSERT INTO upload_problem SELECT min(t._row), {quote_literal(column)}, "
        f"'unknown initiative ' || t.{column} || ' (' || count(*) || ' row' || CASE WHEN count(*) > 1 THEN 's)' ELSE ')' END, "
        f"? FROM upload_typed t ANTI JOIN initiative i ON i.code = t.{column} "
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
