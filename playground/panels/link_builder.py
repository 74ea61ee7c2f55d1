"""The classroom link builder: a URL of the current setup that opens with chosen controls hidden.

A teacher ticks the controls students should not touch; the link carries every setting (so the
hidden controls keep the values it sets) plus `hide=<names>` (session.url.classroom_url).
"""

from __future__ import annotations

import streamlit as st

from core import FEATURES
from playground.session import keys, lazy
from playground.session.url import classroom_url
from playground.settings.config import HIDEABLE_CONTROLS, Config
from playground.settings.labels import CONTROL_LABELS, FEATURE_LABELS


def render(config: Config) -> None:
    """The sidebar expander: tick what to hide, copy the link (drawn only on a page that hides
    nothing: a student's page has no use for it)."""
    lazy.panel("**Share a classroom link**", "link_builder", lambda: _builder(config),
               keeps=(keys.LINK_CONTROLS, keys.LINK_FEATURES))


def _builder(config: Config) -> None:
    st.caption("Tick the controls your students should not see. The link opens this exact "
               "setup (data, network, initial weights) with those controls hidden and their "
               "settings fixed: no lesson, upload, saved session or comparison changes them.")
    chosen_controls = st.pills("Hide controls", HIDEABLE_CONTROLS, selection_mode="multi",
                               key=keys.LINK_CONTROLS.name, format_func=CONTROL_LABELS.get)
    chosen_features = st.pills("Hide inputs", FEATURES, selection_mode="multi",
                               key=keys.LINK_FEATURES.name, format_func=FEATURE_LABELS.get)
    url = classroom_url(st.context.url or "", config, [*chosen_controls, *chosen_features])
    st.code(url, language=None, wrap_lines=True, height=160)  # scrolls; the copy button is on top
