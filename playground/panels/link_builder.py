"""The classroom link builder: a URL of the current setup that opens with chosen controls hidden.

A teacher ticks the controls students should not touch; the link carries every setting (so the
hidden controls keep the values it sets) plus `hide=<names>` (session.url.classroom_url).
"""

from __future__ import annotations

import streamlit as st

from core import FEATURES
from playground.session import keys, state
from playground.session.url import classroom_url
from playground.settings.config import HIDEABLE_CONTROLS, Config
from playground.settings.labels import CONTROL_LABELS, FEATURE_LABELS


def render(config: Config) -> None:
    """The sidebar expander: tick what to hide, copy the link."""
    hidden = state.hidden()
    keys.LINK_CONTROLS.setdefault([n for n in HIDEABLE_CONTROLS if n in hidden])  # starts at the link's
    keys.LINK_FEATURES.setdefault([f for f in FEATURES if f in hidden])
    with st.expander("**Share a classroom link**"):
        st.caption("Tick the controls your students should not see. The link opens this exact "
                   "setup (data, network, initial weights) with those controls hidden.")
        chosen_controls = st.pills("Hide controls", HIDEABLE_CONTROLS, selection_mode="multi",
                                   key=keys.LINK_CONTROLS.name, format_func=CONTROL_LABELS.get)
        chosen_features = st.pills("Hide inputs", FEATURES, selection_mode="multi",
                                   key=keys.LINK_FEATURES.name, format_func=FEATURE_LABELS.get)
        url = classroom_url(st.context.url or "", config, [*chosen_controls, *chosen_features])
        st.code(url, language=None, wrap_lines=True, height=160)  # scrolls; the copy button is on top
