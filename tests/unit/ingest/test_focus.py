"""FOCUS billing: the real 1,000-row sample imports whole, exactly, once; allocation by tag."""

from __future__ import annotations

import json
from decimal import Decimal

from core.ingest import import_upload
from core.ingest.kinds.focus import AllocationRule
from tests.conftest import ADMIN, FINANCE
from tests.unit.ingest.conftest import FOCUS_SAMPLE, run_import

SAMPLE_TOTAL_BILLED = Decimal("20.520226728990")  # sum of the BilledCost text values, as decimals


def _oracle_total() -> Decimal:
    import csv
    with open(FOCUS_SAMPLE, newline="") as handle:
        return sum((Decimal(row["BilledCost"]) for row in csv.DictReader(handle)), Decimal(0))


def test_sample_imports_whole_with_exact_total_and_once(empty_store):
    assert _oracle_total() == SAMPLE_TOTAL_BILLED
    result = run_import(empty_store, "focus", FOCUS_SAMPLE, actor=FINANCE)
    assert result.status == "imported", result.problems[:3]
    assert result.rows_added == 1000
    assert empty_store.one("SELECT count(*), sum(billed_cost) FROM focus_charge") == (1000, SAMPLE_TOTAL_BILLED)
    assert empty_store.scalar("SELECT count(DISTINCT provider_name) FROM focus_charge") >= 3
    assert empty_store.scalar("SELECT min(billed_cost) FROM focus_charge WHERE billed_cost > 0") <= Decimal("1e-8")
    again = run_import(empty_store, "focus", FOCUS_SAMPLE, actor=FINANCE)
    assert again.status == "duplicate"
    assert empty_store.scalar("SELECT count(*) FROM focus_charge") == 1000


def test_sample_keeps_nulls_tags_and_extra_columns(empty_store):
    run_import(empty_store, "focus", FOCUS_SAMPLE)
    assert empty_store.scalar("SELECT count(*) FROM focus_charge WHERE charge_class = 'NULL'") == 0
    tags = [json.loads(t) for (t,) in empty_store.rows("SELECT tags FROM focus_charge WHERE tags IS NOT NULL")]
    assert any("org" in t for t in tags) and not any(" org" in t for t in tags)  # " org" trimmed
    extra = json.loads(empty_store.scalar("SELECT extra FROM focus_charge WHERE source_row = 2"))
    assert extra["ResourceId"].startswith("arn:") and extra["RegionName"] == "US West (Oregon)"
    # nothing allocated: the sample's applications are not initiatives — kept, not dropped
    assert empty_store.one("SELECT count(*), count(initiative) FROM focus_charge") == (1000, 0)
    assert empty_store.scalar("SELECT DISTINCT allocation_rule FROM focus_charge") == \
        "unallocated (tag:application|x_initiative)"


def _focus_file(tags_by_row: list[str]) -> bytes:
    header = ("BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,"
              "ChargeCategory,ChargeClass,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,ContractedCost,"
              "EffectiveCost,InvoiceIssuerName,ListCost,PricingQuantity,PricingUnit,ProviderName,PublisherName,"
              "ServiceCategory,ServiceName,Tags,x_team")
    rows = [f'0.00000001,1,A,USD,2026-02-01,2026-01-01,Usage,NULL,d,2026-01-02,2026-01-01,0,0,I,0,1,'
            f'1000 Tokens,P,P,AI and Machine Learning,S,"{tags.replace(chr(34), chr(34) * 2)}",blue'
            for tags in tags_by_row]
    return (header + "\n" + "\n".join(rows) + "\n").encode()


def test_allocation_by_tag_rule_case_insensitive_keys(store):
    data = _focus_file(['{" Application ": "coa-01"}', '{"x_initiative": "AAT-01", "application": "nope"}',
                        '{"application": "not-an-initiative"}', ""])
    result = import_upload(store, ADMIN, "focus", "f.csv", data, dry_run=False)
    assert result.status == "imported", result.problems
    rows = store.rows("SELECT source_row, initiative, allocation_rule, extra FROM focus_charge"
                      " WHERE import_sha256 = ? ORDER BY source_row", [result.sha256])
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (2, "COA-01", "tag:application"), (3, "AAT-01", "tag:x_initiative"),
        (4, None, "unallocated (tag:application|x_initiative)"), (5, None, "unallocated (tag:application|x_initiative)")]
    assert json.loads(rows[0][3])["x_team"] == "blue"


def test_allocation_rule_is_configurable(store):
    data = _focus_file(['{"cost-centre": "COA-01", "application": "AAT-01"}'])
    result = import_upload(store, ADMIN, "focus", "f.csv", data, dry_run=False,
                           options={"allocation_rule": AllocationRule(("cost-centre",))})
    assert store.one("SELECT initiative, allocation_rule FROM focus_charge WHERE import_sha256 = ?",
                     [result.sha256]) == ("COA-01", "tag:cost-centre")


def test_demo_store_has_billing_allocated_and_unallocated(store):
    by = dict(store.rows("SELECT initiative IS NULL, count(*) FROM focus_charge GROUP BY ALL"))
    assert by[False] > 100 and by[True] > 50
    assert store.scalar("SELECT count(*) FROM focus_charge WHERE service_category = 'AI and Machine Learning'") > 0
    assert store.scalar("SELECT count(*) FROM focus_charge f ANTI JOIN initiative i ON i.code = f.initiative"
                        " WHERE f.initiative IS NOT NULL") == 0


def test_demo_billing_is_deterministic():
    import numpy as np

    from core.demo.billing import billing_rows
    from core.demo.portfolio import build_initiatives

    first = billing_rows(build_initiatives(np.random.default_rng(7)), seed=7)
    again = billing_rows(build_initiatives(np.random.default_rng(7)), seed=7)
    assert first == again and 200 <= len(first) <= 1000
