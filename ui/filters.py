"""Filter widgets bound to the URL (``st.query_params``), so a copied link reproduces the view.

Values read from the URL are checked against the allowed lists; unknown ones are dropped
with a visible note instead of an exception.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def url_values(key: str, allowed: Sequence[str]) -> list[str]:
    """Values of a repeated (or comma-separated) query parameter that are in ``allowed``."""
    raw = [part for value in st.query_params.get_all(key) for part in value.split(",") if part]
    unknown = [value for value in raw if value not in allowed]
    if unknown:
        st.caption(f"Ignored unknown {key} value(s) in the link: {', '.join(v[:30] for v in unknown)}.")
    return [value for value in raw if value in allowed]


def url_multiselect(label: str, key: str, options: Sequence[str], *, format_func=str, help: str | None = None) -> list[str]:
    """A multiselect whose choice lives in the URL under ``key``."""
    current = url_values(key, options)
    chosen = st.multiselect(label, options, default=current, format_func=format_func, help=help,
                            placeholder="All", key=f"filter.{key}")
    if chosen != current:
        if chosen:
            st.query_params[key] = chosen
        else:
            del st.query_params[key]
    return chosen
