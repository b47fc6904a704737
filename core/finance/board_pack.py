"""The board pack: one Excel workbook of a scope's ROI Review.

Sheets: Summary, Scenario (the what-if shown on the page: its knobs with units, and the
baseline vs scenario figures over the actual + projected months), Initiatives, Budget vs
Actual, Unit Costs, Assumptions. NPVs carry the page's wording (``baseline_npv_label``,
``projected_label``), so a board member reads which one is which. Numbers are written
as numbers with number formats (currency, %), dates as dates; every header has a frozen row
and sized columns. Text is neutralised against formula injection (OWASP "CSV injection"):
a text cell beginning with ``= + - @``, tab, CR, LF or NUL gets a leading single quote —
initiative names are imported verbatim and must never run as formulas in a board member's
Excel. Building the pack needs the ``export`` permission and is audited
(``export.board_pack``) once the file is built, without bumping the store's revision.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import xlsxwriter

from core.finance import RAG_RULE
from core.finance.roi import HORIZONS, RoiScope, baseline_npv_label, rank_initiatives, review_roi
from core.finance.scenarios import (
    PRICE_CHANGE_RANGE, RUN_RATE_MONTHS, ScenarioComparison, ScenarioConfig, compare_scenario, describe_knobs,
    projected_label,
)
from core.finance.unit_costs import top_cost_drivers

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
SHEETS = ("Summary", "Scenario", "Initiatives", "Budget vs Actual", "Unit Costs", "Assumptions")


def neutralise(text: str) -> str:
    """Prefix a single quote to text Excel could read as a formula (OWASP)."""
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def board_pack_file_name(scope: RoiScope, as_of: dt.date) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in scope.key)
    return f"board-pack-{safe}-{as_of:%Y-%m}.xlsx"


class _Writer:
    """Cell writing with the pack's formats; text always through ``neutralise``."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.formats = {
            "header": book.add_format({"bold": True, "bg_color": "#1F2A36", "font_color": "#FFFFFF", "border": 1}),
            "money": book.add_format({"num_format": "$#,##0;[Red]-$#,##0"}),
            "percent": book.add_format({"num_format": "0.0%"}),
            "count": book.add_format({"num_format": "#,##0"}),
            "unit": book.add_format({"num_format": "$#,##0.0000"}),
            "date": book.add_format({"num_format": "mmm yyyy"}),
            "title": book.add_format({"bold": True, "font_size": 14}),
            "text": None,
        }

    def cell(self, sheet, row: int, col: int, value, kind: str = "text") -> None:
        fmt = self.formats.get(kind)
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, (dt.date, pd.Timestamp)):
            sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), self.formats["date"])
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, float(value), fmt)
        else:
            sheet.write_string(row, col, neutralise(str(value)), fmt)

    def table(self, name: str, frame: pd.DataFrame, columns: list[tuple[str, str, str, int]]) -> None:
        """``columns``: (frame column, header, kind, width)."""
        sheet = self.book.add_worksheet(name)
        for col, (_, header, _, width) in enumerate(columns):
            sheet.write_string(0, col, header, self.formats["header"])
            sheet.set_column(col, col, width)
        for row, record in enumerate(frame.itertuples(index=False), start=1):
            values = record._asdict()
            for col, (key, _, kind, _) in enumerate(columns):
                self.cell(sheet, row, col, values[key], kind)
        sheet.freeze_panes(1, 0)


