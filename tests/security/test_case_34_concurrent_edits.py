"""Security case 34, concurrent edits: two sessions edit the same initiative; one wins, the
other is told "modified by someone else" and nothing of theirs is saved (no lost update)."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.portfolio.editing import EDITABLE, edit_initiative
from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ADMIN, LEAD_RETAIL
from ui.store import reset_store


def _shown(store, code):
    row = store.frame(f"SELECT {', '.join(EDITABLE)} FROM initiative WHERE code = ?", [code]).iloc[0]
    return {field: (None if row[field] != row[field] else row[field]) for field in EDITABLE}


def test_the_second_of_two_edits_from_the_same_view_is_refused(tiny_store):
    seen = _shown(tiny_store, "A")  # both editors opened A with these values
    edit_initiative(tiny_store, ADMIN, "A", {"bu_owner": "Grace"}, expected=seen)
    with pytest.raises(ValidationError, match="modified by someone else.*bu_owner is now Grace \\(you saw Owner\\)"):
        edit_initiative(tiny_store, LEAD_RETAIL, "A", {"bu_owner": "Rita"}, expected=seen)
    assert tiny_store.scalar("SELECT bu_owner FROM initiative WHERE code = 'A'") == "Grace"
    # an edit of another field, whose value nobody changed, still goes through
    edit_initiative(tiny_store, LEAD_RETAIL, "A", {"risk_tier": "high"}, expected=seen)
    assert tiny_store.one("SELECT bu_owner, risk_tier FROM initiative WHERE code = 'A'") == ("Grace", "high")


def test_the_page_refuses_a_save_over_an_edit_made_since_it_opened(app_db):
    at = new_app(LEAD_RETAIL, initiative="COA-01")
    at.run()
    at.switch_page("pages/initiative.py").run()
    reset_store()  # meanwhile an administrator changes the business owner
    store = Store.open(app_db)
    try:
        edit_initiative(store, ADMIN, "COA-01", {"bu_owner": "Grace Admin"})
    finally:
        store.close()
    reset_store()
    [owner] = [t for t in at.text_input if t.label == "Business owner"]
    owner.input("Rita Lead")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert any("modified by someone else" in e.value for e in at.error), [e.value for e in at.error]
    reset_store()
    store = Store.open(app_db)
    try:
        assert store.scalar("SELECT bu_owner FROM initiative WHERE code = 'COA-01'") == "Grace Admin"
    finally:
        store.close()
