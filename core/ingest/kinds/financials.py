"""Financial lines: plan/actual cost and benefit per initiative, month and category."""

from __future__ import annotations

from core.entities import BENEFIT_CATEGORY, COST_CATEGORIES, LINE_KINDS, SCENARIOS
from core.ingest.kinds.common import check_duplicate_keys, check_known_initiatives
from core.ingest.registry import Column, UploadKind

KEY = ("initiative", "month", "category", "kind", "scenario")
COLUMNS = (
    Column("initiative", "code", required=True),
    Column("month", "month", required=True),
    Column("category", "choice", required=True, choices=(*COST_CATEGORIES, BENEFIT_CATEGORY)),
    Column("kind", "choice", required=True, choices=LINE_KINDS),
    Column("scenario", "choice", required=True, choices=SCENARIOS),
    Column("amount", "money", required=True, scale=2),
    Column("currency", "text", default="USD"),
)

TEMPLATE_ROWS = (
    {"initiative": "CHURN-01", "month": "2026-01", "category": "compute", "kind": "cost", "scenario": "actual",
     "amount": "1250.00", "currency": "USD"},
    {"initiative": "CHURN-01", "month": "2026-01", "category": "value", "kind": "benefit", "scenario": "plan",
     "amount": "4000.00", "currency": "USD"},
)


def validate(cur, upload) -> None:
    check_known_initiatives(cur)
    check_duplicate_keys(cur, KEY, "line (initiative/month/category/kind/scenario)")
    cur.execute(
        "INSERT INTO upload_problem SELECT t._row, 'initiative', 'a line for ' || t.initiative || ' ' ||"
        " strftime(t.month, '%Y-%m') || ' ' || t.category || ' ' || t.kind || ' ' || t.scenario || ' already exists',"
        " 'Remove the row, or correct the existing line on the ROI Review page.'"
        " FROM upload_typed t SEMI JOIN financial_line f ON f.initiative = t.initiative AND f.month = t.month"
        " AND f.category = t.category AND f.kind = t.kind AND f.scenario = t.scenario")
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'category', 'category ' || category || ' does not go with kind ' ||"
        " kind, 'Benefits use category value; costs use compute, inference, licences, people or data.'"
        " FROM upload_typed WHERE (category = 'value') <> (kind = 'benefit')")
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'currency', 'expected a 3-letter ISO 4217 code, got ''' ||"
        " currency || '''', 'Write USD, EUR, GBP ...' FROM upload_typed"
        " WHERE currency IS NOT NULL AND NOT regexp_full_match(currency, '[A-Z]{3}')")


def load(cur, upload) -> int:
    cur.execute(
        "INSERT INTO financial_line (initiative, month, category, kind, scenario, amount, currency, import_sha256)"
        " SELECT initiative, month, category, kind, scenario, amount, coalesce(currency, 'USD'), ?"
        " FROM upload_typed ORDER BY initiative, month", [upload.sha256])
    return upload.rows


KIND = UploadKind(
    name="financials", label="Financial lines", permission="edit_financials", columns=COLUMNS,
    load=load, validate=validate, template_rows=TEMPLATE_ROWS, max_bytes=50 * 1024 * 1024, max_rows=1_000_000,
    description="Plan and actual costs and benefits per initiative and month (amounts ≥ 0; the kind gives the sign).",
)
