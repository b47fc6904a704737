"""Headline tiles: a metric that explains itself on hover and links to its rows."""

from __future__ import annotations

import streamlit as st


def tile(column, label: str, value: str, *, help: str, link_label: str | None = None,
         link_params: dict | None = None, delta: str | None = None, delta_color: str = "normal") -> None:
    """One tile. ``link_params`` are the query parameters that filter the table to its rows."""
    with column:
        with st.container(border=True):
            st.metric(label, value, delta=delta, delta_color=delta_color, help=help)
            if link_label and link_params is not None:
                filter_link(link_label, link_params, key=f"tile.{label}")


def filter_link(label: str, params: dict, *, key: str, icon: str = ":material/table_rows:", where=None) -> None:
    """A button that sets this page's filters to ``params`` (others cleared) and reruns: the
    way to link a page to a filtered view of itself (``st.page_link`` to the current page
    ignores its query parameters, and a plain link reloads the browser, ending the session)."""
    if (where or st).button(label, key=key, type="tertiary", icon=icon):
        for name in ("bu", "stage", "kind", "flag", "verdict"):
            if name in st.query_params and name not in params:
                del st.query_params[name]
        for name, values in params.items():
            st.query_params[name] = values
        st.rerun()
