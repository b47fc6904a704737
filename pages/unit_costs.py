"""Unit Costs: what one inference costs, by initiative, model, location and hardware; where
the money goes; spikes and rising unit costs; cloud vs edge; FOCUS billing beside usage."""

import streamlit as st

from core.portfolio.flags import FLAGS
from core.finance.unit_costs import DEFAULT_SPIKE_FACTOR, DIMENSIONS, HOURS_PER_MONTH
from ui import queries, queries_finance as q, state
from ui.auth import require_actor
from ui.charts.periods import partial_caption
from ui.charts.unit_costs import drivers_figure, unit_cost_figure
from ui.filters import url_selectbox
from ui.formatting import count, money, percent
from ui.store import get_store

METRICS = {"cost_per_1k_usd": "USD per 1,000 inferences", "cost_per_1m_tokens_usd": "USD per 1M tokens"}

actor = require_actor()
store = get_store()

st.title("Unit costs")
summary = q.unit_cost_summary(store, store.revision)
st.caption("From the monthly usage rollup · last 12 complete months · money in USD")
tiles = st.columns(4)
tiles[0].metric("Usage cost (12 months)", money(summary.usage_cost_usd), border=True,
                help="Sum of the cost of every recorded inference in the last 12 months.")
tiles[1].metric("Inferences (12 months)", money(summary.requests, currency=""), border=True,
                help=f"Requests served: {count(summary.requests)}.")
tiles[2].metric("Cost per 1,000 inferences", money(summary.cost_per_1k_usd) if summary.cost_per_1k_usd is None
                else f"${summary.cost_per_1k_usd:,.3f}", border=True, help="1000 × usage cost ÷ inferences, 12 months.")
tiles[3].metric("Unit cost rising", count(summary.rising_initiatives), border=True,
                help=FLAGS["unit_cost_rising"].rule)

controls = st.columns([2, 2, 4])
dimension = url_selectbox("Break down by", "dim", list(DIMENSIONS), key=state.UNIT_DIMENSION, default="initiative",
                          format_func=DIMENSIONS.get, where=controls[0])
metric = controls[1].radio("Unit", list(METRICS), format_func=METRICS.get, horizontal=True, key="unit.metric")

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(f"{METRICS[metric]} by {DIMENSIONS[dimension].lower()}")
    series = q.unit_cost_series(store, store.revision, dimension, 24)
    if series.empty:
        st.info("No usage recorded yet: import usage events on the Imports page.")
    else:
        open_month = queries.open_month(store, store.revision)
        st.plotly_chart(unit_cost_figure(series, metric, METRICS[metric], open_month), width="stretch")
        st.caption(" ".join(filter(None, ["The 8 largest by cost; log scale so cheap and expensive models share "
                                          "one chart.", partial_caption(open_month)])))
with right:
    st.subheader("Top cost drivers")
    drivers = q.cost_drivers(store, store.revision, dimension, 12)
    if not drivers.empty:
        st.plotly_chart(drivers_figure(drivers), width="stretch")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Cost spikes")
    k = st.number_input("Spike when a month costs more than k × the median of the 3 months before", min_value=1.1,
                        max_value=10.0, value=DEFAULT_SPIKE_FACTOR, step=0.1, key="unit.k")
    spikes = q.cost_spikes(store, store.revision, k)
    if spikes.empty:
        st.success(f"No initiative-month in the last 12 months cost more than {k:g}× its trailing median.")
    else:
        st.dataframe(spikes, hide_index=True, width="stretch", height=260, column_config={
            "initiative": "Initiative", "month": st.column_config.DateColumn("Month", format="MMM YYYY"),
            "cost_usd": st.column_config.NumberColumn("Usage cost", format="dollar"),
            "trailing_median_usd": st.column_config.NumberColumn("3-month median before", format="dollar"),
            "ratio": st.column_config.NumberColumn("× median", format="%.1f×")})
with right:
    st.subheader("Rising unit costs")
    st.caption(FLAGS["unit_cost_rising"].rule)
    rising = q.rising_unit_costs(store, store.revision)
    st.dataframe(rising[rising["rising"]].drop(columns="rising"), hide_index=True, width="stretch", height=300,
                 column_config={
                     "initiative": "Initiative",
                     "recent_per_1k_usd": st.column_config.NumberColumn("$ per 1k, last 3 mo", format="$%.4f"),
                     "before_per_1k_usd": st.column_config.NumberColumn("$ per 1k, 3 mo before", format="$%.4f"),
                     "change": st.column_config.NumberColumn("Change", format="percent")})

st.subheader("Cloud vs edge")
st.caption(f"Same model family served in both places (last 3 months). Edge costs a fixed device fee "
           f"(hardware price per hour × {HOURS_PER_MONTH} h a month, one device) plus its variable cost per 1,000; "
           "cloud is variable only. Break-even volume = 1000 × fixed fee ÷ (cloud − edge cost per 1,000): "
           "above it, edge is cheaper.")
edge = q.cloud_vs_edge(store, store.revision)
if edge.empty:
    st.info("No model family runs both in the cloud and at the edge.")
else:
    st.dataframe(edge, hide_index=True, width="stretch", column_config={
        "family": "Model family", "cloud_hardware": None, "edge_hardware": "Edge device",
        "cloud_per_1k_usd": st.column_config.NumberColumn("Cloud $ per 1k", format="$%.4f"),
        "edge_per_1k_usd": st.column_config.NumberColumn("Edge $ per 1k", format="$%.4f"),
        "monthly_requests": st.column_config.NumberColumn("Inferences a month", format="compact"),
        "edge_fixed_monthly_usd": st.column_config.NumberColumn("Edge fee a month", format="dollar"),
        "break_even_requests": st.column_config.NumberColumn("Break-even a month", format="compact",
                                                             help="Inferences a month above which edge is cheaper")})

st.subheader("FOCUS billing beside usage")
focus = q.focus_allocation(store, store.revision)
if not focus.available:
    st.info(focus.message, icon=":material/receipt_long:")
else:
    cols = st.columns(3)
    cols[0].metric("Billed, allocated to initiatives", money(focus.allocated_billed_usd), border=True,
                   help="FOCUS BilledCost (cash view) of charges whose tags name an initiative.")
    cols[1].metric("Billed, unallocated", money(focus.unallocated_billed_usd), border=True,
                   help="Charges no allocation rule matched: kept, never dropped.")
    cols[2].metric("Unallocated share", percent(focus.unallocated_share), border=True,
                   help="Unallocated ÷ all billed cost.")
    st.dataframe(focus.table, hide_index=True, width="stretch", column_config={
        "initiative": "Initiative",
        "usage_cost_usd": st.column_config.NumberColumn("Usage-derived cost", format="dollar"),
        "focus_billed_usd": st.column_config.NumberColumn("FOCUS billed (cash)", format="dollar"),
        "focus_effective_usd": st.column_config.NumberColumn("FOCUS effective (amortised)", format="dollar")})
