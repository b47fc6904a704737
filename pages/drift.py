"""Drift: which models' inputs no longer look like what they learnt from, how much value
rides on them, and — per model (``?model=ID``) — which features moved, how, since when,
and what it did to accuracy. Everything is read from stored results."""

import streamlit as st

from core.drift.monitor import DATASET_DRIFT_SHARE, compute_and_store_drift
from core.drift.queries import parse_model_id
from core.errors import CoreError
from ui import queries_drift as queries, state
from ui.auth import require_actor
from ui.empty import empty_state
from ui.filters import literal, url_selectbox
from ui.charts.drift import (
    distribution_figure, history_figure, performance_figure, status_badge, status_light, styled_lights,
)
from ui.formatting import count, money
from ui.store import get_store
from ui.tiles import tile

actor = require_actor()
store = get_store()
overview = queries.overview(store, store.revision)

st.title("Model drift")
st.caption(f"As of {overview.as_of:%d %b %Y} · each model's latest window against its reference window · "
           f"dataset drift when at least {DATASET_DRIFT_SHARE:.0%} of its features drift")
if overview.models.empty:
    empty_state(actor, "No feature snapshots yet: drift compares snapshots of a model's inputs per window "
                       "(a reference window and later ones), imported here or with `factory import`.",
                kinds=("snapshots",))
    st.stop()

tiles = st.columns(4)
tile(tiles[0], "Models monitored", count(len(overview.models)),
     help="Models with stored feature snapshots and computed drift results.")
tile(tiles[1], "Drifting", count(overview.drifting_models),
     help=f"Models whose latest window shows dataset drift (≥ {DATASET_DRIFT_SHARE:.0%} of features drifted).")
tile(tiles[2], "Possible drift", count(overview.possible_models),
     help="Models with at least one drifted feature, but fewer than the dataset-drift share.")
tile(tiles[3], "Value at risk / month", money(overview.value_at_risk_usd),
     help="Actual benefit booked in the reporting month by initiatives whose model drifts "
          "(each initiative once): the value those models exist to deliver.")

table = overview.models.assign(
    light=overview.models["status"].map(status_light),
    features=[f"{d} of {n}" for d, n in zip(overview.models["n_drifted"], overview.models["n_evaluated"])],
)
st.dataframe(
    styled_lights(table), hide_index=True, width="stretch",
    column_order=["light", "model", "initiative_name", "business_unit", "drift_share", "features",
                  "current_window", "value_at_risk_usd"],
    column_config={
        "light": "Status", "model": "Model", "initiative_name": "Initiative", "business_unit": "Unit",
        "drift_share": st.column_config.ProgressColumn("Drift share", format="percent", min_value=0, max_value=1),
        "features": "Features drifted",
        "current_window": st.column_config.TextColumn("Window", help="Latest window, compared with the reference."),
        "value_at_risk_usd": st.column_config.NumberColumn("Value at risk / month", format="dollar"),
    },
)

models = {model_id: (name, initiative) for model_id, name, initiative in queries.monitored_models(store, store.revision)}
picked = url_selectbox("Model", "model", list(models), key=state.DRIFT_MODEL, parse=parse_model_id,
                       format_func=lambda m: f"{models[m][0]} · {models[m][1]} (#{m})",
                       placeholder="Choose a model…")
if picked is None:
    st.info("Choose a model above to see its features, distributions and drift over time.")
    st.stop()

row = overview.models[overview.models["model_id"] == picked].iloc[0]
history = queries.history(store, store.revision, picked)
st.subheader(f"{literal(row['model'])} {status_badge(row['status'])}")
st.caption(f"{literal(row['initiative_name'])} ({row['initiative']}) · {row['business_unit']} · "
           f"drift share {row['drift_share']:.0%} in {row['current_window']} vs {row['reference_window']}")

windows = list(history["current_window"])
controls = st.columns([2, 2, 3])
window = controls[0].selectbox("Current window", windows, index=len(windows) - 1, key=f"drift.window.{picked}")
reference = history.loc[history["current_window"] == window, "reference_window"].iloc[0]
if actor.can("compute_drift", row["business_unit"]):
    controls[1].markdown("&nbsp;")  # aligns the button with the select box
    if controls[1].button("Recompute", icon=":material/refresh:", help=f"Recompute {window} vs {reference} now."):
        try:
            compute_and_store_drift(store, actor, int(picked), reference, window)
            st.toast(f"Drift of {window} vs {reference} recomputed.", icon=":material/check:")
            st.rerun()
        except CoreError as error:
            st.error(str(error))

features = queries.feature_results(store, store.revision, picked, window)
left, right = st.columns([2, 1], gap="large")
with left:
    st.markdown(f"**Features, most severe first** — {window} vs {reference}")
    st.dataframe(
        styled_lights(features.assign(light=features["status"].map(status_light)), optional=("p_value",)),
        hide_index=True, width="stretch",
        column_order=["light", "feature", "column_type", "method", "statistic", "p_value", "threshold"],
        column_config={
            "feature": "Feature", "column_type": st.column_config.TextColumn("Type", width="small"),
            "method": "Method", "statistic": st.column_config.NumberColumn("Statistic", format="%.4f", width="small"),
            "p_value": st.column_config.TextColumn("p-value", width="small"),
            "threshold": st.column_config.NumberColumn("Threshold", format="%.3g", width="small"),
            "light": "Status",
        },
    )
with right:
    st.markdown("**Share of features drifted, by window**")
    st.plotly_chart(history_figure(history, DATASET_DRIFT_SHARE), width="stretch")

left, right = st.columns([3, 2], gap="large")
with left:
    feature = st.selectbox("Feature", list(features["feature"]), key=f"drift.feature.{picked}",
                           help="Features are listed most severe first.")
    shares = queries.distributions(store, store.revision, picked, feature, reference, window)
    st.plotly_chart(distribution_figure(shares, reference, window), width="stretch")
with right:
    performance = queries.performance(store, store.revision, picked)
    st.markdown("**Model quality by window**")
    if performance.empty:
        st.caption("No labels stored for this model: performance drift cannot be shown.")
    else:
        st.plotly_chart(performance_figure(performance), width="stretch")
        st.caption("From labels and predictions stored with each window's snapshot.")
