"""ROI Review: what a scope (portfolio, business unit, initiative) returns for what it costs —
NPV, IRR, ROI, payback, budget vs actual, value realisation — and what-if scenarios."""

import streamlit as st

from core.finance import RAG_RULE
from core.finance.roi import HORIZONS, baseline_npv_label, monthly_variance, parse_scope
from core.finance.scenarios import projected_label
from core.finance.board_pack import board_pack_file_name, build_board_pack
from ui import queries, queries_finance as q, state
from ui.auth import require_actor
from ui.empty import empty_state
from ui.filters import url_number, url_selectbox
from ui.charts.finance import cumulative_net_figure, scenario_figure, tco_figure
from ui.formatting import money, month, percent
from ui.scenario_controls import save_scenario_form, scenario_controls
from ui.store import get_store

RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}
RAG_COLOURS = {"green": "green", "amber": "orange", "red": "red"}

actor = require_actor()
store = get_store()
choices = q.scope_choices(store, store.revision)

st.title("ROI Review")
if queries.holdings(store, store.revision).financial_lines == 0:
    empty_state(actor, "No financial lines yet: NPV, IRR, payback and budget vs actual are computed from the "
                       "monthly cost, value and budget lines per initiative.", kinds=("financials",))
    st.stop()
controls = st.columns([4, 2, 2])
picked = url_selectbox("Scope", "scope", list(choices), key=state.ROI_SCOPE, default="portfolio",
                       parse=lambda raw: parse_scope(store, raw).key, format_func=choices.get, where=controls[0])
scope = parse_scope(store, picked)
horizon = url_selectbox("Horizon", "horizon", list(HORIZONS), key=state.ROI_HORIZON, default="all",
                        format_func=lambda h: HORIZONS[h][0], where=controls[1])
rate_pct = url_number(controls[2].number_input, "Discount rate (% a year)", "rate", key=state.ROI_DISCOUNT_RATE_PCT,
                      default=10.0, min_value=0.0, max_value=50.0, step=0.5, format="%.1f",
                      help="Annual rate; monthly flows are discounted at (1 + r)^(1/12) − 1, the first month undiscounted.")
rate = rate_pct / 100

review = q.roi_review(store, store.revision, scope, horizon, rate)
figures = review.figures
st.caption(f"{scope.label} · {HORIZONS[horizon][0].lower()} to {review.as_of:%d %b %Y} · actual cash flows · "
           f"money in {review.currency}")
if figures.total_cost_usd == 0 and figures.total_benefit_usd == 0:
    st.info("No financial lines in this scope and horizon yet: choose a longer horizon or another scope.")
    st.stop()

irr = figures.irr
irr_text = percent(irr.irr_annual, 1) if irr.irr_annual is not None else "—"
irr_help = ("Rate that makes the NPV zero, on monthly flows, annualised. "
            + (f"Not defined here: {irr.reason}" if irr.reason else "")
            + (f" ({', '.join(percent(v, 1) for v in irr.candidates_annual)})." if irr.reason == "multiple IRRs" else "."))
tiles = st.columns([1.5, 0.9, 0.8, 1.1, 1.1])  # the NPV's label names its basis, rate and horizon
tiles[0].metric(baseline_npv_label(rate, horizon), money(figures.npv_usd), border=True,
                help=f"Baseline: the actual monthly net cash only, nothing projected, discounted at {rate_pct:g}% a "
                     "year to the first month. The scenarios below add 12 projected months.")
tiles[1].metric("IRR", irr_text, border=True, help=irr_help)
tiles[2].metric("ROI", percent(figures.roi), border=True, help="(benefit − cost) ÷ cost over the horizon.")
tiles[3].metric("Payback", f"{review.payback_month:%b %Y}" if review.payback_month is not None else "not within horizon",
                border=True, help="First month of the horizon whose cumulative net cash is ≥ 0.")
tiles[4].metric("Spend vs budget", percent(review.spend_variance_pct, 1), border=True,
                delta=f"{RAG_LABELS[review.spend_status]} (budget rule)", delta_arrow="off",
                delta_color=RAG_COLOURS[review.spend_status],
                help=f"{money(figures.total_cost_usd)} spent against a plan of {money(review.budget_usd)}. {RAG_RULE}")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Cumulative net cash")
    st.plotly_chart(cumulative_net_figure(review.money, review.payback_month), width="stretch")
