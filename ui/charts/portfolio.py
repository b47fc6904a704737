"""Plotly figures of the Portfolio page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.formatting import money
from ui.theme import STAGE_COLOURS, VERDICT_COLOURS, tidy

FUNNEL_STAGES = ("idea", "pilot", "production", "scaled")


def funnel_figure(funnel: pd.DataFrame) -> go.Figure:
    """Initiatives that ever reached each stage, with the median days spent in it."""
    rows = funnel[funnel["stage"].isin(FUNNEL_STAGES)]
    labels = [
        f"{stage.capitalize()}<br><sup>{now} now · median {'—' if pd.isna(days) else f'{days:.0f} d'} in stage</sup>"
        for stage, now, days in zip(rows["stage"], rows["current"], rows["median_days"])
    ]
    fig = go.Figure(
        go.Funnel(
            y=labels, x=rows["reached"], textinfo="value+percent initial",
            marker=dict(color=[STAGE_COLOURS[s] for s in rows["stage"]]),
            connector=dict(line=dict(color="#D9DEE3", width=1)),
            hovertemplate="%{x} initiatives reached this stage<extra></extra>",
        )
    )
    return tidy(fig, height=330, legend=False)


def matrix_figure(table: pd.DataFrame, median_value: float | None) -> go.Figure:
    """Value vs spend (log–log), bubble size = spend, colour = stage, with the verdict lines:
    break-even (value = spend) and the median value of live initiatives."""
    data = table[(table["spend_usd"] > 0) & (table["stage"] != "idea")].copy()
    data["value_plot"] = data["value_usd"].clip(lower=1_000)
    fig = go.Figure()
    size_ref = 2.0 * data["spend_usd"].max() / (46**2) if len(data) else 1
    for stage, colour in STAGE_COLOURS.items():
        part = data[data["stage"] == stage]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["spend_usd"], y=part["value_plot"], mode="markers", name=stage.capitalize(),
                marker=dict(size=part["spend_usd"], sizemode="area", sizeref=size_ref, sizemin=5,
                            color=colour, line=dict(width=1, color="white"), opacity=0.85),
                customdata=np.stack([part["name"], part["code"], part["verdict"].fillna("—"),
                                     part["roi"].fillna(0) * 100], axis=-1),
                hovertemplate=("<b>%{customdata[0]}</b> (%{customdata[1]})<br>Spend %{x:$,.0f}"
                               "<br>Value %{y:$,.0f}<br>ROI %{customdata[3]:.0f}%<br>Verdict: %{customdata[2]}<extra></extra>"),
            )
        )
    if len(data):
        low = max(1_000, min(data["spend_usd"].min(), data["value_plot"].min()) / 1.5)
        high = max(data["spend_usd"].max(), data["value_plot"].max()) * 1.5
        fig.add_trace(go.Scatter(x=[low, high], y=[low, high], mode="lines", name="Break-even (value = spend)",
                                 line=dict(color="#6B7785", dash="dash", width=1), hoverinfo="skip"))
        if median_value:
            fig.add_hline(y=median_value, line=dict(color="#6B7785", dash="dot", width=1),
                          annotation_text=f"median value of live initiatives {money(median_value)}",
                          annotation_position="top left", annotation_font_size=11)
        for text, x, y, colour in (
            ("SCALE", 0.02, 0.98, VERDICT_COLOURS["Scale"]),
            ("FIX", 0.98, 0.60, VERDICT_COLOURS["Fix"]),
            ("SUSTAIN", 0.02, 0.45, VERDICT_COLOURS["Sustain"]),
            ("CUT", 0.98, 0.04, VERDICT_COLOURS["Cut"]),
        ):
            fig.add_annotation(text=f"<b>{text}</b>", x=x, y=y, xref="paper", yref="paper", showarrow=False,
                               font=dict(color=colour, size=14), xanchor="left" if x < 0.5 else "right")
    fig.update_xaxes(type="log", title="Spend to date (log scale)", dtick=1, tickformat="$~s")
    fig.update_yaxes(type="log", title="Realised value (log scale)", dtick=1, tickformat="$~s")
    return tidy(fig, height=460)
