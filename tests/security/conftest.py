"""Security cases run against the same app fixtures as the AppTest suite (a private copy of
the demo store, its test users)."""

from tests.app.conftest import app_db, app_db_template  # noqa: F401 (fixtures, by name)
