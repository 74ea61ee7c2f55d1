"""The classroom link builder: a URL of the current setup that opens with chosen controls hidden.

A teacher ticks the controls students should not touch; the link carries every setting (so the
hidden controls keep the values it sets) plus `hide=<names>`, which `state` reads when a session
starts and keeps in the address bar. The URL itself is a pure function of a Config and names.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from core import FEATURES
from playground import state
from playground.config import HIDEABLE, HIDEABLE_CONTROLS, Config
from playground.controls import FEATURE_LABELS

CONTROL_LABELS = {
    "play": "Play", "step": "Step", "reset": "Reset", "learning_rate": "Learning rate",
    "activation": "Activation", "regularization": "Regularization",
    "regularization_rate": "Reg. rate", "output": "Problem type · output", "dataset": "Dataset",
    "train_percent": "Train ratio", "noise": "Noise", "batch_size": "Batch size",
    "layers": "Layer count", "neurons": "Neurons", "optimizer": "Optimizer", "n_samples": "Points",
    "seed": "Seed · regenerate", "init": "Initial weights", "stop": "Stop conditions",
    "speed": "Epochs per frame", "advanced": "Advanced switch",
}
CONTROLS_KEY, FEATURES_KEY = "lb_hide", "lb_hide_features"


def classroom_url(base: str, config: Config, hide: tuple[str, ...] | list[str] = ()) -> str:
    """`base` + every setting of `config` + `hide=` (known names, in HIDEABLE order) as a URL."""
    params = state.config_to_query(config)
    names = [name for name in HIDEABLE if name in set(hide)]
    if names:
        params[state.HIDE] = ",".join(names)
    return f"{base}?{urlencode(params, safe=',')}"


def render(config: Config) -> None:
    """The sidebar expander: tick what to hide, copy the link."""
    s = st.session_state
    hidden = state.hidden()
    s.setdefault(CONTROLS_KEY, [n for n in HIDEABLE_CONTROLS if n in hidden])
    s.setdefault(FEATURES_KEY, [f for f in FEATURES if f in hidden])
    with st.expander("**Share a classroom link**"):
        st.caption("Tick the controls your students should not see. The link opens this exact "
                   "setup (data, network, initial weights) with those controls hidden.")
        st.pills("Hide controls", HIDEABLE_CONTROLS, selection_mode="multi", key=CONTROLS_KEY,
                 format_func=CONTROL_LABELS.get)
        st.pills("Hide inputs", FEATURES, selection_mode="multi", key=FEATURES_KEY,
                 format_func=FEATURE_LABELS.get)
        url = classroom_url(st.context.url or "", config, [*s[CONTROLS_KEY], *s[FEATURES_KEY]])
        st.code(url, language=None, wrap_lines=True, height=160)  # scrolls; the copy button is on top
