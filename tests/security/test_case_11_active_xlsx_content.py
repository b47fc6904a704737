"""Case 11 — active or odd xlsx content: formulas without a saved value, macros (an ``.xlsm``
renamed ``.xlsx``), ActiveX and OLE parts, links to other workbooks, hidden sheets, several
sheets. openpyxl opens a workbook only after the archive guard, with ``read_only=True,
data_only=True, keep_links=False`` (saved values; nothing evaluated or fetched); active parts
are refused; one sheet is read — the only visible one — and the result says which; a formula
cell without a saved value is refused by name instead of reading as empty (an empty cost is
priced from the price book)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest

from core.errors import CoreError
from core.ingest import import_upload
from core.lab.workloads import get_workload, save_workload, workload_frame
from core.store.intake import read_xlsx_sheet
from tests.conftest import ADMIN, LEAD_RETAIL

HEADER = ["ts", "initiative", "model", "cost_usd"]


def _rows(n: int, cost=0.25) -> list[list]:
    return [[dt.datetime(2026, 3, 1 + i), "COA-01", "gbm", cost] for i in range(n)]


def _save(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _book(*sheets: tuple[str, str, list[list]]) -> bytes:
    """A workbook of (title, state, rows) sheets, in that order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    if any(state == "visible" for _, state, _ in sheets):
        book.active = next(i for i, (_, state, _) in enumerate(sheets) if state == "visible")
    return _save(book)


def _rewrite(data: bytes, **parts: bytes) -> bytes:
    """The workbook with zip members replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info))
        for member, content in parts.items():
            target.writestr(member, content)
    return out.getvalue()


def _sheet_xml(data: bytes, member: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(member).decode()


def _usage_with_formula(formula: str = "=D2*2", cell: str = "D3") -> bytes:
    """Usage rows whose ``cell`` is a formula saved by openpyxl: openpyxl never stores the
    formula's value, exactly like a workbook written by a script and never opened in Excel."""
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    for row in [HEADER, *_rows(3)]:
        book.active.append(row)
    book.active[cell] = formula
    return _save(book)


def _counts(store) -> tuple[int, int, int, int]:
    return (store.scalar("SELECT count(*) FROM import_ledger"), store.scalar("SELECT count(*) FROM workload"),
            store.scalar("SELECT count(*) FROM audit_event"), store.scalar("SELECT count(*) FROM usage_event"))


def _refused_everywhere(store, data: bytes, file_name: str = "usage.xlsx") -> tuple[str, str]:
    """(the import's message, the workload's message): both refuse, nothing is written."""
    before = _counts(store)
    with pytest.raises(CoreError) as imported:
        import_upload(store, ADMIN, "usage", file_name, data, dry_run=False)
    with pytest.raises(CoreError) as saved:
        save_workload(store, LEAD_RETAIL, "w", data, file_name=file_name, business_unit="RETAIL")
    assert _counts(store) == before
    assert not list((store.staging_dir / "uploads").glob("*"))
    imported, saved = str(imported.value), str(saved.value)
    assert imported.endswith("nothing was imported.") and saved.endswith("nothing was saved."), (imported, saved)
    return imported, saved


# --- formulas ------------------------------------------------------------------------------------

def test_a_formula_without_a_saved_value_is_refused_by_cell_not_priced_from_the_price_book(demo_store):
    data = _usage_with_formula()
    assert "<f>D2*2</f><v />" in _sheet_xml(data)  # the hostile shape: a formula, no saved value
    for message in _refused_everywhere(demo_store, data):
        assert ("usage.xlsx: Sheet1!D3 is a formula with no saved value: open the file in Excel and save it so "
                "its values are stored") in message, message


def test_an_empty_text_result_is_a_saved_value_not_a_missing_one(tmp_path):
    """=IF(D2>1,D2,"") as Excel saves it: ``t="str"`` and an empty ``<v>`` is that formula's value;
    the same cell as openpyxl saves it (no type, ``<v />``) has none."""
    data = _usage_with_formula('=IF(D2>1,D2,"")')
    path = tmp_path / "u.xlsx"
    path.write_bytes(data)
    with pytest.raises(CoreError, match="Sheet1!D3 is a formula with no saved value"):
        read_xlsx_sheet("u.xlsx", path)
    xml = _sheet_xml(data).replace('<c r="D3"><f>IF(D2&gt;1,D2,"")</f><v />',
                                   '<c r="D3" t="str"><f>IF(D2&gt;1,D2,"")</f><v></v>')
    path.write_bytes(_rewrite(data, **{"xl/worksheets/sheet1.xml": xml.encode()}))
    assert read_xlsx_sheet("u.xlsx", path).columns[3][1] in (None, "")



