"""Initiative: one initiative's business case vs actuals, KPI, cost mix, usage and unit
cost, owners, guardrails and models. Opened with ``?initiative=CODE``."""

import streamlit as st

from core.portfolio.initiative import parse_initiative_code
from ui import queries, state
from ui.charts.initiative import business_case_figure, cost_mix_figure, kpi_history_figure, usage_figure
from ui.charts.periods import partial_caption
from ui.formatting import money, percent, unit_money
from ui.auth import require_actor
from ui.empty import empty_state
from ui.initiative_edit import edit_form, incident_log, show_saved
from ui.filters import literal, url_selectbox
from ui.store import get_store

actor = require_actor()
store = get_store()
choices = dict(queries.initiative_choices(store, store.revision))
if not choices:
    st.title("Initiative")
    empty_state(actor, "No initiatives yet: import an initiatives file first.", kinds=("initiatives",))
    st.stop()
picked = url_selectbox("Initiative", "initiative", list(choices), key=state.INITIATIVE_CODE,
                       default=queries.largest_initiative(store, store.revision),  # the biggest spender, not an empty page
                       on_bad_link=None,  # a broken link shows no initiative rather than another one
                       parse=parse_initiative_code, format_func=lambda c: f"{choices[c]} ({c})",
                       placeholder="Choose an initiative…")
if picked is None:
    st.info("Choose an initiative above, or open one from the Portfolio table.")
    st.stop()

detail = queries.initiative_detail(store, store.revision, picked)
item = detail.initiative
may_edit = actor.can("edit_initiative", item.business_unit)
show_saved()
st.title(literal(item.name))  # user text: shown as text, never as Markdown
st.caption(f"{item.code} · {literal(detail.business_unit_name)} · {item.kind.capitalize()} · "
           f"stage **{item.stage}** since {item.stage_since:%d %b %Y}")
if detail.flags:
    st.markdown(" ".join(f":orange-badge[{flag}]" for flag in detail.flags))

tiles = st.columns(5)
tiles[0].metric("Spend to date", money(detail.spend_usd), help="Sum of actual cost lines.")
tiles[1].metric("Realised value", money(detail.value_usd), help="Sum of actual benefit lines.")
tiles[2].metric("ROI", percent(detail.roi), help="(value − spend) ÷ spend, to date.")
variance = (detail.spend_usd - detail.budget_usd) / detail.budget_usd if detail.budget_usd else None
tiles[3].metric("vs budget", percent(variance), help="(spend − plan to date) ÷ plan to date; positive = over budget.",
                delta=None)
if item.kpi_name:
    tiles[4].metric(f"KPI: {literal(item.kpi_name)}", f"{item.kpi_current if item.kpi_current is not None else '—'} {item.kpi_unit or ''}",
                    help=f"Baseline {item.kpi_baseline} → target {item.kpi_target} {literal(item.kpi_unit or '')}. "
                         "Progress = (current − baseline) ÷ (target − baseline).")
    if detail.kpi_progress is not None:
        tiles[4].progress(min(max(detail.kpi_progress, 0.0), 1.0), text=f"{percent(detail.kpi_progress)} of the way to target")
else:
    tiles[4].metric("KPI", "—", help="No KPI is defined: the value of this initiative cannot be judged.")

if item.kpi_name:
    readings = queries.kpi_readings(store, store.revision, item.code)
    st.subheader(f"KPI over time: {literal(item.kpi_name)}")
    if readings.empty:
        st.caption("No KPI reading recorded yet: each new current value (edit below, or an import) adds one.")
    else:
        st.plotly_chart(kpi_history_figure(readings, name=item.kpi_name, unit=item.kpi_unit,
                                           baseline=item.kpi_baseline, target=item.kpi_target), width="stretch")
        st.caption(f"{len(readings)} readings, the latest on {readings['recorded_on'].iloc[-1]:%d %b %Y}; "
                   "dotted: baseline, dashed: target.")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Business case vs actuals")
    st.plotly_chart(business_case_figure(detail.money), width="stretch")