def _scenario_sheet(writer: _Writer, compare: ScenarioComparison, scenario_name: str | None) -> None:
    """Knobs (name, value, unit) from row 3; baseline vs scenario figures below them."""
    config, base, what_if = compare.config, compare.baseline, compare.scenario
    sheet = writer.book.add_worksheet("Scenario")
    sheet.write_string(0, 0, "Scenario shown on the ROI Review", writer.formats["title"])
    writer.cell(sheet, 1, 0, f"Saved scenario: {scenario_name}" if scenario_name
                else "Unsaved knobs (not a saved scenario); all at zero / off is the baseline.")
    for col, header in enumerate(("Knob", "Value", "Unit")):
        sheet.write_string(2, col, header, writer.formats["header"])
    knobs = describe_knobs(config)
    for n, (name, value, unit) in enumerate(knobs, start=3):
        writer.cell(sheet, n, 0, name)
        if isinstance(value, bool):
            writer.cell(sheet, n, 1, "on" if value else "off")
        else:
            writer.cell(sheet, n, 1, value, "percent" if isinstance(value, float) else "count")
        writer.cell(sheet, n, 2, unit)
    top = 4 + len(knobs)
    headers = ("Figure", projected_label("Baseline", "", config), projected_label("Scenario", "", config),
               "Scenario − baseline")
    for col, header in enumerate(headers):
        sheet.write_string(top, col, header, writer.formats["header"])
    months = config.forward_months
    rows = [
        ("NPV", base.npv_usd, what_if.npv_usd, "money"),
        ("ROI", base.roi, what_if.roi, "percent"),
        ("Payback month", base.payback_month or "not within horizon", what_if.payback_month or "not within horizon",
         "date"),
        (f"Cost, next {months} months", base.forward_cost_usd, what_if.forward_cost_usd, "money"),
        (f"Benefit, next {months} months", base.forward_benefit_usd, what_if.forward_benefit_usd, "money"),
    ]
    for n, (label, b, s, kind) in enumerate(rows, start=top + 1):
        writer.cell(sheet, n, 0, label)
        writer.cell(sheet, n, 1, b, kind)
        writer.cell(sheet, n, 2, s, kind)
        numeric = isinstance(b, (int, float)) and isinstance(s, (int, float))
        writer.cell(sheet, n, 3, s - b if numeric else None, kind)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 2, 24)
    sheet.set_column(3, 3, 60)
    sheet.freeze_panes(3, 0)