with right:
    st.subheader("Total cost of ownership by category")
    st.plotly_chart(tco_figure(review.variance), width="stretch")
    st.caption(" · ".join(f"**{row.category.capitalize()}** {money(row.cost_usd)} ({percent(row.share)})"
                          for row in review.tco.by_category.itertuples()))

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Budget vs actual by month")
    table = monthly_variance(review).sort_values("month", ascending=False)
    table["status"] = table["status"].map(RAG_LABELS)
    st.dataframe(table, hide_index=True, width="stretch", height=280, column_config={
        "month": st.column_config.DateColumn("Month", format="MMM YYYY"),
        "plan_usd": st.column_config.NumberColumn("Budget", format="dollar"),
        "actual_usd": st.column_config.NumberColumn("Actual", format="dollar"),
        "variance_usd": st.column_config.NumberColumn("Variance", format="dollar"),
        "variance_pct": st.column_config.NumberColumn("Variance %", format="percent"),
        "status": "Status"})
    st.caption(RAG_RULE)
with right:
    st.subheader("Value realisation")
    value = review.value
    st.metric("Realised vs business case", percent(value.realisation), border=True,
              help="Actual benefit ÷ business-case (plan) benefit over the horizon.")
    st.markdown(f"Actual benefit **{money(value.actual_benefit_usd)}** against a business case of "
                f"**{money(value.plan_benefit_usd)}**.")
    if value.realisation is not None:
        st.progress(min(max(value.realisation, 0.0), 1.0))

st.subheader("Initiatives ranked by baseline NPV")
ranked = q.ranked_initiatives(store, store.revision, scope, horizon, rate)
st.dataframe(ranked, hide_index=True, width="stretch", height=min(38 + 35 * len(ranked), 420), column_config={
    "code": "Code", "name": "Initiative", "business_unit": "BU", "stage": "Stage",
    "npv_usd": st.column_config.NumberColumn("NPV (baseline, USD)", format="compact"),
    "roi": st.column_config.NumberColumn("ROI", format="percent"),
    "payback_month": st.column_config.DateColumn("Payback", format="MMM YYYY"),
    "cost_usd": st.column_config.NumberColumn("Cost (USD)", format="compact"),
    "benefit_usd": st.column_config.NumberColumn("Benefit (USD)", format="compact"),
    "verdict": "Verdict"})

st.subheader("Scenarios")
st.caption("What-ifs: nothing changes unless you save the knobs. Figures here cover the horizon's actual months plus "
           "12 projected ones (+12 months): the baseline projects the last 3 months' run rate unchanged, the scenario "
           "moves it with the knobs — the vendor-API share of inference cost follows the price, inference cost the "
           "volume. The NPV tile above projects nothing.")
config, scenario_name, loaded_scenario = scenario_controls(q.saved_scenarios(store, store.revision))
compare = q.scenario(store, store.revision, scope, horizon, rate, config)
base, what_if = compare.baseline, compare.scenario
cols = st.columns(4)
NOT_WITHIN = "not within horizon"
for column, label, versus, covers, b, s, fmt in (
        (cols[0], projected_label("Scenario", "NPV", config), projected_label("Baseline", "NPV", config),
         "The horizon's actual months plus the projected ones", base.npv_usd, what_if.npv_usd, money),
        (cols[1], projected_label("Scenario", "ROI", config), projected_label("Baseline", "ROI", config),
         "The horizon's actual months plus the projected ones", base.roi, what_if.roi, percent),
        (cols[2], f"Scenario cost, next {config.forward_months} months", "Baseline cost, same months",
         "The projected months only", base.forward_cost_usd, what_if.forward_cost_usd, money)):
    delta = None if b is None or s is None or s == b else f"{'+' if s > b else '-'}{fmt(abs(s - b))} vs baseline"
    column.metric(label, fmt(s), delta=delta, border=True, delta_color="inverse" if "cost" in label else "normal",
                  help=f"{covers}, with these knobs. {versus} (today's run rate unchanged): {fmt(b)}.")
cols[3].metric("Scenario payback", month(what_if.payback_month, NOT_WITHIN), border=True,
               help=f"Baseline payback: {month(base.payback_month, NOT_WITHIN)}.")
st.caption(f"**{projected_label('Baseline', 'NPV', config)}** {money(base.npv_usd)} · ROI {percent(base.roi)} · cost, "
           f"next {config.forward_months} months {money(base.forward_cost_usd)} · payback "
           f"{month(base.payback_month, NOT_WITHIN)} — today's run rate, knobs at zero.")
st.plotly_chart(scenario_figure(base.monthly, what_if.monthly), width="stretch")
if config.adopt_rightsize and not compare.run_rate.adoption_savings_usd:
    st.caption("No right-size recommendation has been adopted in this scope yet.")

if actor.can("edit_scenarios"):
    save_scenario_form(store, actor, scope, config, loaded_scenario)
if actor.can("export"):
    st.download_button("Download board pack (Excel)", type="primary", icon=":material/download:",
                       data=lambda: build_board_pack(store, actor, scope, horizon, rate, config, scenario_name),
                       file_name=board_pack_file_name(scope, review.as_of),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
