"""Cached queries of the Finance pages (ROI Review, Unit Costs, Spend). Pure functions of their
arguments: the store is ``_store`` (not hashed) and ``revision`` invalidates on any write."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from core.finance import focus_billing, roi, scenarios, spend, unit_costs
from core.portfolio.initiative import initiative_choices
from core.portfolio.summary import business_units
from ui.queries import reporting_date

if TYPE_CHECKING:
    from core.store import Store


@st.cache_data(show_spinner=False, max_entries=8)
def scope_choices(_store: Store, revision: int) -> dict[str, str]:
    """scope key → label: the portfolio, every business unit, every initiative."""
    choices = {"portfolio": "Whole portfolio"}
    choices.update({f"bu:{code}": f"Business unit · {name}" for code, name in business_units(_store)})
    choices.update({f"initiative:{code}": f"Initiative · {name} ({code})" for code, name in initiative_choices(_store)})
    return choices


@st.cache_data(show_spinner=False, max_entries=64)
def roi_review(_store: Store, revision: int, scope: roi.RoiScope, horizon: str, rate: float) -> roi.RoiReviewResult:
    return roi.review_roi(_store, scope, horizon, rate, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=64)
def ranked_initiatives(_store: Store, revision: int, scope: roi.RoiScope, horizon: str, rate: float):
    return roi.rank_initiatives(_store, scope, horizon, rate, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=64)
def scenario(_store: Store, revision: int, scope: roi.RoiScope, horizon: str, rate: float,
             config: scenarios.ScenarioConfig) -> scenarios.ScenarioComparison:
    return scenarios.compare_scenario(_store, scope, horizon, rate, config, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=32)
def unit_cost_series(_store: Store, revision: int, dimension: str, months: int,
                     usage: unit_costs.UsageFilter = unit_costs.UsageFilter()):
    return unit_costs.unit_cost_series(_store, dimension, months, as_of=reporting_date(_store, revision), usage=usage)


@st.cache_data(show_spinner=False, max_entries=32)
def cost_drivers(_store: Store, revision: int, dimension: str, months: int,
                 usage: unit_costs.UsageFilter = unit_costs.UsageFilter()):
    return unit_costs.top_cost_drivers(_store, dimension, months, as_of=reporting_date(_store, revision), usage=usage)


@st.cache_data(show_spinner=False, max_entries=32)
def cost_spikes(_store: Store, revision: int, k: float):
    return unit_costs.find_cost_spikes(_store, k, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=8)
def rising_unit_costs(_store: Store, revision: int):
    return unit_costs.rising_unit_costs(_store, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=8)
def cloud_vs_edge(_store: Store, revision: int):
    return unit_costs.compare_cloud_edge(_store, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=8)
def focus_allocation(_store: Store, revision: int):
    return focus_billing.allocate_focus_costs(_store)


@st.cache_data(show_spinner=False, max_entries=32)
def unit_cost_summary(_store: Store, revision: int, usage: unit_costs.UsageFilter = unit_costs.UsageFilter()):
    return unit_costs.summarise_unit_costs(_store, as_of=reporting_date(_store, revision), usage=usage)


@st.cache_data(show_spinner=False, max_entries=8)
def usage_models(_store: Store, revision: int) -> list[str]:
    return unit_costs.usage_models(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def focus_reconciliation(_store: Store, revision: int):
    return focus_billing.reconcile_focus_with_usage(_store)


@st.cache_data(show_spinner=False, max_entries=64)
def spend_breakdown(_store: Store, revision: int, flt: spend.SpendFilter) -> spend.SpendBreakdownReport:
    return spend.spend_breakdown(_store, flt, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=8)
def saved_scenarios(_store: Store, revision: int):
    return scenarios.list_scenarios(_store)
