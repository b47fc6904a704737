"""The Imports page: renders for the roles that may import, offers only their kinds, and
shows a bad upload as an error with a problems table — never an exception."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.ingest import kinds_for
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ACTORS
from ui.navigation import pages_for

KINDS_SHOWN = {
    "finance": ["Financial lines", "Model prices", "FOCUS billing"],
    "team_lead": ["Usage events"],
    "admin": ["Initiatives", "Financial lines", "Model prices", "Usage events", "FOCUS billing"],
}


@pytest.mark.parametrize("role", sorted(KINDS_SHOWN))
def test_imports_page_renders_with_the_kinds_the_role_may_import(app_db, role):
    at = new_app(ACTORS[role])
    at.run()
    at.switch_page("pages/imports.py").run()
    assert not at.exception
    assert at.title[0].value == "Imports"
    shown = list(at.radio[0].options)
    assert shown == [k.label for k in kinds_for(ACTORS[role])]
    assert shown[: len(KINDS_SHOWN[role])] == KINDS_SHOWN[role]
    assert "FOCUS billing" not in shown or role != "team_lead"
    assert "Recent imports" in [s.value for s in at.subheader]


def test_viewer_has_no_imports_page():
    assert "pages/imports.py" not in [p.path for p in pages_for("viewer")]


def test_switching_kind_shows_its_required_columns(app_db):
    at = new_app(ACTORS["admin"])
    at.run()
    at.switch_page("pages/imports.py").run()
    at.radio[0].set_value("focus").run()
    assert not at.exception
    assert any("`BilledCost`" in m.value for m in at.markdown)


def _show_bad_upload():
    import os

    from core.store import Store
    from tests.conftest import ADMIN
    from ui import imports

    store = Store.open(os.environ["FACTORY_DB"])
    try:
        data = b"ts,initiative,model,cost_usd\n2026-01-05,COA-01,gbm,N/A\n2026-01-05,COA-01,gbm,-1\n"
        imports.show_result(imports.run_upload(store, ADMIN, "usage", "usage.csv", data, dry_run=False))
        imports.show_result(imports.run_upload(store, ADMIN, "usage", "bomb.xlsx", b"not a zip", dry_run=True))
    finally:
        store.close()


def test_bad_upload_shows_an_error_and_problems_not_an_exception(app_db):
    at = AppTest.from_function(_show_bad_upload, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error[0].value == "usage.csv was not imported: 2 problems; nothing was saved."
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["row", "column", "problem", "fix"] and list(frame["row"]) == [2, 3]
    assert at.error[1].value.startswith("bomb.xlsx was not imported: not a valid .xlsx file")
    assert at.error[1].value.endswith("; nothing was imported.") and at.error[1].value.count("nothing was") == 1
    store = Store.open(app_db)
    try:
        assert store.scalar("SELECT count(*) FROM import_ledger WHERE kind = 'usage'") == 0
    finally:
        store.close()


def test_the_dry_run_runs_once_per_file_and_store_revision(demo_store, monkeypatch):
    """Clicking Import reruns the page with the file still there: the dry run is not redone
    until the file, the user or the store changes."""
    from tests.conftest import ADMIN
    from ui import imports

    calls = []
    original = imports.import_upload
    monkeypatch.setattr(imports, "import_upload", lambda *a, **k: (calls.append(k["dry_run"]), original(*a, **k))[1])
    data = b"ts,initiative,model,cost_usd\n2026-01-05 10:00:00,COA-01,gbm,0.5\n"
    cache: dict = {}
    first = imports.dry_run_once(demo_store, ADMIN, "usage", "u.csv", data, cache)
    again = imports.dry_run_once(demo_store, ADMIN, "usage", "u.csv", data, cache)
    assert first.status == "dry_run" and again is first and calls == [True]
    imports.run_upload(demo_store, ADMIN, "usage", "u.csv", data, dry_run=False)  # the store changes
    after = imports.dry_run_once(demo_store, ADMIN, "usage", "u.csv", data, cache)
    assert after.status == "duplicate" and calls == [True, False, True]
    other = imports.dry_run_once(demo_store, ADMIN, "usage", "u.csv", data + b"2026-01-06 10:00:00,COA-01,gbm,1\n", cache)
    assert other.status == "dry_run" and len(calls) == 4
