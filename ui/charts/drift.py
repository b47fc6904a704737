"""Plotly figures and the traffic-light vocabulary of the Drift page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.drift.queries import DRIFT, NO_DRIFT, POSSIBLE_DRIFT
from ui.theme import tidy

STATUS_COLOURS = {DRIFT: "#D55E00", POSSIBLE_DRIFT: "#F0E442", NO_DRIFT: "#009E73", "no data": "#A7B4C2"}
STATUS_BADGES = {DRIFT: "red", POSSIBLE_DRIFT: "orange", NO_DRIFT: "green", "no data": "gray"}
REFERENCE_COLOUR = "#6B7785"
CURRENT_COLOUR = "#0072B2"


def status_light(status: str) -> str:
    """The status as a traffic light with its word (colour is never the only signal)."""
    return f"● {status}"


def status_badge(status: str) -> str:
    """The status as a coloured Markdown badge (for titles)."""
    return f":{STATUS_BADGES.get(status, 'gray')}-badge[● {status}]"


def styled_lights(frame: pd.DataFrame, column: str = "light", optional: tuple[str, ...] = ()):
    """A Styler colouring the traffic-light column; ``optional`` number columns (a p-value
    exists only for tests, not distances) are shown as text with "—" where absent."""
    colours = {status_light(s): c for s, c in STATUS_COLOURS.items()}
    shown = frame.assign(**{name: [("—" if pd.isna(v) else f"{v:.4f}") for v in frame[name]] for name in optional})
    return shown.style.map(lambda v: f"color: {colours.get(v, '#333')}; font-weight: 600", subset=[column])


def distribution_figure(shares: pd.DataFrame, reference: str, current: str) -> go.Figure:
    """Reference vs current shares of one feature, overlaid: histogram bins or level bars."""
    fig = go.Figure()
    numeric = "bin_left_value" in shares.columns
    for window, colour, name in ((reference, REFERENCE_COLOUR, f"Reference {reference}"),
                                 (current, CURRENT_COLOUR, f"Current {current}")):
        part = shares[shares["window_label"] == window]
        if numeric:
            centres = (part["bin_left_value"] + part["bin_right_value"]) / 2
            widths = part["bin_right_value"] - part["bin_left_value"]
            fig.add_trace(go.Bar(x=centres, y=part["share"], width=widths, name=name, marker_color=colour,
                                 opacity=0.55, hovertemplate="%{x:,.4g}: %{y:.1%}<extra>" + name + "</extra>"))
        else:
            fig.add_trace(go.Bar(x=part["level"], y=part["share"], name=name, marker_color=colour,
                                 opacity=0.85, hovertemplate="%{x}: %{y:.1%}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="overlay" if numeric else "group", bargap=0.05 if numeric else 0.2)
    fig.update_yaxes(title="Share of rows", tickformat=".0%")
    return tidy(fig, height=330)


def history_figure(history: pd.DataFrame, threshold: float) -> go.Figure:
    """Share of drifted features per window, with the dataset-drift threshold line."""
    fig = go.Figure(go.Scatter(
        x=history["window_start"], y=history["drift_share"], mode="lines+markers", name="Drifted features",
        line=dict(color=CURRENT_COLOUR, width=2.5),
        marker=dict(size=10, color=[STATUS_COLOURS[s] for s in history["status"]], line=dict(color="#5B6673", width=0.5)),
        customdata=history[["current_window", "n_drifted", "n_evaluated", "reference_window"]],
        hovertemplate=("%{customdata[0]}: %{customdata[1]} of %{customdata[2]} features drifted (%{y:.0%})"
                       " vs %{customdata[3]}<extra></extra>"),
    ))
    fig.add_hline(y=threshold, line=dict(color=STATUS_COLOURS[DRIFT], dash="dash", width=1),
                  annotation_text=f"dataset drift at {threshold:.0%}", annotation_position="top left",
                  annotation_font_size=11)
    fig.update_yaxes(title="Share of features drifted", tickformat=".0%", range=[-0.03, 1.03])
    fig.update_xaxes(tickformat="%b", dtick="M1", tickangle=0, hoverformat="%b %Y")
    return tidy(fig, height=330, legend=False)


def performance_figure(performance: pd.DataFrame) -> go.Figure:
    """Accuracy (or MAE) per window, from stored labels and predictions."""
    metric = performance["metric"].iloc[0] if len(performance) else "accuracy"
    fig = go.Figure(go.Scatter(
        x=performance["window_start"], y=performance["value"], mode="lines+markers", name=metric,
        line=dict(color=REFERENCE_COLOUR, width=2.5), customdata=performance[["labelled_rows"]],
        hovertemplate="%{x|%b %Y}: " + ("%{y:.1%}" if metric == "accuracy" else "%{y:,.4g}")
                      + " on %{customdata[0]:,} labelled rows<extra></extra>",
    ))
    if metric == "accuracy":
        # A fixed floor keeps month-to-month noise of a stable model from looking like a fall.
        low = max(0.0, min(performance["value"].min() - 0.1, 0.7)) if len(performance) else 0.0
        fig.update_yaxes(title="Accuracy", tickformat=".0%", range=[low, 1.0])
    else:
        fig.update_yaxes(title="Mean absolute error")
    fig.update_xaxes(tickformat="%b", dtick="M1", tickangle=0, hoverformat="%b %Y")
    return tidy(fig, height=300, legend=False)
