"""Case 40 — lock and resource enforcement: after start-up, a statement that changes a setting
(threads, memory, external access, temp folder) is refused, so the limits the store set hold."""

from __future__ import annotations

import duckdb
import pytest


@pytest.mark.parametrize("statement", [
    "SET threads = 64",
    "SET memory_limit = '1TB'",
    "SET enable_external_access = true",
    "SET temp_directory = '/tmp'",
    "PRAGMA threads = 64",
    "RESET memory_limit",
])
def test_settings_cannot_be_changed_after_start_up(empty_store, statement):
    limit = empty_store.scalar("SELECT current_setting('memory_limit')")
    with pytest.raises(duckdb.Error):
        empty_store.rows(statement)
    assert empty_store.scalar("SELECT current_setting('memory_limit')") == limit
