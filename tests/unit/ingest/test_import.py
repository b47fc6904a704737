"""Imports that succeed: all rows or none, once per file, in UTC, with permissions checked."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.errors import PermissionDenied
from core.ingest import all_kinds, import_upload, kinds_for
from tests.conftest import ADMIN, FINANCE, LEAD_RETAIL, VIEWER
from tests.unit.ingest.conftest import DATA, OF_IMPORT, counts, run_import

GOOD = DATA / "good"


def test_same_file_twice_imports_once(store):
    path = GOOD / "usage_mixed_time_zones.csv"
    first = run_import(store, "usage", path)
    assert first.status == "imported" and first.rows_added == 5
    before = counts(store)
    second = run_import(store, "usage", path)
    assert second.status == "duplicate" and second.rows_added == 0
    assert "already imported on" in second.summary() and ADMIN.name in second.summary()
    assert counts(store) == before
    assert run_import(store, "usage", path, dry_run=True).status == "duplicate"


def test_dry_run_previews_and_writes_nothing(store):
    before, revision = counts(store), store.revision
    result = run_import(store, "usage", GOOD / "usage_mixed_time_zones.csv", dry_run=True)
    assert result.status == "dry_run" and result.rows_added == 5
    assert list(result.preview["row"]) == [2, 3, 4, 5, 6]
    assert "5 rows would be added" in result.summary()
    assert counts(store) == before and store.revision == revision


@pytest.mark.parametrize("fast", [True, False])
def test_usage_preview_shows_rows_as_stored_with_the_price_a_row_without_cost_will_get(store, fast):
    data = (b"ts,initiative,model,input_tokens,output_tokens,cost_usd\n"
            b"2026-01-05 10:00:00,COA-01,gpt-4o,1000,200,\n2026-01-05 10:00:01,COA-01,gbm,0,0,0.25\n")
    result = import_upload(store, ADMIN, "usage", "u.csv", data, fast=fast)
    preview = result.preview.set_index("row")
    # gpt-4o: (1000 × 2.50 + 200 × 10.00) / 1M USD
    assert preview.loc[2, "cost_usd"] == pytest.approx(0.0045) and preview.loc[2, "cost_from"] == "price gpt-4o from 2000-01-01"
    assert preview.loc[3, "cost_usd"] == pytest.approx(0.25) and preview.loc[3, "cost_from"] == "file"
    assert list(preview["hardware"]) == ["unspecified"] * 2 and list(preview["requests"]) == [1, 1]
    imported = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=False, fast=fast)
    assert store.rows(f"SELECT cost_usd FROM usage_event WHERE {OF_IMPORT} ORDER BY ts", [imported.sha256]) == [
        (Decimal("0.0045"),), (Decimal("0.25"),)]


def test_timestamps_in_mixed_formats_and_time_zones_are_stored_as_utc(store):
    result = run_import(store, "usage", GOOD / "usage_mixed_time_zones.csv")
    stored = [r[0] for r in store.rows(
        f"SELECT ts FROM usage_event WHERE {OF_IMPORT} ORDER BY ts", [result.sha256])]
    assert stored == [
        dt.datetime(2026, 1, 5, 0, 0), dt.datetime(2026, 1, 5, 10, 0), dt.datetime(2026, 1, 5, 10, 0),
        dt.datetime(2026, 1, 5, 10, 0), dt.datetime(2026, 1, 5, 15, 30, 0, 500000),
    ]


def test_headers_ignore_case_spaces_and_underscores(store):
    result = run_import(store, "usage", GOOD / "usage_messy_headers.csv")
    assert result.status == "imported", result.problems
    row = store.one(f"SELECT model, cost_usd, requests, location FROM usage_event WHERE {OF_IMPORT}",
                    [result.sha256])
    assert row == ("gbm", Decimal("0.5"), 1, "cloud")


@pytest.mark.parametrize("name, model, inp, out, cached, latency_ms, provider, operation", [
    ("usage_otel_new.csv", "gpt-4o", 1000, 100, 200, 1500.0, "openai", "chat"),
    ("usage_otel_old.csv", "gpt-4o-mini", 2000, 400, 0, 250.0, "openai", None),  # no operation column
])
def test_opentelemetry_genai_attribute_names_map(store, name, model, inp, out, cached, latency_ms, provider,
                                                 operation):
    result = run_import(store, "usage", GOOD / name)
    assert result.status == "imported", result.problems
    row = store.one("SELECT model, input_tokens, output_tokens, cached_input_tokens, latency_ms, provider, operation,"
                    f" cost_usd FROM usage_event WHERE {OF_IMPORT}", [result.sha256])
    assert row[:7] == (model, inp, out, cached, latency_ms, provider, operation)
    from core.demo.prices import LIST_PRICES
    _, per_in, per_out = LIST_PRICES[model]
    assert row[7] == (inp * per_in + out * per_out) / Decimal(1_000_000)  # priced: no cost_usd column


def test_usage_import_keeps_the_monthly_rollup_exact(store):
    run_import(store, "usage", GOOD / "usage_mixed_time_zones.csv")
    run_import(store, "usage", GOOD / "usage_otel_new.csv")
    # exact for counts and DECIMAL money; the float latency sum only up to summation order
    rollup = store.rows("SELECT * EXCLUDE (latency_ms_sum), latency_ms_sum FROM usage_monthly ORDER BY ALL")
    oracle = store.rows(
        "SELECT date_trunc('month', ts)::DATE, initiative, model, location, hardware, count(*), sum(requests),"
        " sum(input_tokens), sum(output_tokens), sum(cost_usd)::DECIMAL(18, 6),"
        " coalesce(sum(CASE WHEN latency_ms IS NOT NULL THEN requests END), 0), coalesce(sum(latency_ms * requests), 0)"
        " FROM usage_event GROUP BY ALL ORDER BY ALL")
    assert [r[:-1] for r in rollup] == [r[:-1] for r in oracle]
    assert [r[-1] for r in rollup] == pytest.approx([r[-1] for r in oracle], rel=1e-12)
    imported = store.one("SELECT sum(events), sum(requests) FROM usage_monthly WHERE initiative = 'COA-01'"
                         " AND month = DATE '2026-01-01' AND model = 'gbm'")
    assert imported == (5, 5)


@pytest.mark.parametrize("actor, kind", [(VIEWER, "usage"), (FINANCE, "initiatives"), (LEAD_RETAIL, "focus"),
                                         (LEAD_RETAIL, "financials")])
def test_roles_without_the_permission_are_refused(store, actor, kind):
    with pytest.raises(PermissionDenied):
        import_upload(store, actor, kind, "x.csv", b"a\n1\n")


def test_kinds_for_each_role():
    names = lambda actor: [k.name for k in kinds_for(actor)]  # noqa: E731
    assert names(ADMIN)[:5] == ["initiatives", "financials", "prices", "usage", "focus"]
    assert names(FINANCE) == ["financials", "prices", "focus"]
    assert "usage" in names(LEAD_RETAIL) and "focus" not in names(LEAD_RETAIL)
    assert names(VIEWER) == []


def test_formula_injection_is_stored_verbatim(store):
    result = run_import(store, "initiatives", GOOD / "initiatives_formula.csv")
    assert result.status == "imported", result.problems
    assert store.scalar("SELECT name FROM initiative WHERE code = 'NEW-10'") == '=HYPERLINK("http://evil.example","x")'


def test_initiatives_into_an_empty_store_create_business_units_and_history(empty_store):
    path = GOOD / "initiatives_formula.csv"
    result = run_import(empty_store, "initiatives", path)
    assert result.status == "imported"
    assert empty_store.rows("SELECT code, name FROM business_unit") == [("NEWBU", "NEWBU")]
    assert empty_store.rows("SELECT stage, entered FROM stage_history ORDER BY entered, stage") == [
        ("idea", dt.date(2025, 6, 1)), ("production", dt.date(2025, 6, 1))]


def test_financials_import_and_normalise_month(store):
    data = b"initiative,month,category,kind,scenario,amount\nCOA-01,2030-01-17,compute,cost,plan,1250.50\n"
    result = import_upload(store, FINANCE, "financials", "f.csv", data, dry_run=False)
    assert result.status == "imported", result.problems
    assert store.one("SELECT month, amount, currency FROM financial_line WHERE import_sha256 = ?", [result.sha256]) \
        == (dt.date(2030, 1, 1), Decimal("1250.50"), "USD")


def test_xlsx_and_parquet_uploads(store, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ts", "initiative", "model", "cost_usd"])
    sheet.append([dt.datetime(2026, 3, 1, 12, 0), "COA-01", "gbm", 0.25])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_upload(store, ADMIN, "usage", "usage.xlsx", buffer.getvalue(), dry_run=False)
    assert result.status == "imported", result.problems
    table = pa.table({"ts": [dt.datetime(2026, 3, 2)], "initiative": ["COA-01"], "model": ["gbm"],
                      "cost_usd": [0.5], "requests": [3]})
    pq.write_table(table, tmp_path / "u.parquet")
    result = run_import(store, "usage", tmp_path / "u.parquet")
    assert result.status == "imported", result.problems
    assert store.one(f"SELECT requests, cost_usd FROM usage_event WHERE {OF_IMPORT}", [result.sha256]) == \
        (3, Decimal("0.5"))


def test_audit_event_names_the_actor_and_the_file(store):
    result = run_import(store, "usage", GOOD / "usage_otel_new.csv")
    row = store.one("SELECT actor, action, target, detail FROM audit_event ORDER BY id DESC LIMIT 1")
    assert row[:3] == (ADMIN.name, "import.usage", "usage_otel_new.csv")
    assert result.sha256 in row[3]


def test_every_kind_is_documented():
    for kind in all_kinds():
        assert kind.description and kind.template_rows and kind.required_columns


@pytest.mark.parametrize("fast", [True, False])
def test_usage_dated_in_the_future_is_refused_with_the_row_named_and_nothing_written(store, fast):
    future = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=40)
    data = (b"ts,initiative,model,cost_usd\n2026-01-05 10:00:00,COA-01,gbm,0.25\n"
            + f"{future:%Y-%m-%d %H:%M:%S},COA-01,gbm,0.25\n".encode())
    before = counts(store)
    result = import_upload(store, ADMIN, "usage", "u.csv", data, dry_run=False, fast=fast)
    assert result.status == "rejected" and result.rows_added == 0
    [problem] = result.problems
    assert (problem.row, problem.column) == (3, "ts")
    assert f"{future:%Y-%m-%d %H:%M:%S}" in problem.message and "future" in problem.message
    assert "fix it" in problem.hint
    assert counts(store) == before
