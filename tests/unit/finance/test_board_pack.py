"""The board pack read back with openpyxl: sheets, numeric cells, formats, freeze panes,
formula injection neutralised, permission checked and audited."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core.errors import PermissionDenied
from core.finance.board_pack import SHEETS, build_board_pack, neutralise
from core.finance.roi import RoiScope
from tests.conftest import FINANCE, LEAD_RETAIL, VIEWER

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "\nLF", "\0NUL"]


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_prefixes_a_quote_to_formula_starts(text):
    assert neutralise(text) == "'" + text


def test_neutralise_leaves_plain_text_alone():
    assert neutralise("Voice-of-customer analytics") == "Voice-of-customer analytics"


@pytest.fixture
def hostile_store(tiny_store):
    with tiny_store.system_write(action="test.fixture") as cur:
        cur.execute("UPDATE initiative SET name = ? WHERE code = 'A'", ['=HYPERLINK("http://evil","click")'])
        cur.execute("UPDATE initiative SET name = ? WHERE code = 'B'", ["@SUM(1+1)"])
    return tiny_store


def _book(store, actor=FINANCE):
    return openpyxl.load_workbook(io.BytesIO(build_board_pack(store, actor, RoiScope(), "all", 0.10)))


def test_pack_has_the_five_sheets_with_frozen_headers(hostile_store):
    book = _book(hostile_store)
    assert book.sheetnames == list(SHEETS)
    for name in SHEETS[1:]:
        assert book[name].freeze_panes == "A2", name
    assert book["Summary"].freeze_panes == "A4"
    assert book["Initiatives"].column_dimensions["B"].width > 20


def test_numbers_are_numeric_with_currency_and_percent_formats(hostile_store):
    book = _book(hostile_store)
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=4) if row[0].value}
    assert isinstance(summary["Total cost"].value, (int, float)) and summary["Total cost"].value == 560
    assert "$" in summary["NPV"].number_format
    assert summary["ROI"].value == pytest.approx(0.25) and "%" in summary["ROI"].number_format
    initiatives = book["Initiatives"]
    header = [c.value for c in initiatives[1]]
    npv_col = header.index("NPV")
    assert all(isinstance(row[npv_col].value, (int, float)) for row in initiatives.iter_rows(min_row=2))


def test_initiative_names_cannot_run_as_formulas(hostile_store):
    book = _book(hostile_store)
    names = [row[1] for row in book["Initiatives"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\",\"click\")" in names and "'@SUM(1+1)" in names
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


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
