"""Plotly figures of the Spend page: one horizontal bar per business unit, category, model or
serving place, its value written on it, largest first, buckets ("other models", "inference with
no usage logged") last in grey. The spend that is not per model is left off the model and place
charts (it dwarfs every model; the page states it beside them).

Each bar carries its key as ``customdata[0]`` (the y axis is the key, labelled with the name),
so a click on it names the rows it stands for (``ui.spend.clicked_key``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.finance.spend import NO_USAGE, NOT_PER_MODEL, OTHER_MODELS
from core.finance.unit_costs import SERVING
from ui.formatting import money, percent
from ui.theme import CATEGORY_COLOURS, COST_COLOUR, tidy

BUCKET_COLOUR = "#A7B4C2"
SERVING_COLOURS = {"vendor_api": "#D55E00", "cloud": "#0072B2", "edge": "#009E73"}
BAR_HEIGHT_PX = 34
AXES_HEIGHT_PX = 120  # the value axis, its title and the top margin
VALUE_AXIS_PAD = 1.35  # room right of the longest bar for its value …
RIGHT_MARGIN_PX = 70   # … and beyond the axis, where a long value on a short chart spills
BUCKET_HOVER = {NO_USAGE: "inference lines of months in which the initiative logged no usage"}


def _hover_detail(breakdown: str, row) -> str:
    """What a bar's hover adds to its name and value: the code, and what it is made of."""
    if row.key == OTHER_MODELS:
        return f"{row.models} smaller models, summed"
    if row.key in BUCKET_HOVER:
        return BUCKET_HOVER[row.key]
    count = int(row.initiatives)
    initiatives = f"{count} initiative{'s' if count != 1 else ''}"
    if breakdown == "model":
        return f"{' · '.join(SERVING.get(p, p) for p in row.places)} · {initiatives}"
    if breakdown == "serving":
        return f"code {row.key} · {row.models} model{'s' if row.models != 1 else ''} · {initiatives}"
    return f"code {row.key} · {initiatives}"


def _colour(breakdown: str, key: str) -> str:
    if key.startswith("_"):
        return BUCKET_COLOUR
    if breakdown == "category":
        return CATEGORY_COLOURS.get(key, COST_COLOUR)
    if breakdown == "serving":
        return SERVING_COLOURS.get(key, COST_COLOUR)
    return COST_COLOUR


def _share(share: float) -> str:
    """A share of spend as written on a bar: 37%, 4.2%, 0.3% (never a bare "0%")."""
    return percent(share) if share >= 0.1 else percent(share, 1)


def spend_bar_figure(frame: pd.DataFrame, breakdown: str, value_title: str) -> go.Figure:
    """Horizontal bars of ``frame`` (a ``SpendBreakdownReport`` breakdown, already ordered)
    without its not-per-model row: the name on the axis, "$12.3M · 13%" (share of all spend)
    written on each bar, the code and make-up in the hover, a money value axis from $0 titled
    ``value_title``."""
    frame = frame[frame["key"] != NOT_PER_MODEL]
    keys = frame["key"].tolist()
    text = [f"{money(v)} · {_share(s)}" for v, s in zip(frame["spend_usd"], frame["share"])]
    hover = [_hover_detail(breakdown, row) for row in frame.itertuples()]
    fig = go.Figure(go.Bar(
        x=frame["spend_usd"], y=keys, orientation="h", text=text, texttemplate="%{text}", textposition="outside",
        cliponaxis=False, marker_color=[_colour(breakdown, k) for k in keys],
        customdata=list(zip(keys, frame["label"], hover)),
        hovertemplate="<b>%{customdata[1]}</b><br>%{x:$,.0f} · %{text}<br>%{customdata[2]}<extra></extra>",
    ))
    largest = float(frame["spend_usd"].max()) if len(frame) else 0.0
    fig.update_xaxes(title=value_title, tickformat="$~s", rangemode="tozero", nticks=6,
                     range=[0, largest * VALUE_AXIS_PAD] if largest > 0 else None)
    fig.update_yaxes(title=None, autorange="reversed", tickmode="array", tickvals=keys,
                     ticktext=frame["label"].tolist())
    fig = tidy(fig, height=AXES_HEIGHT_PX + BAR_HEIGHT_PX * max(len(frame), 1), legend=False)
    fig.update_layout(clickmode="event+select", dragmode=False, margin_r=RIGHT_MARGIN_PX)
    return fig
