"""Partial months on time-series charts: shaded, dashed or hatched, and labelled, so a month
still running (or one the books have not reached) never reads as a whole month.

The rule is core's (``core.portfolio.period.complete_months_end``); the charts get the
series' ``partial`` column and the store's ``OpenMonthResult`` (None: nothing is partial).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.portfolio.period import OpenMonthResult

PARTIAL_FILL = "#EEF0F3"
PARTIAL_DASH = "dash"  # plans are dotted (ui.theme.PLAN_DASH)
PARTIAL_PATTERN = "/"
HALF_MONTH = pd.Timedelta(days=15)  # points sit on the 1st: shade from halfway to the month before


def partial_label(open_month: OpenMonthResult) -> str:
    """``partial: through 03 Dec`` (the date of the latest usage)."""
    return f"partial: through {open_month.through:%d %b}"


def partial_caption(open_month: OpenMonthResult | None) -> str | None:
    """One sentence for under a chart: what is partial, and that rates leave it out."""
    if open_month is None:
        return None
    one = open_month.month == open_month.last_month
    months = (f"{open_month.month:%b %Y} is" if one
              else f"{open_month.month:%b %Y}–{open_month.last_month:%b %Y} are")
    return (f"Shaded: {months} partial (usage through {open_month.through:%d %b %Y}; a month that has not ended "
            f"or comes after the last month with books), so left out of every rate; rates run to "
            f"{open_month.complete_through:%d %b %Y}.")


def mark_partial(fig: go.Figure, open_month: OpenMonthResult | None) -> go.Figure:
    """Shade the partial months and label them (``partial_label``); no-op when None."""
    if open_month is None:
        return fig
    fig.add_vrect(x0=pd.Timestamp(open_month.month) - HALF_MONTH, x1=pd.Timestamp(open_month.last_month) + HALF_MONTH,
                  fillcolor=PARTIAL_FILL, line_width=0, layer="below", annotation_text=partial_label(open_month),
                  annotation_position="top left", annotation_font=dict(size=11, color="#5B6673"))
    return fig


def split_partial(part: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(complete rows, partial rows led by the last complete one) of one line's points, so the
    dashed partial segment joins the solid line; a frame without ``partial`` is all complete."""
    if "partial" not in part or not part["partial"].any():
        return part, part.iloc[0:0]
    partial = part["partial"].astype(bool)
    complete = part[~partial]
    return complete, pd.concat([complete.tail(1), part[partial]])
