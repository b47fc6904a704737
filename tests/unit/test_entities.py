"""Entities: every field is a column of its table; bad numbers are rejected."""

from __future__ import annotations

import datetime as dt

import pydantic
import pytest

from core.entities import TABLE_OF, FinancialLine, HardwareProfile, Initiative, UsageEvent


@pytest.mark.parametrize("entity, table", list(TABLE_OF.items()), ids=lambda x: getattr(x, "__name__", x))
def test_every_entity_field_is_a_column_of_its_table(empty_store, entity, table):
    columns = {row[0] for row in empty_store.rows(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])}
    assert set(entity.model_fields) <= columns


LINE = dict(initiative="A-01", month=dt.date(2026, 1, 15), category="compute", kind="cost",
            scenario="actual", amount="12.50")


@pytest.mark.parametrize("field, value", [
    ("amount", "nan"), ("amount", "inf"), ("amount", "-1"), ("amount", "1e309"),
    ("category", "snacks"), ("kind", "profit"), ("scenario", "forecast"), ("initiative", "bad code!"),
    ("currency", "usd"),
])
def test_financial_line_rejects(field, value):
    with pytest.raises(pydantic.ValidationError):
        FinancialLine.model_validate({**LINE, field: value})


def test_financial_line_month_is_first_of_month():
    assert FinancialLine.model_validate(LINE).month == dt.date(2026, 1, 1)


@pytest.mark.parametrize("field, value", [("cost_usd", float("nan")), ("latency_ms", float("inf")),
                                          ("requests", 0), ("input_tokens", -5), ("location", "moon")])
def test_usage_event_rejects(field, value):
    event = dict(ts="2026-01-01T00:00:00", initiative="A-01", model="m", cost_usd=0.1, hardware="cloud-cpu-4")
    UsageEvent.model_validate(event)
    with pytest.raises(pydantic.ValidationError):
        UsageEvent.model_validate({**event, field: value})


def test_hardware_profile_needs_positive_watts_and_sane_utilisation():
    base = dict(name="x", location="edge", price_per_hour_usd=0.1, cores=4, watts=10)
    HardwareProfile.model_validate(base)
    for bad in ({"watts": 0}, {"target_utilisation": 1.5}, {"cores": 0}, {"price_per_hour_usd": -1}):
        with pytest.raises(pydantic.ValidationError):
            HardwareProfile.model_validate({**base, **bad})


def test_initiative_rejects_unknown_stage():
    good = dict(code="A-01", name="A", business_unit="RETAIL", stage="pilot", kind="agentic", bu_owner="x",
                platform_owner="y", risk_tier="low", deployment="cloud", guardrails="none",
                start_date="2026-01-01", stage_since="2026-01-01")
    Initiative.model_validate(good)
    with pytest.raises(pydantic.ValidationError, match="stage"):
        Initiative.model_validate({**good, "stage": "hype"})
