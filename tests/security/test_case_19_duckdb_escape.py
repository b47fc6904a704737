"""Case 19 — DuckDB escape attempts on the store's own connection (as ``Store.open`` builds it):
no file outside the staging folder is read or written, no database attached, no extension
installed or loaded. (Case 40, settings changed after start-up, is its own file.)"""

from __future__ import annotations

import duckdb
import pytest


@pytest.mark.parametrize("statement", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/proc/self/environ')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/*')",
    "COPY business_unit TO '/tmp/leak.csv'",
    "COPY (SELECT 1) TO '/tmp/x.csv'",
    "ATTACH '/tmp/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
])
def test_the_store_connection_refuses_files_databases_and_extensions(empty_store, statement):
    with pytest.raises(duckdb.Error):
        empty_store.rows(statement)


def test_the_staging_folder_stays_readable(empty_store):
    csv = empty_store.staging_dir / "ok.csv"
    csv.write_text("a,b\n1,2\n")
    assert empty_store.rows("SELECT a + b FROM read_csv(?)", [str(csv)]) == [(3,)]
