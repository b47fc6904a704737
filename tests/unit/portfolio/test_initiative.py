"""The Initiative view: code parsing, KPI progress, money and usage aggregates."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import NotFoundError, ValidationError
from core.portfolio.initiative import initiative_detail, kpi_progress, parse_initiative_code


@pytest.mark.parametrize("raw, words", [
    (None, "No initiative chosen"), ("   ", "No initiative chosen"),
    ("'; DROP TABLE initiative; --", "is not an initiative code"), ("x" * 200, "is not an initiative code"),
    ("<script>", "is not an initiative code"),
])
def test_malformed_codes_get_a_clear_message(raw, words):
    with pytest.raises(ValidationError, match=words):
        parse_initiative_code(raw)


def test_unknown_code_is_not_found(tiny_store):
    with pytest.raises(NotFoundError, match="no initiative with code 'ZZ-99'"):
        initiative_detail(tiny_store, "ZZ-99")


@pytest.mark.parametrize("baseline, target, current, expected", [
    (10, 5, 7.5, 0.5),      # lower is better
    (80, 200, 140, 0.5),    # higher is better
    (10, 5, 12, -0.4),      # moved the wrong way
    (10, 10, 10, None), (None, 5, 4, None), (10, 5, None, None),
])
def test_kpi_progress(baseline, target, current, expected):
    assert kpi_progress(baseline, target, current) == (pytest.approx(expected) if expected is not None else None)


def test_detail_money_of_the_tiny_store(tiny_store):
    detail = initiative_detail(tiny_store, "A")
    assert (detail.spend_usd, detail.value_usd, detail.budget_usd) == (200, 500, 160)
    assert detail.roi == pytest.approx(1.5)
    assert detail.kpi_progress == pytest.approx(0.5)
    assert list(detail.money["cum_actual_cost"]) == [100, 200]
    assert list(detail.money["month"]) == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)] or \
        [d.date() for d in detail.money["month"]] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert detail.usage.empty and detail.models.empty


def test_detail_usage_comes_from_the_rollup(demo_store):
    code = demo_store.scalar("SELECT initiative FROM usage_monthly GROUP BY 1 ORDER BY sum(requests) DESC LIMIT 1")
    detail = initiative_detail(demo_store, code)
    facts = demo_store.one(
        "SELECT sum(requests), sum(cost_usd)::DOUBLE FROM usage_event WHERE initiative = ?", [code])
    assert detail.usage["requests"].sum() == facts[0]
    assert detail.usage["cost_usd"].sum() == pytest.approx(facts[1])
    assert not detail.models.empty


def test_detail_reads_the_initiative_by_column_name_whatever_the_column_order(tiny_store):
    """A table whose columns come in another order, with one more in front, fills every field right."""
    with tiny_store.system_write(action="test.reorder_columns") as cur:
        columns = [r[0] for r in cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'initiative' "
            "ORDER BY ordinal_position").fetchall()]
        cur.execute(f"CREATE TABLE initiative_reordered AS SELECT 'extra' AS added_later, "
                    f"{', '.join(reversed(columns))} FROM initiative")
        cur.execute("DROP TABLE initiative")
        cur.execute("ALTER TABLE initiative_reordered RENAME TO initiative")
    detail = initiative_detail(tiny_store, "A")
    assert detail.business_unit_name == "Retail"
    assert detail.initiative.model_dump() == {
        "code": "A", "name": "Initiative A", "business_unit": "RETAIL", "stage": "production", "kind": "predictive",
        "bu_owner": "Owner", "platform_owner": "ML Platform", "kpi_name": "Churn", "kpi_unit": "%",
        "kpi_baseline": 10.0, "kpi_target": 5.0, "kpi_current": 7.5, "risk_tier": "low", "deployment": "cloud",
        "guardrails": "none", "start_date": dt.date(2025, 1, 1), "stage_since": dt.date(2026, 1, 1), "description": "",
    }
