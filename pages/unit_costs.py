"""Unit Costs: what one inference costs, by initiative, model, location and hardware, for all
usage or one model or serving place (?model=, ?serving=); where the money goes; spikes and
rising unit costs; cloud vs edge; FOCUS billing reconciled with usage."""

import streamlit as st

from core.portfolio.flags import FLAGS
from core.finance.unit_costs import DEFAULT_SPIKE_FACTOR, DIMENSIONS, HOURS_PER_MONTH, SERVING, UsageFilter
from ui import queries, queries_finance as q, state
from ui.auth import require_actor
from ui.empty import empty_state
from ui.charts.periods import partial_caption
from ui.charts.unit_costs import MAX_LINES, drivers_figure, unit_cost_figure
from ui.filters import url_selectbox
from ui.formatting import count, money, percent
from ui.store import get_store

MONTH_COLUMNS = {"both": "In both", "usage_only_cloud": "Usage only: cloud", "usage_only_edge": "Usage only: edge",
                 "focus_only": "FOCUS only: allocated", "unallocated": "FOCUS unallocated"}
METRICS = {"cost_per_1k_usd": "USD per 1,000 inferences", "cost_per_1m_tokens_usd": "USD per 1M tokens"}

actor = require_actor()
store = get_store()

st.title("Unit costs")
held = queries.holdings(store, store.revision)
if not held.has_usage and not held.focus_charges:
    empty_state(actor, "No usage and no cloud billing yet: unit costs are read from usage events (one row per "
                       "call or interval; OpenTelemetry GenAI names accepted) and from FOCUS billing exports.",
                kinds=("usage", "focus"))
    st.stop()
scope = st.columns([3, 3, 2])
model = url_selectbox("Model", "model", [None, *q.usage_models(store, store.revision)], key=state.UNIT_MODEL,
                      format_func=lambda m: "All models" if m is None else m, where=scope[0],
                      fallback_label="all models")
serving = url_selectbox("Where it runs", "serving", [None, *SERVING], key=state.UNIT_SERVING,
                        format_func=lambda p: "Anywhere" if p is None else SERVING[p], where=scope[1],
                        fallback_label="anywhere")
usage = UsageFilter(model, serving)
summary = q.unit_cost_summary(store, store.revision, usage)
narrowed = " · ".join(part for part in (model, serving and SERVING[serving]) if part)
st.caption("From the monthly usage rollup · last 12 complete months · money in USD" + (f" · only {narrowed}" if narrowed else ""))
if not held.has_usage:
    empty_state(actor, "No usage recorded yet: cost per inference, drivers, spikes and cloud vs edge are read from "
                       "usage events. The FOCUS billing below is shown alone until then.", kinds=("usage",))
else:
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

    # initiatives are named, not coded, in legends and bars (the code is on hover)
    names = dict(queries.initiative_choices(store, store.revision)) if dimension == "initiative" else None
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(f"{METRICS[metric]} by {DIMENSIONS[dimension].lower()}")
        series = q.unit_cost_series(store, store.revision, dimension, 24, usage)
        if series.empty:
            st.info("No usage of this model or place in the last 24 months.")
        else:
            open_month = queries.open_month(store, store.revision)
            st.plotly_chart(unit_cost_figure(series, metric, METRICS[metric], open_month, names=names),
                            width="stretch")
            st.caption(" ".join(filter(None, [f"The {MAX_LINES} largest by cost; log scale so cheap and expensive models share "
                                              "one chart.", partial_caption(open_month)])))
    with right:
        st.subheader("Top cost drivers")
        drivers = q.cost_drivers(store, store.revision, dimension, 12, usage)
        if not drivers.empty:
            st.plotly_chart(drivers_figure(drivers, names=names), width="stretch")
    if narrowed:
        st.caption(f"The tiles and the two charts above cover {narrowed} only; the sections below cover all usage.")

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

st.subheader("FOCUS billing and usage-derived cost: what each covers")
focus = q.focus_allocation(store, store.revision)
recon = q.focus_reconciliation(store, store.revision)
if not focus.available:
    st.info(focus.message, icon=":material/receipt_long:")
else:
    part = recon.segments_usd
    st.markdown(
        f"From {recon.first_month:%b %Y} to {recon.last_month:%b %Y} (the months the FOCUS export covers) the usage "
        f"logs price every call of the initiatives' models, **{money(recon.usage_usd)}**, wherever it runs; FOCUS is "
        f"the cloud provider's bill for the accounts exported, **{money(recon.focus_billed_usd)}**. "
        f"**{money(part['both'])}** is in both; **{money(part['usage_only_cloud'] + part['usage_only_edge'])}** of "
        f"usage has no matching charge (vendor APIs invoiced directly, edge devices, usage above an initiative's "
        f"charges), and **{money(part['unallocated'])}** of the bill is tagged to no initiative.")
    table = recon.table()
    st.table(table.assign(usage_usd=table["usage_usd"].map(money), focus_usd=table["focus_usd"].map(money))
             .rename(columns={"segment": "Segment", "usage_usd": "Usage logs", "focus_usd": "FOCUS bill",
                              "covers": "What it is"}).set_index("Segment"))
    st.caption(f"FOCUS amounts are BilledCost (cash). Usage outside those months is not compared: "
               f"{money(recon.usage_outside_usd)}.")
    cols = st.columns(3)
    cols[0].metric("Billed, allocated to initiatives", money(focus.allocated_billed_usd), border=True,
                   help="FOCUS BilledCost (cash view) of charges whose tags name an initiative.")
    cols[1].metric("Billed, unallocated", money(focus.unallocated_billed_usd), border=True,
                   help="Charges no allocation rule matched: kept, never dropped.")
    cols[2].metric("Unallocated share", percent(focus.unallocated_share), border=True,
                   help="Unallocated ÷ all billed cost.")
    by_month, by_provider, by_initiative = st.tabs(["By month", "By cloud provider", "By initiative"])
    money_column = {k: st.column_config.NumberColumn(label, format="dollar") for k, label in MONTH_COLUMNS.items()}
    by_month.dataframe(recon.by_month, hide_index=True, width="stretch", column_config={
        "month": st.column_config.DateColumn("Month", format="MMM YYYY"), **money_column,
        "usage_usd": st.column_config.NumberColumn("Usage logs", format="dollar"),
        "focus_billed_usd": st.column_config.NumberColumn("FOCUS bill", format="dollar")})
    by_provider.caption("The usage rollup records no provider, so the overlap is matched per initiative and month; "
                        "this splits the bill by provider.")
    by_provider.dataframe(recon.by_provider, hide_index=True, width="stretch", column_config={
        "provider": "Provider", "allocated_usd": st.column_config.NumberColumn("Allocated", format="dollar"),
        "unallocated_usd": st.column_config.NumberColumn("Unallocated", format="dollar")})
    by_initiative.dataframe(focus.table, hide_index=True, width="stretch", column_config={
        "initiative": "Initiative",
        "usage_cost_usd": st.column_config.NumberColumn("Usage-derived cost", format="dollar"),
        "focus_billed_usd": st.column_config.NumberColumn("FOCUS billed (cash)", format="dollar"),
        "focus_effective_usd": st.column_config.NumberColumn("FOCUS effective (amortised)", format="dollar")})
