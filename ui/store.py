"""The process-wide store, opened once (``st.cache_resource``) and shared by every session.

On first start, if the database file is missing, the deterministic demo fills it, so
``streamlit run app.py`` shows a full portfolio on a fresh machine.
"""

from __future__ import annotations

import streamlit as st

from core.config import db_path
from core.demo import build_demo
from core.store import Store


_open_stores: list[Store] = []


@st.cache_resource(show_spinner="Opening the Factory Floor database…")
def get_store() -> Store:
    """The process's store. After ``st.cache_resource.clear()`` (the app menu's "Clear cache")
    the store this process already holds open is handed back, not opened a second time."""
    path = db_path()
    for store in _open_stores:
        if not store.closed and store.path == path.resolve():
            return store
    if not path.exists():
        build_demo(path)
    store = Store.open(path)
    _open_stores.append(store)
    return store


def reset_store() -> None:
    """Close the process-wide store and drop every cached result (tests; a database swap)."""
    while _open_stores:
        _open_stores.pop().close()
    st.cache_resource.clear()
    st.cache_data.clear()


def is_demo(store: Store) -> bool:
    return store.meta("demo_mode") == "true"