def test_every_unsaved_formula_is_counted_and_the_sheet_named_as_excel_writes_it(demo_store):
    book = openpyxl.Workbook()
    book.active.title = "Q1 costs"
    for row in [HEADER, *_rows(4)]:
        book.active.append(row)
    for cell in ("D3", "D4", "D5"):
        book.active[cell] = "=D2*2"
    with pytest.raises(CoreError, match=r"'Q1 costs'!D3 is a formula with no saved value \(and 2 more formula "
                                        r"cells like it\)"):
        import_upload(demo_store, ADMIN, "usage", "usage.xlsx", _save(book))


@pytest.mark.parametrize("chunk_bytes", [37, 64, 101])
def test_saved_and_unsaved_formulas_are_told_apart_wherever_the_byte_scan_cuts_the_sheet(tmp_path, monkeypatch,
                                                                                          chunk_bytes):
    import core.store.workbook as workbook

    monkeypatch.setattr(workbook, "_CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(workbook, "_SCAN_OVERLAP", 32)
    data = _usage_with_formula()
    saved = _sheet_xml(data).replace("<f>D2*2</f><v />", "<f>D2*2</f><v>0.5</v>")
    rows = "".join(f'<row r="{r}"><c r="E{r}"><f>D{r}*2</f><v>{r}</v></c></row>' for r in range(5, 40))
    path = tmp_path / "u.xlsx"
    path.write_bytes(_rewrite(data, **{"xl/worksheets/sheet1.xml": saved.replace("</sheetData>", rows + "</sheetData>")
                                       .encode()}))
    assert read_xlsx_sheet("u.xlsx", path).rows == 3  # every formula has its value: read
    unsaved = rows.replace("<v>23</v>", "")
    path.write_bytes(_rewrite(data, **{"xl/worksheets/sheet1.xml": saved.replace("</sheetData>",
                                                                                unsaved + "</sheetData>").encode()}))
    with pytest.raises(CoreError, match=r"Sheet1!E23 is a formula with no saved value"):
        read_xlsx_sheet("u.xlsx", path)


@pytest.mark.parametrize("formula", ["D2*2", 'WEBSERVICE("http://127.0.0.1:9/price")', 'HYPERLINK("http://x/","x")'])
def test_a_formula_is_never_evaluated_its_saved_value_is_read(demo_store, monkeypatch, formula):
    data = _usage_with_formula("=" + formula)
    saved = f"<f>{escape(formula)}</f>"
    xml = _sheet_xml(data).replace(f"{saved}<v />", f"{saved}<v>0.5</v>")
    assert "<v>0.5</v>" in xml
    opened = []
    load = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(k) or load(*a, **k))
    result = import_upload(demo_store, ADMIN, "usage", "usage.xlsx",
                           _rewrite(data, **{"xl/worksheets/sheet1.xml": xml.encode()}), dry_run=True)
    assert result.status == "dry_run", result.problems
    assert [float(v) for v in result.preview["cost_usd"]] == [0.25, 0.5, 0.25]
    assert opened and all(k == {"read_only": True, "data_only": True, "keep_links": False} for k in opened), opened


# --- active parts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("file_name, part, says, fix", [
    ("usage.xlsx", "xl/vbaProject.bin", "macros", "Excel Workbook (*.xlsx)"),   # .xlsm renamed
    ("usage.xlsm", "xl/vbaProject.bin", "macros", "Excel Workbook (*.xlsx)"),
    ("usage.xlsx", "xl/macrosheets/sheet1.xml", "macros", "Excel Workbook (*.xlsx)"),  # Excel 4.0
    ("usage.xlsx", "xl/activeX/activeX1.bin", "an ActiveX control", "delete the control or embedded object"),
    ("usage.xlsx", "xl/embeddings/oleObject1.bin", "an embedded object", "delete the control or embedded object"),
    ("usage.xlsx", "xl/media/payload.bin", "a binary (ActiveX or OLE) part", "delete the control"),
    ("usage.xlsx", "xl/externalLinks/externalLink1.xml", "links to other workbooks or DDE links", "Break Link"),
])
def test_macros_activex_ole_and_external_links_are_refused(demo_store, file_name, part, says, fix):
    plain = _book(("Sheet1", "visible", [HEADER, *_rows(2)]))
    for message in _refused_everywhere(demo_store, _rewrite(plain, **{part: b"\xd0\xcf\x11\xe0 payload"}), file_name):
        assert f"{file_name}: the workbook contains {says} (part '{part}')" in message, message
        assert fix in message
    # printer settings are the one binary part Excel writes into ordinary workbooks: inert, accepted
    inert = _rewrite(plain, **{"xl/printerSettings/printerSettings1.bin": b"\x00" * 64})
    assert import_upload(demo_store, ADMIN, "usage", file_name, inert, dry_run=True).status == "dry_run"


