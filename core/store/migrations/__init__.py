"""Numbered schema migrations, applied in order and recorded in ``schema_version``.

A migration is a module ``m<NNN>_<name>.py`` in this package with a ``STATEMENTS`` tuple of
SQL strings. Adding a migration is one new module plus one line in ``MIGRATIONS``. Applying
is idempotent: a version already recorded is skipped.
"""

from __future__ import annotations

import importlib

import duckdb

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, "m001_foundation"),
    (2, "m002_rightsize"),
    (3, "m003_ingest"),
    (4, "m004_drift"),
    (5, "m005_finance_scenarios"),
    (6, "m006_usage_import_id"),
    (7, "m007_user_disabled"),
    (8, "m008_price_book"),
    (9, "m009_measured_savings"),
    (10, "m010_initiative_history"),
    (11, "m011_business_unit_head"),
    (12, "m012_book_priced_usage"),
    (13, "m013_workload_per_unit"),
    (14, "m014_model_version_opsets"),
    (15, "m015_import_failure"),
    (16, "m016_company_sign_in"),
)


def apply_migrations(connection: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded; return the versions applied now."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    done = {row[0] for row in connection.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for version, module_name in MIGRATIONS:
        if version in done:
            continue
        module = importlib.import_module(f"core.store.migrations.{module_name}")
        cur = connection.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            for statement in module.STATEMENTS:
                cur.execute(statement)
            cur.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, module_name])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()
        applied.append(version)
    return applied


def current_version(connection: duckdb.DuckDBPyConnection) -> int:
    return connection.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
