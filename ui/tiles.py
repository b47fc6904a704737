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
                if st.button(link_label, key=f"tile.{label}", type="tertiary", icon=":material/table_rows:"):
                    for key in ("bu", "stage", "kind", "flag", "verdict"):
                        if key in st.query_params and key not in link_params:
                            del st.query_params[key]
                    for key, values in link_params.items():
                        st.query_params[key] = values
                    st.rerun()