def build_board_pack(store, actor, scope: RoiScope, horizon: str = "12m", discount_rate_annual: float = 0.10,
                     scenario: ScenarioConfig | None = None, scenario_name: str | None = None) -> bytes:
    """The workbook's bytes. Raises ``PermissionDenied`` unless ``actor`` may ``export``.

    ``scenario`` is the what-if shown on the ROI Review (knobs at zero when None: scenario =
    baseline) and ``scenario_name`` what to call it (a saved scenario's name). The export is
    audited once the workbook is built (``Store.record``: no revision bump, so exporting never
    empties anyone's cached pages)."""
    store.require(actor, "export", action="export.board_pack", target=scope.key)
    scenario = ScenarioConfig() if scenario is None else scenario
    review = review_roi(store, scope, horizon, discount_rate_annual)
    compare = compare_scenario(store, scope, horizon, discount_rate_annual, scenario, as_of=review.as_of)
    ranked = rank_initiatives(store, scope, horizon, discount_rate_annual, as_of=review.as_of)
    drivers = top_cost_drivers(store, "initiative", 12, limit=1000, as_of=review.as_of)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    writer = _Writer(book)
    figures = review.figures
    summary = book.add_worksheet("Summary")
    summary.write_string(0, 0, "Factory Floor — board pack", writer.formats["title"])
    rows = [
        ("Scope", scope.label, "text"), ("Horizon", HORIZONS[horizon][0], "text"), ("As of", review.as_of, "date"),
        ("Currency", review.currency, "text"), ("Discount rate (annual)", discount_rate_annual, "percent"),
        (baseline_npv_label(discount_rate_annual, horizon), figures.npv_usd, "money"),
        (projected_label("Baseline", "NPV", scenario), compare.baseline.npv_usd, "money"),
        (projected_label("Scenario", "NPV", scenario), compare.scenario.npv_usd, "money"),
        ("Scenario", scenario_name or "unsaved knobs (Scenario sheet)", "text"),
        ("IRR (annualised)", figures.irr.irr_annual, "percent"),
        ("IRR note", figures.irr.reason or "", "text"), ("ROI", figures.roi, "percent"),
        ("Payback month", review.payback_month or "not within horizon", "date"),
        ("Total cost", figures.total_cost_usd, "money"), ("Total benefit", figures.total_benefit_usd, "money"),
        ("Budget (plan cost)", review.budget_usd, "money"), ("Spend vs budget", review.spend_variance_pct, "percent"),
        ("Budget status", review.spend_status, "text"),
        ("Value realisation (actual ÷ plan benefit)", review.value.realisation, "percent"),
    ]
    summary.write_string(2, 0, "Figure", writer.formats["header"])
    summary.write_string(2, 1, "Value", writer.formats["header"])
    for n, (label, value, kind) in enumerate(rows, start=3):
        writer.cell(summary, n, 0, label)
        writer.cell(summary, n, 1, value, kind)
    summary.set_column(0, 0, 42)
    summary.set_column(1, 1, 34)
    summary.freeze_panes(3, 0)
    _scenario_sheet(writer, compare, scenario_name)
    writer.table("Initiatives", ranked.assign(flags=ranked["flags"].map("; ".join)), [
        ("code", "Code", "text", 10), ("name", "Initiative", "text", 36), ("business_unit", "Business unit", "text", 14),
        ("stage", "Stage", "text", 12), ("npv_usd", "NPV (baseline)", "money", 16), ("roi", "ROI", "percent", 10),
        ("payback_month", "Payback", "date", 12), ("cost_usd", "Cost", "money", 16),
        ("benefit_usd", "Benefit", "money", 16), ("verdict", "Verdict", "text", 10), ("flags", "Flags", "text", 40)])
    writer.table("Budget vs Actual", review.variance, [
        ("month", "Month", "date", 12), ("category", "Category", "text", 14), ("plan_usd", "Budget", "money", 16),
        ("actual_usd", "Actual", "money", 16), ("variance_usd", "Variance", "money", 16),
        ("variance_pct", "Variance %", "percent", 12), ("status", "Status", "text", 10)])
    writer.table("Unit Costs", drivers, [
        ("key", "Initiative", "text", 14), ("cost_usd", "Usage cost, 12 months", "money", 22),
        ("share", "Share", "percent", 10), ("requests", "Inferences", "count", 18),
        ("cost_per_1k_usd", "Cost per 1,000 inferences", "unit", 24)])
    notes = book.add_worksheet("Assumptions")
    notes.write_string(0, 0, "Assumption", writer.formats["header"])
    for n, text in enumerate((
        "Cash flows are actual monthly net flows (benefit − cost) from the financial lines.",
        "NPV discounts monthly flows at (1 + annual rate)^(1/12) − 1; the first month is not discounted.",
        "IRR is computed on monthly flows and annualised; it is blank when the flows do not change sign "
        "or when several rates solve the NPV.",
        "Payback month: the first month whose cumulative net flow is ≥ 0.",
        "ROI = (benefit − cost) ÷ cost over the horizon.",
        RAG_RULE,
        "Value realisation = actual benefit ÷ business-case (plan) benefit over the horizon.",
        "Baseline NPV: the actual monthly flows of the horizon only, nothing projected.",
        f"Scenario sheet: the horizon's actual months plus {scenario.forward_months} projected ones; the baseline "
        f"projects the last {RUN_RATE_MONTHS} months' run rate unchanged, the scenario moves it with the knobs "
        f"(vendor price changes between {PRICE_CHANGE_RANGE[0]:+.0%} and {PRICE_CHANGE_RANGE[1]:+.0%}).",
        "Unit costs come from the monthly usage rollup: 1000 × cost ÷ inferences.",
    ), start=1):
        notes.write_string(n, 0, neutralise(text))
    notes.set_column(0, 0, 110)
    notes.freeze_panes(1, 0)
    book.close()
    store.record(actor, "export", action="export.board_pack", target=scope.key,
                 detail={"horizon": horizon, "discount_rate_annual": discount_rate_annual,
                         "scenario": scenario_name, **{f"scenario_{k}": v for k, v in scenario.__dict__.items()}})
    return buffer.getvalue()
