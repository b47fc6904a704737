"""Plotly figures of the Governance page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.theme import tidy


def ownership_heatmap(counts: pd.DataFrame) -> go.Figure:
    """Business owners (rows, most initiatives on top) × platform owners: the count in each cell,
    blank where a pair owns nothing."""
    fig = go.Figure()
    if counts.empty:
        return tidy(fig, height=200, legend=False)
    counts = counts.loc[counts.sum(axis=1).sort_values().index]
    fig.add_trace(go.Heatmap(
        z=counts.to_numpy(), x=list(counts.columns), y=list(counts.index),
        text=[[str(v) if v else "" for v in row] for row in counts.to_numpy()], texttemplate="%{text}",
        colorscale=[[0, "#F4F6F8"], [1, "#0072B2"]], showscale=False, xgap=2, ygap=2,
        hovertemplate="%{y} · %{x}: %{z} initiatives<extra></extra>"))
    fig.update_xaxes(side="top")
    return tidy(fig, height=max(260, 60 + 24 * len(counts)), legend=False)
