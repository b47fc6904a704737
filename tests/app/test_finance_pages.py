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
SCENARIO_NPV = "Scenario NPV (+12 months)"


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
    assert labels[:5] == ["NPV (baseline, 10 %, all months)", "IRR", "ROI", "Payback", "Spend vs budget"]
    assert SCENARIO_NPV in labels and "Realised vs business case" in labels
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
    before = _metric(at, SCENARIO_NPV)
    assert _metric(at, SCENARIO_NPV) == before
    at.slider(key=state.ROI_PRICE_CHANGE_PCT).set_value(-90).run()
    assert not at.exception
    after = _metric(at, SCENARIO_NPV)
    assert after != before
    delta = next(m.delta for m in at.metric if m.label == SCENARIO_NPV)
    assert delta.endswith(" vs baseline")


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


def test_unit_costs_link_narrows_the_tiles_to_one_model_or_place(app_db):
    from core.finance.unit_costs import UsageFilter, summarise_unit_costs
    from core.store import Store
    from ui.formatting import money

    store = Store.open(app_db)  # before the app opens it (one process, one database instance)
    gpt, vendor = (summarise_unit_costs(store, usage=UsageFilter(*f)) for f in (("gpt-4o", None), (None, "vendor_api")))
    store.close()
    at = _open(UNIT, model="gpt-4o")
    assert at.selectbox(key=state.UNIT_MODEL).value == "gpt-4o"
    assert _metric(at, "Usage cost (12 months)") == money(gpt.usage_cost_usd)
    assert any("only gpt-4o" in c.value for c in at.caption)
    at = _open(UNIT, serving="vendor_api", dim="model")
    assert _metric(at, "Usage cost (12 months)") == money(vendor.usage_cost_usd)
    assert at.selectbox(key=state.UNIT_SERVING).value == "vendor_api"


def test_unit_costs_reconciles_focus_with_usage_in_one_table(app_db):
    at = _open(UNIT)
    assert any("is in both" in m.value and "tagged to no initiative" in m.value for m in at.markdown)
    [table] = at.table
    segments = list(table.value.index)
    assert segments[0] == "In both" and segments[-1] == "Total" and len(segments) == 6


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
    before = _metric(at, SCENARIO_NPV)
    at.selectbox(key=state.ROI_SAVED_SCENARIO).select("DeepSeek crash").run()
    assert not at.exception
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == -90
    assert _metric(at, SCENARIO_NPV) != before


