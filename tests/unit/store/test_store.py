"""The store: migrations, transactions, revision counter and DuckDB lock-down."""

from __future__ import annotations


import duckdb
import pytest

from core.store.migrations import MIGRATIONS, apply_migrations, current_version
from core.store import Store
from tests.conftest import ADMIN, VIEWER
from core.errors import PermissionDenied


def test_migrations_are_recorded_and_idempotent(empty_store):
    with empty_store._raw_cursor() as cur:  # migrations run on the raw connection, as Store.open does
        assert current_version(cur) == MIGRATIONS[-1][0]
        assert apply_migrations(cur) == []  # nothing left to apply
    rows = empty_store.rows("SELECT version, name FROM schema_version ORDER BY version")
    assert [tuple(r) for r in rows] == [tuple(m) for m in MIGRATIONS]


def test_reopening_a_store_applies_nothing_and_keeps_data(tmp_path):
    path = tmp_path / "x.duckdb"
    store = Store.open(path)
    with store.system_write(action="test") as cur:
        cur.execute("INSERT INTO business_unit (code, name) VALUES ('A', 'Alpha')")
    store.close()
    again = Store.open(path)
    assert again.rows("SELECT code FROM business_unit") == [("A",)]
    assert again.revision == 1
    again.close()


def test_migration_6_numbers_imports_and_relinks_usage_facts_to_them(tmp_path):
    """A store at version 5 (usage rows keyed by the file's sha256) keeps every fact, now
    linked by ``import_id``; provider/operation become optional; new imports get new ids."""
    import importlib

    connection = duckdb.connect(str(tmp_path / "v5.duckdb"))
    connection.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                       " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    for version, name in MIGRATIONS[:5]:
        for statement in importlib.import_module(f"core.store.migrations.{name}").STATEMENTS:
            connection.execute(statement)
        connection.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
    connection.execute("INSERT INTO import_ledger (sha256, kind, file_name, rows_added, actor, ts) VALUES"
                       " ('b' || repeat('0', 63), 'usage', 'late.csv', 1, 'admin', TIMESTAMP '2026-02-01'),"
                       " ('a' || repeat('0', 63), 'usage', 'early.csv', 2, 'admin', TIMESTAMP '2026-01-01')")
    connection.execute("INSERT INTO usage_event SELECT TIMESTAMP '2026-01-05', 'X', 'openai', 'm', 'chat', 1, 2, 3, 0,"
                       " 4.0, 0.5, 'cloud', 'hw', sha FROM (VALUES ('a' || repeat('0', 63)), ('a' || repeat('0', 63)),"
                       " ('b' || repeat('0', 63)), (NULL)) t(sha)")
    assert apply_migrations(connection) == [v for v, _ in MIGRATIONS[5:]]
    assert connection.execute("SELECT id, file_name FROM import_ledger ORDER BY id").fetchall() == [
        (1, "early.csv"), (2, "late.csv")]
    assert connection.execute("SELECT import_id, count(*) FROM usage_event GROUP BY ALL ORDER BY ALL").fetchall() == [
        (1, 2), (2, 1), (None, 1)]
    connection.execute("INSERT INTO usage_event (ts, initiative, model, requests, input_tokens, output_tokens,"
                       " cost_usd, location, hardware) VALUES ('2026-01-06', 'X', 'm', 1, 0, 0, 0, 'edge', 'hw')")
    assert connection.execute("SELECT provider, operation FROM usage_event WHERE ts = '2026-01-06'").fetchall() == [
        (None, None)]
    connection.execute("INSERT INTO import_ledger (sha256, kind, file_name, rows_added, actor)"
                       " VALUES ('c', 'usage', 'new.csv', 0, 'admin')")
    assert connection.execute("SELECT id FROM import_ledger WHERE sha256 = 'c'").fetchall() == [(3,)]
    connection.close()


def test_failed_multi_row_write_leaves_nothing(empty_store):
    before = empty_store.revision
    with pytest.raises(duckdb.ConstraintException):
        with empty_store.write(ADMIN, "manage_users", action="test.fail") as cur:
            cur.execute("INSERT INTO business_unit (code, name) VALUES ('A', 'Alpha')")
            cur.execute("INSERT INTO business_unit (code, name) VALUES ('A', 'Duplicate key')")
    assert empty_store.scalar("SELECT count(*) FROM business_unit") == 0
    assert empty_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'test.fail'") == 0
    assert empty_store.revision == before


def test_every_committed_write_bumps_the_revision_and_is_audited(empty_store):
    before = empty_store.revision
    with empty_store.write(ADMIN, "manage_users", action="test.ok", target="A") as cur:
        cur.execute("INSERT INTO business_unit (code, name) VALUES ('A', 'Alpha')")
    assert empty_store.revision == before + 1
    assert empty_store.rows("SELECT actor, role, action, target FROM audit_event WHERE action = 'test.ok'") == [
        ("ada", "admin", "test.ok", "A")
    ]


def test_write_without_permission_is_refused_before_touching_the_database(empty_store):
    before = empty_store.revision
    with pytest.raises(PermissionDenied, match="may not manage users"):
        with empty_store.write(VIEWER, "manage_users", action="test.denied") as cur:
            cur.execute("INSERT INTO business_unit (code, name) VALUES ('A', 'Alpha')")
    assert empty_store.scalar("SELECT count(*) FROM business_unit") == 0
    assert empty_store.revision == before


def test_staging_folder_is_readable(empty_store):
    csv = empty_store.staging_dir / "ok.csv"
    csv.write_text("a,b\n1,2\n")
    assert empty_store.rows("SELECT a + b FROM read_csv(?)", [str(csv)]) == [(3,)]
