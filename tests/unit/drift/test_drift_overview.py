"""Traffic lights, value at risk and the portfolio "drifting" flag."""

from __future__ import annotations

from core.drift.monitor import compute_and_store_drift
from core.drift.queries import drift_history, drift_overview
from core.portfolio.summary import PortfolioFilter, initiative_table
from tests.conftest import ADMIN


def _compute_all(store):
    for model_id in (1, 2, 3):
        compute_and_store_drift(store, ADMIN, model_id, "2026-01", "2026-02")


def test_value_at_risk_is_the_as_of_month_benefit_counted_once_per_initiative(drift_store):
    _compute_all(drift_store)
    overview = drift_overview(drift_store)
    lights = dict(zip(overview.models["model_id"], overview.models["status"]))
    assert lights == {1: "drift", 2: "drift", 3: "no drift"}
    # A booked 1,000 + 234.5 of actual benefit in Feb 2026 (the as-of month); plan and January
    # lines do not count; its two drifting models put it at risk once.
    assert overview.value_at_risk_usd == 1234.5
    assert overview.drifting_models == 2 and overview.possible_models == 0
    at_risk = dict(zip(overview.models["model_id"], overview.models["value_at_risk_usd"]))
    assert at_risk == {1: 1234.5, 2: 1234.5, 3: 0.0}


def test_drifting_flag_marks_only_initiatives_with_a_drifting_model(drift_store):
    _compute_all(drift_store)
    table = initiative_table(drift_store).set_index("code")
    assert table.loc["A", "drifting"] and "Drifting" in table.loc["A", "flags"]
    assert not table.loc["B", "drifting"]
    assert list(initiative_table(drift_store, PortfolioFilter(flag="drifting"))["code"]) == ["A"]


def test_demo_flags_the_drifting_story_and_not_the_stable_one(demo_store):
    overview = drift_overview(demo_store).models.set_index("model")
    drifting = overview.loc["demand-forecast-gbm", "initiative"]
    stable = overview.loc["accounts-payable-gbm", "initiative"]
    table = initiative_table(demo_store).set_index("code")
    assert table.loc[drifting, "drifting"]
    assert not table.loc[stable, "drifting"]
    assert overview.loc["attrition-risk-gbm", "status"] == "possible drift"


def test_demo_history_grows_into_dataset_drift(demo_store):
    history = drift_history(demo_store, 26)
    assert len(history) == 7
    assert history["drift_share"].iloc[0] == 0.0
    assert history["dataset_drift"].iloc[-1]
    assert history["drift_share"].is_monotonic_increasing
