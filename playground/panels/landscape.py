"""The cost landscape panel: pick the two parameters whose 2-D slice of the cost is drawn.

The map itself is a live view (frame.py mounts it; live.learning computes it): C over the two
parameters with every other weight and bias held at its current value, the path they took so
far and the next step −α∇C. For the perceptron with two inputs the default pair is w₁ and w₂
(the bias held): the article's C(w₁, w₂).
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import Trainer
from playground.session import gradients
from playground.settings.params import ParamRef, param_name, parameters

CAPTION = ("The cost C over two parameters, every other weight and bias held at its current value. "
           "Orange line: the path they took (the cost at each point is the network's cost then); white "
           "circle: now; white arrow: the next gradient-descent step −α∇C (plain gradient descent "
           "on the data cost, whatever the optimizer).")


def render(trainer: Trainer) -> tuple[ParamRef, ParamRef]:
    """Two boxes (x and y axis) listing every weight and bias; returns the pair to draw."""
    sizes = list(trainer.net.layer_sizes)
    every = parameters(sizes)
    default = gradients.default_pair(sizes)
    n_columns = len(sizes)
    left, right = st.columns(2)
    for place, axis, label in ((left, 1, "x axis"), (right, 2, "y axis")):
        place.selectbox(label, every, index=every.index(default[axis - 1]),
                        key=gradients.picker_key(axis, sizes),
                        format_func=lambda ref: param_name(ref, n_columns),
                        help="w[l][i→j]: the weight from neuron i of column l to neuron j of the next "
                             "column; b[…]: a neuron's bias")
    pair = gradients.picked_pair(sizes)
    if gradients.boxes_agree(sizes):
        st.caption(f"Both boxes name the same parameter: the y axis shows {param_name(pair[1], n_columns)}.")
    st.caption(CAPTION)
    return pair


def place(trainer: Trainer) -> tuple[DeltaGenerator, tuple[ParamRef, ParamRef]]:
    """The panel in a bordered box: its parameter boxes, then the (empty) place of its map."""
    with st.container(border=True):
        pair = render(trainer)
        return st.container(), pair
