"""Admin: users and roles (add, disable or enable, change role, reset password), business units
(name and head) and the audit log of every write. Core checks every change and audits it."""

import streamlit as st

from core.store.audit import audit_actions, recent_audit_events
from core.auth import ROLE_LABELS, add_user, list_users, reset_password, set_user_disabled, set_user_role
from core.entities import ROLES
from core.errors import CoreError
from core.portfolio.business_units import HEAD_MAX_LENGTH, NAME_MAX_LENGTH, list_business_units, update_business_unit
from ui import state
from ui.auth import require_actor
from ui.store import get_store

actor = require_actor()
store = get_store()


def done(message: str) -> None:
    """Redraw the page from the store (tables, buttons, current values) and then say what changed."""
    st.session_state[state.ADMIN_DONE] = message
    st.rerun()


def unit_label(code: str | None) -> str:
    return code or "— (not a team lead)"


st.title("Administration")
if message := st.session_state.pop(state.ADMIN_DONE, None):
    st.success(message)
users_tab, units_tab, audit_tab = st.tabs(["Users and roles", "Business units", "Audit log"])
users = list_users(store)
units = list_business_units(store)
unit_codes = [unit["code"] for unit in units]

with users_tab:
    st.dataframe([{**user, "status": "disabled" if user["disabled"] else "enabled"} for user in users],
                 hide_index=True, width="stretch",
                 column_order=("name", "role", "business_unit", "display_name", "status", "created_at"),
                 column_config={
                     "name": "User", "role": "Role", "business_unit": "Business unit", "display_name": "Name",
                     "status": "Status",
                     "created_at": st.column_config.DatetimeColumn("Created", format="D MMM YYYY"),
                 })
    with st.form("add-user", clear_on_submit=True):
        st.subheader("Add a user")
        cols = st.columns(4)
        name = cols[0].text_input("User name", help="2–64 lower-case letters, digits, '.', '_', '-' or '@'")
        role = cols[1].selectbox("Role", ROLES, format_func=ROLE_LABELS.get)
        unit = cols[2].selectbox("Business unit", [None, *unit_codes], format_func=unit_label,
                                 help="Required for team leads: the unit whose data they may upload.")
        password = cols[3].text_input("Initial password", type="password", help="At least 8 characters.")
        display = st.text_input("Display name")
        if st.form_submit_button("Add user", type="primary"):
            try:
                user = add_user(store, actor, name, role, password, business_unit=unit, display_name=display)
            except CoreError as error:
                st.error(f"The user was not added: {error}")
            else:
                done(f"Added {user.name} ({ROLE_LABELS[user.role]}).")

    st.subheader("Manage a user")
    by_name = {user["name"]: user for user in users}
    picked = st.selectbox("User", list(by_name), key=state.ADMIN_USER,
                          format_func=lambda n: " · ".join(filter(None, (n, by_name[n]["display_name"]))))
    if picked is not None:
        user = by_name[picked]
        sign_in_col, role_col, password_col = st.columns(3)
        with sign_in_col, st.container(border=True):
            st.markdown("**Sign-in**")
            if user["disabled"]:
                st.caption(f"{picked} is disabled and cannot sign in.")
            else:
                st.caption(f"{picked} is enabled. Disabling stops sign-in and ends an open session of theirs at "
                           f"its next interaction.")
            verb = "enabled" if user["disabled"] else "disabled"
            if st.button("Enable user" if user["disabled"] else "Disable user", key="admin.set_disabled"):
                try:
                    set_user_disabled(store, actor, picked, not user["disabled"])
                except CoreError as error:
                    st.error(f"{picked} was not {verb}: {error}")
                else:
                    done(f"{picked} is {verb}.")
        with role_col, st.form("admin.set-role"):
            st.markdown("**Role and business unit**")
            new_role = st.selectbox("Role", ROLES, index=ROLES.index(user["role"]), format_func=ROLE_LABELS.get,
                                    key=f"admin.role.{picked}")
            unit_choices = [None, *unit_codes]
            new_unit = st.selectbox("Business unit", unit_choices, format_func=unit_label, key=f"admin.unit.{picked}",
                                    index=unit_choices.index(user["business_unit"])
                                    if user["business_unit"] in unit_choices else 0,
                                    help="Team leads only: the unit whose data they may upload.")
            if st.form_submit_button("Change role"):
                try:
                    set_user_role(store, actor, picked, new_role, new_unit)
                except CoreError as error:
                    st.error(f"The role of {picked} was not changed: {error}")
                else:
                    done(f"{picked} is now {ROLE_LABELS[new_role]}"
                         + (f" of {new_unit}" if new_role == "team_lead" else "")
                         + "; they see it at their next interaction.")
        with password_col, st.form("admin.reset-password", clear_on_submit=True):
            st.markdown("**Reset password**")
            first = st.text_input("New password", type="password", key="admin.new_password",
                                  help="At least 8 characters.")
            again = st.text_input("New password again", type="password", key="admin.new_password_again")
            if st.form_submit_button("Reset password"):
                if first != again:
                    st.error("The password was not reset: the two passwords differ; type the same one twice.")
                else:
                    try:
                        reset_password(store, actor, picked, first)
                    except CoreError as error:
                        st.error(f"The password was not reset: {error}")
                    else:
                        done(f"The password of {picked} is reset.")

with units_tab:
    if not units:
        st.info("No business units yet: importing the initiatives file creates them.")
    else:
        st.dataframe(units, hide_index=True, width="stretch",
                     column_config={"code": "Code", "name": "Name", "head": "Head"})
        by_code = {unit["code"]: unit for unit in units}
        code = st.selectbox("Business unit", list(by_code), key=state.ADMIN_UNIT,
                            format_func=lambda c: f"{c} · {by_code[c]['name']}")
        with st.form("admin.edit-unit"):
            unit_name = st.text_input("Name", value=by_code[code]["name"], max_chars=NAME_MAX_LENGTH,
                                      key=f"admin.unit_name.{code}")
            head = st.text_input("Head", value=by_code[code]["head"] or "", max_chars=HEAD_MAX_LENGTH,
                                 key=f"admin.unit_head.{code}",
                                 help="Who answers for the unit's AI initiatives; blank for nobody.")
            if st.form_submit_button("Save business unit"):
                try:
                    changed = update_business_unit(store, actor, code, name=unit_name, head=head)
                except CoreError as error:
                    st.error(f"{code} was not changed: {error}")
                else:
                    if changed:
                        done(f"Saved {code}: {unit_name.strip()}, head {head.strip() or 'nobody'}.")
                    st.info(f"{code} already had that name and head; nothing was saved.")

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
