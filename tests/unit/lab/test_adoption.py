"""Adopting a recommendation: hand-computed savings, permissions, nothing written when refused."""

from __future__ import annotations

import pytest

from core.models.adoption import adopt_recommendation, adoptable_initiatives, initiative_adoptions
from core.errors import PermissionDenied, ValidationError
from core.portfolio.initiative import initiative_detail
from core.models.catalogue import model_versions
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER


def _counts(store):
    return [store.scalar(f"SELECT count(*) FROM {t}") for t in ("adoption", "model", "model_version")]


def test_savings_are_current_minus_new_cost_times_12_month_volume(lab_store, recorded_run):
    result = adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A")
    # current = $1,200 / 2,000,000 = $0.0006; new = $10 per 1M = $0.00001; volume = 2,000,000
    assert result.projection.current_cost_per_inference_usd == pytest.approx(0.0006)
    assert result.projection.new_cost_per_inference_usd == pytest.approx(0.00001)
    assert result.projection.volume_12m == 2_000_000
    assert result.projection.annual_savings_usd == pytest.approx(1180.0)
    row = lab_store.one("SELECT current_cost_per_1k_usd, new_cost_per_1k_usd, volume_12m, annual_savings_usd, "
                        "adopted_by FROM adoption WHERE id = ?", [result.adoption_id])
    assert [float(v) for v in row[:4]] == [0.6, 0.01, 2_000_000, 1180.0] and row[4] == LEAD_RETAIL.name


def test_adoption_registers_a_candidate_version_with_lineage(lab_store, recorded_run):
    result = adopt_recommendation(lab_store, ADMIN, recorded_run, "small", "A")
    model_id = lab_store.scalar("SELECT model_id FROM model_version WHERE id = ?", [result.model_version_id])
    version = model_versions(lab_store, model_id).iloc[0]
    assert version["status"] == "candidate" and version["benchmark_run_id"] == recorded_run
    assert version["workload"] == "Churn sample" and version["opset"] == 17 and version["node_count"] == 1
    assert lab_store.scalar("SELECT initiative FROM model WHERE id = ?", [model_id]) == "A"


def test_adopting_twice_returns_the_first_adoption(lab_store, recorded_run):
    first = adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A")
    again = adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A")
    assert not again.created and again.adoption_id == first.adoption_id
    assert _counts(lab_store) == [1, 1, 1]


def test_adoption_shows_on_the_initiative_at_once(lab_store, recorded_run):
    adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A")
    assert initiative_adoptions(lab_store, "A")["annual_savings_usd"].tolist() == [1180.0]
    assert initiative_detail(lab_store, "A").adoptions["candidate_name"].tolist() == ["small"]


def test_a_more_expensive_candidate_is_refused_and_nothing_written(lab_store, tiny_store):
    from core.rightsize.config import LabConfig
    from core.lab.runs import record_run
    from core.lab.workloads import save_workload
    from tests.unit.lab.lab_fixtures import CSV_BYTES, hand_report

    workload = save_workload(lab_store, ADMIN, "w", CSV_BYTES, file_name="w.csv", business_unit="RETAIL")
    run_id = record_run(lab_store, ADMIN, workload.id, LabConfig(), hand_report(small_cost_per_1m_usd=900.0,
                                                                                big_cost_per_1m_usd=5000.0))
    with pytest.raises(ValidationError, match="would not save money.*Nothing was adopted"):
        adopt_recommendation(lab_store, ADMIN, run_id, "small", "A")
    assert _counts(lab_store) == [0, 0, 0]


@pytest.mark.parametrize("actor", [LEAD_OPS, VIEWER, FINANCE])
def test_lead_of_another_unit_viewer_and_finance_may_not_adopt(lab_store, recorded_run, actor):
    with pytest.raises(PermissionDenied):
        adopt_recommendation(lab_store, actor, recorded_run, "small", "A")
    assert _counts(lab_store) == [0, 0, 0]


def test_only_measured_frontier_candidates_can_be_adopted(lab_store, recorded_run):
    with pytest.raises(ValidationError, match="was not measured"):
        adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "broken", "A")
    with pytest.raises(ValidationError, match="no candidate 'nope'"):
        adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "nope", "A")


def test_initiative_without_usage_cannot_project_savings(lab_store, recorded_run):
    with pytest.raises(ValidationError, match="served no inferences"):
        adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "C")


def test_team_lead_may_adopt_only_for_their_units_initiatives(lab_store):
    assert [code for code, _ in adoptable_initiatives(lab_store, LEAD_RETAIL)] == ["A", "C"]
    assert len(adoptable_initiatives(lab_store, ADMIN)) == 4
    assert adoptable_initiatives(lab_store, VIEWER) == []
