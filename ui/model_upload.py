"""Model Registry page glue: registering an ONNX model trained outside the Lab."""

from __future__ import annotations

import streamlit as st

from core.errors import CoreError
from core.models.catalogue import initiatives_permitting, register_uploaded_model
from core.models.onnx_checks import TASKS
from ui import state
from ui.filters import literal


def register_form(store, actor) -> None:
    """A form (initiative, model name, task, version, .onnx file) that registers a ``candidate``
    version; every check runs in core before anything is stored."""
    initiatives = dict(initiatives_permitting(store, actor, "upload_model"))
    if not initiatives:
        return
    if not st.toggle("Register an ONNX model trained elsewhere", key=state.REGISTRY_UPLOAD_OPEN):
        return
    with st.form("registry.upload", border=True):
        left, right = st.columns(2)
        code = left.selectbox("Initiative", list(initiatives), format_func=lambda c: f"{initiatives[c]} ({c})")
        name = right.text_input("Model name", placeholder="e.g. churn-gbm (an existing name adds a version)")
        task = left.selectbox("Task", TASKS)
        version = right.text_input("Version", placeholder="e.g. 2026.11")
        upload = st.file_uploader("ONNX file (checked before anything loads it: format, size, operators, "
                                  "external data, the ONNX checker)", type=["onnx"])
        submitted = st.form_submit_button("Register as candidate", type="primary", icon=":material/add_box:")
    if not submitted:
        return
    if upload is None:
        st.error("Choose the .onnx file to register.")
        return
    try:
        version_id = register_uploaded_model(store, actor, code, name, upload.getvalue(), task=task, version=version,
                                             file_name=upload.name)
    except CoreError as error:
        st.error(f"{literal(upload.name)} was not registered: {literal(str(error), 600)}")
        return
    st.success(f"Registered {literal(name.strip())} version {literal(version.strip())} for {code} as a candidate "
               f"(#{version_id}).",
               icon=":material/task_alt:")
