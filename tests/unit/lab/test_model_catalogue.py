"""The model registry: status workflow with approvals, ONNX metadata, downloads."""

from __future__ import annotations

import pytest

from core.models.adoption import adopt_recommendation
from core.errors import PermissionDenied, ValidationError
from core.models.catalogue import (allowed_transitions, list_models, onnx_metadata, register_model_version,
                           set_version_status, version_onnx_bytes)
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER
from tests.unit.lab.lab_fixtures import identity_onnx


@pytest.fixture
def version_id(lab_store, recorded_run) -> int:
    return adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A").model_version_id


def test_status_moves_candidate_approved_production_retired_and_is_audited(lab_store, version_id):
    for actor, status in ((LEAD_RETAIL, "approved"), (ADMIN, "production"), (LEAD_RETAIL, "retired")):
        assert set_version_status(lab_store, actor, version_id, status).new_status == status
    events = lab_store.rows("SELECT actor, detail->>'to' FROM audit_event WHERE action = 'model.status' ORDER BY id")
    assert events == [(LEAD_RETAIL.name, "approved"), (ADMIN.name, "production"), (LEAD_RETAIL.name, "retired")]


def test_illegal_transition_is_refused_with_the_allowed_next_states(lab_store, version_id):
    with pytest.raises(ValidationError, match="Allowed next states: approved, retired"):
        set_version_status(lab_store, ADMIN, version_id, "production")
    set_version_status(lab_store, ADMIN, version_id, "retired")
    with pytest.raises(ValidationError, match="none \\(retired is final\\)"):
        set_version_status(lab_store, ADMIN, version_id, "approved")
    assert allowed_transitions("approved") == ("production", "retired")


@pytest.mark.parametrize("actor", [LEAD_OPS, VIEWER, FINANCE])
def test_only_admin_or_the_units_lead_may_approve(lab_store, version_id, actor):
    with pytest.raises(PermissionDenied):
        set_version_status(lab_store, actor, version_id, "approved")
    assert lab_store.scalar("SELECT status FROM model_version WHERE id = ?", [version_id]) == "candidate"


def test_onnx_metadata_reads_opset_inputs_outputs_and_nodes():
    meta = onnx_metadata(identity_onnx(3))
    assert meta.opset == 17 and meta.node_count == 1 and meta.size_bytes == len(identity_onnx(3))
    assert meta.inputs == ({"name": "input", "type": "float", "shape": ["?", 3]},)
    assert meta.outputs[0]["name"] == "output" and len(meta.sha256) == 64
    with pytest.raises(ValidationError, match="Not an ONNX model"):
        onnx_metadata(b"not a model at all")


def test_registered_version_downloads_the_same_bytes(lab_store):
    version = register_model_version(lab_store, LEAD_RETAIL, "A", "manual", identity_onnx(), task="classification",
                                     version="1")
    assert version_onnx_bytes(lab_store, version) == identity_onnx()
    models = list_models(lab_store)
    assert models.loc[models["name"] == "manual", "latest_status"].item() == "candidate"
    with pytest.raises(PermissionDenied):
        register_model_version(lab_store, LEAD_OPS, "A", "manual", identity_onnx(), task="x", version="2")


def test_a_model_trained_elsewhere_is_registered_after_the_file_checks(lab_store):
    from core.models.catalogue import register_uploaded_model

    version = register_uploaded_model(lab_store, LEAD_RETAIL, "A", " ext-gbm ", identity_onnx(), task="classification",
                                      version="2026.11", file_name="ext.onnx")
    row = lab_store.one("SELECT m.name, m.initiative, v.version, v.status, v.opset, v.workload_id FROM model_version v"
                        " JOIN model m ON m.id = v.model_id WHERE v.id = ?", [version])
    assert row == ("ext-gbm", "A", "2026.11", "candidate", 17, None)
    assert version_onnx_bytes(lab_store, version) == identity_onnx()
    assert lab_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'model.register'") == 1
    assert lab_store.scalar("SELECT description FROM model WHERE name = 'ext-gbm'") == \
        "Uploaded to the Model Registry (ext.onnx)."


