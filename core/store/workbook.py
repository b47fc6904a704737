"""Excel workbooks at the intake: the archive guard, then one sheet read with its saved values.

``core.store.intake`` is the way in (``check_xlsx_archive``, ``read_xlsx_sheet``,
``xlsx_frame``); this module holds what those do with a workbook.

1. **archive guard** (``check_archive``), on the zip's own directory and bytes, before openpyxl
   parses anything: the number of parts (from the end record, before zipfile reads the
   directory), duplicated part names, the total uncompressed size and
   each large part's compression ratio (zip bombs); parts that make a workbook active — a VBA
   project (``xl/vbaProject.bin``, an ``.xlsm`` renamed ``.xlsx``), Excel 4.0 macro sheets,
   ActiveX controls and embedded OLE objects (``*.bin``), links to other workbooks
   (``xl/externalLinks/``, where DDE links live too); and any part declaring a DTD or an entity
   (``<!DOCTYPE``/``<!ENTITY``, also UTF-16: billion laughs, external entities). Workbook XML
   never needs either. The scan streams each part in 1 MB chunks, so memory stays flat.
2. **sheet choice** (``choose_sheet``): the one visible worksheet, or the one named; hidden and
   "very hidden" sheets are never read; visible sheets without a value (the empty Sheet2 and
   Sheet3 older Excel adds) are skipped and named; several visible sheets with values is a
   refusal naming them.
3. **saved values**: openpyxl opens the file with ``read_only=True, data_only=True,
   keep_links=False`` (cached values only; nothing is evaluated or fetched) and only with
   defusedxml in place. A formula cell with no saved value would read as empty — and an empty
   cost is priced from the price book — so the chosen sheet's XML is scanned first for ``<c>``
   elements with an ``<f>`` and no ``<v>`` (or an empty one, except for a text result); one
   such cell refuses the file, naming it.

   That scan is bounded by the sheet's size, which the guard has capped, in two steps: a byte
   search in 1 MB chunks for a formula element not followed by a value with text (about 1 s
   for a 200,000-row sheet that openpyxl takes 15-20 s to read; a sheet whose formulas all
   have values, or that has none, stops there), then, only on a hit, a streaming parse (each
   row dropped once seen) that names the cell. The alternative, a second openpyxl pass with
   ``data_only=False`` zipped against the first, parses every cell twice and builds a Python
   value for each: it would double the ~80 µs a row openpyxl takes, for every workbook.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.errors import CoreError

MAX_XLSX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_XLSX_RATIO = 200          # uncompressed/compressed of one member; real sheets stay far below
MAX_XLSX_MEMBERS = 2_000      # a real workbook has a few dozen parts (one per sheet, style, image …)
MAX_XLSX_ROWS = 1_048_576     # Excel's own limit
_CHUNK_BYTES = 1 << 20

#: markup workbook XML never holds: a DTD, or entity declarations (billion laughs, external entities)
_DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                     for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(marker) for marker in _DTD_MARKERS) - 1
#: the end of a formula element (``</f>``, ``<x:f t="shared" si="0"/>``) NOT followed by a value
#: element with text: a formula cell that may lack a saved value (an empty text result, or
#: markup between the two, also matches: then the exact parse decides)
_UNSAVED_FORMULA = re.compile(rb"(?:</(?:[A-Za-z_][\w.-]*:)?f>|<(?:[A-Za-z_][\w.-]*:)?f(?:\s[^>]*)?/>)"
                              rb"(?!\s*<(?:[A-Za-z_][\w.-]*:)?v(?:\s[^>]*)?>[^<])")
_SCAN_OVERLAP = 4096  # bytes carried into the next chunk: a match near a chunk's end is looked at again

_SAVE_WITHOUT_MACROS = "save a copy as \"Excel Workbook (*.xlsx)\", which leaves the macros out, and upload that"
_BREAK_LINKS = ("break the links (Data → Edit Links → Break Link), which keeps the values and drops the "
                "formulas, then save and upload it again")
_REMOVE_OBJECT = "delete the control or embedded object, save and upload the workbook again"
_CSV_INSTEAD = "or export the sheet as CSV"


def refusal(error_type: type[CoreError], message: str, outcome: str | None = None) -> CoreError:
    """``error_type(message)``, ending with what happened to the data when ``outcome`` is given
    (``nothing was imported``), the way the caller's other messages end."""
    if outcome:
        message = f"{message.rstrip('. ')}; {outcome}."
    return error_type(message)


