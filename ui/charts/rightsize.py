"""Plotly figures of the Right-Size Lab: the quality-vs-cost frontier and latency percentiles."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.models.adoption import inference_scale
from ui.theme import log_axis, tidy

POINT_COLOUR = "#A7B4C2"
FRONTIER_COLOUR = "#0072B2"
RECOMMENDED_COLOUR = "#009E73"
BEST_COLOUR = "#D55E00"
TODAY_COLOUR = "#3D3B8E"  # the initiative's production model: what savings are measured against


def frontier_figure(table: pd.DataFrame, metric_label: str, profile: str) -> go.Figure:
    """Quality (y) vs cost per N inferences on ``profile`` (x, log; N from ``inference_scale``,
    so the axis reads "$0.01 … $0.5 per 1B" rather than "$1e−5 per 1M"); frontier line; marked points."""
    ok = table[(table["status"] == "ok") & table["cost_per_1m_usd"].notna() & table["quality"].notna()]
    count, scale = inference_scale(*(ok["cost_per_1m_usd"] / 1e6)) if len(ok) else (1e6, "1M")
    ok = ok.assign(cost_scaled=ok["cost_per_1m_usd"] / 1e6 * count)
    fig = go.Figure()
    hover = "%{text}<br>$%{x:.3g} per " + scale + " · " + metric_label + " %{y:.4f}<extra></extra>"
    fig.add_trace(go.Scatter(x=ok["cost_scaled"], y=ok["quality"], text=ok["name"], mode="markers",
                             name="Candidates", marker=dict(size=10, color=POINT_COLOUR), hovertemplate=hover,
                             error_y=dict(type="data", symmetric=False, color="#C9D2DC",
                                          array=(ok["ci_high"] - ok["quality"]).clip(lower=0),
                                          arrayminus=(ok["quality"] - ok["ci_low"]).clip(lower=0))))
    frontier = ok[ok["frontier"]].sort_values("cost_per_1m_usd")
    fig.add_trace(go.Scatter(x=frontier["cost_scaled"], y=frontier["quality"], text=frontier["name"],
                             mode="lines", name="Frontier", line=dict(color=FRONTIER_COLOUR, width=2, shape="hv"),
                             hoverinfo="skip"))
    for role, colour, symbol in (("today", TODAY_COLOUR, "square"), ("best", BEST_COLOUR, "diamond"),
                                 ("recommended", RECOMMENDED_COLOUR, "star")):
        # a candidate may hold several roles ("recommended, best")
        point = ok[ok["role"].str.split(", ").apply(lambda roles, role=role: role in roles)]
        if point.empty:
            continue
        fig.add_trace(go.Scatter(x=point["cost_scaled"], y=point["quality"], text=point["name"],
                                 mode="markers", name="Today's model" if role == "today" else role.capitalize(),
                                 marker=dict(size=17, color=colour, symbol=symbol, line=dict(color="white", width=1)),
                                 hovertemplate=hover))
    fig.update_xaxes(title=f"Cost per {scale} inferences on {profile} (USD, log scale)",
                     **log_axis(ok["cost_scaled"], prefix="$"))
    fig.update_yaxes(title=metric_label)
    return tidy(fig, height=400)


def latency_figure(table: pd.DataFrame) -> go.Figure:
    """Single-row latency per candidate: a bar from p50 to p99 with p50, p95 and p99 marked (log ms)."""
    ok = table[(table["status"] == "ok") & table["p50_ms"].notna()].sort_values("p50_ms", ascending=False)
    fig = go.Figure()
    fig.add_trace(go.Bar(y=ok["name"], x=ok["p99_ms"] - ok["p50_ms"], base=ok["p50_ms"], orientation="h",
                         marker_color="#D6E4EE", name="p50 → p99", hoverinfo="skip"))
    for column, label, colour, symbol in (("p50_ms", "p50", "#0072B2", "circle"),
                                          ("p95_ms", "p95", "#E69F00", "diamond"),
                                          ("p99_ms", "p99", "#CC79A7", "line-ns-open")):
        fig.add_trace(go.Scatter(y=ok["name"], x=ok[column], mode="markers", name=label,
                                 marker=dict(color=colour, size=11, symbol=symbol, line=dict(width=2, color=colour)),
                                 hovertemplate="%{y}: " + label + " %{x:.3g} ms<extra></extra>"))
    fig.update_xaxes(title="Single-row latency (ms, log scale)",
                     **log_axis(pd.concat([ok["p50_ms"], ok["p99_ms"]]), pad=1.5))
    return tidy(fig, height=max(220, 60 + 42 * len(ok)))
