"""AppTest fixtures: the app runs from app.py against a private copy of the demo store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import state
from ui.store import reset_store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture
def app_db(demo_db_path, monkeypatch):
    """FACTORY_DB points at a fresh demo copy; caches and the shared store are reset."""
    monkeypatch.setenv("FACTORY_DB", str(demo_db_path))
    reset_store()
    yield demo_db_path
    reset_store()


def new_app(actor=None, **query_params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state[state.ACTOR] = actor
    for key, value in query_params.items():
        at.query_params[key] = value
    return at
