"""The Drift page renders from stored results for every role, with its traffic lights,
tables and charts; a bad ``?model=`` link gets a message; only allowed roles see Recompute."""

from __future__ import annotations

import pytest

from core.entities import ROLES
from tests.app.conftest import new_app
from tests.conftest import ACTORS, ADMIN, LEAD_OPS

DRIFTING_MODEL = "26"  # demo story "gradual" (SUPPLY): dataset drift in the latest window
OPS_MODEL = "30"       # demo story "stable" (OPS)


def _open(actor, **params):
    at = new_app(actor, **params)
    at.run()
    at.switch_page("pages/drift.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("role", ROLES)
def test_drift_page_shows_lights_table_and_charts_for_every_role(app_db, role):
    at = _open(ACTORS[role], model=DRIFTING_MODEL)
    assert at.title[0].value == "Model drift"
    assert [m.label for m in at.metric] == ["Models monitored", "Drifting", "Possible drift", "Value at risk / month"]
    overview = at.dataframe[0].value
    assert {"● drift", "● possible drift", "● no drift"} <= set(overview["light"])
    features = at.dataframe[1].value
    assert {"feature", "method", "statistic", "p_value", "threshold"} <= set(features.columns)
    assert features["status"].iloc[0] == "drift"  # severity first
    assert len(at.get("plotly_chart")) == 3  # drift over time, distributions, accuracy by window
    assert "red-badge[● drift]" in at.subheader[0].value


def test_drift_page_without_a_model_asks_to_choose_one(app_db):
    at = _open(ACTORS["viewer"])
    assert at.info[0].value.startswith("Choose a model")
    assert len(at.get("plotly_chart")) == 0


@pytest.mark.parametrize("raw", ["'; DROP TABLE drift_result; --", "<script>alert(1)</script>", "99999", "-3"])
def test_malformed_model_link_gets_a_message(app_db, raw):
    at = _open(ACTORS["viewer"], model=raw)
    assert at.warning, "expected a warning about the link"
    assert at.info[0].value.startswith("Choose a model")


@pytest.mark.parametrize("actor, model, visible", [
    (ADMIN, DRIFTING_MODEL, True),
    (LEAD_OPS, OPS_MODEL, True),
    (LEAD_OPS, DRIFTING_MODEL, False),
    (ACTORS["viewer"], DRIFTING_MODEL, False),
    (ACTORS["finance"], DRIFTING_MODEL, False),
])
def test_recompute_button_only_for_admin_and_own_unit_lead(app_db, actor, model, visible):
    at = _open(actor, model=model)
    assert any(b.label == "Recompute" for b in at.button) == visible


def test_recompute_by_admin_rewrites_the_stored_results(app_db):
    at = _open(ADMIN, model=DRIFTING_MODEL)
    [button] = [b for b in at.button if b.label == "Recompute"]
    button.click().run()
    assert not at.exception
    from ui.store import get_store  # the app's own store (AppTest runs in this process)
    assert get_store().scalar("SELECT count(*) FROM audit_event WHERE action = 'drift.compute'") == 1
    assert at.dataframe[1].value["status"].iloc[0] == "drift"
