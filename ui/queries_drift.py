"""Cached reads of the Drift page. Each takes ``(_store, revision, ...)``: the store is not
hashed and its revision is part of the key, so a recompute invalidates old results."""

from __future__ import annotations

import streamlit as st

from core.drift import queries as drift_monitor


@st.cache_data(show_spinner=False, max_entries=8)
def overview(_store, revision: int) -> drift_monitor.DriftOverview:
    return drift_monitor.drift_overview(_store)


@st.cache_data(show_spinner=False, max_entries=8)
def monitored_models(_store, revision: int) -> list[tuple[int, str, str]]:
    return drift_monitor.monitored_models(_store)


@st.cache_data(show_spinner=False, max_entries=64)
def history(_store, revision: int, model_id: int):
    return drift_monitor.drift_history(_store, model_id)


@st.cache_data(show_spinner=False, max_entries=128)
def feature_results(_store, revision: int, model_id: int, window: str):
    return drift_monitor.feature_results(_store, model_id, window)


@st.cache_data(show_spinner=False, max_entries=128)
def distributions(_store, revision: int, model_id: int, feature: str, reference: str, current: str):
    return drift_monitor.feature_distributions(_store, model_id, feature, reference, current)


@st.cache_data(show_spinner=False, max_entries=64)
def performance(_store, revision: int, model_id: int):
    return drift_monitor.performance_by_window(_store, model_id)
