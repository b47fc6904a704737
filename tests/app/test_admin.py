"""The Admin page: adding and managing users, editing business units (all checked in core) and
reading the audit log; a session sees its user's new state at its next run."""

from __future__ import annotations

import json

import pytest

from core.auth import ROLE_LABELS, authenticate
from core.errors import AuthenticationError
from core.portfolio.business_units import list_business_units
from core.store import Store
from tests.app.conftest import TEST_PASSWORD, new_app
from tests.conftest import ACTORS, ADMIN, VIEWER
from ui import state
from ui.auth import SIGNED_OUT_NOTICE
from ui.navigation import pages_for
from ui.store import get_store


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


def _audit_log(at):
    [frame] = [d.value for d in at.dataframe if "action" in d.value.columns]
    return frame


def test_audit_log_lists_the_demo_build(app_db):
    at = _admin_page()
    assert "demo.build" in set(_audit_log(at)["action"])


def _manage(at, name):
    at.selectbox(key=state.ADMIN_USER).select(name).run()
    assert not at.exception, at.exception
    return at


def _click(at, label):
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, at.exception
    return at


def _status(at, name):
    users = at.dataframe[0].value
    return users.set_index("name").loc[name, "status"]


def test_a_disabled_users_open_session_ends_at_its_next_interaction(app_db):
    viewer = new_app(VIEWER)
    viewer.run()
    assert viewer.title[0].value == "AI portfolio"
    at = _manage(_admin_page(), VIEWER.name)
    assert _status(at, VIEWER.name) == "enabled"
    _click(at, "Disable user")
    assert at.success[0].value == f"{VIEWER.name} is disabled."
    assert _status(at, VIEWER.name) == "disabled"      # the table is redrawn from the store
    assert [b.label for b in at.button if b.key == "admin.set_disabled"] == ["Enable user"]

    viewer.run()                                       # the viewer's next interaction
    assert not viewer.exception
    assert state.ACTOR not in viewer.session_state
    assert SIGNED_OUT_NOTICE in [w.value for w in viewer.warning]
    assert viewer.button[0].label == "Sign in" and not viewer.dataframe
    with pytest.raises(AuthenticationError, match="disabled"):
        authenticate(get_store(), VIEWER.name, TEST_PASSWORD)

    _click(at, "Enable user")
    assert at.success[0].value == f"{VIEWER.name} is enabled." and _status(at, VIEWER.name) == "enabled"
    assert authenticate(get_store(), VIEWER.name, TEST_PASSWORD).role == "viewer"


def test_the_last_enabled_admin_cannot_be_disabled(app_db):
    at = _click(_manage(_admin_page(), "admin"), "Disable user")   # the demo's admin; ada remains
    at = _click(_manage(at, ADMIN.name), "Disable user")
    assert "last enabled administrator" in at.error[0].value
    assert _status(at, ADMIN.name) == "enabled"


def test_a_role_change_takes_effect_at_the_users_next_interaction(app_db):
    viewer = new_app(VIEWER)
    viewer.run()
    assert ROLE_LABELS["viewer"] in viewer.sidebar.markdown[0].value
    at = _manage(_admin_page(), VIEWER.name)
    at.selectbox(key=f"admin.role.{VIEWER.name}").select("admin")
    _click(at, "Change role")
    assert at.success[0].value.startswith(f"{VIEWER.name} is now Administrator")

    viewer.run()
    assert viewer.session_state[state.ACTOR].role == "admin"
    # (AppTest drops the sidebar of a session whose navigation changed, so the account line is
    # not checked here; a fresh session shows it)
    viewer.switch_page("pages/admin.py").run()         # the navigation now offers the Admin page
    assert not viewer.exception and viewer.title[0].value == "Administration"


def test_a_team_lead_needs_a_unit_and_gets_the_one_picked(app_db):
    at = _manage(_admin_page(), VIEWER.name)
    at.selectbox(key=f"admin.role.{VIEWER.name}").select("team_lead")
    _click(at, "Change role")
    assert "needs a business unit" in at.error[0].value
    at.selectbox(key=f"admin.unit.{VIEWER.name}").select("OPS")
    _click(at, "Change role")
    assert at.success[0].value.startswith(f"{VIEWER.name} is now Team lead of OPS")
    assert get_store().one("SELECT role, business_unit FROM app_user WHERE name = ?", [VIEWER.name]) == (
        "team_lead", "OPS")


def test_a_password_reset_on_the_page_is_the_one_that_signs_in(app_db):
    at = _manage(_admin_page(), VIEWER.name)
    at.text_input(key="admin.new_password").input("brand-new-pass-1")
    at.text_input(key="admin.new_password_again").input("brand-new-pass-2")
    _click(at, "Reset password")
    assert "the two passwords differ" in at.error[0].value
    assert authenticate(get_store(), VIEWER.name, TEST_PASSWORD).name == VIEWER.name   # nothing changed

    at.text_input(key="admin.new_password").input("brand-new-pass-1")
    at.text_input(key="admin.new_password_again").input("brand-new-pass-1")
    _click(at, "Reset password")
    assert at.success[0].value == f"The password of {VIEWER.name} is reset."
    assert authenticate(get_store(), VIEWER.name, "brand-new-pass-1").name == VIEWER.name
    with pytest.raises(AuthenticationError):
        authenticate(get_store(), VIEWER.name, TEST_PASSWORD)
    assert "user.reset_password" in set(_audit_log(at)["action"])


def test_a_business_unit_head_set_on_the_page_is_stored_and_audited(app_db):
    at = _admin_page()
    at.selectbox(key=state.ADMIN_UNIT).select("OPS").run()
    at.text_input(key="admin.unit_head.OPS").input("Grace Hopper")
    _click(at, "Save business unit")
    assert at.success[0].value == "Saved OPS: Operations, head Grace Hopper."
    assert {"code": "OPS", "name": "Operations", "head": "Grace Hopper"} in list_business_units(get_store())
    audit = _audit_log(at)
    [detail] = audit.loc[audit["action"] == "business_unit.update", "detail"]
    assert json.loads(detail) == {"from": {"name": "Operations", "head": None},
                                  "to": {"name": "Operations", "head": "Grace Hopper"}}

    at.text_input(key="admin.unit_name.OPS").input(" ")
    _click(at, "Save business unit")
    assert "the name is empty" in at.error[0].value
