"""The demo store: deterministic for a seed, and every story of the brief is visible."""

from __future__ import annotations

import pytest

from core.demo import build_demo
from core.errors import ValidationError
from core.portfolio.summary import initiative_table
from core.store import Store
from core.portfolio.usage import rebuild_usage_rollup
from tests.conftest import rolled_back_write

FINGERPRINT = """
    SELECT (SELECT count(*) FROM usage_event), (SELECT sum(cost_usd) FROM usage_event),
           (SELECT sum(requests) FROM usage_event), (SELECT sum(hash(ts, initiative, model)) FROM usage_event),
           (SELECT sum(amount) FROM financial_line), (SELECT string_agg(code || stage, ',' ORDER BY code) FROM initiative)
"""


def test_same_seed_same_store_other_seed_other_store(tmp_path, demo_db_template):
    again = build_demo(tmp_path / "again.duckdb", usage_rows=50_000, with_lab=False)
    other = build_demo(tmp_path / "other.duckdb", seed=8, usage_rows=50_000, with_lab=False)
    prints = []
    for path in (demo_db_template, again.db, other.db):
        store = Store.open(path)
        prints.append(store.one(FINGERPRINT))
        store.close()
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_demo_has_the_requested_shape(demo_store):
    counts = demo_store.one(
        "SELECT (SELECT count(*) FROM business_unit), (SELECT count(*) FROM initiative),"
        " (SELECT count(DISTINCT stage) FROM initiative), (SELECT count(DISTINCT kind) FROM initiative),"
        " (SELECT count(DISTINCT month) FROM financial_line), (SELECT count(*) FROM hardware_profile),"
        " (SELECT count(DISTINCT location) FROM hardware_profile)"
    )
    assert counts == (8, 60, 5, 3, 24, 6, 2)
    usage = demo_store.scalar("SELECT count(*) FROM usage_event")
    assert 50_000 <= usage <= 52_000  # "about" the requested rows (each plan row gets ≥ 1 event)


def test_every_story_is_present(demo_store):
    table = initiative_table(demo_store)
    verdicts = set(table["verdict"].dropna())
    assert {"Scale", "Cut", "Fix", "Sustain"} <= verdicts
    assert table["no_kpi"].sum() >= 3
    assert table["stalled_pilot"].sum() >= 3
    assert table["over_budget"].sum() >= 3
    assert table["unit_cost_rising"].sum() >= 3
    agentic = demo_store.rows("SELECT DISTINCT guardrails FROM initiative WHERE kind = 'agentic'")
    assert {"none", "human approval", "validator agent"} & {r[0] for r in agentic} >= {"none"}
    assert len(agentic) >= 2  # agentic systems both with and without guardrails


def test_usage_cost_matches_the_inference_cost_lines(demo_store):
    usage, lines = demo_store.one(
        "SELECT (SELECT sum(cost_usd) FROM usage_event)::DOUBLE,"
        " (SELECT sum(amount) FROM financial_line WHERE category = 'inference' AND scenario = 'actual')::DOUBLE"
    )
    assert usage == pytest.approx(lines, rel=0.02)


def test_rollup_equals_the_group_by_of_the_facts(demo_store):
    columns = "month, initiative, model, location, hardware, events, requests, input_tokens, output_tokens, cost_usd"
    maintained = demo_store.rows(f"SELECT {columns} FROM usage_monthly ORDER BY ALL")
    rebuilt = rolled_back_write(demo_store, lambda cur: (
        rebuild_usage_rollup(cur), cur.execute(f"SELECT {columns} FROM usage_monthly ORDER BY ALL").fetchall())[1])
    assert maintained == rebuilt


def test_existing_file_is_not_overwritten_without_replace(demo_db_path):
    with pytest.raises(ValidationError, match="already exists"):
        build_demo(demo_db_path, usage_rows=10)


def test_usage_rows_out_of_range_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="--usage-rows"):
        build_demo(tmp_path / "x.duckdb", usage_rows=-1)


def test_demo_has_an_adopted_right_size_recommendation(demo_store):
    """The sample lab run keeps most of the best quality at a fraction of its cost, and its
    recommendation is adopted (registered, approved) with savings measured against the model the
    initiative runs today (a production forest measured in the same run)."""
    run = demo_store.one("SELECT recommended, best, report->>'quality_ratio', report->>'cost_ratio' FROM benchmark_run")
    recommended, best, quality_ratio, cost_ratio = run
    assert recommended != best
    assert float(quality_ratio) >= 0.95 and float(cost_ratio) < 0.5
    adoption = demo_store.one("SELECT initiative, candidate_name, annual_savings_usd, basis, today_candidate, "
                              "model_version_id, current_cost_per_1k_usd * volume_12m / 1000 FROM adoption")
    assert adoption[1] == recommended and adoption[2] > 0 and adoption[3] == "measured"
    assert adoption[4] == "Today · churn-forest v1"
    assert adoption[2] <= adoption[6]  # never more than today's measured cost × volume
    statuses = dict(demo_store.rows("SELECT id, status FROM model_version"))
    assert statuses.pop(adoption[5]) == "approved" and list(statuses.values()) == ["production"]
