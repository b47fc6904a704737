"""Case 40 — lock and resource enforcement: after start-up, a statement that changes a setting
(threads, memory, external access, temp folder and its size, time zone) is refused, so the limits
the store set hold. Tried on the connection itself (not a read cursor, whose READ ONLY
transaction would refuse it for another reason)."""

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
    "SET max_temp_directory_size = '1TB'",
    "SET GLOBAL TimeZone = 'America/New_York'",
])
def test_settings_cannot_be_changed_after_start_up(empty_store, statement):
    limit = empty_store.scalar("SELECT current_setting('memory_limit')")
    with pytest.raises(duckdb.Error, match="locked"), empty_store._raw_cursor() as cur:
        cur.execute(statement)
    assert empty_store.scalar("SELECT current_setting('memory_limit')") == limit


def test_the_store_sets_its_spill_limit_and_time_zone(empty_store):
    """DuckDB's defaults are 90 % of the free disk for spilling and the machine's zone."""
    assert empty_store.scalar("SELECT current_setting('max_temp_directory_size')").replace(" ", "") in ("9.3GiB", "10.0GB", "10GB")
    assert empty_store.scalar("SELECT current_setting('TimeZone')") == "UTC"
