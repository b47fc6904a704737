"""Plotly figures of the Unit Costs page."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from core.portfolio.period import OpenMonthResult
from ui.charts.periods import PARTIAL_DASH, mark_partial, split_partial
from ui.formatting import money
from ui.theme import COST_COLOUR, log_axis, tidy

PALETTE = ["#2E86AB", "#D1495B", "#F2B134", "#1B998B", "#6C5B7B", "#8D8D8D", "#E07A5F", "#3D405B",
           "#81B29A", "#A7B4C2"]
MAX_LINES = 8


def unit_cost_figure(series: pd.DataFrame, metric: str, label: str,
                     open_month: OpenMonthResult | None = None) -> go.Figure:
    """One line per value of the dimension (the largest ``MAX_LINES`` by cost); partial
    months (the series' ``partial`` column) dashed on a shaded, labelled band."""
    top = series.groupby("key")["cost_usd"].sum().nlargest(MAX_LINES).index
    data = series[series["key"].isin(top)]
    fig = go.Figure()
    for n, (key, part) in enumerate(data.groupby("key", sort=False)):
        complete, partial = split_partial(part)
        fig.add_trace(go.Scatter(x=complete["month"], y=complete[metric], name=str(key), mode="lines+markers",
                                 legendgroup=str(key), line=dict(color=PALETTE[n % len(PALETTE)], width=2),
                                 hovertemplate="%{x|%b %Y}: %{y:$,.4f}<extra>" + str(key) + "</extra>"))
        if not partial.empty:
            fig.add_trace(go.Scatter(x=partial["month"], y=partial[metric], name=f"{key} (partial)",
                                     mode="lines+markers", legendgroup=str(key), showlegend=complete.empty,
                                     marker=dict(symbol="circle-open"),
                                     line=dict(color=PALETTE[n % len(PALETTE)], width=2, dash=PARTIAL_DASH),
                                     hovertemplate="%{x|%b %Y} (partial): %{y:$,.4f}<extra>" + str(key) + "</extra>"))
    mark_partial(fig, open_month if "partial" in data and data["partial"].any() else None)
    fig.update_yaxes(title=label, **log_axis(data[metric], prefix="$"))
    return tidy(fig, height=380)


def drivers_figure(drivers: pd.DataFrame) -> go.Figure:
    """The largest cost drivers as horizontal bars, each with its cost written on it."""
    data = drivers.iloc[::-1]
    fig = px.bar(data, x="cost_usd", y="key", orientation="h", custom_data=["share"],
                 text=[money(v) for v in data["cost_usd"]])
    fig.update_traces(marker_color=COST_COLOUR, textposition="outside", cliponaxis=False,
                      hovertemplate="%{y}: %{x:$,.0f} (%{customdata[0]:.0%} of usage cost)<extra></extra>")
    largest = float(data["cost_usd"].max()) if len(data) else 0.0
    fig.update_xaxes(title="Usage cost, last 12 months", tickformat="$~s",
                     range=[0, largest * 1.25] if largest > 0 else None)
    fig.update_yaxes(title=None)
    return tidy(fig, height=380, legend=False)