def _active_part(member: str) -> tuple[str, str] | None:
    """(what the part is, how to fix it) for a part that makes a workbook active, else None."""
    lower = member.lower()
    if lower.endswith("vbaproject.bin") or lower.startswith(("xl/vba", "xl/macrosheets/")):
        return "macros", _SAVE_WITHOUT_MACROS
    if lower.startswith("xl/externallinks/"):
        return "links to other workbooks or DDE links", _BREAK_LINKS
    if lower.startswith("xl/activex/"):
        return "an ActiveX control", _REMOVE_OBJECT
    if lower.startswith("xl/embeddings/"):
        return "an embedded object", _REMOVE_OBJECT
    if lower.endswith(".bin") and not lower.startswith("xl/printersettings/"):  # printer settings are inert
        return "a binary (ActiveX or OLE) part", _REMOVE_OBJECT
    return None


def check_archive(name: str, data: bytes | Path, *, error_type: type[CoreError],
                  outcome: str | None = None) -> None:
    """The archive guard (see the module's docstring), before any XML parser sees a byte."""
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else open(data, "rb")
    with source:
        parts = _declared_parts(source)
        if parts is not None and parts > MAX_XLSX_MEMBERS:  # before zipfile builds an object per part
            raise _too_many_parts(name, parts, error_type, outcome)
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise refusal(error_type, f"{name}: not a valid .xlsx file (it is not a zip archive); "
                                      "save it again from Excel.", outcome) from None
        with archive:
            _check_parts(name, archive, error_type, outcome)


def _too_many_parts(name: str, parts: int, error_type, outcome) -> CoreError:
    many = f"{parts:,}" if parts < 0xFFFF else "65,535 or more"
    return refusal(error_type, f"{name}: the workbook has {many} parts, where a real one has a few dozen (the "
                               f"limit is {MAX_XLSX_MEMBERS:,}); refused as a possible zip bomb. Save it again "
                               f"from Excel, {_CSV_INSTEAD}.", outcome)


def _declared_parts(source) -> int | None:
    """The part count the zip's end record declares (None when there is none: zipfile then
    says the file is not a zip). 0xFFFF means a ZIP64 count, i.e. 65,535 parts or more."""
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(max(size - (22 + 0xFFFF), 0))  # the end record (22 bytes) and its comment (< 64 KB)
    tail = source.read()
    at = tail.rfind(b"PK\x05\x06")
    source.seek(0)
    if at < 0 or len(tail) - at < 22:
        return None
    return int.from_bytes(tail[at + 10:at + 12], "little")


def _check_parts(name: str, archive: zipfile.ZipFile, error_type, outcome) -> None:
    """Part count, duplicated names, sizes and ratios, active parts; then the DTD scan."""
    infos = archive.infolist()
    if len(infos) > MAX_XLSX_MEMBERS:
        raise _too_many_parts(name, len(infos), error_type, outcome)
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            raise refusal(error_type, f"{name}: the workbook holds the part {info.filename!r} twice, which "
                                      f"Excel never writes; save it again from Excel, {_CSV_INSTEAD}.", outcome)
        seen.add(info.filename)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_XLSX_UNCOMPRESSED_BYTES or (info.file_size > 10_000_000 and ratio > MAX_XLSX_RATIO):
            raise refusal(error_type,
                          f"{name}: the workbook would expand to more than "
                          f"{MAX_XLSX_UNCOMPRESSED_BYTES // 2**20} MB (member {info.filename!r} compresses "
                          f"{ratio:,.0f}:1); refused as a possible zip bomb. Export the sheet as CSV instead.",
                          outcome)
        active = _active_part(info.filename)
        if active is not None:
            what, fix = active
            raise refusal(error_type, f"{name}: the workbook contains {what} (part {info.filename!r}); "
                                      f"only plain data is taken in. In Excel, {fix}, {_CSV_INSTEAD}.", outcome)
    for info in infos:
        if not info.is_dir() and _declares_dtd(archive, info, name, error_type, outcome):
            raise refusal(error_type, f"{name}: the part {info.filename!r} declares a DTD or entities "
                                      "(<!DOCTYPE/<!ENTITY), which Excel never writes and which can make a "
                                      f"reader expand it without end; save it again from Excel, {_CSV_INSTEAD}.",
                          outcome)


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, error_type, outcome) -> bool:
    """Whether the part holds ``<!DOCTYPE`` or ``<!ENTITY`` (read in chunks; the overlap keeps a
    marker split across two chunks)."""
    tail = b""
    try:
        with archive.open(info) as source:
            while chunk := source.read(_CHUNK_BYTES):
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    return True
                tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, ValueError) as error:
        # damaged (CRC), encrypted, or packed with a method zipfile lacks
        raise refusal(error_type, f"{name}: the part {info.filename!r} cannot be read ({error}); the workbook is "
                                  f"damaged or password-protected. Save it again from Excel without a password, "
                                  f"{_CSV_INSTEAD}.", outcome) from None
    return False


