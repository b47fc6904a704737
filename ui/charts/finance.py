"""Plotly figures of the ROI Review page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts.initiative import cost_mix_figure
from ui.theme import BENEFIT_COLOUR, COST_COLOUR, tidy

BASELINE_COLOUR = "#6B7785"
SCENARIO_COLOUR = "#0072B2"


def cumulative_net_figure(money: pd.DataFrame, payback_month) -> go.Figure:
    """Cumulative net cash (actual benefit − actual cost) with the payback month marked."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=money["month"], y=money["net_usd"], name="Net cash in the month",
                         marker_color=[BENEFIT_COLOUR if v >= 0 else COST_COLOUR for v in money["net_usd"]],
                         opacity=0.45, hovertemplate="%{x|%b %Y}: %{y:$,.0f}<extra>net</extra>"))
    fig.add_trace(go.Scatter(x=money["month"], y=money["cum_net_usd"], name="Cumulative net cash", mode="lines",
                             line=dict(color="#1F2A36", width=2.5),
                             hovertemplate="%{x|%b %Y}: %{y:$,.0f}<extra>cumulative</extra>"))
    fig.add_hline(y=0, line=dict(color="#9AA5B1", width=1))
    if payback_month is not None:
        fig.add_vline(x=pd.Timestamp(payback_month).timestamp() * 1000, line=dict(color=BENEFIT_COLOUR, dash="dash"),
                      annotation_text=f"payback {pd.Timestamp(payback_month):%b %Y}", annotation_position="top left")
    fig.update_yaxes(title="USD", tickprefix="$")
    if len(money):  # keep the axis on the data (the payback annotation would widen it)
        fig.update_xaxes(range=[pd.Timestamp(money["month"].iloc[0]) - pd.Timedelta(days=20),
                                pd.Timestamp(money["month"].iloc[-1]) + pd.Timedelta(days=20)])
    return tidy(fig, height=340)


def tco_figure(variance: pd.DataFrame) -> go.Figure:
    """Actual monthly cost stacked by category (total cost of ownership)."""
    return cost_mix_figure(variance, value_column="actual_usd", height=340)


def scenario_figure(baseline: pd.DataFrame, scenario: pd.DataFrame) -> go.Figure:
    """Cumulative net cash: baseline vs scenario; projected months shaded."""
    fig = go.Figure()
    for frame, name, colour, dash in ((baseline, "Baseline", BASELINE_COLOUR, "dot"),
                                      (scenario, "Scenario", SCENARIO_COLOUR, "solid")):
        fig.add_trace(go.Scatter(x=frame["month"], y=frame["cum_net_usd"], name=name, mode="lines",
                                 line=dict(color=colour, dash=dash, width=2.5),
                                 hovertemplate="%{x|%b %Y}: %{y:$,.0f}<extra>" + name + "</extra>"))
    projected = scenario[scenario["projected"]]
    if not projected.empty:
        fig.add_vrect(x0=projected["month"].iloc[0], x1=projected["month"].iloc[-1], fillcolor="#EEF2F6",
                      line_width=0, layer="below", annotation_text="projected", annotation_position="top left")
    fig.update_yaxes(title="Cumulative net cash", tickprefix="$")
    return tidy(fig, height=320)
