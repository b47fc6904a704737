"""``factory savings``: each adoption with its basis, from the same core function the pages use."""

from __future__ import annotations

import json
import subprocess
import sys

from core.models.adoption import adopt_recommendation
from tests.conftest import ADMIN, LEAD_RETAIL
from tests.unit.lab.lab_fixtures import TODAY, hand_report
from tests.unit.lab.test_adoption import _run


def _factory(*args) -> str:
    result = subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_savings_json_lists_measured_and_not_measurable_adoptions(lab_store, recorded_run):
    adopt_recommendation(lab_store, LEAD_RETAIL, recorded_run, "small", "A")
    adopt_recommendation(lab_store, ADMIN, _run(lab_store, hand_report(today_cost_per_1m_usd=None)), "big", "A")
    path = lab_store.path
    lab_store.close()
    rows = json.loads(_factory("savings", "--db", str(path), "--json"))
    by_candidate = {row["candidate"]: row for row in rows}
    measured, unmeasured = by_candidate["small"], by_candidate["big"]
    # hand-computed in tests/unit/lab/lab_fixtures.py: ($0.0004 − $0.00001) × 2,000,000 = $780
    assert {k: measured[k] for k in ("initiative", "basis", "reason", "today_candidate", "today_cost_per_1k",
                                     "candidate_cost_per_1k", "annual_volume", "annual_savings",
                                     "annual_savings_range")} == {
        "initiative": "A", "basis": "measured", "reason": None, "today_candidate": TODAY, "today_cost_per_1k": 0.4,
        "candidate_cost_per_1k": 0.01, "annual_volume": 2_000_000, "annual_savings": 780.0,
        "annual_savings_range": [693.09, 800.0]}
    assert unmeasured["basis"] == "not measurable" and "no production model version" in unmeasured["reason"]
    assert unmeasured["annual_savings"] is None and unmeasured["today_cost_per_1k"] is None
    text = _factory("savings", "--db", str(path))
    assert "$780 a year ($693 – $800)" in text and "not measurable" in text
    assert "Measured savings: $780 a year over 1 of 2 adoptions." in text
