"""Spend: where the money goes over a period, by business unit, category, model and where it
runs (vendor API, self-hosted cloud, edge); every bar opens its rows."""

from functools import partial

import streamlit as st

from core.entities import COST_CATEGORIES
from core.finance.spend import BREAKDOWNS, CATEGORY_LABELS, DEFAULT_PERIOD, PERIODS, SPEND_DEFINITION, SpendFilter
from ui import queries, queries_finance as q, state
from ui.auth import require_actor
from ui.empty import empty_state
from ui.charts.spend import spend_bar_figure
from ui.filters import url_multiselect, url_selectbox
from ui.formatting import money, percent
from ui.spend import follow_clicked_bar, remember_clicked_bar
from ui.store import get_store

CLICK_HINTS = {
    "business_unit": "Click a bar to open that unit's initiatives on the Portfolio.",
    "category": "Click a bar to narrow this page to that category.",
    "model": "Click a bar to open that model's unit costs.",
    "serving": "Click a bar to open the unit costs of the models served there.",
}

actor = require_actor()
store = get_store()
units = dict(queries.business_units(store, store.revision))

st.title("Where the money goes")
if queries.holdings(store, store.revision).financial_lines == 0:
    empty_state(actor, "No financial lines yet: spend is read from the actual cost lines (compute, inference, "
                       "licences, people, data) per initiative and month.", kinds=("financials",))
    st.stop()
controls = st.columns([2, 3, 3])
period = url_selectbox("Period", "period", list(PERIODS), key=state.SPEND_PERIOD, default=DEFAULT_PERIOD,
                       format_func=PERIODS.get, where=controls[0])
chosen_units = url_multiselect("Business unit", "bu", list(units), key=state.SPEND_UNITS,
                               format_func=lambda c: units.get(c, c), where=controls[1])
chosen_categories = url_multiselect("Category", "category", list(COST_CATEGORIES), key=state.SPEND_CATEGORIES,
                                    format_func=CATEGORY_LABELS.get, where=controls[2])
flt = SpendFilter(period, tuple(chosen_units), tuple(chosen_categories))
report = q.spend_breakdown(store, store.revision, flt)

since = "the first month of the ledger" if report.first_month is None else f"{report.first_month:%b %Y}"
st.caption(f"Actual spend from {since} to {report.as_of:%d %b %Y} · money in USD")
tiles = st.columns(3)
tiles[0].metric("Spend", money(report.total_usd), border=True, help=SPEND_DEFINITION)
tiles[1].metric("Inference, by model", money(report.inference_usd), border=True,
                help=f"{percent(report.inference_usd / report.total_usd if report.total_usd else None)} of spend: "
                     "the inference lines, split among models in proportion to their usage-derived cost.")
tiles[2].metric("Not per model", money(report.not_per_model_usd), border=True,
                help="Compute, licences, people and data lines: not spent per model, so left off the model and "
                     "place charts; with the inference bars they add up to the spend.")
st.caption(SPEND_DEFINITION + " Usage-derived cost and FOCUS cloud billing are reconciled on the Unit Costs page.")

if report.total_usd == 0:
    st.info("No actual cost lines in this period and scope: choose a longer period, or import financial lines "
            "on the Imports page.", icon=":material/receipt_long:")
    st.stop()

for row in (("business_unit", "category"), ("model", "serving")):
    for column, breakdown in zip(st.columns(2, gap="large"), row):
        with column:
            st.subheader(f"By {BREAKDOWNS[breakdown].lower()}")
            per_model = breakdown in ("model", "serving")
            if per_model and not report.inference_usd:
                st.info("No inference spend in this view: the categories chosen are not spent per model.",
                        icon=":material/info:")
                continue
            st.plotly_chart(spend_bar_figure(report.breakdown(breakdown), breakdown, f"Spend, {PERIODS[period].lower()}"),
                            width="stretch", key=state.SPEND_CHARTS[breakdown], selection_mode="points",
                            on_select=partial(remember_clicked_bar, breakdown, flt))
            rest = report.not_per_model_usd
            aside = (f" Inference only: the other {money(rest)} of the {money(report.total_usd)} (compute, licences, "
                     "people, data) is not spent per model." if per_model and rest else "")
            st.caption(CLICK_HINTS[breakdown] + " Hover a bar for its code and make-up." + aside)
follow_clicked_bar()
