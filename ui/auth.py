"""Sign-in screen and the signed-in actor."""

from __future__ import annotations

import streamlit as st

from core.auth import ROLE_LABELS, Actor, active_actor, authenticate
from core.demo.catalogue import DEMO_ACCOUNTS
from core.errors import AuthenticationError
from ui import state
from ui.store import get_store, is_demo
from ui.filters import literal
from ui.navigation import PAGES


SIGNED_OUT_NOTICE = "Your account was disabled or removed; sign in again or ask an administrator."


def current_actor() -> Actor | None:
    """The signed-in actor as the store holds the user now, or ``None`` for nobody.

    Read again on every run (one lookup by key): a session whose user was disabled or removed
    since the last interaction is signed out, with a notice for the sign-in screen; one whose
    role or business unit changed carries on with the new one (dashboard.py builds the navigation
    from what this returns)."""
    signed_in = st.session_state.get(state.ACTOR)
    if signed_in is None:
        return None
    actor = active_actor(get_store(), signed_in.name)
    if actor is None:
        sign_out()
        st.session_state[state.SIGNED_OUT_NOTICE] = SIGNED_OUT_NOTICE
    elif actor != signed_in:
        st.session_state[state.ACTOR] = actor
    return actor


def require_actor() -> Actor:
    """The signed-in actor, or the sign-in form and a stop.

    The navigation already offers only the sign-in form to anonymous sessions; this is the
    defence in depth for the one case it cannot cover: on a freshly started server Streamlit
    runs a ``pages/*.py`` script directly until ``st.navigation`` has run once (see
    ``_leave_pages_folder_mode``, which first hands such a run back to ``dashboard.py``).
    """
    actor = current_actor()
    if actor is None:
        _leave_pages_folder_mode()
        render_sign_in()
        st.stop()
    return actor


def _leave_pages_folder_mode() -> None:
    """Hand a page run without ``dashboard.py`` back to it.

    Because the project has a ``pages/`` folder, a fresh Streamlit process runs its first
    script in the old folder-based multipage mode (``PagesManager.uses_pages_directory``,
    process-wide) until some session calls ``st.navigation``. A shared link opened first after
    a restart would then show the page without the app's layout, role-filtered navigation and
    account panel, with every file of ``pages/`` listed in the sidebar. Switching the flag off
    and rerunning lets ``dashboard.py`` route the same address (tests/browser: a fresh server).

    Only for a session nobody has signed in to: that is every fresh session, and AppTest
    (which runs a page directly, with an actor already in the session) is left as it is."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def sign_out() -> None:
    st.session_state.pop(state.ACTOR, None)


def render_sign_in() -> None:
    """The sign-in page: a form, and the demo accounts when (and only when) in demo mode."""
    store = get_store()
    left, middle, right = st.columns([1, 1.3, 1])
    with middle:
        st.title("Factory Floor")
        st.caption("What every AI initiative costs, returns and risks — in one place.")
        if notice := st.session_state.pop(state.SIGNED_OUT_NOTICE, None):
            st.warning(notice)
        with st.form("sign-in", border=True):
            name = st.text_input("User name", autocomplete="username")
            password = st.text_input("Password", type="password", autocomplete="current-password")
            submitted = st.form_submit_button("Sign in", type="primary", width="stretch")
        if submitted:
            try:
                # the client is the browser's address as the server saw it: throttles password spraying
                st.session_state[state.ACTOR] = authenticate(store, name, password,
                                                             client=st.context.ip_address or "")
            except AuthenticationError as error:
                message = str(error)
                if message.startswith("Unknown user name"):  # not a lock or a wait: both may be wrong
                    message += " Check both and try again."
                st.error(literal(message, 300))
            else:
                st.rerun()
        if is_demo(store):
            with st.expander("Demo accounts (demo database only)", expanded=True):
                st.table(
                    [
                        {"User name": name, "Password": password, "Role": ROLE_LABELS[role],
                         "Business unit": bu or "all"}
                        for name, role, bu, password, _ in DEMO_ACCOUNTS
                    ]
                )


def refusal_page(spec):
    """The page a signed-in user gets at the address of a page their role may not open: which
    role it needs and who to ask, audited as ``access.refused``; nothing of the page runs."""

    def refused() -> None:
        actor = st.session_state.get(state.ACTOR)
        needed = " or ".join(ROLE_LABELS[role].split(" (")[0].lower() for role in spec.roles)
        get_store().record_refusal(actor, permission=f"page:{spec.url_path}", action="page.open",
                                   target=spec.url_path, reason=f"{spec.title} is for {needed} only")
        st.title(spec.title)
        st.error(f"You need the {needed} role for the {spec.title} page; your role is "
                 f"{ROLE_LABELS[actor.role].lower()}. Ask an administrator if you need it.",
                 icon=":material/block:")
        st.page_link(PAGES[0].path, label="Go to the Portfolio", icon=":material/dashboard:")

    refused.__name__ = refused.__qualname__ = f"refused_{spec.url_path}"
    return refused