def sheet_label(title: str) -> str:
    """A sheet's name as Excel writes it in a reference (``Sheet1``, ``'Q1 costs'``)."""
    return title if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", title) else "'" + title.replace("'", "''") + "'"


def _names(titles) -> str:
    return ", ".join(f"'{t}'" for t in titles)


def choose_sheet(name: str, workbook, sheet: str | None, *, error_type: type[CoreError],
                 outcome: str | None = None):
    """The worksheet to read: ``sheet`` when named (it must be visible), else the one visible
    worksheet. Hidden and very hidden sheets are never read; chart sheets hold no cells."""
    worksheets = list(workbook.worksheets)
    visible = [ws for ws in worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in worksheets if ws.sheet_state != "visible"]
    unhide = "unhide it in Excel (right-click a sheet tab → Unhide)"
    if not worksheets:
        raise refusal(error_type, f"{name}: the workbook has no worksheet (only chart sheets, or none); put the "
                                  "data on a worksheet, with a header row, and save it again.", outcome)
    if sheet is not None:
        named = [ws for ws in worksheets if ws.title == sheet]
        if not named:
            raise refusal(error_type, f"{name}: there is no sheet named '{sheet}'; its visible sheets are "
                                      f"{_names(ws.title for ws in visible) or 'none'}. Name one of them.", outcome)
        if named[0].sheet_state != "visible":
            raise refusal(error_type, f"{name}: sheet '{sheet}' is hidden, and hidden sheets are never read; "
                                      f"{unhide} and save the workbook again.", outcome)
        return named[0]
    if len(visible) == 1:
        return visible[0]
    with_values = [ws for ws in visible if _holds_a_value(ws)]
    if len(with_values) == 1:  # the others are empty: nothing of them can be lost
        return with_values[0]
    if not visible:
        raise refusal(error_type, f"{name}: every worksheet is hidden ({_names(hidden) or 'none'}), and hidden "
                                  f"sheets are never read. In Excel, unhide the sheet with the data (right-click a "
                                  f"sheet tab → Unhide), hide or delete the others, and save it again.", outcome)
    visible = with_values or visible
    raise refusal(error_type, f"{name}: the workbook has {len(visible)} visible sheets with data "
                              f"({_names(ws.title for ws in visible)}) and only one is read. Keep only the sheet "
                              "to import visible (hide or delete the others) and save it again, or upload that "
                              "sheet as CSV.", outcome)


def _holds_a_value(ws) -> bool:
    """Whether a worksheet has at least one value (read until the first one)."""
    return any(v is not None for row in ws.iter_rows(values_only=True) for v in row)


def hidden_sheets_with_data(workbook) -> list[str]:
    """Titles of hidden worksheets that hold at least one value (read until the first one)."""
    found = []
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            if _holds_a_value(ws):
                found.append(ws.title)
    return found


def check_saved_values(name: str, path: Path, member: str, title: str, *, error_type: type[CoreError],
                       outcome: str | None = None) -> None:
    """Refuse the sheet when a formula cell has no saved value (``<f>`` without a ``<v>``): openpyxl
    would read it as empty, and an empty cell is not what the workbook shows."""
    with zipfile.ZipFile(path) as archive:
        if not _may_lack_saved_value(archive, member):
            return
        count, first = _formulas_without_value(archive, member)
    if count:
        more = f" (and {count - 1:,} more formula cells like it)" if count > 1 else ""
        raise refusal(error_type, f"{name}: {sheet_label(title)}!{first} is a formula with no saved value{more}: "
                                  "open the file in Excel and save it so its values are stored.", outcome)


