"""Neuron focus: a clicked neuron's output, large, in place of the decision surface, and the way
back (click it again, Esc or *Back*)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core import Surface, Trainer
from playground.figures.surface import neuron_focus_figure
from playground.session import editing, keys
from playground.settings.labels import neuron_name

BACK_SHORTCUT = "Esc"


def render(trainer: Trainer) -> None:
    """Under the surface while a neuron is focused: what is shown and the way back (also Esc)."""
    sizes = trainer.net.layer_sizes
    focus = editing.focus(sizes)
    if focus is None:
        return
    left, right = st.columns([5, 2], vertical_alignment="center")
    left.caption(f"Showing **{neuron_name(*focus, len(sizes))}** — click it again, press Esc or "
                 "*Back* to go back to the decision surface.")
    right.button("Back", key=keys.UNFOCUS.name, icon=":material/undo:", on_click=editing.unfocus,
                 shortcut=BACK_SHORTCUT, width="stretch", help="Back to the decision surface (Esc)")


def view(picture: go.Figure, surface: Surface, trainer: Trainer) -> go.Figure:
    """`picture` (the decision surface), or the focused neuron's output drawn in its place.

    Colours as the neuron's thumbnail in the diagram: white at 0 (the output neuron of a
    sigmoid/softmax network: at the undecided 1/k), orange below, blue above.
    """
    sizes = trainer.net.layer_sizes
    focus = editing.focus(sizes)
    if focus is None:
        return picture
    column, k = focus
    centre = 0.0
    if column == len(sizes) - 1 and trainer.net.output_activation in ("sigmoid", "softmax"):
        centre = 1 / max(2, sizes[-1])
    return neuron_focus_figure(picture, surface.xs, surface.ys, surface.neurons[column][k],
                               neuron_name(column, k, len(sizes)), centre)
