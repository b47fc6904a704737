"""The committed templates under data/templates/ are generated from the registry and stay in step."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from core.ingest import all_kinds, import_upload, template_csv
from core.ingest.templates import template_file_name
from tests.conftest import ADMIN

TEMPLATES = Path(__file__).resolve().parents[3] / "data" / "templates"
MINIMUM = {
    "initiatives": "code, name, business_unit, stage, kind, bu_owner, platform_owner, kpi_name, kpi_baseline, "
                   "kpi_target, kpi_current, risk_tier, deployment, guardrails, start_date",
    "financials": "initiative, month, category, kind, scenario, amount, currency",
    "usage": "ts, initiative, model, requests, input_tokens, output_tokens, latency_ms, cost_usd, location, hardware",
    "focus": "BilledCost, BillingAccountId, BillingAccountName, BillingCurrency, BillingPeriodEnd, BillingPeriodStart, "
             "ChargeCategory, ChargeClass, ChargeDescription, ChargePeriodEnd, ChargePeriodStart, ContractedCost, "
             "EffectiveCost, InvoiceIssuerName, ListCost, PricingQuantity, PricingUnit, ProviderName, PublisherName, "
             "ServiceCategory, ServiceName, Tags",
}


@pytest.mark.parametrize("kind", [k.name for k in all_kinds()])
def test_committed_template_matches_the_registry(kind):
    path = TEMPLATES / template_file_name(kind)
    if os.environ.get("FACTORY_WRITE_TEMPLATES"):  # regenerate: FACTORY_WRITE_TEMPLATES=1 pytest ...
        path.write_text(template_csv(kind))
    assert path.read_text() == template_csv(kind), f"{path} drifted: rerun with FACTORY_WRITE_TEMPLATES=1"


@pytest.mark.parametrize("kind", sorted(MINIMUM))
def test_template_has_the_agreed_columns(kind):
    header = next(csv.reader(io.StringIO(template_csv(kind))))
    assert header[: len(MINIMUM[kind].split(", "))] == MINIMUM[kind].split(", ")


def test_initiatives_template_imports_into_an_empty_store(empty_store):
    result = import_upload(empty_store, ADMIN, "initiatives", "t.csv", template_csv("initiatives").encode())
    assert result.status == "dry_run", result.problems


def test_focus_template_validates(empty_store):
    result = import_upload(empty_store, ADMIN, "focus", "t.csv", template_csv("focus").encode())
    assert result.status == "dry_run", result.problems


def test_snapshots_template_shows_where_features_go_and_validates(demo_store):
    template = template_csv("snapshots")
    assert next(csv.reader(io.StringIO(template)))[-2:] == ["age", "channel"]  # example features
    model_id = demo_store.scalar("SELECT min(id) FROM model")
    data = template.replace("\n26,", f"\n{model_id},").encode()
    result = import_upload(demo_store, ADMIN, "snapshots", "t.csv", data)
    assert result.status == "dry_run", result.problems