def _may_lack_saved_value(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether a formula element in the sheet is not followed by a value with text (a byte
    search; false alarms only cost the exact parse)."""
    tail = b""
    with archive.open(member) as source:
        while True:
            chunk = source.read(_CHUNK_BYTES)
            window = tail + chunk
            # a match too close to the end may be one whose <v> is in the next chunk: it is
            # searched again there, at the start of the carried tail
            cut = len(window) if not chunk else len(window) - _SCAN_OVERLAP
            if any(match.start() < cut for match in _UNSAVED_FORMULA.finditer(window)):
                return True
            if not chunk:
                return False
            tail = window[max(cut, 0):]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _formulas_without_value(archive: zipfile.ZipFile, member: str) -> tuple[int, str]:
    """(how many formula cells have no saved value, the first one's reference), streaming: each row
    is dropped from the tree once its cells are seen."""
    from defusedxml.ElementTree import iterparse  # the guard refused DTDs already; this is the second layer
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    count, first = 0, ""
    sheet_data = None
    row_number, column = 0, 0
    with archive.open(member) as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "sheetData":
                    sheet_data = element
                elif tag == "row":
                    row_number = int(element.get("r") or row_number + 1)
                    column = 0
                continue
            if tag == "c":
                reference = element.get("r")
                column = column_index_from_string(coordinate_from_string(reference)[0]) if reference else column + 1
                children = {_local(child.tag): child for child in element}
                value = children.get("v")
                # a text result may be empty (=IF(A1>0,A1,"")); a number, boolean or error may not
                # (openpyxl writes an empty <v/> for every formula it saves)
                saved = value is not None and (bool(value.text) or element.get("t") in ("str", "inlineStr"))
                if "f" in children and not saved:
                    count += 1
                    first = first or reference or f"{get_column_letter(column)}{row_number}"
            elif tag == "row" and sheet_data is not None:
                sheet_data.clear()  # this row's cells are seen: keep memory flat
    return count, first


@dataclass(frozen=True)
class SheetRows:
    """One sheet of a workbook: header cells and, per column, the cells' Python values; which
    sheet was read and which hidden sheets were left unread."""

    headers: tuple[str | None, ...]
    columns: tuple[list, ...]
    rows: int
    sheet: str = ""
    hidden: tuple[str, ...] = ()
    named: bool = False   # read because the caller named it (else: the only visible sheet with data)
    empty: tuple[str, ...] = ()  # other visible sheets, skipped because they hold no value

    def notes(self) -> tuple[str, ...]:
        """What an import says about the sheets: which one was read, which hidden ones were not."""
        if not self.sheet:
            return ()
        if self.named:
            read = f"Read sheet '{self.sheet}'."
        elif self.empty:
            read = (f"Read sheet '{self.sheet}', the workbook's only visible sheet with data "
                    f"(empty, skipped: {_names(self.empty)}).")
        else:
            read = f"Read sheet '{self.sheet}', the workbook's only visible sheet."
        return (read, f"Hidden sheets are never read: {_names(self.hidden)}.") if self.hidden else (read,)


def read_sheet(name: str, path: Path, *, sheet: str | None = None, max_rows: int = MAX_XLSX_ROWS,
               error_type: type[CoreError], outcome: str | None = None) -> SheetRows:
    """Read one sheet of a staged workbook (guarded again here: this is the only way openpyxl
    opens an upload). Columns run to the last non-empty header cell; rows whose cells are all
    empty there are skipped. More than ``max_rows`` data rows is refused."""
    import openpyxl
    import openpyxl.xml

    check_archive(name, path, error_type=error_type, outcome=outcome)
    if not openpyxl.xml.DEFUSEDXML:  # fail closed: without it openpyxl's XML parser expands entities
        raise refusal(error_type, f"{name}: workbooks cannot be read on this server because the defusedxml "
                                  "package is missing or turned off (OPENPYXL_DEFUSEDXML); ask an admin to "
                                  f"install it, {_CSV_INSTEAD}.", outcome)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise refusal(error_type, f"{name}: cannot be opened as an Excel workbook ({type(error).__name__}: "
                                  f"{error}). Re-save it from Excel as .xlsx, {_CSV_INSTEAD}.", outcome) from None
    try:
        chosen = choose_sheet(name, workbook, sheet, error_type=error_type, outcome=outcome)
        hidden = tuple(ws.title for ws in workbook.worksheets if ws.sheet_state != "visible")
        empty = () if sheet is not None else tuple(
            ws.title for ws in workbook.worksheets if ws.sheet_state == "visible" and ws.title != chosen.title)
        check_saved_values(name, path, chosen._worksheet_path, chosen.title, error_type=error_type, outcome=outcome)
        rows = chosen.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None or all(v is None for v in header_row):
            if with_data := hidden_sheets_with_data(workbook):
                raise refusal(error_type, f"{name}: sheet '{chosen.title}' is empty and the data is on hidden "
                                          f"sheet {_names(with_data)}, which is never read. In Excel, unhide it "
                                          "(right-click a sheet tab → Unhide), hide or delete the empty sheet, and "
                                          "save it again.", outcome)
            return SheetRows((), (), 0, chosen.title, hidden, sheet is not None, empty)
        width = max(i for i, v in enumerate(header_row) if v is not None) + 1
        headers = tuple(None if v is None else str(v) for v in header_row[:width])
        columns: tuple[list, ...] = tuple([] for _ in range(width))
        count = 0
        for row in rows:
            if all(v is None for v in row[:width]):
                continue
            count += 1
            if count > max_rows:
                raise refusal(error_type, f"{name}: more than {max_rows:,} rows; export the sheet as CSV "
                                          "instead.", outcome)
            for i in range(width):
                columns[i].append(row[i] if i < len(row) else None)
    finally:
        workbook.close()
    return SheetRows(headers, columns, count, chosen.title, hidden, sheet is not None, empty)
