"""The getting-started checklist is ticked from what the store holds, step by step."""

from __future__ import annotations

from core.ingest import import_upload
from core.portfolio.onboarding import setup_checklist, store_holdings
from tests.conftest import ADMIN


def test_an_empty_store_has_every_step_open_and_says_what_each_needs(empty_store):
    steps = setup_checklist(empty_store)
    assert [s.label for s in steps] == ["Business units and initiatives", "Financial lines", "Model prices",
                                        "Usage and FOCUS billing", "Feature snapshots", "A first lab run"]
    assert not any(s.done for s in steps)
    assert [s.kinds for s in steps[:5]] == [("initiatives",), ("financials",), ("prices",), ("usage", "focus"),
                                           ("snapshots",)]
    assert steps[5].page == "pages/rightsize_lab.py"
    assert store_holdings(empty_store).initiatives == 0


def test_each_import_ticks_its_own_step(empty_store):
    csv = (b"code,name,business_unit,stage,kind,bu_owner,platform_owner,risk_tier,deployment,guardrails,start_date\n"
           b"A-01,A,OPS,pilot,predictive,Ana,Bo,low,cloud,none,2026-01-01\n"
           b"B-01,B,RISK,production,predictive,Cy,Bo,low,cloud,none,2026-01-01\n")
    assert import_upload(empty_store, ADMIN, "initiatives", "i.csv", csv, dry_run=False).status == "imported"
    usage = b"ts,initiative,model,cost_usd\n2026-02-01 10:00:00,A-01,gbm,0.5\n"
    assert import_upload(empty_store, ADMIN, "usage", "u.csv", usage, dry_run=False).status == "imported"
    steps = {s.label: s for s in setup_checklist(empty_store)}
    assert steps["Business units and initiatives"].done
    assert steps["Business units and initiatives"].detail == "2 initiatives in 2 business units"
    assert not steps["Financial lines"].done
    usage_step = steps["Usage and FOCUS billing"]
    assert not usage_step.done and usage_step.detail == "1 monthly usage row; no FOCUS billing yet"


def test_the_demo_store_has_every_step_done(demo_store):
    assert all(step.done for step in setup_checklist(demo_store))
