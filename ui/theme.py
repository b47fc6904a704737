"""Colours and Plotly layout shared by every chart, so the app reads as one product."""

from __future__ import annotations

import plotly.graph_objects as go

STAGE_COLOURS = {
    "idea": "#A7B4C2",
    "pilot": "#F2B134",
    "production": "#2E86AB",
    "scaled": "#1B998B",
    "retired": "#8D8D8D",
}
VERDICT_COLOURS = {"Scale": "#1B998B", "Sustain": "#2E86AB", "Fix": "#F2B134", "Cut": "#D1495B"}
COST_COLOUR = "#D1495B"
BENEFIT_COLOUR = "#1B998B"
PLAN_DASH = "dot"
CATEGORY_COLOURS = {
    "compute": "#2E86AB", "inference": "#D1495B", "licences": "#F2B134",
    "people": "#6C5B7B", "data": "#1B998B",
}


def tidy(fig: go.Figure, *, height: int = 360, legend: bool = True) -> go.Figure:
    """House layout: white background, thin grid, compact margins, legend on top."""
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        font=dict(family="Inter, Segoe UI, sans-serif", size=13),
        showlegend=legend,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title=None),
        hoverlabel=dict(bgcolor="white"),
    )
    return fig
