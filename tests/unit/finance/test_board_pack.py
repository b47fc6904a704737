"""The board pack read back with openpyxl: sheets, numeric cells, formats, freeze panes,
the scenario shown on the page, permission checked and audited (formula injection: security case 17)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core.errors import PermissionDenied
from core.finance.board_pack import SHEETS, build_board_pack
from core.finance.roi import RoiScope
from core.finance.scenarios import ScenarioConfig, compare_scenario
from tests.conftest import FINANCE, LEAD_RETAIL, VIEWER

@pytest.fixture
def hostile_store(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.execute("UPDATE initiative SET name = ? WHERE code = 'A'", ['=HYPERLINK("http://evil","click")'])
        cur.execute("UPDATE initiative SET name = ? WHERE code = 'B'", ["@SUM(1+1)"])
    return tiny_store


def _book(store, actor=FINANCE):
    return openpyxl.load_workbook(io.BytesIO(build_board_pack(store, actor, RoiScope(), "all", 0.10)))


def test_pack_has_the_six_sheets_with_frozen_headers(hostile_store):
    book = _book(hostile_store)
    assert book.sheetnames == list(SHEETS)
    for name in SHEETS[2:]:
        assert book[name].freeze_panes == "A2", name
    assert book["Summary"].freeze_panes == "A4" and book["Scenario"].freeze_panes == "A4"
    assert book["Initiatives"].column_dimensions["B"].width > 20


def test_numbers_are_numeric_with_currency_and_percent_formats(hostile_store):
    book = _book(hostile_store)
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=4) if row[0].value}
    assert isinstance(summary["Total cost"].value, (int, float)) and summary["Total cost"].value == 560
    assert "$" in summary["NPV (baseline, 10 %, all months)"].number_format
    assert summary["ROI"].value == pytest.approx(0.25) and "%" in summary["ROI"].number_format
    initiatives = book["Initiatives"]
    header = [c.value for c in initiatives[1]]
    npv_col = header.index("NPV (baseline)")
    assert all(isinstance(row[npv_col].value, (int, float)) for row in initiatives.iter_rows(min_row=2))


@pytest.mark.parametrize("actor", [VIEWER, LEAD_RETAIL])
def test_export_needs_the_export_permission(tiny_store, actor):
    with pytest.raises(PermissionDenied):
        build_board_pack(tiny_store, actor, RoiScope())


def test_export_is_audited(tiny_store):
    build_board_pack(tiny_store, FINANCE, RoiScope(), "12m", 0.1)
    row = tiny_store.one("SELECT actor, action, target FROM audit_event WHERE action = 'export.board_pack'")
    assert row == ("carl", "export.board_pack", "portfolio")


def test_export_keeps_every_cache_and_audits_after_the_file_is_built(tiny_store, monkeypatch):
    """Exporting is a read: the store's revision (what every cached query keys on) stays put,
    and a pack that fails to build leaves no audit event claiming it was exported."""
    revision = tiny_store.revision
    _book(tiny_store)
    assert tiny_store.revision == revision
    assert tiny_store.scalar("SELECT value FROM store_meta WHERE key = 'revision'") == str(revision)
    assert tiny_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'export.board_pack'") == 1

    import core.finance.board_pack as board_pack

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(board_pack, "top_cost_drivers", broken)
    with pytest.raises(RuntimeError):
        _book(tiny_store)
    assert tiny_store.scalar("SELECT count(*) FROM audit_event WHERE action = 'export.board_pack'") == 1


def test_initiatives_sheet_carries_each_initiatives_flags_including_no_guardrails(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.execute("UPDATE initiative SET kind = 'agentic', guardrails = 'none' WHERE code = 'A'")
        cur.execute("UPDATE initiative SET kind = 'agentic', guardrails = 'human approval' WHERE code = 'B'")
    sheet = _book(tiny_store)["Initiatives"]
    header = [c.value for c in sheet[1]]
    flags = {row[0]: row[header.index("Flags")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "No guardrails" in (flags["A"] or "") and "No guardrails" not in (flags["B"] or "")


WHAT_IF = ScenarioConfig(vendor_price_change=-0.9, volume_growth_monthly=0.05, benefits_scale_with_volume=True)


def _rows(sheet, first: int) -> dict:
    return {row[0].value: row for row in sheet.iter_rows(min_row=first) if row[0].value}


def test_scenario_sheet_holds_the_knobs_with_units_and_the_baseline_vs_scenario_figures(tiny_store):
    data = build_board_pack(tiny_store, FINANCE, RoiScope(), "all", 0.10, WHAT_IF, "DeepSeek crash")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Scenario"]
    assert sheet["A2"].value == "Saved scenario: DeepSeek crash"
    assert [c.value for c in sheet[3]][:3] == ["Knob", "Value", "Unit"]
    knobs = _rows(sheet, 4)
    price = knobs["Vendor price change"]
    assert price[1].value == pytest.approx(-0.9) and "%" in price[1].number_format and "vendor APIs" in price[2].value
    assert knobs["Volume growth per month"][1].value == pytest.approx(0.05)
    assert knobs["Benefits grow with volume"][1].value == "on" and knobs["Right-size savings"][1].value == "off"
    assert knobs["Projected months"][1].value == 12
    expected = compare_scenario(tiny_store, RoiScope(), "all", 0.10, WHAT_IF)
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Figure")
    assert header == ("Figure", "Baseline (+12 months)", "Scenario (+12 months)", "Scenario − baseline")
    figures = _rows(sheet, 11)
    npv = figures["NPV"]
    assert npv[1].value == pytest.approx(expected.baseline.npv_usd) and "$" in npv[1].number_format
    assert npv[2].value == pytest.approx(expected.scenario.npv_usd)
    assert npv[3].value == pytest.approx(expected.scenario.npv_usd - expected.baseline.npv_usd)
    assert npv[2].value != npv[1].value  # the knobs moved the figure
    assert figures["Cost, next 12 months"][2].value == pytest.approx(expected.scenario.forward_cost_usd)
    assert figures["ROI"][2].value == pytest.approx(expected.scenario.roi)


def test_summary_names_each_npv_as_the_page_does(tiny_store):
    data = build_board_pack(tiny_store, FINANCE, RoiScope(), "24m", 0.08, WHAT_IF, None)
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=4) if row[0].value}
    npvs = [label for label in summary if "NPV" in label]
    assert npvs == ["NPV (baseline, 8 %, 24m)", "Baseline NPV (+12 months)", "Scenario NPV (+12 months)"]
    assert summary["Scenario"] == "unsaved knobs (Scenario sheet)"
    assert book["Scenario"]["A2"].value.startswith("Unsaved knobs")


def test_without_a_scenario_the_sheet_shows_knobs_at_zero_and_scenario_equals_baseline(tiny_store):
    sheet = openpyxl.load_workbook(io.BytesIO(build_board_pack(tiny_store, FINANCE, RoiScope())))["Scenario"]
    assert _rows(sheet, 4)["Vendor price change"][1].value == 0
    npv = _rows(sheet, 11)["NPV"]
    assert npv[1].value == pytest.approx(npv[2].value) and npv[3].value == pytest.approx(0)


def test_export_audit_records_the_scenario(tiny_store):
    build_board_pack(tiny_store, FINANCE, RoiScope(), "all", 0.1, WHAT_IF, "DeepSeek crash")
    detail = tiny_store.scalar("SELECT detail FROM audit_event WHERE action = 'export.board_pack'")
    assert "DeepSeek crash" in str(detail) and "-0.9" in str(detail)
