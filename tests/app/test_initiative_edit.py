"""The Initiative page keeps an initiative current: the edit form (admins and the unit's team
lead only), the production gate's refusal, the KPI history chart and the incident log."""

from __future__ import annotations

from core.store import Store
from tests.app.conftest import new_app
from tests.conftest import ADMIN, LEAD_RETAIL, VIEWER
from ui.store import reset_store


def _open(actor, code):
    at = new_app(actor, initiative=code)
    at.run()
    at.switch_page("pages/initiative.py").run()
    assert not at.exception, at.exception
    return at


def _form_button(at, label):
    return next(b for b in at.button if b.label == label)


def test_only_editors_see_the_form(app_db):
    assert not any(b.label == "Save changes" for b in _open(VIEWER, "COA-01").button)
    assert any(b.label == "Save changes" for b in _open(LEAD_RETAIL, "COA-01").button)  # COA-01 is RETAIL
    assert not any(b.label == "Save changes" for b in _open(LEAD_RETAIL, "PMA-01").button)  # PMA-01 is OPS


def test_an_admin_updates_the_kpi_and_sees_it_saved_charted_and_audited(app_db):
    at = _open(ADMIN, "PMA-01")
    assert any(h.value.startswith("KPI over time") for h in at.subheader)
    [kpi] = [n for n in at.number_input if n.label.startswith("KPI current value")]
    kpi.set_value(31.5)
    _form_button(at, "Save changes").click().run()
    assert not at.exception
    saved = [s.value.replace("\\", "") for s in at.success]  # Markdown escapes removed: the text as shown
    assert any("kpi_current:" in text and "→ 31.5" in text for text in saved), saved
    reset_store()
    store = Store.open(app_db)
    try:
        assert store.scalar("SELECT kpi_current FROM initiative WHERE code = 'PMA-01'") == 31.5
        assert store.scalar("SELECT value FROM kpi_reading WHERE initiative = 'PMA-01' ORDER BY recorded_on DESC"
                            " LIMIT 1") == 31.5
        assert store.scalar("SELECT count(*) FROM audit_event WHERE action = 'initiative.edit' AND target = 'PMA-01'"
                            " AND actor = 'ada'") == 1
    finally:
        store.close()


def test_the_production_gate_refusal_is_shown_and_nothing_changes(app_db):
    at = _open(ADMIN, "TCA-01")  # a pilot with no KPI
    [stage] = [s for s in at.selectbox if s.label == "Stage"]
    stage.set_value("production")
    _form_button(at, "Save changes").click().run()
    assert any("cannot move from pilot to production" in e.value and "a KPI" in e.value for e in at.error)
    reset_store()
    store = Store.open(app_db)
    try:
        assert store.scalar("SELECT stage FROM initiative WHERE code = 'TCA-01'") == "pilot"
    finally:
        store.close()


def test_an_agentic_initiative_shows_its_incident_log_and_a_lead_logs_one(app_db):
    at = _open(LEAD_RETAIL, "COA-01")
    assert any(h.value == "Guardrail incidents" for h in at.subheader)
    [what] = [t for t in at.text_input if t.label == "What happened"]
    what.input("The agent re-sent a payment reminder to a customer who had paid")
    _form_button(at, "Log incident").click().run()
    assert not at.exception
    assert any("Incident logged for COA-01" in s.value for s in at.success)
    reset_store()
    store = Store.open(app_db)
    try:
        assert store.scalar("SELECT count(*) FROM guardrail_incident WHERE initiative = 'COA-01' AND status = 'open'"
                            " AND reported_by = 'rita'") == 1
    finally:
        store.close()
