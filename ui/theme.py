"""Colours and Plotly layout shared by every chart, so the app reads as one product."""

from __future__ import annotations

import math

import plotly.graph_objects as go

# Okabe & Ito's colour-blind-safe set ("Color Universal Design", 2002): eight hues that stay
# apart under protanopia, deuteranopia and tritanopia, so no chart depends on telling red from
# green. Every categorical colour below is one of these or a neutral grey.
BLUE, VERMILLION, ORANGE, BLUISH_GREEN = "#0072B2", "#D55E00", "#E69F00", "#009E73"
REDDISH_PURPLE, SKY_BLUE, YELLOW, BLACK = "#CC79A7", "#56B4E9", "#F0E442", "#000000"
OKABE_ITO = (BLUE, VERMILLION, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, YELLOW, BLACK)
LIGHT_GREY, GREY, NEAR_BLACK = "#A7B4C2", "#8D8D8D", "#1F2A36"
#: series colours in order, for charts with several lines: six that stay apart under every
#: common colour-vision deficiency (orange sits too near vermillion, purple too near green)
SERIES_COLOURS = (BLUE, VERMILLION, BLUISH_GREEN, SKY_BLUE, NEAR_BLACK, YELLOW)

STAGE_COLOURS = {"idea": LIGHT_GREY, "pilot": ORANGE, "production": BLUE, "scaled": BLUISH_GREEN,
                 "retired": "#4A5561"}
VERDICT_COLOURS = {"Scale": BLUISH_GREEN, "Sustain": SKY_BLUE, "Fix": YELLOW, "Cut": VERMILLION}
#: the same hues for text on white: yellow letters are unreadable, so Fix is written in dark gold
VERDICT_TEXT_COLOURS = {**VERDICT_COLOURS, "Fix": "#8A7300"}
COST_COLOUR = VERMILLION
BENEFIT_COLOUR = BLUISH_GREEN
PLAN_DASH = "dot"
CATEGORY_COLOURS = {"compute": BLUE, "inference": VERMILLION, "licences": YELLOW, "people": REDDISH_PURPLE,
                    "data": SKY_BLUE}


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


def log_tick_values(low: float, high: float, *, at_least: int = 3) -> list[float]:
    """Tick values for a log axis spanning [low, high] (both > 0): the powers of ten inside
    the range, then 1-2-5 and finally 1…9 steps per decade until at least ``at_least`` ticks
    fall inside it. Plotly's default (``dtick=1``) labels only powers of ten, so an axis spanning
    $1.2M–$9M showed a single tick."""
    if low <= 0 or high <= low:
        return []
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    ticks: list[float] = []
    for steps in ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
        ticks = [m * 10**e for e in range(first, last + 1) for m in steps if low <= m * 10**e <= high]
        if len(ticks) >= at_least:
            break
    return ticks


def _tick_text(value: float, prefix: str) -> str:
    """1-2-5 tick values as written on an axis: 0.005, 0.02, 1, 20, 5k, 2M (no "5e-3")."""
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= threshold:
            return f"{prefix}{value / threshold:g}{suffix}"
    return f"{prefix}{value:.3g}" if value < 1 else f"{prefix}{value:g}"


def log_axis(values, *, prefix: str = "", pad: float = 1.3) -> dict:
    """Plotly axis settings for a log axis over ``values`` (positive ones; the range padded by
    ``pad`` on both sides) with ticks from ``log_tick_values`` — at least three labelled ticks
    however narrow the range. Empty dict without a positive value (Plotly's own axis)."""
    positive = [float(v) for v in values if v is not None and v == v and v > 0]
    if not positive:
        return {}
    low, high = min(positive) / pad, max(positive) * pad
    ticks = log_tick_values(low, high)
    return dict(type="log", range=[math.log10(low), math.log10(high)], tickvals=ticks,
                ticktext=[_tick_text(t, prefix) for t in ticks])
