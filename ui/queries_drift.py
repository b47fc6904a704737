"""Cached reads of the Drift page. Each takes ``(_store, revision, ...)``: the store is not
hashed and its revision is part of the key, so a recompute invalidates old results."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from core.drift import queries as drift_monitor
from ui.queries import reporting_date

if TYPE_CHECKING:
    from core.store import Store


@st.cache_data(show_spinner=False, max_entries=8)
def overview(_store: Store, revision: int) -> drift_monitor.DriftOverview:
    return drift_monitor.drift_overview(_store, as_of=reporting_date(_store, revision))


@st.cache_data(show_spinner=False, max_entries=8)
def monitored_models(_store: Store, revision: int) -> list[tuple[int, str, str]]:
    return drift_monitor.monitored_models(_store)


@st.cache_data(show_spinner=False, max_entries=64)
def history(_store: Store, revision: int, model_id: int):
    return drift_monitor.drift_history(_store, model_id)


@st.cache_data(show_spinner=False, max_entries=128)
def feature_results(_store: Store, revision: int, model_id: int, window: str):
    return drift_monitor.feature_results(_store, model_id, window)


@st.cache_data(show_spinner=False, max_entries=128)
def distributions(_store: Store, revision: int, model_id: int, feature: str, reference: str, current: str):
    return drift_monitor.feature_distributions(_store, model_id, feature, reference, current)


@st.cache_data(show_spinner=False, max_entries=64)
def performance(_store: Store, revision: int, model_id: int):
    return drift_monitor.performance_by_window(_store, model_id)
