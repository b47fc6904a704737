"""The ROI Review's scenario knobs: sliders, loading a saved scenario, saving one.

Every knob lives in the URL (``ui/filters.py``), so a copied link reopens the same what-if
and Back restores the previous one: ``?scenario=NAME`` (a saved scenario), ``?price=-90``
(vendor price change, %), ``?growth=5`` (volume growth, % a month), ``?benefits=1`` and
``?adopt=1`` (switches). A knob absent from the link takes the loaded scenario's value (zero /
off without one), so loading a saved scenario clears the knobs from the link with it.
"""

from __future__ import annotations

import streamlit as st

from core.errors import CoreError
from core.finance.roi import RoiScope
from core.finance.scenarios import (
    PRICE_CHANGE_RANGE, VOLUME_GROWTH_RANGE, ScenarioConfig, SavedScenario, save_scenario,
)
from ui import state
from ui.filters import literal, url_number, url_selectbox, url_toggle

PRICE, GROWTH, BENEFITS, ADOPT, SAVED = (state.ROI_PRICE_CHANGE_PCT, state.ROI_VOLUME_GROWTH_PCT,
                                         state.ROI_BENEFITS_SCALE, state.ROI_ADOPT_RIGHTSIZE, state.ROI_SAVED_SCENARIO)
KNOB_PARAMS = ("price", "growth", "benefits", "adopt")


def _pct(fraction: float) -> int:
    return int(round(fraction * 100))


LOADED = "roi.loaded_scenario"  # the saved scenario as it was when this session loaded it


def _as_loaded(fresh: SavedScenario | None) -> SavedScenario | None:
    """The scenario as this session loaded it (kept until another is chosen), so that knobs
    and the version a save replaces are what the user saw, not what someone saved since; a
    newer save by someone else is announced, with a button to load it."""
    if fresh is None:
        st.session_state.pop(LOADED, None)
        return None
    loaded = st.session_state.get(LOADED)
    if loaded is None or loaded.name != fresh.name:
        st.session_state[LOADED] = loaded = fresh
    if loaded.version != fresh.version:
        note, reload = st.columns([5, 1], vertical_alignment="center")
        note.warning(f"'{literal(fresh.name)}' was saved again by {fresh.created_by} since you loaded it; the knobs show "
                     "the version you loaded.", icon=":material/sync_problem:")
        if reload.button("Load their version", key="roi.reload_scenario"):
            st.session_state[LOADED] = fresh
            for param in KNOB_PARAMS:
                st.query_params.pop(param, None)
            st.rerun()
    return loaded


def scenario_controls(saved: list[SavedScenario]) -> tuple[ScenarioConfig, str | None, SavedScenario | None]:
    """Draw the knobs (and the saved-scenario picker when there are any); return the config,
    what to call it (the saved scenario's name, marked when the knobs moved since) and the
    saved scenario loaded, if any."""
    by_name = {s.name: s for s in saved}
    chosen = None
    if by_name:
        name = url_selectbox("Load a saved scenario", "scenario", list(by_name), key=SAVED, default=None,
                             placeholder="Choose a saved scenario…", clears=KNOB_PARAMS,
                             format_func=lambda n: f"{n} (by {by_name[n].created_by}, {by_name[n].scope})")
        chosen = _as_loaded(by_name.get(name))
    base = chosen.config if chosen else ScenarioConfig()
    knobs = st.columns([3, 3, 2, 2])
    price = url_number(knobs[0].slider, "Vendor price change", "price", key=PRICE,
                       default=_pct(base.vendor_price_change), min_value=_pct(PRICE_CHANGE_RANGE[0]),
                       max_value=_pct(PRICE_CHANGE_RANGE[1]), step=5, format="%d%%",
                       help="−90% is a 'DeepSeek crash'. Applies to inference bought from vendor APIs.")
    growth = url_number(knobs[1].slider, "Volume growth per month", "growth", key=GROWTH,
                        default=_pct(base.volume_growth_monthly), min_value=_pct(VOLUME_GROWTH_RANGE[0]),
                        max_value=_pct(VOLUME_GROWTH_RANGE[1]), step=1, format="%d%%")
    benefits = url_toggle(knobs[2].checkbox, "Benefits grow with volume", "benefits", key=BENEFITS,
                          default=base.benefits_scale_with_volume)
    adopt = url_toggle(knobs[3].toggle, "Right-size savings", "adopt", key=ADOPT, default=base.adopt_rightsize,
                       help="Adopt the Right-Size Lab's adopted recommendations: subtract their "
                            "annual savings ÷ 12 from inference cost.")
    config = ScenarioConfig(price / 100, growth / 100, benefits, adopt, forward_months=base.forward_months)
    if chosen is None:
        return config, None, None
    label = chosen.name if config == chosen.config else f"{chosen.name} (knobs changed since loading)"
    return config, label, chosen


def save_scenario_form(store, actor, scope: RoiScope, config: ScenarioConfig,
                       loaded: SavedScenario | None = None) -> None:
    """Name and save the current knobs (finance and admins; checked again in core). Saving
    under the name of the scenario loaded replaces that version only (``loaded.version``):
    if someone saved over it meanwhile, core refuses and says so."""
    with st.form("roi.save_scenario", border=False):
        cols = st.columns([4, 1], vertical_alignment="bottom")
        name = cols[0].text_input("Save these knobs as", placeholder="e.g. DeepSeek crash", max_chars=60,
                                  value=loaded.name if loaded else "")
        if cols[1].form_submit_button("Save scenario", icon=":material/save:"):
            replaces = loaded.version if loaded and " ".join(name.split()) == loaded.name else None
            try:
                saved = save_scenario(store, actor, name, scope, config, replaces=replaces)
            except CoreError as error:
                st.error(literal(str(error), 600))
            else:
                st.session_state[LOADED] = saved  # what this session now holds is its own save
                st.success(f"Saved '{literal(saved.name)}'.")
