"""Plotly figures of the Unit Costs page."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from core.portfolio.period import OpenMonthResult
from ui.charts.periods import PARTIAL_DASH, mark_partial, split_partial
from ui.formatting import money
from ui.theme import COST_COLOUR, SERIES_COLOURS, log_axis, tidy

PALETTE = SERIES_COLOURS
MAX_LINES = len(SERIES_COLOURS)  # more lines than distinct colours cannot be told apart


def _label(key, names: Mapping[str, str] | None) -> tuple[str, str]:
    """(legend text, hover text) of a dimension value: an initiative's name in the legend and
    "name (CODE)" on hover; other values (models, hardware) are their own names."""
    key = str(key)
    name = (names or {}).get(key)
    return (name, f"{name} ({key})") if name else (key, key)


def unit_cost_figure(series: pd.DataFrame, metric: str, label: str,
                     open_month: OpenMonthResult | None = None, *, names: Mapping[str, str] | None = None) -> go.Figure:
    """One line per value of the dimension (the largest ``MAX_LINES`` by cost), named by
    ``names`` (code → name) where given; partial months (the series' ``partial`` column)
    dashed on a shaded, labelled band."""
    top = series.groupby("key")["cost_usd"].sum().nlargest(MAX_LINES).index
    data = series[series["key"].isin(top)]
    fig = go.Figure()
    for n, (key, part) in enumerate(data.groupby("key", sort=False)):
        complete, partial = split_partial(part)
        legend, hover = _label(key, names)
        fig.add_trace(go.Scatter(x=complete["month"], y=complete[metric], name=legend, mode="lines+markers",
                                 legendgroup=str(key), line=dict(color=PALETTE[n % len(PALETTE)], width=2),
                                 hovertemplate="%{x|%b %Y}: %{y:$,.4f}<extra>" + hover + "</extra>"))
        if not partial.empty:
            fig.add_trace(go.Scatter(x=partial["month"], y=partial[metric], name=f"{legend} (partial)",
                                     mode="lines+markers", legendgroup=str(key), showlegend=complete.empty,
                                     marker=dict(symbol="circle-open"),
                                     line=dict(color=PALETTE[n % len(PALETTE)], width=2, dash=PARTIAL_DASH),
                                     hovertemplate="%{x|%b %Y} (partial): %{y:$,.4f}<extra>" + hover + "</extra>"))
    mark_partial(fig, open_month if "partial" in data and data["partial"].any() else None)
    fig.update_yaxes(title=label, **log_axis(data[metric], prefix="$"))
    return tidy(fig, height=380)


def drivers_figure(drivers: pd.DataFrame, *, names: Mapping[str, str] | None = None) -> go.Figure:
    """The largest cost drivers as horizontal bars, each with its cost written on it; bars
    named by ``names`` (code → name) where given, the code on hover."""
    data = drivers.iloc[::-1]
    labels = [_label(key, names) for key in data["key"]]
    data = data.assign(label=[legend for legend, _ in labels], hover=[hover for _, hover in labels])
    fig = px.bar(data, x="cost_usd", y="label", orientation="h", custom_data=["share", "hover"],
                 text=[money(v) for v in data["cost_usd"]])
    fig.update_traces(marker_color=COST_COLOUR, textposition="outside", cliponaxis=False,
                      hovertemplate="%{customdata[1]}: %{x:$,.0f} (%{customdata[0]:.0%} of usage cost)<extra></extra>")
    largest = float(data["cost_usd"].max()) if len(data) else 0.0
    fig.update_xaxes(title="Usage cost, last 12 months", tickformat="$~s",
                     range=[0, largest * 1.4] if largest > 0 else None)  # room for the value text
    fig.update_yaxes(title=None)
    return tidy(fig, height=380, legend=False)
