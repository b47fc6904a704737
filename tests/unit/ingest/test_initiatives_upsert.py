"""Importing initiatives keeps a portfolio current: new codes are added, existing ones updated
(only the columns the file has), every field change listed by the dry run, stage moves
recorded, and the move into production gated on a KPI with a baseline and a target."""

from __future__ import annotations

import datetime as dt

from core.ingest import import_upload
from tests.conftest import ADMIN

HEADER = ("code,name,business_unit,stage,kind,bu_owner,platform_owner,kpi_name,kpi_baseline,kpi_target,"
          "kpi_current,risk_tier,deployment,guardrails,start_date")
# C (pilot since 2025-06-01, no KPI) and A (production) of the tiny store; NEW-01 is new
ROWS = [
    "A,Initiative A,RETAIL,scaled,predictive,Owner,ML Platform,Churn,10,5,6.5,low,cloud,none,2025-01-01",
    "C,Initiative C,RETAIL,pilot,predictive,Owner,ML Platform,,10,5,7.5,low,cloud,none,2025-01-01",
    "NEW-01,Fresh idea,OPS,idea,generative,Ola,AI Platform,,,,,low,cloud,none,2026-02-01",
]


def _import(store, rows, *, dry_run):
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    return import_upload(store, ADMIN, "initiatives", "initiatives.csv", data, dry_run=dry_run)


def test_the_dry_run_lists_every_field_change_and_writes_nothing(tiny_store):
    revision = tiny_store.revision
    result = _import(tiny_store, ROWS, dry_run=True)
    assert result.status == "dry_run", result.problems
    assert (result.rows_added, result.rows_updated) == (1, 1)
    assert "1 row already matches the store (unchanged)." in result.notes   # C is exactly as stored
    preview = result.preview.set_index("code")
    assert preview.loc["A", "action"] == "update"
    assert preview.loc["A", "changes"] == "stage: production → scaled; kpi_current: 7.5 → 6.5"
    assert preview.loc["NEW-01", "action"] == "add" and preview.loc["C", "action"] == "unchanged"
    assert result.summary() == "initiatives.csv: 1 row would be added, 1 updated (dry run; nothing saved)."
    assert tiny_store.revision == revision
    assert tiny_store.scalar("SELECT stage FROM initiative WHERE code = 'A'") == "production"


def test_the_import_adds_updates_and_records_the_stage_move(tiny_store):
    result = _import(tiny_store, ROWS, dry_run=False)
    assert result.status == "imported", result.problems
    assert (result.rows_added, result.rows_updated) == (1, 1)
    assert result.as_dict()["rows_updated"] == 1
    assert result.summary() == "initiatives.csv: added 1 row, updated 1."
    stage, kpi, since = tiny_store.one("SELECT stage, kpi_current, stage_since FROM initiative WHERE code = 'A'")
    assert (stage, kpi, since) == ("scaled", 6.5, dt.date.today())
    moves = tiny_store.rows("SELECT stage, entered FROM stage_history WHERE initiative = 'A' ORDER BY entered")
    assert moves[-1] == ("scaled", dt.date.today())
    assert tiny_store.scalar("SELECT count(*) FROM stage_history WHERE initiative = 'NEW-01'") == 1
    # optional columns the file does not have are left as they were
    assert tiny_store.scalar("SELECT kpi_unit FROM initiative WHERE code = 'A'") == "%"
    detail = tiny_store.scalar("SELECT detail->>'rows_updated' FROM audit_event WHERE action = 'import.initiatives'")
    assert detail == "1"


def test_moving_into_production_needs_a_kpi_with_baseline_and_target(tiny_store):
    to_production = "C,Initiative C,RETAIL,production,predictive,Owner,ML Platform,Churn,,5,,low,cloud,none,2025-01-01"
    result = _import(tiny_store, [to_production], dry_run=False)
    assert result.status == "rejected"
    (problem,) = result.problems
    assert problem.message == "moving C from pilot to production needs a KPI with a baseline and a target; missing: kpi_baseline"
    assert "Fill in kpi_baseline" in problem.hint
    assert tiny_store.scalar("SELECT stage FROM initiative WHERE code = 'C'") == "pilot"
    with_kpi = "C,Initiative C,RETAIL,production,predictive,Owner,ML Platform,Churn,10,5,,low,cloud,none,2025-01-01"
    assert _import(tiny_store, [with_kpi], dry_run=False).status == "imported"
    assert tiny_store.scalar("SELECT stage FROM initiative WHERE code = 'C'") == "production"
