"""The Spend page's bars as links: which rows a clicked bar stands for, and going there.

A bar of the business-unit chart opens the Portfolio filtered to that unit (``?bu=``); a
category bar narrows this page to that category (``?category=``); a model or serving-place bar
opens Unit Costs filtered to it (``?model=`` / ``?serving=``). The chart's ``on_select``
callback remembers the clicked bar's link and the page follows it once drawn, so one click is
one visit (a selection that outlives its rerun is never followed twice).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from core.entities import COST_CATEGORIES
from core.finance.spend import DEFAULT_PERIOD, INFERENCE, NO_USAGE, NOT_PER_MODEL, OTHER_MODELS, SpendFilter
from ui import state

SPEND_PAGE = "pages/spend.py"
PORTFOLIO_PAGE = "pages/portfolio.py"
UNIT_COSTS_PAGE = "pages/unit_costs.py"

Link = tuple[str, dict[str, str | list[str]]]  # (page file, query parameters)


def spend_params(flt: SpendFilter) -> dict[str, str | list[str]]:
    """The Spend page's query parameters for ``flt`` (defaults left out, as the pickers do)."""
    params: dict[str, str | list[str]] = {}
    if flt.period != DEFAULT_PERIOD:
        params["period"] = flt.period
    if flt.business_units:
        params["bu"] = list(flt.business_units)
    if flt.categories:
        params["category"] = list(flt.categories)
    return params


def bar_link(breakdown: str, key: str, flt: SpendFilter) -> Link | None:
    """Where the bar ``key`` of the ``breakdown`` chart leads, from the view ``flt``; None for a
    bar with no rows of its own to show (inference with no usage logged)."""
    if breakdown == "business_unit":
        return PORTFOLIO_PAGE, {"bu": key}
    if breakdown == "category":
        return SPEND_PAGE, spend_params(SpendFilter(flt.period, flt.business_units, (key,)))
    if key == NOT_PER_MODEL:  # the categories that are not spent per model, on this page
        others = tuple(c for c in COST_CATEGORIES if c != INFERENCE and (not flt.categories or c in flt.categories))
        return SPEND_PAGE, spend_params(SpendFilter(flt.period, flt.business_units, others))
    if key == NO_USAGE:
        return None
    if key == OTHER_MODELS:
        return UNIT_COSTS_PAGE, {"dim": "model"}
    if breakdown == "model":
        return UNIT_COSTS_PAGE, {"model": key, "dim": "initiative"}
    if breakdown == "serving":
        return UNIT_COSTS_PAGE, {"serving": key, "dim": "model"}
    return None


def clicked_key(selection: Mapping | None) -> str | None:
    """The key of the first bar in a Plotly chart's selection state (``{"selection": {"points":
    [{"customdata": [key, …], "y": key, …}]}}``), None when nothing is selected."""
    points = ((selection or {}).get("selection") or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if data:
            return str(data[0])
        if point.get("y") is not None:
            return str(point["y"])
    return None


def remember_clicked_bar(breakdown: str, flt: SpendFilter) -> None:
    """``on_select`` callback of the ``breakdown`` chart: keep the clicked bar's link."""
    key = clicked_key(st.session_state.get(state.SPEND_CHARTS[breakdown]))
    link = bar_link(breakdown, key, flt) if key is not None else None
    if link is not None:
        st.session_state[state.SPEND_CLICKED_LINK] = link


def follow_clicked_bar() -> None:
    """Open the link of the bar clicked in this run, if any (once: it is taken out first)."""
    link = st.session_state.pop(state.SPEND_CLICKED_LINK, None)
    if link is not None:
        page, params = link
        st.switch_page(page, query_params=params)
