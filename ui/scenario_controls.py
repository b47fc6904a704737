"""The ROI Review's scenario knobs: sliders, loading a saved scenario, saving one.

Widget values live in ``st.session_state`` under the keys below, initialised once, so loading
a saved scenario can set them (in an ``on_change`` callback, before the widgets are drawn).
"""

from __future__ import annotations

import streamlit as st

from core.errors import CoreError
from core.finance.roi import RoiScope
from core.finance.scenarios import ScenarioConfig, SavedScenario, save_scenario
from ui import state

PRICE, GROWTH, BENEFITS, ADOPT, SAVED = (state.ROI_PRICE_CHANGE_PCT, state.ROI_VOLUME_GROWTH_PCT,
                                         state.ROI_BENEFITS_SCALE, state.ROI_ADOPT_RIGHTSIZE, state.ROI_SAVED_SCENARIO)
DEFAULTS = {PRICE: 0, GROWTH: 0, BENEFITS: False, ADOPT: False}


def _load(saved: dict[str, SavedScenario]) -> None:
    chosen = saved.get(st.session_state.get(SAVED))
    if chosen is None:
        return
    config = chosen.config
    st.session_state[PRICE] = int(round(config.vendor_price_change * 100))
    st.session_state[GROWTH] = int(round(config.volume_growth_monthly * 100))
    st.session_state[BENEFITS] = config.benefits_scale_with_volume
    st.session_state[ADOPT] = config.adopt_rightsize


def scenario_controls(saved: list[SavedScenario]) -> ScenarioConfig:
    """Draw the knobs (and the saved-scenario picker when there are any); return the config."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    by_name = {s.name: s for s in saved}
    if by_name:
        st.selectbox("Load a saved scenario", list(by_name), index=None, placeholder="Choose a saved scenario…",
                     key=SAVED, on_change=_load, args=(by_name,),
                     format_func=lambda n: f"{n} (by {by_name[n].created_by}, {by_name[n].scope})")
    knobs = st.columns([3, 3, 2, 2])
    price = knobs[0].slider("Vendor price change", -90, 100, step=5, format="%d%%", key=PRICE,
                            help="−90% is a 'DeepSeek crash'. Applies to inference bought from vendor APIs.")
    growth = knobs[1].slider("Volume growth per month", -20, 50, step=1, format="%d%%", key=GROWTH)
    benefits = knobs[2].checkbox("Benefits grow with volume", key=BENEFITS)
    adopt = knobs[3].toggle("Right-size savings", key=ADOPT,
                            help="Adopt the Right-Size Lab's adopted recommendations: subtract their "
                                 "annual savings ÷ 12 from inference cost.")
    return ScenarioConfig(price / 100, growth / 100, benefits, adopt)


def save_scenario_form(store, actor, scope: RoiScope, config: ScenarioConfig) -> None:
    """Name and save the current knobs (finance and admins; checked again in core)."""
    with st.form("roi.save_scenario", border=False):
        cols = st.columns([4, 1], vertical_alignment="bottom")
        name = cols[0].text_input("Save these knobs as", placeholder="e.g. DeepSeek crash", max_chars=60)
        if cols[1].form_submit_button("Save scenario", icon=":material/save:"):
            try:
                saved = save_scenario(store, actor, name, scope, config)
            except CoreError as error:
                st.error(str(error))
            else:
                st.success(f"Saved '{saved.name}'.")