def test_saving_over_a_scenario_someone_else_just_saved_is_refused_on_the_page(app_db):
    from core.finance.roi import RoiScope
    from core.finance.scenarios import ScenarioConfig, list_scenarios, save_scenario
    from core.store import Store
    from tests.conftest import ADMIN, FINANCE
    from ui.store import reset_store

    store = Store.open(app_db)
    first = save_scenario(store, FINANCE, "Board case", RoiScope(), ScenarioConfig(volume_growth_monthly=0.02))
    store.close()
    at = _open(ROI, "finance")
    at.selectbox(key=state.ROI_SAVED_SCENARIO).select("Board case").run()
    assert at.text_input[0].value == "Board case"  # the form offers to save over what was loaded
    reset_store()  # meanwhile an administrator saves over it
    store = Store.open(app_db)
    save_scenario(store, ADMIN, "Board case", RoiScope(), ScenarioConfig(volume_growth_monthly=0.05),
                  replaces=first.version)
    store.close()
    reset_store()
    at.slider(key=state.ROI_PRICE_CHANGE_PCT).set_value(-50).run()
    assert any("saved again by ada since you loaded it" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert any("changed by someone else" in e.value for e in at.error), [e.value for e in at.error]
    reset_store()
    store = Store.open(app_db)
    try:
        [kept] = list_scenarios(store)
        assert (kept.created_by, kept.config.volume_growth_monthly) == ("ada", 0.05)
    finally:
        store.close()


def test_every_npv_on_the_page_says_whether_it_is_baseline_or_scenario(app_db):
    """The NPV tile (actuals only) and the scenario panel (actuals + 12 projected months) once
    read "NPV $51.6M" beside "baseline $108M" with nothing saying which was which."""
    at = _open(ROI, rate="8", horizon="24m")
    npv_labels = [m.label for m in at.metric if "NPV" in m.label]
    assert npv_labels == ["NPV (baseline, 8 %, 24m)", SCENARIO_NPV]
    assert "nothing projected" in next(m.help for m in at.metric if m.label.startswith("NPV (baseline"))
    at.slider(key=state.ROI_PRICE_CHANGE_PCT).set_value(-50).run()
    delta = next(m.delta for m in at.metric if m.label == SCENARIO_NPV)
    assert delta.endswith(" vs baseline")
    # the baseline it is measured against is named, and is not the tile's (actuals only)
    assert any("Baseline NPV (+12 months)** $" in c.value for c in at.caption)
    assert any("Initiatives ranked by baseline NPV" in h.value for h in at.subheader)


def test_a_link_opens_the_page_with_every_knob_it_names(app_db):
    at = _open(ROI, scope="bu:RETAIL", horizon="24m", rate="7.5", price="-90", growth="5", benefits="1", adopt="1")
    assert at.selectbox(key=state.ROI_SCOPE).value == "bu:RETAIL"
    assert at.selectbox(key=state.ROI_HORIZON).value == "24m"
    assert at.number_input(key=state.ROI_DISCOUNT_RATE_PCT).value == 7.5
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == -90
    assert at.slider(key=state.ROI_VOLUME_GROWTH_PCT).value == 5
    assert at.checkbox(key=state.ROI_BENEFITS_SCALE).value is True
    assert at.toggle(key=state.ROI_ADOPT_RIGHTSIZE).value is True
    assert not at.warning
    plain = _open(ROI, scope="bu:RETAIL", horizon="24m", rate="7.5")
    assert _metric(at, SCENARIO_NPV) != _metric(plain, SCENARIO_NPV)  # the knobs drive the figures


def test_changing_a_knob_writes_it_to_the_link(app_db):
    at = _open(ROI)
    for param in ("rate", "price", "growth", "benefits", "adopt"):
        assert param not in at.query_params  # defaults stay out of the link
    at.number_input(key=state.ROI_DISCOUNT_RATE_PCT).set_value(12.5).run()
    at.slider(key=state.ROI_PRICE_CHANGE_PCT).set_value(-40).run()
    at.slider(key=state.ROI_VOLUME_GROWTH_PCT).set_value(3).run()
    at.checkbox(key=state.ROI_BENEFITS_SCALE).check().run()
    at.toggle(key=state.ROI_ADOPT_RIGHTSIZE).set_value(True).run()
    assert not at.exception
    assert {p: at.query_params[p] for p in ("rate", "price", "growth", "benefits", "adopt")} == {
        "rate": "12.5", "price": "-40", "growth": "3", "benefits": "1", "adopt": "1"}
    assert [m.label for m in at.metric][0] == "NPV (baseline, 12.5 %, all months)"
    at.slider(key=state.ROI_PRICE_CHANGE_PCT).set_value(-30).run()  # a second move counts too
    assert at.query_params["price"] == "-30" and at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == -30


@pytest.mark.parametrize("param, raw, words", [
    ("rate", "lots", "not a number"), ("rate", "90", "between 0 and 50"), ("price", "-95", "between -90 and 100"),
    ("growth", "2.5", "whole number"), ("adopt", "maybe", "1, 0"), ("price", "<b>x</b>", "not a number"),
])
def test_an_unusable_knob_in_the_link_falls_back_with_a_note(app_db, param, raw, words):
    at = _open(ROI, **{param: raw})
    assert at.warning and f"`{param}`" in at.warning[0].value and words in at.warning[0].value
    assert "<b>" not in at.warning[0].value
    assert at.number_input(key=state.ROI_DISCOUNT_RATE_PCT).value == 10.0
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == 0


def _save(app_db, name, **knobs):
    from core.finance.roi import RoiScope
    from core.finance.scenarios import ScenarioConfig, save_scenario
    from core.store import Store
    from tests.conftest import FINANCE

    store = Store.open(app_db)
    save_scenario(store, FINANCE, name, RoiScope(), ScenarioConfig(**knobs))
    store.close()


def test_a_link_to_a_saved_scenario_loads_its_knobs_and_the_link_overrides_them(app_db):
    _save(app_db, "DeepSeek crash", vendor_price_change=-0.9, volume_growth_monthly=0.04, adopt_rightsize=True)
    at = _open(ROI, "viewer", scenario="DeepSeek crash")
    assert at.selectbox(key=state.ROI_SAVED_SCENARIO).value == "DeepSeek crash"
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == -90
    assert at.slider(key=state.ROI_VOLUME_GROWTH_PCT).value == 4
    assert at.toggle(key=state.ROI_ADOPT_RIGHTSIZE).value is True
    tweaked = _open(ROI, "viewer", scenario="DeepSeek crash", price="-50")
    assert tweaked.slider(key=state.ROI_PRICE_CHANGE_PCT).value == -50
    assert tweaked.slider(key=state.ROI_VOLUME_GROWTH_PCT).value == 4


def test_loading_a_saved_scenario_replaces_the_knobs_in_the_link(app_db):
    _save(app_db, "Boom", volume_growth_monthly=0.1, benefits_scale_with_volume=True)
    at = _open(ROI, "viewer", price="-40", rate="9")
    at.selectbox(key=state.ROI_SAVED_SCENARIO).select("Boom").run()
    assert not at.exception
    assert at.query_params["scenario"] == "Boom" and at.query_params["rate"] == "9"
    assert "price" not in at.query_params  # the saved scenario's knobs, not the old ones
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == 0
    assert at.slider(key=state.ROI_VOLUME_GROWTH_PCT).value == 10
    assert at.checkbox(key=state.ROI_BENEFITS_SCALE).value is True


def test_a_link_changed_from_outside_moves_the_knobs_back(app_db):
    """What Back does: the browser returns to the previous query string and the script reruns;
    every knob follows the link rather than writing its newer value back."""
    at = _open(ROI)
    at.slider(key=state.ROI_PRICE_CHANGE_PCT).set_value(-60).run()
    at.number_input(key=state.ROI_DISCOUNT_RATE_PCT).set_value(6.0).run()
    assert at.query_params["price"] == "-60" and at.query_params["rate"] == "6"
    at.query_params.pop("rate")  # Back: the link before the rate changed
    at.run()
    assert at.number_input(key=state.ROI_DISCOUNT_RATE_PCT).value == 10.0
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == -60
    assert "rate" not in at.query_params
    at.query_params.pop("price")  # Back again: the page as first opened
    at.run()
    assert at.slider(key=state.ROI_PRICE_CHANGE_PCT).value == 0 and "price" not in at.query_params
