"""Imports: templates and validated uploads — a dry run first, then one all-or-nothing import."""

import streamlit as st

from core.ingest import get_kind, kinds_for, template_csv
from core.ingest.templates import template_file_name
from ui import imports
from ui.auth import require_actor
from ui.filters import url_choice
from ui.formatting import plural
from ui.store import get_store

actor = require_actor()
store = get_store()

st.title("Imports")
st.caption("Upload CSV, Parquet or Excel files. Every file is checked first (a dry run); the import itself "
           "adds all of its rows or none, and the same file twice is imported once.")

kinds = kinds_for(actor)
if not kinds:
    st.info("Your role cannot import data. Ask an administrator.")
    st.stop()

labels = {k.name: k.label for k in kinds}
kind_name = url_choice(st.radio, "What are you importing?", "kind", list(labels), key="imports.kind",
                       default=next(iter(labels)), format_func=labels.get, horizontal=True)
kind = get_kind(kind_name)
st.markdown(kind.description)
if kind.scoped_by_initiative and actor.role == "team_lead":
    st.caption(f"You may import rows for initiatives of business unit {actor.business_unit} only.")

left, right = st.columns([3, 1])
with left:
    st.markdown("**Required columns:** " + ", ".join(f"`{c}`" for c in kind.required_columns))
with right:
    st.download_button("Download the template", template_csv(kind), file_name=template_file_name(kind),
                       mime="text/csv", icon=":material/download:")

uploaded = st.file_uploader("Upload a file", type=["csv", "parquet", "xlsx"], key=f"imports.file.{kind_name}")
if uploaded is not None:
    data = uploaded.getvalue()
    with st.spinner("Checking the file…"):
        result = imports.dry_run_once(store, actor, kind_name, uploaded.name, data)
    if result.status == "dry_run":
        imports.show_result(result)
        st.markdown(f"**Preview** (first {len(result.preview):,} of {result.rows_added:,} rows)")
        st.dataframe(result.preview, hide_index=True, width="stretch")
        if st.button(f"Import {plural(result.rows_added, 'row')}", type="primary", icon=":material/upload:"):
            with st.spinner("Importing…"):
                final = imports.run_upload(store, actor, kind_name, uploaded.name, data, dry_run=False)
            imports.show_result(final)
    else:
        imports.show_result(result)

st.subheader("Recent imports")
recent = imports.recent(store, store.revision)
if recent.empty:
    st.caption("Nothing imported yet.")
else:
    st.dataframe(recent, hide_index=True, width="stretch", column_config=imports.RECENT_COLUMNS)

interrupted = imports.interrupted(store, store.revision)
if not interrupted.empty:
    st.subheader("Interrupted imports")
    st.caption("The server stopped while these files were being imported. Nothing of them was kept; "
               "import each file again.")
    st.dataframe(interrupted, hide_index=True, width="stretch", column_config=imports.INTERRUPTED_COLUMNS)
