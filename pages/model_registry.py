"""Model Registry: models and versions, ONNX metadata, the status workflow with approvals,
lineage to the workload and lab run, and the ONNX file to download."""

import streamlit as st

from core.errors import CoreError
from core.models.catalogue import allowed_transitions, set_version_status
from ui import model_upload, queries_rightsize as q, state
from ui.auth import require_actor
from ui.filters import literal, url_selectbox
from ui.formatting import count
from ui.store import get_store

actor = require_actor()
store = get_store()

st.title("Model Registry")
st.caption("Every registered model version, what its ONNX file contains, where it came from, and its status: "
           "candidate → approved → production → retired. Approvals: an administrator or the business unit's team lead.")

model_upload.register_form(store, actor)

models = q.models(store, store.revision)
summary = q.registry_summary(store, store.revision)
if summary.models == 0:
    st.info("No models yet. Adopting a Right-Size Lab recommendation for an initiative registers its ONNX model "
            "here; a team lead or administrator can also register a model trained elsewhere above.",
            icon=":material/inbox:")
    st.page_link("pages/rightsize_lab.py", label="Open the Right-Size Lab", icon=":material/arrow_forward:")
    st.stop()
tiles = st.columns(4)
tiles[0].metric("Models", count(summary.models), help="Models known to the portfolio, with or without ONNX versions.")
tiles[1].metric("With registered versions", count(summary.with_versions), help="Models with at least one ONNX version.")
tiles[2].metric("Latest version approved", count(summary.latest_approved), help="Models whose newest version is approved.")
tiles[3].metric("Latest version in production", count(summary.latest_production),
                help="Models whose newest version is in production.")

st.dataframe(models.drop(columns=["id"]), hide_index=True, width="stretch", height=260, column_config={
    "name": "Model", "initiative": "Initiative", "initiative_name": "Initiative name", "business_unit": "Unit",
    "task": "Task", "provider": "Provider", "versions": "Versions", "latest_status": "Latest status"})

registered = models[models["versions"] > 0]
if registered.empty:
    st.info("No ONNX model version is registered yet. Adopting a recommendation in the Right-Size Lab registers "
            "one; a team lead can also register a model trained elsewhere above.")
    st.stop()

labels = {int(r.id): f"{r.name} · {r.initiative} ({r.business_unit})" for r in registered.itertuples()}
model_id = url_selectbox("Model", "model", list(labels), key=state.REGISTRY_MODEL, default=next(iter(labels)),
                         parse=int, format_func=labels.get)
unit = registered.loc[registered["id"] == model_id, "business_unit"].iloc[0]
may_approve = actor.can("approve_model", unit)

for version in q.model_versions(store, store.revision, model_id).itertuples():
    with st.container(border=True):
        head, actions = st.columns([3, 2])
        head.markdown(f"**Version {literal(version.version)}** · :blue-badge[{version.status}] · "
                      f"{version.created_at:%d %b %Y} by {literal(version.created_by)}")
        lineage = (f"Workload **{version.workload}** (#{version.workload_id})" if version.workload_id else "No workload")
        lineage += f" · lab run #{version.benchmark_run_id}" if version.benchmark_run_id else ""
        head.caption(lineage)
        for column, label, text in zip(st.columns(5), ("Opset", "Nodes", "ONNX file", "Quality", "Cost"),
                                       (version.opset_text, version.nodes_text, version.size_text,
                                        version.quality_text, version.cost_text)):
            column.metric(label, text)
        with st.expander("Inputs and outputs"):
            st.json({"inputs": version.inputs_json, "outputs": version.outputs_json}, expanded=False)
        if version.has_onnx:
            actions.download_button("Download ONNX", q.version_bytes(store, store.revision, version.id),
                                    file_name=f"model-{model_id}-v{version.version}.onnx", icon=":material/download:",
                                    key=f"registry.download.{version.id}")
        if may_approve:
            for new_status in allowed_transitions(version.status):
                if actions.button(f"Mark {new_status}", key=f"registry.status.{version.id}.{new_status}"):
                    try:
                        set_version_status(store, actor, version.id, new_status)
                    except CoreError as error:
                        st.error(str(error))
                    else:
                        st.rerun()
