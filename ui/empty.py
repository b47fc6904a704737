"""Empty states: what a page is missing and the link that fills it.

A page with nothing to show says so in one sentence, then links to the Imports page with the
right kind chosen (``?kind=``) for each kind the signed-in role may import; a role that may
not is told whom to ask. Never a blank chart or a "$0" tile that reads as data."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.auth import Actor
from core.ingest import get_kind, kinds_for

ICON = ":material/inbox:"


def _in_sentence(label: str) -> str:
    """A kind's label inside a sentence: "Usage events" → "usage events", "FOCUS billing" stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def import_link(actor: Actor, kind: str, *, where=None) -> bool:
    """A link to the Imports page with ``kind`` chosen, when ``actor`` may import it; True if drawn."""
    if kind not in {k.name for k in kinds_for(actor)}:
        return False
    (where or st).page_link("pages/imports.py", label=f"Import {_in_sentence(get_kind(kind).label)}",
                            query_params={"kind": kind}, icon=":material/upload_file:")
    return True


def empty_state(actor: Actor, message: str, *, kinds: Sequence[str] = (), page: str | None = None,
                page_label: str | None = None) -> None:
    """``message`` (what is missing), then a link per import kind in ``kinds`` the actor may
    import, and ``page`` (another page that fills it) when given."""
    st.info(message, icon=ICON)
    refused = [kind for kind in kinds if not import_link(actor, kind)]
    if refused:
        labels = " and ".join(_in_sentence(get_kind(kind).label) for kind in refused)
        st.caption(f"Your role cannot import {labels}: ask an administrator.")
    if page:
        st.page_link(page, label=page_label or "Open it", icon=":material/arrow_forward:")


def setup_checklist(actor: Actor, steps: Sequence, *, expanded: bool) -> None:
    """The getting-started checklist (``core.portfolio.onboarding.setup_checklist``): one line
    per step, ticked from the store, with the link that fills each open step."""
    done = sum(step.done for step in steps)
    with st.expander(f"Getting started: {done} of {len(steps)} steps done", expanded=expanded,
                     icon=":material/checklist:"):
        for number, step in enumerate(steps, start=1):
            mark = ":material/check_circle:" if step.done else ":material/radio_button_unchecked:"
            text, links = st.columns([3, 2])
            text.markdown(f"{mark} **{number}. {step.label}** — {step.detail}")
            if step.done:
                continue
            for kind in step.kinds:
                import_link(actor, kind, where=links)
            if step.page:
                links.page_link(step.page, label="Open the Right-Size Lab" if "rightsize" in step.page else "Open it",
                                icon=":material/arrow_forward:")
