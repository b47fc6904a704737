"""Cached read queries. Each is a pure function of its arguments: the store is passed as
``_store`` (not hashed) and its revision is part of the key, so any write invalidates.

The reporting date (``core.portfolio.period.as_of_date``) is itself cached per revision by
``reporting_date`` and handed to every core function that measures "to date", so one page
render runs that query at most once, however many figures it shows."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from core.portfolio import editing, governance
from core.portfolio import initiative as initiative_core
from core.portfolio import onboarding
from core.portfolio import summary as portfolio
from core.portfolio.period import as_of_date
from core.portfolio.period import open_month as find_open_month

if TYPE_CHECKING:
    from core.store import Store


@st.cache_data(show_spinner=False, max_entries=8)
def reporting_date(_store: Store, revision: int) -> dt.date:
    """The store's reporting date: last day of the latest month with actuals."""
    return as_of_date(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def open_month(_store: Store, revision: int):
    """The partial months of usage, for the charts to mark (None: every month is complete)."""
    return find_open_month(_store, reporting_date(_store, revision))


def _view_codes(_store: Store, revision: int, flt: portfolio.PortfolioFilter) -> list[str] | None:
    """The cached table's codes when the view needs them (a flag or verdict filter): the
    tiles and the funnel reuse the table the page shows instead of computing it twice more."""
    if not portfolio.needs_table(flt):
        return None
    return initiative_table(_store, revision, flt)["code"].tolist()


@st.cache_data(show_spinner=False, max_entries=64)
def headline(_store: Store, revision: int, flt: portfolio.PortfolioFilter):
    return portfolio.compute_headline(_store, flt, as_of=reporting_date(_store, revision),
                                      codes=_view_codes(_store, revision, flt))


@st.cache_data(show_spinner=False, max_entries=64)
def funnel(_store: Store, revision: int, flt: portfolio.PortfolioFilter):
    return portfolio.stage_funnel(_store, flt, as_of=reporting_date(_store, revision),
                                  codes=_view_codes(_store, revision, flt))


@st.cache_data(show_spinner=False, max_entries=64)
def initiative_table(_store: Store, revision: int, flt: portfolio.PortfolioFilter):
    return portfolio.initiative_table(_store, flt, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=8)
def business_units(_store: Store, revision: int):
    return portfolio.business_units(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def initiative_choices(_store: Store, revision: int):
    return initiative_core.initiative_choices(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def largest_initiative(_store: Store, revision: int):
    return initiative_core.largest_initiative(_store)


@st.cache_data(show_spinner=False, max_entries=128)
def initiative_detail(_store: Store, revision: int, code: str):
    return initiative_core.initiative_detail(_store, code, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=8)
def median_live_value(_store: Store, revision: int):
    return portfolio.median_live_value(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def ownership_matrix(_store: Store, revision: int):
    return governance.ownership_matrix(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def holdings(_store: Store, revision: int):
    return onboarding.store_holdings(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def setup_checklist(_store: Store, revision: int):
    return onboarding.setup_checklist(_store)


@st.cache_data(show_spinner=False, max_entries=64)
def kpi_readings(_store: Store, revision: int, code: str):
    return editing.kpi_readings(_store, code)


@st.cache_data(show_spinner=False, max_entries=64)
def incidents(_store: Store, revision: int, code: str):
    return editing.incidents(_store, code)
