"""Cached queries of the Finance pages (ROI Review, Unit Costs). Pure functions of their
arguments: the store is ``_store`` (not hashed) and ``revision`` invalidates on any write."""

from __future__ import annotations

import streamlit as st

from core.finance import focus_billing, roi, scenarios, unit_costs
from core.portfolio.initiative import initiative_choices
from core.portfolio.summary import business_units


@st.cache_data(show_spinner=False, max_entries=8)
def scope_choices(_store, revision: int) -> dict[str, str]:
    """scope key → label: the portfolio, every business unit, every initiative."""
    choices = {"portfolio": "Whole portfolio"}
    choices.update({f"bu:{code}": f"Business unit · {name}" for code, name in business_units(_store)})
    choices.update({f"initiative:{code}": f"Initiative · {name} ({code})" for code, name in initiative_choices(_store)})
    return choices


@st.cache_data(show_spinner=False, max_entries=64)
def roi_review(_store, revision: int, scope: roi.RoiScope, horizon: str, rate: float) -> roi.RoiReviewResult:
    return roi.review_roi(_store, scope, horizon, rate)


@st.cache_data(show_spinner=False, max_entries=64)
def ranked_initiatives(_store, revision: int, scope: roi.RoiScope, horizon: str, rate: float):
    return roi.rank_initiatives(_store, scope, horizon, rate)


@st.cache_data(show_spinner=False, max_entries=64)
def scenario(_store, revision: int, scope: roi.RoiScope, horizon: str, rate: float,
             config: scenarios.ScenarioConfig) -> scenarios.ScenarioComparison:
    return scenarios.compare_scenario(_store, scope, horizon, rate, config)


@st.cache_data(show_spinner=False, max_entries=32)
def unit_cost_series(_store, revision: int, dimension: str, months: int):
    return unit_costs.unit_cost_series(_store, dimension, months)


@st.cache_data(show_spinner=False, max_entries=32)
def cost_drivers(_store, revision: int, dimension: str, months: int):
    return unit_costs.top_cost_drivers(_store, dimension, months)


@st.cache_data(show_spinner=False, max_entries=32)
def cost_spikes(_store, revision: int, k: float):
    return unit_costs.find_cost_spikes(_store, k)


@st.cache_data(show_spinner=False, max_entries=8)
def rising_unit_costs(_store, revision: int):
    return unit_costs.rising_unit_costs(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def cloud_vs_edge(_store, revision: int):
    return unit_costs.compare_cloud_edge(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def focus_allocation(_store, revision: int):
    return focus_billing.allocate_focus_costs(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def unit_cost_summary(_store, revision: int):
    return unit_costs.summarise_unit_costs(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def saved_scenarios(_store, revision: int):
    return scenarios.list_scenarios(_store)
