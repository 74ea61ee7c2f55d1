"""Edit the network by hand (when paused): beside the clickable diagram, the list of every
weight and bias, a number box and Apply.

The list is the keyboard and touch equivalent of clicking the diagram. The state behind both
(what is picked and focused, the Apply callback) lives in `session.editing`.
"""

from __future__ import annotations

import streamlit as st

from core import Trainer
from playground.session import editing, keys, messages, replay, state
from playground.settings.params import param_label, parameters

PICK_HINT = ("Pause, then click a link or a neuron on the diagram, or pick it here; type a value "
             "and Apply. The output neuron's bias is editable too.")


def _why_not(trainer: Trainer) -> str | None:
    """Why editing is off right now, or None."""
    if state.playing():
        return "Pause to edit weights and biases by hand."
    if replay.snapshot(trainer) is not None:
        return "Replaying an earlier epoch: move the replay slider to the end to edit."
    return None


def render(trainer: Trainer) -> None:
    """The list of every weight and bias, a number input and Apply; disabled while playing or
    while the replay slider shows an earlier epoch."""
    net = trainer.net
    key = editing.prepare_list(net)
    why_not = _why_not(trainer)
    where, value = st.columns([3, 2], vertical_alignment="bottom")
    param = where.selectbox("Weight or bias", parameters(net.layer_sizes), key=key, index=None,
                            placeholder="Click the diagram or pick one…", on_change=editing.on_pick,
                            args=(key,), format_func=lambda p: param_label(p, net),
                            disabled=why_not is not None, help=PICK_HINT)
    editing.seed_value(net, param)
    off = param is None or why_not is not None
    with value.form(keys.EDIT_FORM.name, border=False, enter_to_submit=True):
        number, apply = st.columns([3, 2], vertical_alignment="bottom")
        number.number_input("New value", key=keys.EDIT_VALUE.name, value=None, step=0.1, format="%.4g",
                            disabled=off, placeholder="a number")
        apply.form_submit_button("Apply", on_click=editing.apply, disabled=off, width="stretch")
    if why_not:
        st.caption(why_not)
    message = editing.take_message()
    if message:
        kind, text = message
        messages.show(text, kind, icon=":material/check_circle:" if kind == "success" else ":material/error:")
