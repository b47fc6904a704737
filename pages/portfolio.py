"""Portfolio: what the AI portfolio costs and returns, where each initiative stands, and
what to scale, fix, sustain or cut."""

import streamlit as st

from core.entities import KINDS, STAGES
from core.portfolio.flags import FLAGS
from core.portfolio.summary import VERDICT_RULE, VERDICTS, PortfolioFilter
from ui import queries, state
from ui.charts.portfolio import funnel_figure, matrix_figure
from ui.filters import url_multiselect, url_selectbox, url_value
from ui.formatting import count, money, percent, plural
from ui.auth import require_actor
from ui.empty import empty_state, setup_checklist
from ui.store import get_store
from ui.tiles import filter_link, tile

actor = require_actor()
store = get_store()
units = dict(queries.business_units(store, store.revision))

st.title("AI portfolio")
held = queries.holdings(store, store.revision)
if actor.role == "admin":
    steps = queries.setup_checklist(store, store.revision)
    if not all(step.done for step in steps):
        setup_checklist(actor, steps, expanded=held.initiatives == 0)
if held.initiatives == 0:
    empty_state(actor, "No initiatives yet. The portfolio starts with an initiatives file: one row per AI "
                       "initiative with its business unit, stage, kind and owners (the template is on the "
                       "Imports page).", kinds=("initiatives",))
    st.stop()
filters = st.columns([2, 2, 2, 2])
chosen_units = url_multiselect("Business unit", "bu", list(units), key=state.PORTFOLIO_UNITS,
                               format_func=lambda c: units.get(c, c), where=filters[0])
chosen_stages = url_multiselect("Stage", "stage", list(STAGES), key=state.PORTFOLIO_STAGES,
                                format_func=str.capitalize, where=filters[1])
chosen_kinds = url_multiselect("Kind", "kind", list(KINDS), key=state.PORTFOLIO_KINDS,
                               format_func=str.capitalize, where=filters[2])
flag = url_selectbox("Flag", "flag", [None, *FLAGS], key=state.PORTFOLIO_FLAG,
                     format_func=lambda f: "Any" if f is None else FLAGS[f].label, where=filters[3],
                     fallback_label="any flag")

verdict = url_value("verdict", list(VERDICTS))
if verdict:
    st.info(f"Showing only initiatives with the verdict **{verdict}**.", icon=":material/filter_alt:")
flt = PortfolioFilter(tuple(chosen_units), tuple(chosen_stages), tuple(chosen_kinds), flag, verdict)
head = queries.headline(store, store.revision, flt)
table = queries.initiative_table(store, store.revision, flt)
st.caption(f"As of {head.as_of:%d %b %Y} · {plural(head.initiatives, 'initiative')} in view · money in USD")
if head.initiatives == 0:
    st.info("No initiative matches these filters.", icon=":material/filter_alt_off:")
    filter_link("Clear the filters", {}, key="portfolio.clear", icon=":material/filter_alt_off:")
    st.stop()
# the questions an executive asks first, one click each
jumps = st.columns([1.2, 1.3, 1.0, 1.2, 1.2])  # by label length: none is cut
filter_link("Cut candidates and why", {"verdict": "Cut"}, key="jump.cut", icon=":material/content_cut:",
            where=jumps[0])
jumps[1].page_link("pages/governance.py", label="Ownership and guardrails",
                   icon=":material/shield_person:")
jumps[2].page_link("pages/rightsize_lab.py", label="Right-size savings", icon=":material/savings:")
filter_link("Agentic, no guardrails", {"flag": "no_guardrails", "kind": ["agentic"]}, key="jump.unguarded",
            icon=":material/smart_toy:", where=jumps[3])
jumps[4].page_link("pages/spend.py", label="Where the spend goes", icon=":material/pie_chart:")

no_money = held.financial_lines == 0  # $0 spend would read as a figure: say it is missing
if no_money:
    empty_state(actor, "No financial lines yet: spend, value, ROI and the verdicts appear once the monthly cost, "
                       "value and budget lines per initiative are imported.", kinds=("financials",))
