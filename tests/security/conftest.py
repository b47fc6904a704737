"""Security cases run against the same app fixtures as the AppTest suite (a private copy of
the demo store, its test users)."""

import pytest

from tests.app.conftest import app_db, app_db_template  # noqa: F401 (fixtures, by name)


@pytest.fixture(scope="session")
def served_app(demo_db_template, tmp_path_factory):
    """``streamlit run app.py`` on a copy of the demo store (the browser tests' server), for
    the cases that must be tried against the real server; yields its base URL."""
    from tests.browser.conftest import _streamlit

    with _streamlit(demo_db_template, tmp_path_factory.mktemp("served")) as base:
        yield base
