"""Sign-in screen and the signed-in actor: local accounts, and the company's OpenID Connect
provider through Streamlit's ``st.login`` / ``st.user`` when ``[auth]`` is in secrets.toml."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core.auth import ROLE_LABELS, Actor, active_actor, authenticate, record_company_sign_in, record_sign_out
from core.company_sign_in import NoAccessError, login_time, session_expired
from core.config import setting
from core.demo.catalogue import DEMO_ACCOUNTS
from core.errors import AuthenticationError, CoreError
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
    from what this returns). A session not signed in locally takes the company sign-in of
    ``st.user`` when there is one (``_company_actor``); a company session is signed out once
    ``FACTORY_SESSION_MAX_HOURS`` have passed since the provider signed the user in."""
    signed_in = st.session_state.get(state.ACTOR)
    if signed_in is None:
        return _company_actor()
    actor = active_actor(get_store(), signed_in.name)
    if actor is None:  # not audited: the name may be anybody's (a removed user, a forged session)
        sign_out(audited=False, company_logout=False)
        st.session_state[state.COMPANY_ENDED] = True
        st.session_state[state.SIGNED_OUT_NOTICE] = SIGNED_OUT_NOTICE
    elif state.COMPANY_LOGIN_AT in st.session_state and _company_session_over(st.session_state[state.COMPANY_LOGIN_AT]):
        sign_out(reason="session expired", company_logout=False)
        st.session_state[state.COMPANY_ENDED] = _session_ended_notice()
        return None
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


def company_sign_in_configured() -> bool:
    """Whether secrets.toml has an ``[auth]`` section (Streamlit's ``st.login`` configuration)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all (StreamlitSecretNotFoundError), or one that cannot be read
        return False


def _now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _company_session_over(login_at: dt.datetime | None) -> bool:
    return session_expired(login_at, _now_utc(), setting("FACTORY_SESSION_MAX_HOURS"))


def _session_ended_notice() -> str:
    hours = setting("FACTORY_SESSION_MAX_HOURS")
    return (f"Your company session has ended: a company sign-in lasts {hours:g} hours. "
            "Sign in again to carry on.")


def _company_actor() -> Actor | None:
    """The actor of this session's company sign-in (``st.user``), or None.

    The identity cookie Streamlit read when the session connected is taken only while the
    provider's sign-in (``auth_time`` / ``iat``) is younger than ``FACTORY_SESSION_MAX_HOURS``;
    the user row is created or updated from the role claim (core.auth.record_company_sign_in).
    A refusal is kept for the session (one audit event, not one per rerun)."""
    if (not company_sign_in_configured() or st.session_state.get(state.COMPANY_ENDED)
            or st.session_state.get(state.COMPANY_REFUSED) or not st.user.get("is_logged_in", False)):
        return None
    claims = st.user.to_dict()
    login_at = login_time(claims)
    if _company_session_over(login_at):
        st.session_state[state.COMPANY_ENDED] = _session_ended_notice()
        return None
    try:
        actor = record_company_sign_in(get_store(), claims, claim=setting("FACTORY_OIDC_ROLE_CLAIM"),
                                       role_map=setting("FACTORY_OIDC_ROLE_MAP"))
    except NoAccessError as refusal:
        st.session_state[state.COMPANY_REFUSED] = str(refusal)
        return None
    except CoreError as refusal:  # a disabled user, a name a local account holds, a map naming an unknown unit
        st.session_state[state.COMPANY_REFUSED] = f"Your company sign-in cannot be used: {refusal}"
        return None
    st.session_state[state.ACTOR] = actor
    st.session_state[state.COMPANY_LOGIN_AT] = login_at
    return actor


def sign_out(*, reason: str = "signed out", audited: bool = True, company_logout: bool = True) -> bool:
    """End the session's sign-in, audited (``user.sign_out`` with ``reason``); a company session
    also leaves Streamlit's identity cookie (``st.logout``) unless ``company_logout`` is False (the
    app then ignores ``st.user`` for the rest of the session).

    True when ``st.logout`` is sending the browser away: the caller must then stop, not
    ``st.rerun()`` — a rerun empties the session's outgoing messages, the redirect with them."""
    actor = st.session_state.pop(state.ACTOR, None)
    company = st.session_state.pop(state.COMPANY_LOGIN_AT, None) is not None
    if actor is not None and audited:
        try:
            record_sign_out(get_store(), actor, reason=reason)
        except CoreError:  # a removed user (no role) cannot be audited as itself; the sign-out goes on
            pass
    if company_logout and (company or st.session_state.get(state.COMPANY_REFUSED)):
        st.session_state[state.COMPANY_ENDED] = True
        st.logout()
        return True
    return False


def _render_company_refusal(message: str) -> None:
    """The page of a company user the app gives no access: who to ask, and nothing of the data."""
    st.error(literal(message, 600), icon=":material/block:")
    st.markdown("An **administrator** of Factory Floor can give your group a role; "
                "send them the message above.")
    if st.button("Sign out of your company account", icon=":material/logout:") and sign_out(reason="refused"):
        st.stop()


def render_sign_in() -> None:
    """The sign-in page: a form, and the demo accounts when (and only when) in demo mode."""
    store = get_store()
    left, middle, right = st.columns([1, 1.3, 1])
    with middle:
        st.title("Factory Floor")
        st.caption("What every AI initiative costs, returns and risks — in one place.")
        if refusal := st.session_state.get(state.COMPANY_REFUSED):
            _render_company_refusal(refusal)
            return
        notice = st.session_state.pop(state.SIGNED_OUT_NOTICE, None)
        ended = st.session_state.get(state.COMPANY_ENDED)
        if isinstance(ended, str):  # the company session's age: said on every run until the user signs in again
            notice = ended
        if notice:
            st.warning(notice)
        company = company_sign_in_configured()
        local = setting("FACTORY_LOCAL_SIGN_IN")
        if company and st.button("Sign in with your company account", icon=":material/badge:",
                                 type="primary" if not local else "secondary", width="stretch"):
            st.login()
        if not local:
            if not company:
                st.error("Sign-in is switched off: FACTORY_LOCAL_SIGN_IN is off and secrets.toml has no [auth] "
                         "section for company sign-in. Ask an administrator.")
            return
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
