"""An editable keyed table (the price book, the hardware profiles) in ``st.data_editor``.

The editor is opened on a snapshot of the store's rows kept in session state (``shown_key``):
saving hands core every row of the editor with that snapshot, so core can refuse a save over a
change someone else made in between (``core.store.table_edits.refuse_if_changed``) instead of
the editor quietly showing their rows under yours. "Discard and reload" drops the snapshot.
Money travels as float through the editor (its number columns need a numeric type) and core
turns each cell back into a Decimal from its shortest decimal text.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pandas as pd
import streamlit as st

from core.errors import CoreError


def _editable(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """The rows as the editor's frame: Decimal → float, and an empty text cell as "" (the
    editor writes None in grey, which reads as a value)."""
    frame = pd.DataFrame([{name: float(row[name]) if isinstance(row.get(name), Decimal) else row.get(name)
                           for name in columns} for row in rows], columns=columns)
    for name in columns:
        values = frame[name].dropna()
        if len(values) and all(isinstance(value, str) for value in values):
            frame[name] = frame[name].fillna("")
    return frame


def table_editor(*, load: Callable[[], list[dict]], shown_key: str, editor_key: str, columns: list[str],
                 column_config: dict, save: Callable[[list[dict], list[dict]], object], done_key: str,
                 describe: Callable[[object], str], starting_rows: list[dict] | None = None,
                 disabled: tuple[str, ...] = ()) -> None:
    """Draw the editor and its Save / Discard buttons. ``save(rows, shown)`` writes through
    core; after a save that changed something the page reruns on the store's new rows with
    ``describe(result)`` kept under ``done_key`` for the page to show once.

    ``starting_rows``: what the editor shows while the store holds no rows (the standard
    hardware profiles); saving them adds them."""
    if shown_key not in st.session_state:
        st.session_state[shown_key] = load()
    shown = st.session_state[shown_key]
    rows = shown or (starting_rows or [])
    edited = st.data_editor(_editable(rows, columns), key=editor_key, num_rows="dynamic", hide_index=True,
                            width="stretch", column_config=column_config, disabled=disabled)
    save_col, discard_col, _ = st.columns([1, 1.4, 4])
    save_clicked = save_col.button("Save changes", type="primary", key=f"{editor_key}.save")
    if discard_col.button("Discard and reload", key=f"{editor_key}.discard",
                          help="Drop your unsaved edits and show the table as the store holds it now."):
        _reload(shown_key, editor_key)
        st.rerun()
    if not save_clicked:
        return
    try:
        result = save(edited.to_dict("records"), shown)
    except CoreError as error:
        st.error(str(error))
        return
    if not result:
        st.info("Nothing changed: the table already holds these rows.")
        return
    _reload(shown_key, editor_key)
    st.session_state[done_key] = describe(result)
    st.rerun()


def _reload(shown_key: str, editor_key: str) -> None:
    st.session_state.pop(shown_key, None)
    st.session_state.pop(editor_key, None)
