"""Initiatives: one row per AI initiative (admin only). Unknown business units are created."""

from __future__ import annotations

from core.entities import DEPLOYMENTS, GUARDRAILS, KINDS, RISK_TIERS, STAGES
from core.ingest.kinds.common import check_duplicate_keys
from core.ingest.registry import Column, UploadKind

COLUMNS = (
    Column("code", "code", required=True),
    Column("name", "text", required=True, max_length=200),
    Column("business_unit", "code", required=True),
    Column("stage", "choice", required=True, choices=STAGES),
    Column("kind", "choice", required=True, choices=KINDS),
    Column("bu_owner", "text", required=True, max_length=120),
    Column("platform_owner", "text", required=True, max_length=120),
    Column("kpi_name", "text", max_length=200),
    Column("kpi_baseline", "number", signed=True),
    Column("kpi_target", "number", signed=True),
    Column("kpi_current", "number", signed=True),
    Column("risk_tier", "choice", required=True, choices=RISK_TIERS),
    Column("deployment", "choice", required=True, choices=DEPLOYMENTS),
    Column("guardrails", "choice", required=True, choices=GUARDRAILS),
    Column("start_date", "date", required=True),
    Column("kpi_unit", "text", max_length=40),
    Column("stage_since", "date"),
    Column("business_unit_name", "text", max_length=120),
    Column("description", "text", max_length=2000),
)

TEMPLATE_ROWS = (
    {"code": "CHURN-01", "name": "Churn early warning", "business_unit": "RETAIL", "stage": "pilot",
     "kind": "predictive", "bu_owner": "Amara Okafor", "platform_owner": "ML Platform", "kpi_name": "Monthly churn",
     "kpi_baseline": "2.4", "kpi_target": "1.8", "kpi_current": "2.2", "risk_tier": "medium", "deployment": "cloud",
     "guardrails": "human approval", "start_date": "2026-01-15"},
)


def validate(cur, upload) -> None:
    check_duplicate_keys(cur, ("code",), "initiative code")
    cur.execute(
        "INSERT INTO upload_problem SELECT t._row, 'code', 'initiative ' || t.code || ' already exists', "
        "'Remove the row: imports add initiatives, they do not change existing ones.' "
        "FROM upload_typed t SEMI JOIN initiative i ON i.code = t.code")
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'stage_since', 'stage_since is before start_date', "
        "'Use a date on or after start_date.' FROM upload_typed WHERE stage_since < start_date")


def load(cur, upload) -> int:
    cur.execute(
        "INSERT INTO business_unit SELECT business_unit, coalesce(any_value(business_unit_name), business_unit)"
        " FROM upload_typed ANTI JOIN business_unit b ON b.code = upload_typed.business_unit GROUP BY business_unit")
    cur.execute(
        "INSERT INTO initiative (code, name, business_unit, stage, kind, bu_owner, platform_owner, kpi_name, kpi_unit,"
        " kpi_baseline, kpi_target, kpi_current, risk_tier, deployment, guardrails, start_date, stage_since, description)"
        " SELECT code, name, business_unit, stage, kind, bu_owner, platform_owner, kpi_name, kpi_unit, kpi_baseline,"
        " kpi_target, kpi_current, risk_tier, deployment, guardrails, start_date, coalesce(stage_since, start_date),"
        " coalesce(description, '') FROM upload_typed ORDER BY _row")
    cur.execute(
        "INSERT INTO stage_history SELECT code, 'idea', start_date FROM upload_typed"
        " UNION ALL SELECT code, stage, coalesce(stage_since, start_date) FROM upload_typed WHERE stage <> 'idea'")
    return upload.rows


KIND = UploadKind(
    name="initiatives", label="Initiatives", permission="import_initiatives", columns=COLUMNS,
    load=load, validate=validate, template_rows=TEMPLATE_ROWS, max_bytes=20 * 1024 * 1024, max_rows=100_000,
    description="One row per AI initiative. New business units named here are created.",
)
