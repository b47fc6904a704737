"""Governance: who owns what (business unit × business owner × platform owner, gaps
highlighted) and which agentic or high-risk systems run without guardrails — both answered
without a click."""

import streamlit as st

from core.portfolio.flags import FLAGS
from core.portfolio.governance import OWNER_LOAD_LIMIT, UNASSIGNED, owner_platform_counts
from core.portfolio.summary import PortfolioFilter
from ui import queries
from ui.auth import require_actor
from ui.empty import empty_state
from ui.charts.governance import ownership_heatmap
from ui.formatting import count, money
from ui.store import get_store
from ui.tiles import tile

actor = require_actor()
store = get_store()
matrix = queries.ownership_matrix(store, store.revision)
unguarded = queries.initiative_table(store, store.revision, PortfolioFilter(flag="no_guardrails"))

st.title("Governance")
if matrix.empty:
    empty_state(actor, "No active initiatives yet: ownership and guardrails are read from the initiatives "
                       "file (owners, risk tier, human approval, validator agent).", kinds=("initiatives",))
    st.stop()
st.caption(f"As of {queries.reporting_date(store, store.revision):%d %b %Y} · active (not retired) initiatives")
open_incidents = queries.initiative_table(store, store.revision, PortfolioFilter(flag="open_incident"))
tiles = st.columns(5)
tile(tiles[0], "Active initiatives", count(int(matrix["initiatives"].sum())),
     help="Initiatives not retired, counted in the ownership matrix below.")
tile(tiles[1], "Without guardrails", count(len(unguarded)), help=FLAGS["no_guardrails"].rule)
tile(tiles[4], "With open incidents", count(len(open_incidents)), help=FLAGS["open_incident"].rule)
tile(tiles[2], "Ownership gaps", count(int((matrix["gaps"].str.len() > 0).sum())),
     help="Rows of the matrix with at least one gap (see the rule under the table).")
tile(tiles[3], "Business owners", count(matrix["bu_owner"].nunique()),
     help="Distinct business owners of active initiatives.")

st.subheader("Agentic and high-risk systems without guardrails")
if unguarded.empty:
    st.success("Every agentic and high-risk system has human approval or a validator agent.")
else:
    st.dataframe(
        unguarded.assign(link="/initiative?initiative=" + unguarded["code"])[
            ["link", "name", "business_unit", "kind", "risk_tier", "stage", "bu_owner", "platform_owner",
             "spend_usd", "verdict"]].fillna({"verdict": "—"}),
        hide_index=True, width="stretch", column_config={
            "link": st.column_config.LinkColumn("Code", display_text=r"initiative=(.*)$", width="small"),
            "name": st.column_config.TextColumn("Initiative", width="medium"),
            "business_unit": "Business unit", "kind": "Kind", "risk_tier": "Risk tier", "stage": "Stage",
            "bu_owner": "Business owner", "platform_owner": "Platform owner",
            "spend_usd": st.column_config.NumberColumn("Spend (USD)", format="compact"), "verdict": "Verdict"})
st.caption(FLAGS["no_guardrails"].rule + " Retired systems are not counted.")

if not open_incidents.empty:
    st.subheader("Open guardrail incidents")
    st.dataframe(
        open_incidents.assign(link="/initiative?initiative=" + open_incidents["code"])[
            ["link", "name", "business_unit", "kind", "guardrails", "stage", "bu_owner", "platform_owner"]],
        hide_index=True, width="stretch", column_config={
            "link": st.column_config.LinkColumn("Code", display_text=r"initiative=(.*)$", width="small"),
            "name": st.column_config.TextColumn("Initiative", width="medium"), "business_unit": "Business unit",
            "kind": "Kind", "guardrails": "Guardrails", "stage": "Stage", "bu_owner": "Business owner",
            "platform_owner": "Platform owner"})
    st.caption(FLAGS["open_incident"].rule + " Open the initiative to read and close its incidents.")

st.subheader("Ownership matrix")
st.dataframe(
    matrix.assign(gap_text=matrix["gaps"].map(lambda gaps: "; ".join(gaps) or "—"),
                  unit_link="/?bu=" + matrix["business_unit"])[
        ["unit_link", "business_unit_head", "bu_owner", "platform_owner", "initiatives", "live", "unguarded",
         "spend_usd", "gap_text", "names"]].style.apply(
        lambda row: ["background-color: #FDECEE" if row["gap_text"] != "—" else "" for _ in row], axis=1),
    hide_index=True, width="stretch", height=min(38 + 35 * len(matrix), 600), column_config={
        "unit_link": st.column_config.LinkColumn("Business unit", display_text=r"bu=(.*)$", width="small"),
        "business_unit_head": st.column_config.TextColumn("Unit head", help="Set by an admin (Admin page)."),
        "bu_owner": "Business owner", "platform_owner": "Platform owner",
        "initiatives": st.column_config.NumberColumn("Initiatives", width="small"),
        "live": st.column_config.NumberColumn("Live", width="small", help="In production or scaled"),
        "unguarded": st.column_config.NumberColumn("No guardrails", width="small"),
        "spend_usd": st.column_config.NumberColumn("Spend (USD)", format="compact"),
        "gap_text": st.column_config.TextColumn("Gaps", width="medium"),
        "names": st.column_config.ListColumn("Initiatives (names)", width="large")})
st.caption(f"Gaps (rows shaded): no business owner or no platform owner (blank or one of "
           f"{', '.join(repr(v) for v in UNASSIGNED if v)}); a business owner of more than {OWNER_LOAD_LIMIT} "
           f"active initiatives; systems without guardrails. Total spend of active initiatives: "
           f"{money(matrix['spend_usd'].sum())}.")
st.markdown("**Business owner × platform owner** — active initiatives")
st.plotly_chart(ownership_heatmap(owner_platform_counts(matrix)), width="stretch")
