"""A tiny store with usage for initiative A and one recorded (hand-built) lab run."""

from __future__ import annotations

import pytest

from core.rightsize.config import LabConfig
from core.lab.runs import record_run
from core.lab.workloads import save_workload
from tests.conftest import LEAD_RETAIL
from tests.unit.lab.lab_fixtures import CSV_BYTES, add_usage, hand_report


@pytest.fixture
def lab_store(tiny_store):
    add_usage(tiny_store)
    return tiny_store


@pytest.fixture
def recorded_run(lab_store) -> int:
    """Id of a stored run of a RETAIL workload of initiative A with the hand-built report."""
    workload = save_workload(lab_store, LEAD_RETAIL, "Churn sample", CSV_BYTES, file_name="churn.csv",
                             business_unit="RETAIL", initiative="A")
    return record_run(lab_store, LEAD_RETAIL, workload.id, LabConfig(), hand_report())
