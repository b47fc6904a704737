"""Case 39 — connection lifecycle: a cache clear or a reopen while other sessions hold cursors,
and reads that never end. Cursors are per operation and tracked by the store: ``close``
interrupts what is in flight and waits for it (DuckDB refuses to close a busy connection), the
interrupted operation fails with a clear ``StoreError`` and works again on the reopened store; a
read past ``FACTORY_QUERY_TIMEOUT_S`` is stopped by the store's watchdog (``QueryTimeout``); a
second ``Store.open`` of a file this process holds is refused in words; and the app's
``get_store`` after ``st.cache_resource.clear()`` hands back the store it holds."""

from __future__ import annotations

import threading
import time

import pytest

from core.errors import StoreError
from core.store import Store
from core.store.store import QueryTimeout

HEAVY = "SELECT count(*) FROM range(400000000) a, range(10) b WHERE a.range % 7 = b.range"


def _in_thread(store, sql):
    outcome = {}

    def run():
        try:
            outcome["value"] = store.scalar(sql)
        except Exception as error:  # noqa: BLE001 — what the caller would see
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_closing_while_a_read_is_in_flight_interrupts_it_cleanly_and_a_reopen_works(tmp_path):
    store = Store.open(tmp_path / "x.duckdb")
    thread, outcome = _in_thread(store, HEAVY)
    time.sleep(0.5)
    started = time.monotonic()
    store.close()
    thread.join(timeout=30)
    assert time.monotonic() - started < 10
    assert isinstance(outcome.get("error"), StoreError), outcome
    assert "reload the page and try again" in str(outcome["error"])
    with pytest.raises(StoreError, match="database is closed"):
        store.scalar("SELECT 1")
    reopened = Store.open(tmp_path / "x.duckdb")
    try:
        assert reopened.scalar("SELECT count(*) FROM range(1000)") == 1000  # the retry works
    finally:
        reopened.close()


def test_a_read_past_the_timeout_is_stopped_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTORY_QUERY_TIMEOUT_S", "0.5")
    store = Store.open(tmp_path / "x.duckdb")
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="ran longer than 0.5 s and was stopped"):
            store.scalar(HEAVY)
        assert time.monotonic() - started < 10
        assert store.scalar("SELECT 42") == 42  # the store carries on
    finally:
        store.close()


def test_a_second_open_in_one_process_is_refused_in_words(tmp_path):
    store = Store.open(tmp_path / "x.duckdb")
    try:
        with pytest.raises(StoreError, match="already open in this process"):
            Store.open(tmp_path / "x.duckdb")
        assert store.scalar("SELECT 1") == 1
    finally:
        store.close()
    Store.open(tmp_path / "x.duckdb").close()  # once closed, it opens again


def test_get_store_after_a_cache_clear_hands_back_the_open_store(app_db, monkeypatch):
    import streamlit as st

    from ui.store import get_store, reset_store

    monkeypatch.setenv("FACTORY_DB", str(app_db))
    reset_store()
    try:
        first = get_store()
        st.cache_resource.clear()
        assert get_store() is first and not first.closed
    finally:
        reset_store()
