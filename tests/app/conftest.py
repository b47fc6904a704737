"""AppTest fixtures: the app runs from dashboard.py against a private copy of the demo store.

A session re-reads its user from the store on every run (``ui.auth.current_actor``), so the
actors the tests put in ``session_state`` (``tests.conftest.ACTORS``) are real users of every
store the app opens here, with the same role and business unit, signed in with ``TEST_PASSWORD``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.auth import hash_password
from core.store import Store
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER
from ui import state
from ui.store import reset_store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard.py")
TEST_USERS = (ADMIN, FINANCE, VIEWER, LEAD_RETAIL, LEAD_OPS)
TEST_PASSWORD = "test-password-1"


def add_test_users(path: Path) -> None:
    """Make every test actor a user of the store at ``path``.

    A fixture write, not ``add_user``: on an empty store the team leads' units do not exist yet
    (the initiatives file creates them), which ``add_user`` rightly refuses but the store can hold."""
    store = Store.open(path)
    try:
        password_hash = hash_password(TEST_PASSWORD)
        with store.system_write(action="test.fixture") as cur:
            cur.executemany(
                "INSERT INTO app_user (name, role, business_unit, password_hash, display_name) VALUES (?, ?, ?, ?, ?)",
                [[a.name, a.role, a.business_unit, password_hash, a.display_name] for a in TEST_USERS])
    finally:
        store.close()


@pytest.fixture(scope="session")
def app_db_template(demo_db_template, tmp_path_factory) -> Path:
    """The demo database and the test users, built once per test session (copy it before writing)."""
    path = tmp_path_factory.mktemp("app") / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    add_test_users(path)
    return path


@pytest.fixture
def app_db(app_db_template, tmp_path, monkeypatch):
    """FACTORY_DB points at a fresh copy of the demo store with the test users; caches and the
    shared store are reset."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(app_db_template, path)
    monkeypatch.setenv("FACTORY_DB", str(path))
    reset_store()
    yield path
    reset_store()


def new_app(actor=None, **query_params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state[state.ACTOR] = actor
    for key, value in query_params.items():
        at.query_params[key] = value
    return at
