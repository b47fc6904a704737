"""Initiatives stay current: edits with field diffs and the production gate, KPI readings,
the guardrail incident log — every write role-checked in core and audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.errors import PermissionDenied, ValidationError
from core.ingest import import_upload
from core.portfolio.editing import (close_incident, edit_initiative, incidents, kpi_readings, log_incident,
                                    production_gate_gaps)
from core.portfolio.flags import flagged_codes
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER

TODAY = dt.date(2026, 3, 2)


def _audit(store, action):
    return [(actor, target, json.loads(detail)) for actor, target, detail in store.rows(
        "SELECT actor, target, detail FROM audit_event WHERE action = ? ORDER BY ts", [action])]


def test_an_edit_changes_only_what_differs_records_the_stage_move_and_a_kpi_reading(tiny_store):
    edit = edit_initiative(tiny_store, LEAD_OPS, "D", {"stage": "pilot", "kpi_current": 9.0, "bu_owner": "Owner",
                                                        "platform_owner": " Data Platform "}, today=TODAY)
    assert edit.describe() == "stage: idea → pilot; kpi_current: 7.5 → 9; platform_owner: ML Platform → Data Platform"
    assert tiny_store.one("SELECT stage, stage_since, kpi_current, platform_owner FROM initiative WHERE code = 'D'") \
        == ("pilot", TODAY, 9.0, "Data Platform")
    assert ("D", "pilot", TODAY) in tiny_store.rows("SELECT * FROM stage_history WHERE initiative = 'D'")
    assert kpi_readings(tiny_store, "D").values.tolist() == [[pd_date(TODAY), 9.0, "omar"]]
    [(actor, target, detail)] = _audit(tiny_store, "initiative.edit")
    assert (actor, target) == ("omar", "D")
    assert detail["changes"]["stage"] == ["idea", "pilot"] and "bu_owner" not in detail["changes"]
    # a later edit of an initiative that has readings (and an incident) still goes through
    log_incident(tiny_store, ADMIN, "D", occurred_on=TODAY, severity="low", what_happened="x", today=TODAY)
    edit_initiative(tiny_store, LEAD_OPS, "D", {"kpi_current": 8.0}, today=TODAY + dt.timedelta(days=30))
    assert kpi_readings(tiny_store, "D")["value"].tolist() == [9.0, 8.0]


def pd_date(day):
    import pandas as pd

    return pd.Timestamp(day)


def test_an_edit_that_changes_nothing_writes_nothing(tiny_store):
    revision = tiny_store.revision
    assert edit_initiative(tiny_store, ADMIN, "A", {"stage": "production", "risk_tier": "low"}).changes == {}
    assert tiny_store.revision == revision and _audit(tiny_store, "initiative.edit") == []


@pytest.mark.parametrize("actor", [VIEWER, FINANCE, LEAD_OPS])
def test_only_admins_and_the_units_team_lead_may_edit(tiny_store, actor):
    with pytest.raises(PermissionDenied):
        edit_initiative(tiny_store, actor, "A", {"risk_tier": "high"})  # A is RETAIL
    assert tiny_store.scalar("SELECT risk_tier FROM initiative WHERE code = 'A'") == "low"
    edit_initiative(tiny_store, LEAD_RETAIL, "A", {"risk_tier": "high"})
    assert tiny_store.scalar("SELECT risk_tier FROM initiative WHERE code = 'A'") == "high"


@pytest.mark.parametrize("changes, words", [
    ({"stage": "launched"}, "stage: 'launched' is not one of idea, pilot"),
    ({"bu_owner": "  "}, "business owner: empty"),
    ({"kpi_current": float("nan")}, "not a finite number"),
    ({"guardrails": "hope"}, "guardrails: 'hope' is not one of"),
    ({"code": "X"}, "'code' cannot be edited here"),
])
def test_bad_values_are_refused_naming_the_field(tiny_store, changes, words):
    with pytest.raises(ValidationError, match=words):
        edit_initiative(tiny_store, ADMIN, "D", changes)


def test_going_live_needs_a_kpi_and_named_owners_and_an_admin_may_override_with_a_reason(tiny_store):
    # C: a RETAIL pilot with no KPI
    with pytest.raises(ValidationError, match="from pilot to production: it needs a KPI\\.") as refused:
        edit_initiative(tiny_store, LEAD_RETAIL, "C", {"stage": "production"})
    assert "override" in str(refused.value)
    with pytest.raises(ValidationError, match="Only an administrator"):
        edit_initiative(tiny_store, LEAD_RETAIL, "C", {"stage": "production"}, override_reason="Board asked for it now")
    with pytest.raises(ValidationError, match="at least 15"):
        edit_initiative(tiny_store, ADMIN, "C", {"stage": "production"}, override_reason="because")
    assert tiny_store.scalar("SELECT stage FROM initiative WHERE code = 'C'") == "pilot"
    edit = edit_initiative(tiny_store, ADMIN, "C", {"stage": "production"},
                           override_reason="Regulator deadline; KPI agreed next month")
    assert edit.override_reason and tiny_store.scalar("SELECT stage FROM initiative WHERE code = 'C'") == "production"
    [(_, _, detail)] = _audit(tiny_store, "initiative.edit")
    assert detail["override_reason"] == "Regulator deadline; KPI agreed next month"


def test_a_placeholder_owner_is_not_a_named_owner():
    record = {"kpi_name": "Churn", "kpi_baseline": 2.0, "kpi_target": 1.0, "bu_owner": "TBD", "platform_owner": "Bo"}
    assert production_gate_gaps(record) == ["a named business owner"]


def test_an_import_that_changes_kpi_current_adds_a_reading(empty_store):
    header = (b"code,name,business_unit,stage,kind,bu_owner,platform_owner,risk_tier,deployment,guardrails,"
              b"start_date,kpi_name,kpi_baseline,kpi_target,kpi_current\n")
    first = header + b"K-01,K,OPS,pilot,predictive,Ana,Bo,low,cloud,none,2026-01-01,Churn,2.4,1.8,2.2\n"
    assert import_upload(empty_store, ADMIN, "initiatives", "a.csv", first, dry_run=False).status == "imported"
    second = first.replace(b"2.2\n", b"1.9\n")
    result = import_upload(empty_store, ADMIN, "initiatives", "b.csv", second, dry_run=False)
    assert result.rows_updated == 1
    assert kpi_readings(empty_store, "K-01")["value"].tolist() == [1.9]  # same day: today's reading replaced
    assert kpi_readings(empty_store, "K-01")["recorded_by"].tolist() == ["ada"]


def test_incidents_are_logged_closed_once_and_flag_the_initiative_while_open(tiny_store):
    with pytest.raises(ValidationError, match="in the future"):
        log_incident(tiny_store, ADMIN, "A", occurred_on=TODAY + dt.timedelta(days=1), severity="high",
                     what_happened="x", today=TODAY)
    with pytest.raises(ValidationError, match="what happened: empty"):
        log_incident(tiny_store, ADMIN, "A", occurred_on=TODAY, severity="high", what_happened=" ", today=TODAY)
    with pytest.raises(PermissionDenied):
        log_incident(tiny_store, LEAD_OPS, "A", occurred_on=TODAY, severity="high", what_happened="x", today=TODAY)
    incident = log_incident(tiny_store, LEAD_RETAIL, "A", occurred_on=dt.date(2026, 2, 10), severity="high",
                            what_happened="Agent approved a loan above its limit", today=TODAY)
    assert flagged_codes(tiny_store, "open_incident", dt.date(2026, 2, 28)) == {"A"}
    close_incident(tiny_store, ADMIN, incident, action_taken="Limit enforced in the tool", today=TODAY)
    with pytest.raises(ValidationError, match="already closed"):
        close_incident(tiny_store, ADMIN, incident, action_taken="Again", today=TODAY)
    assert flagged_codes(tiny_store, "open_incident", dt.date(2026, 2, 28)) == set()
    [row] = incidents(tiny_store, "A").to_dict("records")
    assert (row["status"], row["action_taken"], row["reported_by"]) == ("closed", "Limit enforced in the tool", "rita")
    assert [a for a, *_ in tiny_store.rows("SELECT action FROM audit_event WHERE action LIKE 'incident.%' ORDER BY ts")] \
        == ["incident.log", "incident.close"]
