"""Initiatives: one row per AI initiative (admin only). Unknown business units are created.

An import adds new codes and updates existing ones (an upsert), so a portfolio stays current
month after month. Only the columns the file has are compared and written: an optional column
left out of the file (``description``, ``kpi_unit``, ``stage_since`` …) is left as it is. Validation leaves one row per file
row in the temp table ``initiative_changes`` (``action`` add / update / unchanged, and the
field changes in words, "stage: pilot → production; kpi_current: 2.2 → 1.9"), which the dry
run previews and the load applies.

A stage move is recorded in ``stage_history`` (entered on the row's ``stage_since``, else on
the import's date); moving into production or scaled needs a KPI with a baseline and a target
(the problem lists what is missing).
"""

from __future__ import annotations

from core.entities import DEPLOYMENTS, GUARDRAILS, KINDS, RISK_TIERS, STAGES
from core.ingest.kinds.common import check_code_spelling, check_duplicate_keys
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


#: Columns an import may change on an existing initiative (``code`` is the key).
UPDATABLE = ("name", "business_unit", "stage", "kind", "bu_owner", "platform_owner", "kpi_name", "kpi_unit",
             "kpi_baseline", "kpi_target", "kpi_current", "risk_tier", "deployment", "guardrails", "start_date",
             "stage_since", "description")
LIVE_STAGES = ("production", "scaled")
_GATE_FIELDS = ("kpi_name", "kpi_baseline", "kpi_target")


def _present(upload) -> tuple[str, ...]:
    """The updatable columns this file has (names from ``COLUMNS``, never from the file)."""
    return tuple(name for name in UPDATABLE if name in upload.present)


def _describe_changes(fields: tuple[str, ...]) -> str:
    """``concat_ws`` of "field: old → new" for each present field whose value differs."""
    parts = [f"CASE WHEN t.{f} IS DISTINCT FROM i.{f} THEN '{f}: ' || coalesce(CAST(i.{f} AS VARCHAR), '(none)')"
             f" || ' → ' || coalesce(CAST(t.{f} AS VARCHAR), '(none)') END" for f in fields]
    return f"concat_ws('; ', {', '.join(parts)})" if parts else "''"


def validate(cur, upload) -> None:
    check_duplicate_keys(cur, ("code",), "initiative code", codes=("code",))
    check_code_spelling(cur, "code", "initiative", "initiative code")
    check_code_spelling(cur, "business_unit", "business_unit", "business unit")
    present = _present(upload)
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE initiative_changes AS
            SELECT t._row AS row, t.code, i.stage AS old_stage,
                   CASE WHEN i.code IS NULL THEN '' ELSE {_describe_changes(present)} END AS changes,
                   CASE WHEN i.code IS NULL THEN 'add'
                        WHEN {_describe_changes(present)} = '' THEN 'unchanged' ELSE 'update' END AS action
            FROM upload_typed t LEFT JOIN initiative i ON i.code = t.code""")
    cur.execute(
        "INSERT INTO upload_problem SELECT _row, 'stage_since', 'stage_since is before start_date', "
        "'Use a date on or after start_date.' FROM upload_typed WHERE stage_since < start_date")
    # the production gate: a move into production needs a KPI with a baseline and a target
    value = {f: (f"t.{f}" if f in present else f"i.{f}") for f in _GATE_FIELDS}
    missing = ", ".join(f"CASE WHEN {value[f]} IS NULL THEN '{f}' END" for f in _GATE_FIELDS)
    if "stage" in present:
        cur.execute(
            f"""INSERT INTO upload_problem
                SELECT t._row, 'stage', 'moving ' || t.code || ' from ' || i.stage || ' to ' || t.stage
                       || ' needs a KPI with a baseline and a target; missing: ' || concat_ws(', ', {missing}),
                       'Fill in ' || concat_ws(', ', {missing}) || ' on this row, or keep its current stage.'
                FROM upload_typed t JOIN initiative i ON i.code = t.code
                WHERE t.stage IN {LIVE_STAGES} AND i.stage NOT IN {LIVE_STAGES}
                  AND concat_ws(', ', {missing}) <> ''""")


def count_upserts(cur) -> tuple[int, int, int]:
    """(rows adding an initiative, rows updating one, rows changing nothing), after ``validate``."""
    row = cur.execute("SELECT count(*) FILTER (action = 'add'), count(*) FILTER (action = 'update'),"
                      " count(*) FILTER (action = 'unchanged') FROM initiative_changes").fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def preview(cur, rows: int):
    """Every row's action and, for an update, each field change ("stage: pilot → production")."""
    return cur.execute(
        "SELECT c.row, c.code, t.name, c.action, c.changes FROM initiative_changes c"
        " JOIN upload_typed t ON t._row = c.row ORDER BY (c.action = 'unchanged'), c.row LIMIT ?", [rows]).df()


