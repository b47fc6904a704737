"""The Admin page: adding users (checked in core) and reading the audit log."""

from __future__ import annotations

from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ACTORS, ADMIN
from ui.navigation import pages_for


def _admin_page(actor=ADMIN):
    at = new_app(actor)
    at.run()
    at.switch_page("pages/admin.py").run()
    return at


def test_only_admins_see_the_admin_page():
    for role in ("viewer", "finance", "team_lead"):
        assert "pages/admin.py" not in {p.path for p in pages_for(role)}
    assert "pages/admin.py" in {p.path for p in pages_for("admin")}


def test_admin_adds_a_team_lead(app_db):
    at = _admin_page()
    form_inputs = [t for t in at.text_input]
    form_inputs[0].input("new.lead")
    at.selectbox[0].select("team_lead")
    at.selectbox[1].select("OPS")
    form_inputs[1].input("long-enough-1")
    at.button[0].click().run()
    assert not at.exception
    assert "Added new.lead" in at.success[0].value
    from ui.store import reset_store
    reset_store()
    store = Store.open(app_db)
    assert store.one("SELECT role, business_unit FROM app_user WHERE name = 'new.lead'") == ("team_lead", "OPS")
    store.close()


def test_bad_user_gets_a_message_and_nothing_is_written(app_db):
    at = _admin_page()
    at.text_input[0].input("lead2")
    at.selectbox[0].select("team_lead")
    at.text_input[1].input("long-enough-1")
    at.button[0].click().run()
    assert not at.exception
    assert "needs a business unit" in at.error[0].value


def test_audit_log_lists_the_demo_build(app_db):
    at = _admin_page()
    frame = at.dataframe[1].value
    assert "demo.build" in set(frame["action"])
