"""Compare mode's controls: a second setup B on the same data, trained in step with A."""

from __future__ import annotations

import streamlit as st

from core import OPTIMIZER_NAMES, REGULARIZATIONS
from playground.session import compare, keys, state
from playground.settings import config as cfg
from playground.settings.config import Config


def render(config: Config) -> None:
    """The switch and setup B's settings (any change starts both over)."""
    st.toggle("Compare with a second setup", key=keys.COMPARE_ON.name, on_change=state.reset)
    if not compare.is_on():
        return
    compare.seed_widgets(config)
    on_change = state.reset
    free = compare.free_fields()  # a classroom link's hidden controls keep B's at A's values
    if "optimizer" in free:
        st.selectbox("B · optimizer", list(OPTIMIZER_NAMES), key=compare.field_key("optimizer"),
                     on_change=on_change, format_func=OPTIMIZER_NAMES.get)
    if "learning_rate" in free:
        st.selectbox("B · learning rate", cfg.LEARNING_RATES, key=compare.field_key("learning_rate"),
                     on_change=on_change, format_func=lambda v: f"{v:g}")
    if "hidden" in free:
        st.text_input("B · hidden layers", key=compare.field_key("hidden"), on_change=on_change,
                      help="Neurons per hidden layer, comma-separated (empty: none), e.g. 8,8")
    if "regularization" in free:
        st.selectbox("B · regularization", list(REGULARIZATIONS), key=compare.field_key("regularization"),
                     on_change=on_change)
    if "regularization_rate" in free:
        st.selectbox("B · reg. rate", cfg.REGULARIZATION_RATES,
                      key=compare.field_key("regularization_rate"), on_change=on_change,
                      format_func=lambda v: f"{v:g}")
    if len(free) < len(compare.FIELDS):
        st.caption("This classroom link fixes the rest of B's settings at A's values.")
    if compare.config_b(config) is None:
        st.error("B · hidden layers: up to 6 numbers from 1 to 8, e.g. 8,8", icon="🚫")
