"""Plotly figures of the Portfolio page."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.formatting import money
from ui.theme import STAGE_COLOURS, VERDICT_COLOURS, VERDICT_TEXT_COLOURS, log_tick_values, tidy

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
    """Value vs spend (log–log) of the initiatives that have a verdict (production or scaled),
    bubble size = spend, colour = verdict, with the two lines the verdicts are drawn from:
    break-even (value = spend) and the median value of live initiatives, labelled with its value.
    Each verdict's name sits inside its own region (``VERDICTS``): Scale above both lines, Fix
    above the median but below break-even, Sustain above break-even but below the median, Cut
    below both."""
    data = table[table["verdict"].notna() & (table["spend_usd"] > 0)].copy()
    data["value_plot"] = data["value_usd"].clip(lower=1_000)
    fig = go.Figure()
    size_ref = 2.0 * data["spend_usd"].max() / (46**2) if len(data) else 1
    for verdict, colour in VERDICT_COLOURS.items():
        part = data[data["verdict"] == verdict]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["spend_usd"], y=part["value_plot"], mode="markers", name=verdict,
                marker=dict(size=part["spend_usd"], sizemode="area", sizeref=size_ref, sizemin=5,
                            color=colour, line=dict(width=1, color="#5B6673"), opacity=0.85),
                customdata=np.stack([part["name"], part["code"], part["stage"].str.capitalize(),
                                     part["roi"].fillna(0) * 100, part["verdict_reason"].fillna("")], axis=-1),
                hovertemplate=("<b>%{customdata[0]}</b> (%{customdata[1]}) · %{customdata[2]}<br>Spend %{x:$,.0f}"
                               "<br>Value %{y:$,.0f}<br>ROI %{customdata[3]:.0f}%<br>" + verdict
                               + ": %{customdata[4]}<extra></extra>"),
            )
        )
    if len(data):
        low = max(1_000, min(data["spend_usd"].min(), data["value_plot"].min()) / 1.5)
        high = max(data["spend_usd"].max(), data["value_plot"].max()) * 1.5
        if median_value:
            low, high = min(low, median_value / 1.5), max(high, median_value * 1.5)
        fig.add_trace(go.Scatter(x=[low, high], y=[low, high], mode="lines", name="Break-even (value = spend)",
                                 line=dict(color="#6B7785", dash="dash", width=1), hoverinfo="skip"))
        if median_value:
            fig.add_hline(y=median_value, line=dict(color="#6B7785", dash="dot", width=1))
            # at the right end, under the line: the Cut label sits far below in the corner; a
            # white box keeps it readable over bubbles
            fig.add_annotation(text=f"median value of live initiatives: {money(median_value)}",
                               x=math.log10(high / 1.05), y=math.log10(median_value), xanchor="right",
                               yanchor="top", showarrow=False, font=dict(size=11, color="#4A5561"),
                               bgcolor="rgba(255,255,255,0.85)")
        for text, x, y in _quadrant_label_positions(low, high, median_value):
            fig.add_annotation(text=f"<b>{text.upper()}</b>", x=math.log10(x), y=math.log10(y), showarrow=False,
                               font=dict(color=VERDICT_TEXT_COLOURS[text], size=14), xanchor="center")
        ticks = log_tick_values(low, high)
        for axis in (fig.update_xaxes, fig.update_yaxes):
            axis(type="log", range=[math.log10(low), math.log10(high)], tickvals=ticks,
                 ticktext=[money(t) for t in ticks])
    fig.update_xaxes(title="Spend to date (log scale)")
    fig.update_yaxes(title="Realised value (log scale)")
    return tidy(fig, height=460)


def _quadrant_label_positions(low: float, high: float, median: float | None) -> list[tuple[str, float, float]]:
    """(verdict, x, y) in data units of each verdict's label, inside its region of the square
    [low, high]² (log scale; ``pad`` = 7 % of its width from every edge and line): Scale in the
    top-left corner (above break-even and the median), Cut in the bottom-right corner (below
    both), Fix on the right half-way between the median and break-even, Sustain on the left
    half-way between break-even and the median. A region too thin to hold a label gets none."""
    lo, hi = math.log10(low), math.log10(high)
    pad = 0.07 * (hi - lo)
    left, right = lo + pad, hi - pad
    mid = None if not median else math.log10(median)
    labels = []
    if mid is None or mid < right - pad:
        labels.append(("Scale", left, right))
    if mid is None or mid > left + pad:
        labels.append(("Cut", right, left))
    # between the median and break-even on the right, a pad below the line so the text clears it
    if mid is not None and left + pad < mid < right - 3 * pad:
        labels.append(("Fix", right, (mid + pad + right) / 2))
    if mid is not None and left + 2 * pad < mid < right - pad:  # between break-even and the median, on the left
        labels.append(("Sustain", left, (left + pad + mid - pad) / 2))
    return [(text, 10**x, 10**y) for text, x, y in labels]
