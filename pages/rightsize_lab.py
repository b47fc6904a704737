"""Right-Size Lab: would a smaller model reach ~95% of the quality at a fraction of the cost?
Upload or pick a workload, run the ladder, read the frontier, adopt for an initiative."""

import datetime as dt

import streamlit as st

from core.rightsize.quality import METRIC_LABELS
from ui import queries, queries_rightsize as q, state
from ui import rightsize as lab
from ui.auth import require_actor
from ui.charts.rightsize import frontier_figure, latency_figure
from ui.store import get_store

actor = require_actor()
store = get_store()

st.title("Right-Size Lab")
st.caption("Trains candidate models from tiny to large on a workload, measures each under ONNX Runtime, "
           "and recommends the cheapest one within a tolerance of the best quality.")

if st.session_state.get(state.LAB_CANCEL):
    st.warning("Lab run cancelled; nothing was saved.", icon=":material/cancel:")

st.subheader("Adopted savings", anchor="adopted-savings")
lab.adopted_savings(store, dt.date.today().year)

st.subheader("Workload")
if lab.can_run(actor):
    units = [code for code, _ in queries.business_units(store, store.revision)]
    lab.upload_workload(store, actor, units)
workload_id = lab.pick_workload(store)
if workload_id is None:
    st.stop()

record = q.workload(store, store.revision, workload_id)
may_run = actor.can("run_lab", record.business_unit)
if may_run:
    # a toggle, not an expander: a table inside a collapsed expander is never drawn
    if st.toggle("Set up a new run", value=q.runs(store, store.revision, workload_id).empty):
        choices = lab.lab_settings(store, workload_id)
        if choices is not None and st.button("Run the lab", type="primary", icon=":material/play_arrow:"):
            if lab.run_with_progress(store, actor, workload_id, choices) is not None:
                st.rerun()  # redraw without the progress bar and Cancel button, showing the new run
elif lab.can_run(actor):
    st.caption(f"This workload belongs to {record.business_unit}: you may read its runs, not start new ones.")

run_id = lab.pick_run(store, workload_id)
if run_id is None:
    st.info("No run of this workload yet." + (" Set one up above." if may_run else ""))
    st.stop()

report, _ = q.run_report(store, store.revision, run_id)
table = q.run_table(store, store.revision, run_id)
st.subheader("Recommendation")
lab.show_summary(report)

label = METRIC_LABELS.get(report.metric, report.metric)
left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(f"**Quality vs cost** — {label} against cost per 1M inferences on {report.profile}")
    st.plotly_chart(frontier_figure(table, label, report.profile), width="stretch")
with right:
    st.markdown("**Assumptions behind the numbers**")
    st.markdown("\n".join(f"- {sentence}" for sentence in report.assumptions))
    if report.notes:
        st.caption(" ".join(report.notes))

st.subheader("Candidates")
lab.show_table(table)
st.markdown("**Single-row latency** — p50, p95 and p99 per candidate")
st.plotly_chart(latency_figure(table), width="stretch")

if report.recommended:
    st.subheader("Adopt")
    lab.adopt_panel(store, actor, run_id, report, table, linked=record.initiative)
