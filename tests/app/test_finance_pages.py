"""ROI Review and Unit Costs render for every role with their content; scenarios move the
numbers; a bad scope in the link gets a message, not an exception."""

from __future__ import annotations

import pytest

from core.entities import ROLES
from tests.app.conftest import new_app
from tests.conftest import ACTORS
from ui import state

ROI = "pages/roi_review.py"
UNIT = "pages/unit_costs.py"


def _open(page, role="finance", **params):
    at = new_app(ACTORS[role], **params)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("role", ROLES)
def test_roi_review_renders_tiles_charts_and_tables_for_every_role(app_db, role):
    at = _open(ROI, role)
    labels = [m.label for m in at.metric]
    assert labels[:5] == ["NPV", "IRR", "ROI", "Payback", "Spend vs budget"]
    assert "Scenario NPV" in labels and "Realised vs business case" in labels
    assert len(at.get("plotly_chart")) == 3
    assert len(at.dataframe) == 2
    assert all(m.help for m in at.metric)
    can_export = role in ("finance", "admin")
    assert bool(at.get("download_button")) == can_export


@pytest.mark.parametrize("role", ROLES)
def test_unit_costs_renders_for_every_role(app_db, role):
    at = _open(UNIT, role)
    assert at.title[0].value == "Unit costs"
    assert [m.label for m in at.metric][:4] == ["Usage cost (12 months)", "Inferences (12 months)",
                                              "Cost per 1,000 inferences", "Unit cost rising"]
    assert len(at.get("plotly_chart")) == 2
    assert any("No FOCUS billing imported yet" in i.value for i in at.info) or any(
        m.label.startswith("Billed, unallocated") for m in at.metric)


def test_vendor_price_slider_changes_the_scenario_npv(app_db):
    at = _open(ROI)
    before = _metric(at, "Scenario NPV")
    assert _metric(at, "Scenario NPV") == before
    at.slider(key=state.ROI_PRICE_CHANGE_PCT).set_value(-90).run()
    assert not at.exception
    after = _metric(at, "Scenario NPV")
    assert after != before
    delta = next(m.delta for m in at.metric if m.label == "Scenario NPV")
    assert "vs baseline" in delta


@pytest.mark.parametrize("raw", ["bu:NOPE", "initiative:'; DROP TABLE x; --", "galaxy"])
def test_bad_scope_in_the_link_gets_a_message(app_db, raw):
    at = _open(ROI, scope=raw)
    assert at.warning and "scope" in at.warning[0].value
    assert at.selectbox(key=state.ROI_SCOPE).value == "portfolio"


def test_scope_from_the_link_is_used(app_db):
    at = _open(ROI, scope="initiative:VCA-01", horizon="all")
    assert at.selectbox(key=state.ROI_SCOPE).value == "initiative:VCA-01"
    assert any("Voice-of-customer analytics" in c.value for c in at.caption)


def test_dimension_picker_reads_the_link(app_db):
    at = _open(UNIT, dim="hardware")
    assert at.selectbox(key=state.UNIT_DIMENSION).value == "hardware"


def test_only_finance_and_admin_see_the_save_scenario_form(app_db):
    assert any(b.label == "Save scenario" for b in _open(ROI, "finance").button)
    assert not any(b.label == "Save scenario" for b in _open(ROI, "viewer").button)


def test_loading_a_saved_scenario_sets_the_sliders(app_db):
    from core.finance.roi import RoiScope
    from core.finance.scenarios import ScenarioConfig, save_scenario
    from core.store import Store
    from tests.conftest import FINANCE

    store = Store.open(app_db)
    save_scenario(store, FINANCE, "DeepSeek crash", RoiScope(), ScenarioConfig(vendor_price_change=-0.9))
    store.close()
    at = _open(ROI, "viewer")
    before = _metric(at, "Scenario NPV")
    at.selectbox(key=state.ROI_SAVED_SCENARIO).select("DeepSeek crash").run()
    assert not at.exception
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == -90
    assert _metric(at, "Scenario NPV") != before
