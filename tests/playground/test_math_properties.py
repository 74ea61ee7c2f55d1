"""The math view over every combination of its choices (hypothesis).

Domain: 0-6 hidden layers of 1-8 neurons, one hidden activation or one per layer, any input
features, every (output activation, loss) pair the app offers for every dataset (1 output for
regression and two classes, 3 for spiral3, 4 for blobs4), any optimizer, learning rate,
regularization, batch size and train %, 0-5 epochs trained; then a sample or the batch, every
layer and neuron, and 0-6 "Next phase" clicks (past "update" the step starts again).

What must hold: nothing raises; every rendered line's arithmetic holds with its printed numbers
(tests/playground/latex_check.py); every line is well-formed for KaTeX; the step-through never
changes the trainer. The pure builders get many examples, the panel under AppTest fewer.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import DATASETS, FEATURES, HIDDEN_ACTIVATIONS, OPTIMIZER_NAMES
from core.derivation import UpdateStepper, derive
from playground.figures.phase import phase_figure, phase_values
from playground.panels.math.latex import (
    backprop_latex,
    forward_latex,
    input_symbols,
    loss_latex,
    phase_neuron_latex,
    update_latex,
)
from playground.settings.build import build_trainer
from playground.settings.config import (
    DEFAULT,
    LEARNING_RATES,
    OUTPUT_CHOICES,
    REGULARIZATION_RATES,
    TRAIN_PERCENT_RANGE,
    Config,
    join_activations,
    problem,
)
from tests.playground.latex_check import check_line

TIMEOUT = 30


@st.composite
def configs(draw) -> Config:
    """A valid Config of the normal limits with 50 points (5-45 of them for training)."""
    kind = draw(st.sampled_from(sorted(OUTPUT_CHOICES)))  # regression, binary, multiclass alike
    dataset = draw(st.sampled_from([name for name in sorted(DATASETS) if problem(name) == kind]))
    output_activation, loss = draw(st.sampled_from(OUTPUT_CHOICES[kind]))
    hidden = tuple(draw(st.lists(st.integers(1, 8), max_size=6)))
    per_layer = draw(st.lists(st.sampled_from(HIDDEN_ACTIVATIONS), min_size=len(hidden),
                              max_size=len(hidden)))
    default = draw(st.sampled_from(HIDDEN_ACTIVATIONS))
    features = tuple(draw(st.lists(st.sampled_from(FEATURES), min_size=1, max_size=7, unique=True)))
    regularization = draw(st.sampled_from(["none", "l1", "l2"]))
    return replace(
        DEFAULT, dataset=dataset, output_activation=output_activation, loss=loss, hidden=hidden,
        activation=join_activations(per_layer, default), features=features, n_samples=50,
        train_percent=draw(st.sampled_from(range(TRAIN_PERCENT_RANGE[0], 100, 10))),
        seed=draw(st.integers(0, 3)), init_seed=draw(st.integers(0, 3)),
        optimizer=draw(st.sampled_from(sorted(OPTIMIZER_NAMES))),
        learning_rate=draw(st.sampled_from(LEARNING_RATES)), batch_size=draw(st.integers(1, 30)),
        regularization=regularization,
        regularization_rate=0.0 if regularization == "none" else draw(st.sampled_from(REGULARIZATION_RATES)))


@st.composite
def views(draw) -> tuple:
    """(config, epochs trained, layer, neuron, sample or None, Next-phase clicks)."""
    config = draw(configs())
    sizes = config.layer_sizes
    layer = draw(st.integers(0, len(sizes) - 2))
    neuron = draw(st.integers(0, sizes[layer + 1] - 1))
    n_train = 50 - round(50 * (1 - config.train_percent / 100))
    sample = None if draw(st.booleans()) else draw(st.integers(0, n_train - 1))
    return config, draw(st.integers(0, 5)), layer, neuron, sample, draw(st.integers(0, 6))


def trained(config: Config, epochs: int):
    trainer = build_trainer(config, config.init_seed)
    with np.errstate(all="ignore"):  # a large learning rate may diverge: the view must cope
        trainer.step(epochs)
    return trainer


def assert_well_formed(line: str) -> None:
    """What KaTeX needs: balanced braces and \\left/\\right, no Python spelling of NaN or ∞."""
    depth = 0
    for char in re.sub(r"\\[{}]", "", line):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, line
    assert depth == 0, line
    delimiters = [re.findall(rf"\\{side}(?![a-z])", line) for side in ("left", "right")]
    assert len(delimiters[0]) == len(delimiters[1]), line
    words = re.sub(r"\\infty|\\text\{NaN\}", "", line)
    assert not re.search(r"(?<![a-z\\])(nan|inf)(?![a-z])", words, re.IGNORECASE), line


def finite(*values) -> bool:
    return all(np.all(np.isfinite(v)) and np.all(np.abs(v) < 1e100) for v in values)


REPRO = (replace(DEFAULT, dataset="xor", hidden=(3, 2), optimizer="gd", learning_rate=0.3), 3, 2, 0, 7, 3)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(views())
@example(REPRO)  # the crash: sample 7, backward phase
def test_every_view_builds_and_its_arithmetic_holds(view):
    config, epochs, layer, neuron, sample, clicks = view
    trainer = trained(config, epochs)
    params, epoch = trainer.net.params.copy(), trainer.epoch
    with np.errstate(all="ignore"):
        d = derive(trainer.net, trainer.X_train, trainer.y_train, trainer.loss, layer, neuron, sample,
                   trainer.learning_rate)
    symbols = input_symbols(d, trainer.features)
    sections = [forward_latex(d, symbols), loss_latex(d), backprop_latex(d, symbols), update_latex(d)]
    for line in (line for section in sections for line in section):
        assert_well_formed(line)
        check_line(line)
    event(f"{trainer.net.output_activation} + {trainer.loss}, {'batch' if sample is None else 'sample'}")
    event(f"{clicks} Next-phase clicks")
    if finite(d.x, d.w, d.b, d.z, d.a, d.dC_dw, d.delta, d.grad_w, d.grad_b, d.new_w, d.new_b):
        event("finite: the z, update and chain lines must be checked")
        z_line, updates = sections[0][0], sections[3]
        assert check_line(z_line) == 1
        assert all(check_line(line) == 1 for line in updates)
        if sample is not None and finite(d.y_hat, d.z_out, d.dC_da or 0, d.da_dz or 0):
            delta_line = next(line for line in sections[2] if line.startswith(r"\delta"))
            assert check_line(delta_line) >= 1, delta_line  # the chain multiplied out
    stepper = UpdateStepper.from_trainer(trainer)
    with np.errstate(all="ignore"):
        for _ in range(clicks):
            stepper.advance()
        if stepper.phase is not None:
            neurons, links = phase_values(stepper, sample)
            assert [len(v) for v in neurons] == list(trainer.net.layer_sizes)
            assert [w.shape for w in links] == [w.shape for w in trainer.net.weights]
            phase_figure(stepper, d)
            line = phase_neuron_latex(stepper, d)
            assert_well_formed(line)
            check_line(line)
    np.testing.assert_array_equal(trainer.net.params, params)  # the step-through works on a copy
    assert trainer.epoch == epoch


# --- the panel itself (AppTest): fewer examples, every widget path -----------------------------------

def _script(config, epochs):  # runs alone (AppTest.from_function): no annotations, own imports
    import numpy as np
    import streamlit as st

    from playground.panels.math import render
    from playground.settings.build import build_trainer

    if "trainer" not in st.session_state:
        trainer = build_trainer(config, config.init_seed)
        with np.errstate(all="ignore"):
            trainer.step(epochs)
        st.session_state.trainer = trainer
    with np.errstate(all="ignore"):
        render(st.session_state.trainer)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(views())
@example(REPRO)
@example((REPRO[0], 3, 1, 1, None, 4))  # the batch view, up to "Apply as one epoch"
def test_the_panel_renders_every_choice_and_phase(view):
    config, epochs, layer, neuron, sample, clicks = view
    at = AppTest.from_function(_script, kwargs={"config": config, "epochs": epochs},
                               default_timeout=TIMEOUT)
    at.session_state["math_layer"], at.session_state["math_neuron"] = layer, neuron
    at.session_state["math_batch"] = sample is None
    at.session_state["math_sample"] = 0 if sample is None else sample
    at.run()
    trainer = at.session_state["trainer"]
    params, epoch = trainer.net.params.copy(), trainer.epoch
    for _ in range(clicks):
        assert not at.exception, at.exception[0].message
        at.button(key="math_next").click().run()
    assert not at.exception, at.exception[0].message
    shown = at.session_state["math_derivation"]
    assert (shown.layer, shown.neuron, shown.sample) == (layer, neuron, sample)
    for element in at.latex:
        line = element.body.strip().strip("$").strip()
        assert_well_formed(line)
        check_line(line)
    np.testing.assert_array_equal(trainer.net.params, params)
    assert trainer.epoch == epoch
    stepper = at.session_state["math_stepper"]
    expected_phase = None if clicks == 0 else ("forward", "loss", "backward", "update")[(clicks - 1) % 4]
    assert stepper.phase == expected_phase
    assert len(at.get("plotly_chart")) == (clicks > 0)
    if stepper.phase == "update" and not at.button(key="math_apply").disabled:
        at.button(key="math_apply").click().run()  # one counted epoch of the trainer's own
        assert not at.exception, at.exception[0].message
        assert trainer.epoch == epoch + 1 and len(trainer.history) == epoch + 1
        assert at.session_state["math_stepper"].phase is None


def test_a_layer_choice_the_new_network_lacks_falls_back_to_its_output_layer():
    config = replace(DEFAULT, hidden=(3, 2, 2))
    at = AppTest.from_function(_script, kwargs={"config": config, "epochs": 1},
                               default_timeout=TIMEOUT)
    at.session_state["math_layer"], at.session_state["math_neuron"] = 3, 0
    at.run()
    assert at.session_state["math_derivation"].layer == 3
    at.session_state["trainer"] = build_trainer(replace(config, hidden=()), 0)  # e.g. a reset
    at.run()
    assert not at.exception and at.session_state["math_derivation"].layer == 0
    at.button(key="math_next").click().run()
    assert not at.exception and at.session_state["math_stepper"].phase == "forward"
    assert math.isfinite(at.session_state["math_derivation"].z)
