"""Workloads and runs in the store: idempotent uploads, rows in DuckDB, runs kept whole."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from core.cli.rightsize import profiles_for
from core.errors import PermissionDenied
from core.rightsize.pricing import DEFAULT_PROFILES
from core.lab.runs import hardware_profiles, list_runs, load_run
from core.lab.workloads import column_tasks, list_workloads, save_workload, workload_frame
from tests.conftest import ADMIN, FINANCE, LEAD_OPS, LEAD_RETAIL, VIEWER
from tests.unit.lab.lab_fixtures import CSV_BYTES, hand_report


def test_same_file_twice_stores_one_workload(lab_store):
    first = save_workload(lab_store, LEAD_RETAIL, "Churn", CSV_BYTES, file_name="churn.csv", business_unit="RETAIL")
    again = save_workload(lab_store, ADMIN, "Other name", CSV_BYTES, file_name="copy.csv", business_unit="RETAIL")
    assert first.created and not again.created and again.id == first.id
    assert (first.rows, first.columns) == (60, 3)
    assert len(list_workloads(lab_store)) == 1
    assert lab_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'workload.upload'") == 1


def test_workload_rows_live_in_duckdb_and_the_staging_file_is_removed(lab_store):
    record = save_workload(lab_store, LEAD_RETAIL, "", CSV_BYTES, file_name="churn.csv", business_unit="RETAIL")
    assert record.name == "churn"
    frame = workload_frame(lab_store, record.id)
    assert list(frame.columns) == ["x1", "x2", "label"] and len(frame) == 60
    assert column_tasks(frame)["label"] == "classification" and column_tasks(frame)["x1"] == "regression"
    assert list((lab_store.staging_dir / "tmp").glob("upload-*")) == []


@pytest.mark.parametrize("kind", ["parquet", "xlsx"])
def test_parquet_and_excel_workloads_are_stored(lab_store, kind):
    frame = pd.read_csv(io.BytesIO(CSV_BYTES))
    buffer = io.BytesIO()
    frame.to_parquet(buffer) if kind == "parquet" else frame.to_excel(buffer, index=False)
    record = save_workload(lab_store, LEAD_RETAIL, "t", buffer.getvalue(), file_name=f"t.{kind}",
                           business_unit="RETAIL")
    assert workload_frame(lab_store, record.id)["x1"].sum() == frame["x1"].sum()


@pytest.mark.parametrize("actor", [VIEWER, FINANCE, LEAD_OPS])
def test_only_the_units_lead_or_admin_may_upload(lab_store, actor):
    with pytest.raises(PermissionDenied):
        save_workload(lab_store, actor, "x", CSV_BYTES, file_name="x.csv", business_unit="RETAIL")
    assert lab_store.scalar("SELECT count(*) FROM workload") == 0


def test_run_is_recorded_with_report_config_and_frontier_onnx(lab_store, recorded_run):
    report, workload_id = load_run(lab_store, recorded_run)
    assert report.to_dict() == hand_report().to_dict()
    assert set(report.onnx_bytes_by_name) == {"small", "big"}
    runs = list_runs(lab_store, workload_id)
    assert runs.loc[0, "recommended"] == "small" and runs.loc[0, "run_by"] == LEAD_RETAIL.name
    assert lab_store.one("SELECT target, task FROM workload WHERE id = ?", [workload_id]) == ("label", "classification")


def test_hardware_profiles_come_from_the_store(lab_store):
    profiles = hardware_profiles(lab_store)
    assert [p.name for p in profiles] == ["cloud-cpu-4", "edge-arm"]
    assert profiles[0].price_per_hour_usd == pytest.approx(0.17) and profiles[0].target_utilisation == 0.6


def test_cli_prices_on_the_stores_profiles_and_defaults_without_a_database(demo_db_path, tmp_path):
    assert len(profiles_for(demo_db_path)) == 6
    assert "cloud-gpu-a100" in {p.name for p in profiles_for(demo_db_path)}
    assert profiles_for(None) == DEFAULT_PROFILES
    assert profiles_for(tmp_path / "missing.duckdb") == DEFAULT_PROFILES


def test_a_workload_links_only_to_an_initiative_of_its_business_unit(lab_store):
    from core.errors import ValidationError
    from core.lab.workloads import get_workload, unit_initiatives

    assert [code for code, _ in unit_initiatives(lab_store, "RETAIL")] == ["A", "C"]
    before = lab_store.scalar("SELECT count(*) FROM workload")
    for stranger, words in (("B", "belongs to OPS"), ("ZZ", "does not exist")):
        with pytest.raises(ValidationError, match=words):
            save_workload(lab_store, LEAD_RETAIL, "Churn", CSV_BYTES, file_name="churn.csv", business_unit="RETAIL",
                          initiative=stranger)
    assert lab_store.scalar("SELECT count(*) FROM workload") == before
    record = save_workload(lab_store, LEAD_RETAIL, "Churn", CSV_BYTES, file_name="churn.csv", business_unit="RETAIL",
                           initiative="C")
    assert get_workload(lab_store, record.id).initiative == "C"
