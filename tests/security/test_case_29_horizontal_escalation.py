"""Case 29 — horizontal escalation: the team lead of one business unit (OPS, or RETAIL against
CORP) tries to change what belongs to another unit — edit or retire its initiative, log or close
its incidents, move or register its model versions, upload or benchmark its workloads, import
usage for its initiatives. Core denies each (``PermissionDenied`` for a direct call, a rejected
import naming the initiative's unit), writes nothing, and audits the refusal; the same lead may
do it in their own unit (the positive controls), and the pages do not offer the forms.

Deleting is not offered for any of these (core has no delete for an initiative, a model
version, a workload, an import or an incident); the nearest moves — retiring an initiative or a
model version — are tried here."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.errors import PermissionDenied, ValidationError
from core.ingest import import_upload
from core.lab.runs import load_run, record_run
from core.lab.workloads import list_workloads, save_workload
from core.models.catalogue import register_uploaded_model, set_version_status
from core.portfolio.editing import close_incident, edit_initiative, log_incident
from core.rightsize.config import LabConfig
from tests.app.conftest import new_app
from tests.conftest import LEAD_OPS, LEAD_RETAIL
from tests.unit.lab.conftest import lab_store, recorded_run  # noqa: F401 (fixtures, by name)
from tests.unit.ingest.conftest import DATA, run_import
from tests.unit.lab.lab_fixtures import CSV_BYTES, hand_report, identity_onnx

TODAY = dt.date(2026, 11, 30)
GOOD = DATA / "good"
# in the demo store: COA-01 and CP-01 are RETAIL's (CP-01 has versions 1 and 2), workload 1 is
# RETAIL's, incident 3 is open on CORP's SRA-01
RETAIL_INITIATIVE, RETAIL_MODEL_VERSION, RETAIL_WORKLOAD, CORP_OPEN_INCIDENT = "COA-01", 2, 1, 3


def _snapshot(store):
    return {
        "initiatives": store.rows("SELECT * FROM initiative ORDER BY code"),
        "stage_history": store.scalar("SELECT count(*) FROM stage_history"),
        "incidents": store.rows("SELECT id, status, action_taken FROM guardrail_incident ORDER BY id"),
        "versions": store.rows("SELECT id, status FROM model_version ORDER BY id"),
        "workloads": store.rows("SELECT id, business_unit FROM workload ORDER BY id"),
        "runs": store.scalar("SELECT count(*) FROM benchmark_run"),
        "usage": store.scalar("SELECT count(*) FROM usage_event"),
        "ledger": store.scalar("SELECT count(*) FROM import_ledger"),
        "revision": store.revision,
    }


def _attempts():
    return {
        "initiative.edit": lambda s: edit_initiative(s, LEAD_OPS, RETAIL_INITIATIVE, {"risk_tier": "high"}, today=TODAY),
        "initiative.retire": lambda s: edit_initiative(s, LEAD_OPS, RETAIL_INITIATIVE, {"stage": "retired"},
                                                       today=TODAY),
        "incident.log": lambda s: log_incident(s, LEAD_OPS, RETAIL_INITIATIVE, occurred_on=TODAY, severity="high",
                                               what_happened="x", today=TODAY),
        "incident.close": lambda s: close_incident(s, LEAD_RETAIL, CORP_OPEN_INCIDENT, action_taken="closed by another unit",
                                                   today=TODAY),
        "model.status": lambda s: set_version_status(s, LEAD_OPS, RETAIL_MODEL_VERSION, "retired"),
        "model.register": lambda s: register_uploaded_model(s, LEAD_OPS, "CP-01", "mine", identity_onnx(),
                                                            task="regression", version="v9"),
        "workload.upload": lambda s: save_workload(s, LEAD_OPS, "w", CSV_BYTES, file_name="w.csv",
                                                   business_unit="RETAIL"),
        "lab.run": lambda s: record_run(s, LEAD_OPS, RETAIL_WORKLOAD, LabConfig(), hand_report()),
    }


@pytest.mark.parametrize("action", sorted(_attempts()))
def test_a_lead_changing_another_units_things_is_refused_in_core_and_audited(demo_store, action):
    before = _snapshot(demo_store)
    events = demo_store.scalar("SELECT max(id) FROM audit_event")
    with pytest.raises(PermissionDenied, match="may only"):
        _attempts()[action](demo_store)
    assert _snapshot(demo_store) == before
    [(actor, logged, detail)] = demo_store.rows("SELECT actor, action, detail FROM audit_event WHERE id > ?", [events])
    assert logged == "access.refused" and actor in (LEAD_OPS.name, LEAD_RETAIL.name)
    assert json.loads(detail)["attempted"] == action.replace("initiative.retire", "initiative.edit")


def test_positive_control_the_lead_may_do_it_in_their_own_unit(demo_store):
    edit_initiative(demo_store, LEAD_RETAIL, RETAIL_INITIATIVE, {"risk_tier": "high"}, today=TODAY)
    log_incident(demo_store, LEAD_RETAIL, RETAIL_INITIATIVE, occurred_on=TODAY, severity="low", what_happened="x",
                 today=TODAY)
    set_version_status(demo_store, LEAD_RETAIL, RETAIL_MODEL_VERSION, "retired")
    assert demo_store.scalar("SELECT risk_tier FROM initiative WHERE code = ?", [RETAIL_INITIATIVE]) == "high"
    assert demo_store.scalar("SELECT status FROM model_version WHERE id = ?", [RETAIL_MODEL_VERSION]) == "retired"


def test_an_own_workload_cannot_be_linked_to_another_units_initiative(demo_store):
    before = _snapshot(demo_store)
    with pytest.raises(ValidationError, match=f"Initiative {RETAIL_INITIATIVE} belongs to RETAIL"):
        save_workload(demo_store, LEAD_OPS, "w", CSV_BYTES, file_name="w.csv", business_unit="OPS",
                      initiative=RETAIL_INITIATIVE)
    assert _snapshot(demo_store) == before


def test_the_same_bytes_as_another_units_workload_never_hand_over_that_workload(demo_store):
    theirs = save_workload(demo_store, LEAD_RETAIL, "theirs", CSV_BYTES, file_name="t.csv", business_unit="RETAIL")
    mine = save_workload(demo_store, LEAD_OPS, "mine", CSV_BYTES, file_name="m.csv", business_unit="OPS")
    assert mine.id != theirs.id and mine.business_unit == "OPS" and mine.created
    stored = list_workloads(demo_store).set_index("id")
    assert stored.loc[theirs.id, "name"] == "theirs"


def _usage(*initiatives: str) -> bytes:
    lines = ["ts,initiative,model,requests,cost_usd"] + [f"2026-03-15T10:00:00Z,{code},gbm,1,0.5" for code in initiatives]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("initiatives", [(RETAIL_INITIATIVE,), ("APM-01", RETAIL_INITIATIVE, "APM-01")])
def test_usage_for_another_units_initiative_is_rejected_whole(demo_store, fast, initiatives):
    """A file of only RETAIL rows, and OPS rows with one RETAIL row among them, on both the typed
    fast path and the text path, dry run and real import."""
    before = _snapshot(demo_store)
    for dry_run in (True, False):
        result = import_upload(demo_store, LEAD_OPS, "usage", "usage.csv", _usage(*initiatives), dry_run=dry_run,
                               fast=fast)
        assert result.status == "rejected" and result.rows_added == 0
        [problem] = result.problems
        assert f"initiative {RETAIL_INITIATIVE} belongs to RETAIL" in problem.message
        assert "may only import usage for business unit OPS" in problem.message
    assert _snapshot(demo_store) == before
    own = import_upload(demo_store, LEAD_OPS, "usage", "own.csv", _usage("APM-01"), dry_run=False, fast=fast)
    assert own.status == "imported" and own.rows_added == 1  # positive control


def test_the_initiative_page_offers_no_edit_form_for_another_units_initiative(app_db):
    at = new_app(LEAD_OPS, initiative=RETAIL_INITIATIVE)
    at.run()
    at.switch_page("pages/initiative.py").run()
    assert not at.exception
    assert at.title[0].value and not [b for b in at.button if b.label in ("Save changes", "Log incident")]
    own = new_app(LEAD_RETAIL, initiative=RETAIL_INITIATIVE)  # positive control
    own.run()
    own.switch_page("pages/initiative.py").run()
    assert [b for b in own.button if b.label == "Save changes"]


# moved from tests/unit/lab/test_lab_workloads.py
def test_lead_of_another_unit_may_not_record_a_run(lab_store, recorded_run):
    _, workload_id = load_run(lab_store, recorded_run)
    with pytest.raises(PermissionDenied):
        record_run(lab_store, LEAD_OPS, workload_id, LabConfig(), hand_report())
    assert lab_store.scalar("SELECT count(*) FROM benchmark_run") == 1


# moved from tests/unit/ingest/test_import.py (on the demo store, which its `store` fixture was)
def test_team_lead_imports_own_business_unit_only(demo_store):
    path = GOOD / "usage_mixed_time_zones.csv"  # COA-01 belongs to RETAIL
    refused = run_import(demo_store, "usage", path, actor=LEAD_OPS)
    assert refused.status == "rejected"
    assert "belongs to RETAIL" in refused.problems[0].message and "business unit OPS" in refused.problems[0].message
    assert run_import(demo_store, "usage", path, actor=LEAD_RETAIL).status == "imported"
