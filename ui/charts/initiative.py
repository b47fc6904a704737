"""Plotly figures of the Initiative page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.portfolio.period import OpenMonthResult
from ui.charts.periods import PARTIAL_DASH, PARTIAL_PATTERN, mark_partial, split_partial
from ui.theme import BENEFIT_COLOUR, CATEGORY_COLOURS, COST_COLOUR, tidy


def business_case_figure(money: pd.DataFrame) -> go.Figure:
    """Cumulative cost and benefit: business case (plan, dotted) vs actuals (solid)."""
    fig = go.Figure()
    for column, name, colour, dash in (
        ("cum_plan_cost", "Cost — business case", COST_COLOUR, "dot"),
        ("cum_actual_cost", "Cost — actual", COST_COLOUR, "solid"),
        ("cum_plan_benefit", "Benefit — business case", BENEFIT_COLOUR, "dot"),
        ("cum_actual_benefit", "Benefit — actual", BENEFIT_COLOUR, "solid"),
    ):
        fig.add_trace(go.Scatter(x=money["month"], y=money[column], name=name, mode="lines",
                                 line=dict(color=colour, dash=dash, width=2.5 if dash == "solid" else 1.8),
                                 hovertemplate="%{x|%b %Y}: %{y:$,.0f}<extra>" + name + "</extra>"))
    fig.update_yaxes(title="Cumulative USD", tickprefix="$")
    return tidy(fig, height=340)


def cost_mix_figure(by_category: pd.DataFrame, *, value_column: str = "amount", height: int = 320) -> go.Figure:
    """Actual monthly cost stacked by category (``month``, ``category``, ``value_column``)."""
    fig = go.Figure()
    for category, colour in CATEGORY_COLOURS.items():
        part = by_category[by_category["category"] == category]
        if part.empty:
            continue
        fig.add_trace(go.Bar(x=part["month"], y=part[value_column], name=category.capitalize(), marker_color=colour,
                             hovertemplate="%{x|%b %Y}: %{y:$,.0f}<extra>" + category + "</extra>"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="Actual cost per month", tickprefix="$")
    return tidy(fig, height=height)


def usage_figure(usage: pd.DataFrame, open_month: OpenMonthResult | None = None) -> go.Figure:
    """Monthly requests (bars) and cost per 1,000 inferences (line, right axis); partial
    months (``usage["partial"]``) hatched and dashed on a shaded, labelled band."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    hatched = [PARTIAL_PATTERN if p else "" for p in usage.get("partial", [False] * len(usage))]
    fig.add_trace(go.Bar(x=usage["month"], y=usage["requests"], name="Inferences", marker_color="#A7C4D9",
                         marker_pattern_shape=hatched,
                         hovertemplate="%{x|%b %Y}: %{y:,.0f} inferences<extra></extra>"), secondary_y=False)
    complete, partial = split_partial(usage)
    fig.add_trace(go.Scatter(x=complete["month"], y=complete["cost_per_1k_usd"], name="Cost per 1,000 inferences",
                             mode="lines+markers", line=dict(color=COST_COLOUR, width=2.5),
                             hovertemplate="%{x|%b %Y}: %{y:$,.3f} per 1k<extra></extra>"), secondary_y=True)
    if not partial.empty:
        fig.add_trace(go.Scatter(x=partial["month"], y=partial["cost_per_1k_usd"], name="Cost per 1,000 (partial)",
                                 mode="lines+markers", showlegend=False, marker=dict(symbol="circle-open"),
                                 line=dict(color=COST_COLOUR, width=2.5, dash=PARTIAL_DASH),
                                 hovertemplate="%{x|%b %Y} (partial): %{y:$,.3f} per 1k<extra></extra>"),
                      secondary_y=True)
    mark_partial(fig, None if partial.empty else open_month)
    fig.update_yaxes(title_text="Inferences per month", secondary_y=False)
    fig.update_yaxes(title_text="USD per 1,000", tickprefix="$", secondary_y=True, showgrid=False)
    return tidy(fig, height=320)


def kpi_history_figure(readings: pd.DataFrame, *, name: str, unit: str | None, baseline: float | None,
                       target: float | None) -> go.Figure:
    """The KPI's dated readings (``recorded_on, value``) as a line, with the baseline and the
    target as labelled horizontal lines: how far along it is, and since when."""
    suffix = f" {unit}" if unit else ""
    fig = go.Figure(go.Scatter(x=readings["recorded_on"], y=readings["value"], mode="lines+markers", name=name,
                               line=dict(color=BENEFIT_COLOUR, width=2.5),
                               hovertemplate="%{x|%d %b %Y}: %{y:,.4~g}" + suffix + "<extra></extra>"))
    for value, label, dash in ((baseline, "baseline", "dot"), (target, "target", "dash")):
        if value is not None:
            fig.add_hline(y=value, line=dict(color="#6B7280", dash=dash, width=1.5),
                          annotation_text=f"{label} {value:,.4g}{suffix}", annotation_position="top left")
    # one reading, or a flat history, still gets a readable range around baseline and target
    values = [v for v in (*readings["value"], baseline, target) if v is not None]
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    fig.update_yaxes(title=f"{name}{f' ({unit})' if unit else ''}", range=[low - pad, high + pad])
    fig.update_xaxes(title=None)
    return tidy(fig, height=300, legend=False)
