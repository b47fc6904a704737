"""Admin: users and roles, and the audit log of every write."""

import streamlit as st

from core.store.audit import audit_actions, recent_audit_events
from core.auth import ROLE_LABELS, add_user, list_users
from core.entities import ROLES
from core.errors import CoreError
from core.portfolio.summary import business_units
from ui.auth import require_actor
from ui.store import get_store

actor = require_actor()
store = get_store()

st.title("Administration")
users_tab, audit_tab = st.tabs(["Users and roles", "Audit log"])

with users_tab:
    st.dataframe(list_users(store), hide_index=True, width="stretch", column_config={
        "name": "User", "role": "Role", "business_unit": "Business unit", "display_name": "Name",
        "created_at": st.column_config.DatetimeColumn("Created", format="D MMM YYYY"),
    })
    with st.form("add-user", clear_on_submit=True):
        st.subheader("Add a user")
        cols = st.columns(4)
        name = cols[0].text_input("User name", help="2–64 lower-case letters, digits, '.', '_', '-' or '@'")
        role = cols[1].selectbox("Role", ROLES, format_func=ROLE_LABELS.get)
        units = [code for code, _ in business_units(store)]
        unit = cols[2].selectbox("Business unit", [None, *units], format_func=lambda u: u or "— (not a team lead)",
                                 help="Required for team leads: the unit whose data they may upload.")
        password = cols[3].text_input("Initial password", type="password", help="At least 8 characters.")
        display = st.text_input("Display name")
        if st.form_submit_button("Add user", type="primary"):
            try:
                user = add_user(store, actor, name, role, password, business_unit=unit, display_name=display)
            except CoreError as error:
                st.error(f"The user was not added: {error}")
            else:
                st.success(f"Added {user.name} ({ROLE_LABELS[user.role]}).")

with audit_tab:
    cols = st.columns([2, 2, 1])
    family = cols[0].selectbox("Action", [None, *audit_actions(store)], format_func=lambda f: f or "All")
    who = cols[1].text_input("Actor (exact user name)") or None
    limit = cols[2].number_input("Rows", min_value=10, max_value=1000, value=200, step=50)
    events = recent_audit_events(store, actor=who, action_prefix=f"{family}." if family else None, limit=limit)
    st.caption(f"{len(events)} most recent events, newest first.")
    st.dataframe(events, hide_index=True, width="stretch", column_config={
        "ts": st.column_config.DatetimeColumn("When (UTC)", format="D MMM YYYY HH:mm:ss"),
        "actor": "Actor", "role": "Role", "action": "Action", "target": "Target",
        "detail": st.column_config.JsonColumn("Detail"),
    })
