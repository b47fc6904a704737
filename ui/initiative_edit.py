"""The Initiative page's writes: the edit form (stage, KPI value, owners, guardrails, risk
tier, description) and the guardrail incident log. Each calls ``core.portfolio.editing``,
which checks the role and audits; the page only offers them to whoever may use them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core.entities import GUARDRAILS, RISK_TIERS, STAGES
from core.errors import CoreError
from core.portfolio.editing import EDITABLE, LIVE_STAGES, SEVERITIES, close_incident, edit_initiative, log_incident
from ui import queries
from ui.filters import literal

SAVED = "initiative.saved"  # the message of the last save, shown once after the rerun


def show_saved() -> None:
    """The confirmation of a save made on the previous run (a rerun redraws the page with it)."""
    message = st.session_state.pop(SAVED, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def edit_form(store, actor, item) -> None:
    """The edit form for ``item``; a stage move into production checks the gate in core.

    The values the form showed are kept for the next run: a submit sends them as
    ``expected``, so an edit saved by someone else in between is refused, not undone."""
    shown_key = f"initiative.shown.{item.code}"
    shown = st.session_state.get(shown_key)
    current = {field: getattr(item, field) for field in EDITABLE}
    # the form keeps showing what it showed (so what the user typed survives a save made by
    # someone else meanwhile, and that save is then refused, not silently undone)
    values = shown or current
    with st.form(f"edit-{item.code}"):
        cols = st.columns(3)
        stage = cols[0].selectbox("Stage", STAGES, index=STAGES.index(values["stage"]), format_func=str.capitalize)
        kpi = cols[1].number_input(f"KPI current value{f' ({item.kpi_unit})' if item.kpi_unit else ''}",
                                   value=values["kpi_current"], format="%.4g", disabled=not item.kpi_name,
                                   help="Recorded as today's reading in the KPI history." if item.kpi_name
                                   else "No KPI is defined: add one by importing the initiatives file.")
        risk = cols[2].selectbox("Risk tier", RISK_TIERS, index=RISK_TIERS.index(values["risk_tier"]))
        cols = st.columns(3)
        bu_owner = cols[0].text_input("Business owner", value=values["bu_owner"], max_chars=120)
        platform_owner = cols[1].text_input("Platform owner", value=values["platform_owner"], max_chars=120)
        guardrails = cols[2].selectbox("Guardrails", GUARDRAILS, index=GUARDRAILS.index(values["guardrails"]))
        description = st.text_area("Description", value=values["description"] or "", max_chars=2000, height=90)
        reason = None
        if actor.role == "admin" and item.stage not in LIVE_STAGES:
            reason = st.text_input("Override reason (administrators)",
                                   help="Only to move into production without a KPI baseline and target or both "
                                        "owners named: kept in the audit log.")
        if not st.form_submit_button("Save changes", type="primary", icon=":material/save:"):
            st.session_state[shown_key] = current
            return
    changes = {"stage": stage, "risk_tier": risk, "bu_owner": bu_owner, "platform_owner": platform_owner,
               "guardrails": guardrails, "description": description}
    if item.kpi_name:
        changes["kpi_current"] = kpi
    try:
        edit = edit_initiative(store, actor, item.code, changes, override_reason=reason, expected=shown or current)
    except CoreError as error:
        st.error(f"Not saved: {literal(str(error), 600)}", icon=":material/block:")
        if "modified by someone else" in str(error):
            st.session_state.pop(shown_key, None)  # the next render shows their values
        return
    if not edit.changes:
        st.info("Nothing changed.", icon=":material/info:")
        return
    st.session_state.pop(shown_key, None)  # the next render shows (and expects) the saved values
    override = f" (gate overridden: {edit.override_reason})" if edit.override_reason else ""
    st.session_state[SAVED] = f"Saved {item.code}: {literal(edit.describe(), 2000)}{literal(override, 600)}."
    st.rerun()


def incident_log(store, actor, item, *, may_log: bool) -> None:
    """The initiative's guardrail incidents, open first; a form to log one and to close an open one."""
    log = queries.incidents(store, store.revision, item.code)
    if log.empty:
        st.caption("No guardrail incident logged.")
    else:
        # an open incident has no closing date and may have no action yet: "—", never "None"
        view = log.drop(columns=["id"]).assign(
            action_taken=log["action_taken"].replace("", "—"),
            closed_on=[f"{day:%d %b %Y}" if day is not None and day == day else "—" for day in log["closed_on"]])
        st.dataframe(view, hide_index=True, width="stretch", column_config={
            "occurred_on": st.column_config.DateColumn("Date", format="D MMM YYYY"), "severity": "Severity",
            "what_happened": st.column_config.TextColumn("What happened", width="large"),
            "action_taken": st.column_config.TextColumn("What was done", width="medium"), "status": "Status",
            "reported_by": "Reported by", "closed_on": "Closed"})
    if not may_log:
        return
    with st.form(f"incident-{item.code}", clear_on_submit=True):
        st.markdown("**Log an incident**")
        cols = st.columns([1, 1, 3])
        occurred = cols[0].date_input("Date", value=dt.date.today(), max_value=dt.date.today())
        severity = cols[1].selectbox("Severity", SEVERITIES, index=1)
        what = cols[2].text_input("What happened")
        done = st.text_input("What was done (optional)")
        if st.form_submit_button("Log incident", icon=":material/report:"):
            try:
                log_incident(store, actor, item.code, occurred_on=occurred, severity=severity, what_happened=what,
                             action_taken=done)
            except CoreError as error:
                st.error(f"Not logged: {literal(str(error), 600)}")
            else:
                st.session_state[SAVED] = f"Incident logged for {item.code} ({severity})."
                st.rerun()
    open_ones = log[log["status"] == "open"]
    if open_ones.empty:
        return
    with st.form(f"close-incident-{item.code}", clear_on_submit=True):
        st.markdown("**Close an open incident**")
        labels = {int(r.id): f"{r.occurred_on:%d %b %Y} · {r.severity} · {r.what_happened[:60]}"
                  for r in open_ones.itertuples()}
        chosen = st.selectbox("Incident", list(labels), format_func=labels.get)
        done = st.text_input("What was done")
        if st.form_submit_button("Close incident", icon=":material/task_alt:"):
            try:
                close_incident(store, actor, chosen, action_taken=done)
            except CoreError as error:
                st.error(f"Not closed: {literal(str(error), 600)}")
            else:
                st.session_state[SAVED] = f"Incident closed for {item.code}."
                st.rerun()
