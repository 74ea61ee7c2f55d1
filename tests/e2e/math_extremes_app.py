"""A page of the math view with huge and non-finite numbers, for tests/e2e/test_math_view.py.

Networks whose weights were set to 1e200 by hand (the editor accepts any finite number), so
their sums overflow to ∞ and their gradients to NaN: every formula the math view writes for
them, for the output and the hidden layer, a sample and the batch, the four phases of the
step-through, then the panel itself. Run with ``streamlit run`` from the repository root.
"""

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # streamlit puts this folder first

import numpy as np  # noqa: E402
import streamlit as st  # noqa: E402

from core.derivation import UpdateStepper, derive  # noqa: E402
from playground.panels import math  # noqa: E402
from playground.panels.math.latex import (  # noqa: E402
    backprop_latex,
    forward_latex,
    input_symbols,
    loss_latex,
    phase_neuron_latex,
    update_latex,
)
from playground.settings.build import build_trainer  # noqa: E402
from playground.settings.config import DEFAULT  # noqa: E402

HUGE = 1e200
SETUPS = [("plane", "linear", "mse"), ("xor", "sigmoid", "cross_entropy"), ("spiral3", "softmax", "mse")]


def extreme_trainer(dataset: str, output_activation: str, loss: str):
    config = replace(DEFAULT, dataset=dataset, output_activation=output_activation, loss=loss,
                     hidden=(2,), activation="relu")
    trainer = build_trainer(config, 0)
    for layer, w in enumerate(trainer.net.weights):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                trainer.set_weight(layer, i, j, HUGE if (i + j) % 3 else -HUGE)
    return trainer


with np.errstate(all="ignore"):
    for setup in SETUPS:
        trainer = extreme_trainer(*setup)
        st.markdown(f"**{' · '.join(setup)}**")
        for layer in (1, 0):
            for sample in (0, None):
                d = derive(trainer.net, trainer.X_train, trainer.y_train, trainer.loss, layer, 0,
                           sample, trainer.learning_rate)
                symbols = input_symbols(d, trainer.features)
                for line in (forward_latex(d, symbols) + loss_latex(d) + backprop_latex(d, symbols)
                             + update_latex(d)):
                    st.latex(line)
        stepper = UpdateStepper.from_trainer(trainer)
        for _ in range(4):
            stepper.advance()
            st.latex(phase_neuron_latex(stepper, d))
    math.render(trainer)