def load(cur, upload) -> int:
    """Add the new initiatives, update the changed ones; returns the rows written (added + updated)."""
    present = _present(upload)
    cur.execute(
        "INSERT INTO business_unit (code, name)"
        " SELECT business_unit, coalesce(any_value(business_unit_name), business_unit)"
        " FROM upload_typed ANTI JOIN business_unit b ON b.code = upload_typed.business_unit GROUP BY business_unit")
    added = "SEMI JOIN initiative_changes c ON c.row = t._row AND c.action = 'add'"
    cur.execute(
        "INSERT INTO initiative (code, name, business_unit, stage, kind, bu_owner, platform_owner, kpi_name, kpi_unit,"
        " kpi_baseline, kpi_target, kpi_current, risk_tier, deployment, guardrails, start_date, stage_since, description)"
        " SELECT code, name, business_unit, stage, kind, bu_owner, platform_owner, kpi_name, kpi_unit, kpi_baseline,"
        " kpi_target, kpi_current, risk_tier, deployment, guardrails, start_date, coalesce(stage_since, start_date),"
        f" coalesce(description, '') FROM upload_typed t {added} ORDER BY _row")
    cur.execute(
        f"INSERT INTO stage_history SELECT code, 'idea', start_date FROM upload_typed t {added}"
        f" UNION ALL SELECT code, stage, coalesce(stage_since, start_date) FROM upload_typed t {added}"
        " WHERE stage <> 'idea'")
    # KPI readings (``kpi_reading``): a new initiative's first value, and each changed value,
    # dated today (the file's day of arrival) and signed by the importer
    who = str(getattr(upload.actor, "name", "import"))
    cur.execute(
        f"INSERT OR REPLACE INTO kpi_reading SELECT code, current_date, kpi_current, ? FROM upload_typed t {added}"
        " WHERE kpi_current IS NOT NULL", [who])
    if "kpi_current" in present:
        cur.execute(
            "INSERT OR REPLACE INTO kpi_reading SELECT t.code, current_date, t.kpi_current, ?"
            " FROM upload_typed t JOIN initiative i ON i.code = t.code"
            " SEMI JOIN initiative_changes c ON c.row = t._row AND c.action = 'update'"
            " WHERE t.kpi_current IS NOT NULL AND t.kpi_current IS DISTINCT FROM i.kpi_current", [who])
    if "stage" in present:  # stage moves first, while initiative still holds the old stage
        cur.execute(
            "INSERT INTO stage_history SELECT t.code, t.stage, coalesce(t.stage_since, current_date)"
            " FROM upload_typed t JOIN initiative i ON i.code = t.code"
            " SEMI JOIN initiative_changes c ON c.row = t._row AND c.action = 'update' WHERE t.stage <> i.stage")
    assignments = [f"{f} = coalesce(t.description, '')" if f == "description" else f"{f} = t.{f}"
                   for f in present if f != "stage_since"]
    if "stage" in present:
        since = "t.stage_since" if "stage_since" in present else "NULL"
        assignments.append(f"stage_since = CASE WHEN t.stage <> initiative.stage THEN coalesce({since}, current_date)"
                           f" ELSE coalesce({since}, initiative.stage_since) END")
    elif "stage_since" in present:
        assignments.append("stage_since = coalesce(t.stage_since, initiative.stage_since)")
    if assignments:
        cur.execute(
            f"UPDATE initiative SET {', '.join(assignments)} FROM upload_typed t"
            " SEMI JOIN initiative_changes c ON c.row = t._row AND c.action = 'update'"
            " WHERE initiative.code = t.code")
    changed = cur.execute("SELECT count(*) FROM initiative_changes WHERE action IN ('add', 'update')").fetchone()[0]
    cur.execute("DROP TABLE initiative_changes")
    return int(changed)


KIND = UploadKind(
    name="initiatives", label="Initiatives", permission="import_initiatives", columns=COLUMNS,
    load=load, validate=validate, preview=preview, count_upserts=count_upserts, template_rows=TEMPLATE_ROWS,
    max_bytes=20 * 1024 * 1024, max_rows=100_000,
    description="One row per AI initiative: new codes are added, existing ones updated (only the columns the "
                "file has). New business units named here are created.",
)
