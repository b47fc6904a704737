"""From `factory init` to a populated portfolio through the CLI alone, against hand-computed figures.

The small organisation (tests/data/good/small_org): A-01 production, cost 1,000 + 1,000 actual
(plan 900 + 900), benefit 3,000; B-01 production, cost 5,000, benefit 1,000; C-01 an idea
without a KPI, cost 100. Reporting month 2026-02.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ORG = Path(__file__).resolve().parents[2] / "data" / "good" / "small_org"
PASSWORD = "long-enough-pass"


def factory(*args, stdin: str = ""):
    result = subprocess.run([sys.executable, "-m", "core.cli", *args], input=stdin, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def org_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("org") / "org.duckdb"
    factory("init", "--db", str(db), "--admin", "ada", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    factory("import", "initiatives", str(ORG / "initiatives.csv"), "--db", str(db))
    factory("import", "financials", str(ORG / "financials.csv"), "--db", str(db))
    return db


def test_portfolio_json_equals_the_hand_computed_figures(org_db):
    payload = json.loads(factory("portfolio", "--db", str(org_db), "--json"))
    assert payload["as_of"] == "2026-02-28"
    tiles = payload["tiles"]
    assert (tiles["initiatives"], tiles["spend_to_date"], tiles["realised_value"]) == (3, 7100.0, 4000.0)
    assert tiles["roi"] == pytest.approx((4000 - 7100) / 7100, abs=1e-12)
    assert (tiles["in_production"], tiles["without_kpi"]) == (2, 1)
    rows = {row["code"]: row for row in payload["initiatives"]}
    assert set(rows["A-01"]) == {"code", "name", "business_unit", "stage", "kind", "bu_owner", "platform_owner",
                                 "spend", "value", "roi", "verdict", "flags"}
    # median value of live initiatives = (3000 + 1000) / 2 = 2000
    assert (rows["A-01"]["spend"], rows["A-01"]["value"], rows["A-01"]["roi"]) == (2000.0, 3000.0, 0.5)
    assert rows["A-01"]["verdict"] == "Scale"                      # value ≥ spend and ≥ median
    assert rows["A-01"]["flags"] == ["Over budget"]                 # 2000 > 1.1 × 1800
    assert (rows["B-01"]["roi"], rows["B-01"]["verdict"]) == (-0.8, "Cut")
    assert (rows["C-01"]["roi"], rows["C-01"]["verdict"], rows["C-01"]["flags"]) == (None, None, ["No KPI"])
    assert (rows["B-01"]["bu_owner"], rows["B-01"]["platform_owner"]) == ("Ben Ortiz", "AI Platform")


def test_roi_json_equals_the_hand_computed_npv(org_db):
    payload = json.loads(factory("roi", "--db", str(org_db), "--json"))
    monthly = 1.10 ** (1 / 12) - 1
    # January: −(1000 + 5000); February: −(1000 + 100) + 3000 + 1000; month 0 undiscounted
    npv = -6000 + 2900 / (1 + monthly)
    assert payload["npv"] == pytest.approx(npv, abs=0.01)
    assert (payload["total_cost"], payload["total_benefit"]) == (7100.0, 4000.0)
    assert math.isclose(payload["roi"], -3100 / 7100)


def test_portfolio_text_lists_every_initiative(org_db):
    text = factory("portfolio", "--db", str(org_db))
    assert text.startswith("As of 2026-02-28: 3 initiatives, spend $7,100, value $4,000, ROI -44%")
    assert [line.split()[0] for line in text.splitlines()[1:]] == ["A-01", "B-01", "C-01"]