@pytest.mark.parametrize("data, name, version, task, words", [
    (b"\x80\x04\x95 pickle", "m", "v1", "classification", "pickle"),
    (b"", "m", "v1", "classification", "empty"),
    (b"not a model at all", "m", "v1", "classification", "not an ONNX model"),
    (None, "", "v1", "classification", "Model name"),
    (None, "m", " ", "classification", "Version"),
    (None, "m", "v1", "ranking", "Task"),
])
def test_a_bad_registration_says_what_and_stores_nothing(lab_store, data, name, version, task, words):
    from core.models.catalogue import register_uploaded_model

    before = lab_store.scalar("SELECT count(*) FROM model_version")
    with pytest.raises(ValidationError, match=words):
        register_uploaded_model(lab_store, LEAD_RETAIL, "A", name, identity_onnx() if data is None else data,
                                task=task, version=version)
    assert lab_store.scalar("SELECT count(*) FROM model_version") == before


def test_registering_is_checked_in_core_for_the_initiatives_unit_and_versions_are_unique(lab_store):
    from core.models.catalogue import register_uploaded_model

    for actor in (LEAD_OPS, VIEWER, FINANCE):  # A is RETAIL's
        with pytest.raises(PermissionDenied):
            register_uploaded_model(lab_store, actor, "A", "m", identity_onnx(), task="regression", version="v1")
    register_uploaded_model(lab_store, ADMIN, "A", "m", identity_onnx(), task="regression", version="v1")
    with pytest.raises(ValidationError, match="already has a version 'v1'"):
        register_uploaded_model(lab_store, LEAD_RETAIL, "A", "m", identity_onnx(), task="regression", version="v1")


def test_approve_and_retire_at_the_same_moment_one_wins_the_other_is_told(lab_store, version_id, monkeypatch):
    """Both reviewers read 'candidate' before either writes (a barrier holds them there): the
    workflow check inside the transaction lets one move through and refuses the other, so
    retired -> approved can never happen."""
    import threading

    from core.models import catalogue

    real_read, both_read = catalogue.version_business_unit, threading.Barrier(2, timeout=30)

    def read_then_wait(store, vid):
        state = real_read(store, vid)
        both_read.wait()
        return state

    monkeypatch.setattr(catalogue, "version_business_unit", read_then_wait)
    outcomes: dict[str, object] = {}

    def review(actor, status):
        try:
            outcomes[status] = set_version_status(lab_store, actor, version_id, status).new_status
        except ValidationError as error:
            outcomes[status] = error

    threads = [threading.Thread(target=review, args=(ADMIN, "approved")),
               threading.Thread(target=review, args=(LEAD_RETAIL, "retired"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [status for status, outcome in outcomes.items() if outcome == status]
    [loser] = [outcome for outcome in outcomes.values() if isinstance(outcome, ValidationError)]
    assert len(winners) == 1 and "changed by someone else" in str(loser) and "nothing was changed" in str(loser)
    assert lab_store.scalar("SELECT status FROM model_version WHERE id = ?", [version_id]) == winners[0]
    assert lab_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'model.status'") == 1


def _ml_only_onnx() -> bytes:
    """A model that imports only ai.onnx.ml (a Scaler), which ONNX Runtime runs."""
    from onnx import TensorProto, helper

    node = helper.make_node("Scaler", ["input"], ["output"], domain="ai.onnx.ml", offset=[0.0, 0.0], scale=[1.0, 2.0])
    graph = helper.make_graph([node], "scaler", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 2])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, 2])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("ai.onnx.ml", 1)]).SerializeToString()


def test_opsets_are_recorded_per_domain_so_an_ml_only_model_has_one():
    """An ai.onnx.ml-only model used to show an empty opset: only the default domain was read."""
    meta = onnx_metadata(_ml_only_onnx())
    assert meta.opsets == (("ai.onnx.ml", 1),) and meta.opset is None
    assert onnx_metadata(identity_onnx()).opsets == (("ai.onnx", 17),)


def test_the_registry_reports_every_domains_opset(lab_store):
    from core.models.catalogue import model_versions, register_uploaded_model

    version = register_uploaded_model(lab_store, LEAD_RETAIL, "A", "ml-only", _ml_only_onnx(),
                                      task="regression", version="v1", file_name="scaler.onnx")
    model_id = lab_store.scalar("SELECT model_id FROM model_version WHERE id = ?", [version])
    assert model_versions(lab_store, model_id)["opsets"].tolist() == ["ai.onnx.ml 1"]