tiles = st.columns(6)
tile(tiles[0], "Spend to date", "—" if no_money else money(head.spend_to_date_usd),
     help="Sum of actual cost lines (compute, inference, licences, people, data) up to the as-of date.",
     link_label="All rows", link_params={})
tile(tiles[1], "Realised value", "—" if no_money else money(head.realised_value_usd),
     help="Sum of actual benefit lines reported by the business units up to the as-of date.",
     link_label="Live ones", link_params={"stage": ["production", "scaled"]})
tile(tiles[2], "Portfolio ROI", percent(head.roi),
     help="(Realised value − spend) ÷ spend, over the initiatives in view.",
     link_label="Cut candidates", link_params={"verdict": "Cut"})
tile(tiles[3], "In production", count(head.in_production),
     help="Initiatives whose current stage is production or scaled.",
     link_label="Show them", link_params={"stage": ["production", "scaled"]})
tile(tiles[4], "Pilots converted", percent(head.conversion_rate),
     help=f"Initiatives that reached production ÷ initiatives that ever entered pilot "
          f"({head.reached_production} of {head.entered_pilot}).",
     link_label="Pilots", link_params={"stage": ["pilot"]})
tile(tiles[5], "No KPI", count(head.without_kpi),
     help="Active initiatives with no KPI defined: their value cannot be judged.",
     link_label="Show them", link_params={"flag": "no_kpi"})

left, right = st.columns([5, 7], gap="large")
with left:
    st.subheader("Stage funnel")
    st.plotly_chart(funnel_figure(queries.funnel(store, store.revision, flt)), width="stretch")
with right:
    st.subheader("Value vs spend")
    if table["verdict"].isna().all():
        st.info("No initiative in view has a verdict yet: verdicts apply to initiatives in production or "
                "scaled.", icon=":material/scatter_plot:")
    else:
        median_value = queries.median_live_value(store, store.revision)
        st.plotly_chart(matrix_figure(table, median_value), width="stretch")
    st.caption(VERDICT_RULE + "  \n" + "  \n".join(f"**{v}** — {rule}." for v, rule in VERDICTS.items()))

st.subheader("Initiatives")
st.caption("Select a row to open the initiative. Click a column header to sort. "
           + " · ".join(f"**{f.label}**: {f.rule}" for f in FLAGS.values()))
view = table.assign(business_unit=table["business_unit"].map(units),
                    verdict=table["verdict"].fillna("—"), verdict_reason=table["verdict_reason"].fillna("—"))[
    # what an executive scans first (verdict, flags) before the money; unit and kind last
    ["code", "name", "stage", "verdict", "verdict_reason", "flags", "spend_usd", "value_usd", "roi", "budget_variance",
     "business_unit", "bu_owner", "platform_owner", "kind", "risk_tier", "guardrails"]]
event = st.dataframe(
    view, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    height=min(38 + 35 * len(view), 560), key="portfolio.table",
    column_config={
        "code": st.column_config.TextColumn("Code", width="small"),
        "name": st.column_config.TextColumn("Initiative", width="medium"),
        "business_unit": st.column_config.TextColumn("Business unit", width="small"),
        "stage": "Stage", "kind": "Kind", "risk_tier": "Risk tier",
        "bu_owner": st.column_config.TextColumn("Business owner", width="small"),
        "platform_owner": st.column_config.TextColumn("Platform owner", width="small"),
        "guardrails": st.column_config.TextColumn("Guardrails", help="Human approval, a validator agent, or none"),
        "spend_usd": st.column_config.NumberColumn("Spend (USD)", format="compact"),
        "value_usd": st.column_config.NumberColumn("Value (USD)", format="compact"),
        "roi": st.column_config.NumberColumn("ROI", format="percent"),
        "budget_variance": st.column_config.NumberColumn("vs budget", format="percent",
                                                         help="(spend − plan to date) ÷ plan to date"),
        "verdict": "Verdict",
        "verdict_reason": st.column_config.TextColumn("Why", width="large",
                                                      help="The verdict's rule applied to this initiative"),
        "flags": st.column_config.ListColumn("Flags", width="medium"),
    },
)
if event.selection.rows:
    code = view.iloc[event.selection.rows[0]]["code"]
    st.switch_page("pages/initiative.py", query_params={"initiative": code})