# --- sheets ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_never_read_the_visible_one_is_and_the_result_says_so(demo_store, state):
    data = _book(("Old prices", state, [HEADER, *_rows(5, cost=99.0)]), ("Usage", "visible", [HEADER, *_rows(2)]))
    result = import_upload(demo_store, ADMIN, "usage", "usage.xlsx", data, dry_run=True)
    assert result.status == "dry_run" and result.rows_added == 2, result.problems
    assert [float(v) for v in result.preview["cost_usd"]] == [0.25, 0.25]
    assert result.notes[:2] == ("Read sheet 'Usage', the workbook's only visible sheet.",
                                "Hidden sheets are never read: 'Old prices'.")


def test_the_cli_says_which_sheet_it_read(demo_db_path, tmp_path, capsys):
    from core.cli import main

    path = tmp_path / "usage.xlsx"
    path.write_bytes(_book(("Old", "hidden", [HEADER, *_rows(5)]), ("Usage", "visible", [HEADER, *_rows(2)])))
    assert main(["import", "usage", str(path), "--dry-run", "--db", str(demo_db_path)]) == 0
    printed = capsys.readouterr().out
    assert "usage.xlsx: 2 rows would be added" in printed
    assert "note: Read sheet 'Usage', the workbook's only visible sheet." in printed
    assert "note: Hidden sheets are never read: 'Old'." in printed


def test_several_visible_sheets_are_refused_naming_them(demo_store):
    data = _book(("Usage", "visible", [HEADER, *_rows(2)]), ("Notes", "visible", [["note"], ["x"]]))
    for message in _refused_everywhere(demo_store, data):
        assert "usage.xlsx: the workbook has 2 visible sheets with data ('Usage', 'Notes') and only one is read" \
            in message
        assert "Keep only the sheet to import visible (hide or delete the others)" in message


def test_empty_visible_sheets_are_skipped_and_named(demo_store):
    """Older Excel adds an empty Sheet2 and Sheet3: nothing of them can be lost, so the one visible
    sheet with data is read, and the result says which were skipped."""
    data = _book(("Usage", "visible", [HEADER, *_rows(2)]), ("Sheet2", "visible", []), ("Sheet3", "visible", []))
    result = import_upload(demo_store, ADMIN, "usage", "usage.xlsx", data, dry_run=True)
    assert result.status == "dry_run" and result.rows_added == 2, result.problems
    assert ("Read sheet 'Usage', the workbook's only visible sheet with data (empty, skipped: 'Sheet2', 'Sheet3')."
            in result.notes)


def test_data_only_on_a_hidden_sheet_is_refused_saying_so(demo_store):
    data = _book(("Data", "hidden", [HEADER, *_rows(2)]), ("Cover", "visible", []))
    for message in _refused_everywhere(demo_store, data):
        assert ("usage.xlsx: sheet 'Cover' is empty and the data is on hidden sheet 'Data', which is never read"
                in message), message
        assert "Unhide" in message


def test_a_workload_reads_the_visible_sheet_and_the_audit_log_names_it(demo_store):
    rows = [["amount", "segment", "target"], *([i, "a" if i % 2 else "b", i % 2] for i in range(30))]
    data = _book(("Scratch", "hidden", [["amount", "target"], [1, 2]]), ("Training", "visible", rows))
    record = save_workload(demo_store, LEAD_RETAIL, "w", data, file_name="w.xlsx", business_unit="RETAIL")
    assert get_workload(demo_store, record.id).columns == 3
    assert list(workload_frame(demo_store, record.id).columns) == ["amount", "segment", "target"]
    detail = demo_store.scalar("SELECT detail::VARCHAR FROM audit_event WHERE action = 'workload.upload' "
                               "ORDER BY id DESC LIMIT 1")
    assert json.loads(detail)["sheet"] == "Training"


def test_the_intake_reads_a_named_visible_sheet_never_a_hidden_one(tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(_book(("A", "visible", [["x"], [1]]), ("B", "visible", [["y"], [2]]),
                           ("C", "hidden", [["z"], [3]])))
    rows = read_xlsx_sheet("b.xlsx", path, sheet="B")
    assert (rows.sheet, rows.headers, rows.columns) == ("B", ("y",), ([2],))
    with pytest.raises(CoreError, match="b.xlsx: sheet 'C' is hidden, and hidden sheets are never read"):
        read_xlsx_sheet("b.xlsx", path, sheet="C")
    with pytest.raises(CoreError, match="b.xlsx: there is no sheet named 'D'; its visible sheets are 'A', 'B'"):
        read_xlsx_sheet("b.xlsx", path, sheet="D")
