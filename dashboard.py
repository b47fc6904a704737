"""Factory Floor — the dashboard script: page config, sign-in gate, navigation for the signed-in role.

Served by ``app.py`` (``make run``); the database is ``$FACTORY_DB`` or ``data/factory.duckdb``,
filled with the demo organisation on first start. AppTest runs this file directly.
"""

from pathlib import Path

import streamlit as st

from core.auth import ROLE_LABELS
from ui.auth import current_actor, refusal_page, render_sign_in, sign_out
from ui.navigation import PAGES, pages_for
from ui.store import get_store, is_demo

# a file served by the app itself: a ":material/…" page icon makes every browser fetch the favicon
# from a font CDN, which an offline or locked-down network refuses
PAGE_ICON = Path(__file__).parent / "ui" / "assets" / "factory-icon.png"
st.set_page_config(page_title="Factory Floor", page_icon=str(PAGE_ICON), layout="wide")

store = get_store()
actor = current_actor()

if actor is None:
    # Every page's address leads to the sign-in form, so a shared link (page and query
    # parameters) still opens the right view once the reader has signed in.
    st.navigation(
        [st.Page(render_sign_in, title="Sign in", icon=":material/login:", url_path=spec.url_path,
                 default=spec.default) for spec in PAGES],
        position="hidden",
    ).run()
else:
    sections: dict[str, list] = {}
    for spec in pages_for(actor.role):
        sections.setdefault(spec.section, []).append(
            st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec.default)
        )
    # A page the role may not open keeps its address, hidden, leading to a refusal that says
    # which role it needs (and is audited) — not a silent landing on the Portfolio.
    sections[next(reversed(sections))] += [
        st.Page(refusal_page(spec), title=spec.title, url_path=spec.url_path, visibility="hidden")
        for spec in PAGES if actor.role not in spec.roles]
    navigation = st.navigation(sections)
    with st.sidebar:
        st.markdown(f"**{actor.display_name or actor.name}**  \n{ROLE_LABELS[actor.role]}"
                    + (f" · {actor.business_unit}" if actor.business_unit else ""))
        if is_demo(store):
            st.caption("Demo data — a fictional bank's AI portfolio.")
        if st.button("Sign out", icon=":material/logout:"):
            if sign_out():  # a company session: st.logout() is sending the browser to /auth/logout
                st.stop()
            st.rerun()
    navigation.run()