with right:
    st.subheader("Monthly cost by category")
    st.plotly_chart(cost_mix_figure(detail.cost_by_category), width="stretch")

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Usage and cost per 1,000 inferences")
    if detail.usage.empty:
        st.info("No usage recorded yet: this initiative has not served any inferences.")
    else:
        open_month = queries.open_month(store, store.revision) if detail.usage["partial"].any() else None
        st.plotly_chart(usage_figure(detail.usage, open_month), width="stretch")
        if open_month is not None:
            st.caption(partial_caption(open_month))
with right:
    st.subheader("Ownership and guardrails")
    st.markdown(
        f"- **Business owner:** {literal(item.bu_owner)} ({literal(detail.business_unit_name)})\n"
        f"- **Platform owner:** {literal(item.platform_owner)}\n"
        f"- **Deployment:** {item.deployment} · **risk tier:** {item.risk_tier}\n"
        f"- **Guardrails:** {item.guardrails}"
        + (" — :red[an agentic system without guardrails]" if item.kind == "agentic" and item.guardrails == "none" else "")
    )
    st.subheader("Models in use")
    if detail.models.empty:
        st.caption("No models registered.")
    else:
        # a narrow column: three short columns that fit, costs below a cent written out ("$0.00042")
        models = detail.models
        st.dataframe(models.assign(cost_per_1k_usd=models["cost_per_1k_usd"].map(unit_money),
                                   model=models["model"] + " · " + models["provider"].fillna("—")),
                     hide_index=True, width="stretch",
                     column_order=("model", "requests_12m", "cost_per_1k_usd"), column_config={
            "model": st.column_config.TextColumn("Model · provider"),
            "requests_12m": st.column_config.NumberColumn("Inferences, 12 mo", format="compact", width="small"),
            "cost_per_1k_usd": st.column_config.TextColumn("$ per 1k", width="small"),
        })

if item.kind == "agentic" or not queries.incidents(store, store.revision, item.code).empty:
    st.subheader("Guardrail incidents")
    incident_log(store, actor, item, may_log=actor.can("log_incident", item.business_unit))

if detail.adoptions is not None and not detail.adoptions.empty:
    adoptions = detail.adoptions
    measured = adoptions[adoptions["basis"] == "measured"]
    st.subheader("Adopted right-size savings")
    st.caption(f"Measured {money(measured['annual_savings_usd'].sum())} a year over {len(measured)} of "
               f"{len(adoptions)} adoptions: (today's production model's cost per inference − the candidate's, both "
               "measured in the same lab run on the same profile) × inferences in the last 12 months. An adoption "
               "whose today's model could not be measured projects no saving and says why.")
    # costs of small models per 1,000 are far below a cent: written out, never "$0.000000"
    adoptions = adoptions.assign(current_cost_per_1k_usd=adoptions["current_cost_per_1k_usd"].map(unit_money),
                                 new_cost_per_1k_usd=adoptions["new_cost_per_1k_usd"].map(unit_money))
    st.dataframe(adoptions, hide_index=True, width="stretch", column_order=[
        "adopted_at", "candidate_name", "basis", "annual_savings_usd", "annual_savings_low_usd",
        "annual_savings_high_usd", "current_cost_per_1k_usd", "new_cost_per_1k_usd", "volume_12m", "basis_reason",
        "benchmark_run_id", "adopted_by"], column_config={
        "adopted_at": st.column_config.DatetimeColumn("Adopted", format="D MMM YYYY"),
        "candidate_name": st.column_config.TextColumn("Model", width="medium"), "basis": "Basis",
        "benchmark_run_id": "Lab run",
        "current_cost_per_1k_usd": st.column_config.TextColumn("Today $ per 1k"),
        "new_cost_per_1k_usd": st.column_config.TextColumn("New $ per 1k"),
        "volume_12m": st.column_config.NumberColumn("Inferences (12 mo)", format="compact"),
        "annual_savings_usd": st.column_config.NumberColumn("Savings a year", format="dollar"),
        "annual_savings_low_usd": st.column_config.NumberColumn("Low", format="dollar"),
        "annual_savings_high_usd": st.column_config.NumberColumn("High", format="dollar"),
        "basis_reason": st.column_config.TextColumn("Why not measured", width="medium"),
        "adopted_by": "By"})

if may_edit:
    st.subheader("Keep it current")
    st.caption("Changes are saved in one audited step. Moving into production needs a KPI with a baseline and a "
               "target and both owners named.")
    edit_form(store, actor, item)
