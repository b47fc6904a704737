"""Cached read queries. Each is a pure function of its arguments: the store is passed as
``_store`` (not hashed) and its revision is part of the key, so any write invalidates."""

from __future__ import annotations

import streamlit as st

from core.portfolio import initiative as initiative_core
from core.portfolio import summary as portfolio


@st.cache_data(show_spinner=False, max_entries=64)
def headline(_store, revision: int, flt: portfolio.PortfolioFilter):
    return portfolio.compute_headline(_store, flt)


@st.cache_data(show_spinner=False, max_entries=64)
def funnel(_store, revision: int, flt: portfolio.PortfolioFilter):
    return portfolio.stage_funnel(_store, flt)


@st.cache_data(show_spinner=False, max_entries=64)
def initiative_table(_store, revision: int, flt: portfolio.PortfolioFilter):
    return portfolio.initiative_table(_store, flt)


@st.cache_data(show_spinner=False, max_entries=8)
def business_units(_store, revision: int):
    return portfolio.business_units(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def initiative_choices(_store, revision: int):
    return initiative_core.initiative_choices(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def largest_initiative(_store, revision: int):
    return initiative_core.largest_initiative(_store)


@st.cache_data(show_spinner=False, max_entries=128)
def initiative_detail(_store, revision: int, code: str):
    return initiative_core.initiative_detail(_store, code)


@st.cache_data(show_spinner=False, max_entries=8)
def median_live_value(_store, revision: int):
    return portfolio.median_live_value(_store)
