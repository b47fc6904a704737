"""Adopting a recommendation: hand-computed savings, permissions, nothing written when refused."""

from __future__ import annotations

import pytest

from core.models.adoption import adopt_recommendation, initiative_adoptions
from core.errors import PermissionDenied, ValidationError
from core.portfolio.initiative import initiative_detail
from core.models.catalogue import model_versions
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER
from tests.unit.lab.lab_fixtures import TODAY, hand_report


def _counts(store):
    return [store.scalar(f"SELECT count(*) FROM {t}") for t in ("adoption", "model", "model_version")]


def test_savings_are_todays_measured_cost_minus_the_candidates_times_12_month_volume(lab_store, recorded_run):
    result = adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A")
    p = result.projection
    # today = $400 per 1M = $0.0004 (measured in the run, NOT the usage logs' $0.0006 per call);
    # candidate = $10 per 1M = $0.00001; volume = 2,000,000 → ($0.0004 − $0.00001) × 2,000,000 = $780
    assert p.basis == "measured" and p.reason is None and p.today_candidate == TODAY
    assert p.today_cost_per_inference_usd == pytest.approx(0.0004)
    assert p.candidate_cost_per_inference_usd == pytest.approx(0.00001)
    assert p.annual_volume == 2_000_000
    assert p.annual_savings_usd == pytest.approx(780.0)
    # range: compute scaled by p50 ÷ mean = 0.025 / 0.0275 and p95 ÷ mean = 0.047 / 0.0275 (no overhead here)
    lo, hi = 0.025 / 0.0275, 0.047 / 0.0275
    assert p.annual_savings_range_usd == pytest.approx(((0.0004 * lo - 0.00001 * hi) * 2e6, 800.0))  # capped
    row = lab_store.one("SELECT current_cost_per_1k_usd, new_cost_per_1k_usd, volume_12m, annual_savings_usd, "
                        "annual_savings_low_usd, annual_savings_high_usd, basis, today_candidate, adopted_by "
                        "FROM adoption WHERE id = ?", [result.adoption_id])
    assert [float(v) for v in row[:6]] == [0.4, 0.01, 2_000_000, 780.0, 693.09, 800.0]
    assert row[6:] == ("measured", TODAY, LEAD_RETAIL.name)


def test_projected_savings_never_exceed_todays_measured_cost_times_volume(lab_store, recorded_run):
    from core.lab.runs import load_run
    from core.models.adoption import project_savings

    report, _ = load_run(lab_store, recorded_run)
    for name in ("small", "big"):
        p = project_savings(lab_store, report, name, "A")
        cap = p.today_cost_per_inference_usd * p.annual_volume
        assert p.annual_savings_usd <= cap and p.annual_savings_range_usd[1] <= cap + 1e-9
        assert p.annual_savings_range_usd[0] <= p.annual_savings_usd <= p.annual_savings_range_usd[1]


def _run(store, report, initiative="A"):
    from core.rightsize.config import LabConfig
    from core.lab.runs import record_run
    from core.lab.workloads import save_workload
    from tests.unit.lab.lab_fixtures import distinct_csv

    workload = save_workload(store, ADMIN, f"w-{initiative}", distinct_csv(initiative or "none"),
                             file_name="w.csv", business_unit="RETAIL", initiative=initiative)
    return record_run(store, ADMIN, workload.id, LabConfig(), report)


@pytest.mark.parametrize("linked", [None, "C"])
def test_a_workload_of_another_or_no_initiative_cannot_be_adopted_for_it(lab_store, linked):
    run_id = _run(lab_store, hand_report(), initiative=linked)
    with pytest.raises(ValidationError, match="can only be measured on a workload of A"):
        adopt_recommendation(lab_store, ADMIN, run_id, "small", "A")
    assert _counts(lab_store) == [0, 0, 0]


def test_quality_must_be_within_tolerance_of_todays_model_not_of_the_best(lab_store):
    # today's model reaches 0.96: 'small' (0.90) is within 95% of the lab's best (0.93) but not
    # of today's (needs 0.912)
    run_id = _run(lab_store, hand_report(today_quality=0.96))
    with pytest.raises(ValidationError, match=r"below 95% of today's model \(0.960 → at least 0.912\)"):
        adopt_recommendation(lab_store, ADMIN, run_id, "small", "A")
    assert adopt_recommendation(lab_store, ADMIN, run_id, "big", "A").projection.measured


def test_todays_model_itself_is_not_adoptable(lab_store, recorded_run):
    with pytest.raises(ValidationError, match="runs today: nothing to adopt"):
        adopt_recommendation(lab_store, ADMIN, recorded_run, TODAY, "A")


@pytest.mark.parametrize("report, reason", [
    (hand_report(today_cost_per_1m_usd=None), "no production model version with an ONNX file"),
    (hand_report(today_failed=True), "could not be measured on this workload"),
])
def test_without_a_measured_todays_model_no_saving_is_projected(lab_store, report, reason):
    run_id = _run(lab_store, report)
    result = adopt_recommendation(lab_store, ADMIN, run_id, "small", "A")
    p = result.projection
    assert p.basis == "not measurable" and reason in p.reason
    assert p.annual_savings_usd is None and p.annual_savings_range_usd is None and p.today_cost_per_inference_usd is None
    row = lab_store.one("SELECT basis, basis_reason, annual_savings_usd, current_cost_per_1k_usd FROM adoption")
    assert row[0] == "not measurable" and reason in row[1] and row[2:] == (None, None)


def test_a_registered_production_model_the_run_left_out_says_run_again(lab_store):
    from core.models.catalogue import register_model_version, set_version_status
    from tests.unit.lab.lab_fixtures import identity_onnx

    version = register_model_version(lab_store, ADMIN, "A", "churn-gbm", identity_onnx(), task="classification",
                                     version="3")
    for status in ("approved", "production"):
        set_version_status(lab_store, ADMIN, version, status)
    run_id = _run(lab_store, hand_report(today_cost_per_1m_usd=None))
    p = adopt_recommendation(lab_store, ADMIN, run_id, "small", "A").projection
    assert p.basis == "not measurable" and "run the lab again" in p.reason


def test_savings_lists_every_adoption_with_its_basis(lab_store, recorded_run):
    from core.models.adoption import list_adoptions

    adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A")
    [row] = list_adoptions(lab_store)
    assert {k: row[k] for k in ("initiative", "candidate", "basis", "reason", "today_cost_per_1k",
                                "candidate_cost_per_1k", "annual_volume", "annual_savings")} == {
        "initiative": "A", "candidate": "small", "basis": "measured", "reason": None, "today_cost_per_1k": 0.4,
        "candidate_cost_per_1k": 0.01, "annual_volume": 2_000_000, "annual_savings": 780.0}
    assert row["annual_savings_range"] == [693.09, 800.0]


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
    assert initiative_adoptions(lab_store, "A")["annual_savings_usd"].tolist() == [780.0]
    assert initiative_detail(lab_store, "A").adoptions["candidate_name"].tolist() == ["small"]


def test_a_candidate_dearer_than_todays_model_is_refused_and_nothing_written(lab_store):
    run_id = _run(lab_store, hand_report(small_cost_per_1m_usd=900.0, big_cost_per_1m_usd=5000.0))
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


def test_initiative_without_usage_cannot_project_savings(lab_store):
    run_id = _run(lab_store, hand_report(), initiative="C")
    with pytest.raises(ValidationError, match="served no inferences"):
        adopt_recommendation(lab_store, LEAD_RETAIL, run_id, "small", "C")
