"""The math view through AppTest: rendered numbers equal the core's, the step-through phases
change exactly what they should, the gradient check agrees, and the lessons are the article's."""

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import MLP
from core.derivation import derive
from playground.panels.math.latex import num
from playground.settings.build import build_trainer
from playground.settings.config import DEFAULT, Config
from playground.settings.lessons import ARTICLE_LESSONS
from playground.settings.text import number
from tests.playground.latex_check import check_line, evaluate
from tests.playground.session import app as full_app
from tests.playground.views import stats

TIMEOUT = 30


def _script(hidden, activation, output_activation, loss, dataset, features, optimizer):
    import streamlit as st

    from core import MLP, Trainer, make_dataset
    from playground.panels.math import render as render_math_view

    if "trainer" not in st.session_state:
        data = make_dataset(dataset, n_samples=40, seed=1)
        sizes = [len(features), *hidden, data.y_train.shape[1]]
        net = MLP(sizes, activation=activation, output_activation=output_activation, seed=2)
        trainer = Trainer(net, data, loss=loss, optimizer=optimizer, learning_rate=0.3, features=features)
        trainer.step(3)  # weights away from their initial values
        st.session_state.trainer = trainer
    render_math_view(st.session_state.trainer)


def app(hidden=(3, 2), activation="tanh", output_activation="sigmoid", loss="mse", dataset="xor",
        features=("x1", "x2"), optimizer="gd") -> AppTest:
    kwargs = dict(hidden=hidden, activation=activation, output_activation=output_activation, loss=loss,
                  dataset=dataset, features=features, optimizer=optimizer)
    at = AppTest.from_function(_script, kwargs=kwargs, default_timeout=TIMEOUT).run()
    assert not at.exception
    return at


def rendered(at: AppTest) -> list[str]:
    """The LaTeX of every st.latex element, without the $$ delimiters st.latex adds."""
    return [element.body.strip().strip("$").strip() for element in at.latex]


def value_at_end(line: str) -> float:
    """The number after the last "=" of a rendered formula, e.g. "... = -1.2 \\times 10^{-5}"."""
    text = line.strip().strip("$").strip().rsplit("=", 1)[1].strip()
    match = re.fullmatch(r"(-?[\d.]+)(?: \\times 10\^\{(-?\d+)\})?", text)
    assert match, text
    return float(match[1]) * 10.0 ** int(match[2] or 0)


def expected(at: AppTest, layer: int, neuron: int, sample: int | None):
    trainer = at.session_state["trainer"]
    return derive(trainer.net, trainer.X_train, trainer.y_train, trainer.loss, layer, neuron, sample,
                  trainer.learning_rate)


def choose(at: AppTest, layer: int, neuron: int, sample: int | None) -> AppTest:
    at.selectbox(key="math_layer").set_value(layer).run()
    at.selectbox(key="math_neuron").set_value(neuron).run()
    at.toggle(key="math_batch").set_value(sample is None).run()
    if sample is not None:
        at.number_input(key="math_sample").set_value(sample).run()
    assert not at.exception
    return at


def assert_rendered_numbers_match(at: AppTest, d) -> None:
    """Each formula's final value, and each number the derivation names, as rendered."""
    lines = rendered(at)
    stored = at.session_state["math_derivation"]
    for name in ("z", "a", "b", "cost", "delta", "dC_db", "new_b", "sample_loss"):
        assert getattr(stored, name) == pytest.approx(getattr(d, name), rel=1e-12, abs=1e-15), name
    for name in ("x", "w", "dC_dw", "grad_w", "new_w"):
        np.testing.assert_allclose(getattr(stored, name), getattr(d, name), rtol=1e-12, atol=1e-15)
    z_line = next(line for line in lines if "+ b =" in line)
    assert value_at_end(z_line) == pytest.approx(d.z, rel=5e-4, abs=1e-12)
    for w, x in zip(d.w, d.x, strict=True):
        assert num(w) in z_line and num(x) in z_line
    cost_line = next(line for line in lines if line.lstrip("$\n").startswith("C ="))
    assert value_at_end(cost_line) == pytest.approx(d.cost, rel=5e-4)
    b_grad = next(line for line in lines if r"\partial b} =" in line and "leftarrow" not in line)
    assert value_at_end(b_grad) == pytest.approx(d.dC_db, rel=5e-4, abs=1e-12)
    updates = [line for line in lines if r"\leftarrow" in line]
    finals = [value_at_end(line) for line in updates]
    np.testing.assert_allclose(finals, [*d.new_w, d.new_b], rtol=5e-4, atol=1e-12)
    body = "\n".join(lines)
    factors = [] if d.dC_da is None else [d.dC_da] if d.sample is None else [d.dC_da, d.da_dz]
    for value in [*d.dC_dw, d.delta, *factors]:
        assert num(value) in body
    if d.sample is None and d.da_dz is not None:  # one slope per sample: no mean slope printed
        assert not any(line.startswith(r"\overline{\frac{\partial") for line in lines)
    assert sum(check_line(line) for line in lines) >= len(d.w) + 3  # z, weights' updates, bias


ARCHITECTURES = [
    dict(hidden=(), activation="tanh"),  # the article's perceptron
    dict(hidden=(3,), activation="sigmoid"),
    dict(hidden=(3, 2), activation="tanh"),
    dict(hidden=(4, 3), activation="relu"),
]


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=lambda a: f"{a['activation']}-{a['hidden']}")
def test_rendered_numbers_equal_the_cores_for_every_layer(arch):
    at = app(**arch)
    n_layers = len(arch["hidden"]) + 1
    for layer in range(n_layers - 1, -1, -1):
        for sample in (7, None):
            neuron = 1 if layer < n_layers - 1 else 0
            choose(at, layer, neuron, sample)
            assert_rendered_numbers_match(at, expected(at, layer, neuron, sample))


@pytest.mark.parametrize("loss,output", [("cross_entropy", "sigmoid"), ("mse", "tanh")])
def test_other_losses_and_outputs_render_the_cores_numbers(loss, output):
    at = app(hidden=(3,), activation="relu", output_activation=output, loss=loss)
    for layer in (1, 0):
        choose(at, layer, 0, 4)
        assert_rendered_numbers_match(at, expected(at, layer, 0, 4))


def test_hidden_neuron_shows_the_sum_over_the_layer_above():
    at = choose(app(hidden=(3, 2)), layer=0, neuron=2, sample=5)
    d = at.session_state["math_derivation"]
    line = next(line for line in rendered(at) if r"\sum_k w_{jk}" in line)
    for w, delta in zip(d.next_weights, d.next_deltas, strict=True):
        assert num(w) in line and num(delta) in line
    assert value_at_end(line) == pytest.approx(d.next_weights @ d.next_deltas, rel=5e-4)


def test_multiclass_softmax_view_renders():
    at = app(hidden=(4,), output_activation="softmax", loss="cross_entropy", dataset="blobs4")
    choose(at, 1, 3, 0)
    assert_rendered_numbers_match(at, expected(at, 1, 3, 0))


# --- stepping through one update -------------------------------------------------------------

@pytest.mark.parametrize("hidden", [(), (3, 2)])
def test_phases_step_a_copy_and_leave_the_trainer_alone(hidden):
    at = app(hidden=hidden, activation="tanh")
    trainer = at.session_state["trainer"]
    before, epoch, history = trainer.net.params.copy(), trainer.epoch, len(trainer.history)
    shown = at.session_state["math_derivation"]
    _, grads = trainer.net.loss_and_gradients(trainer.X_train, trainer.y_train, trainer.loss)
    for phase in ("forward", "loss", "backward"):
        assert at.button(key="math_next").label == f"Next phase: {phase}"
        at.button(key="math_next").click().run()
        assert at.session_state["math_stepper"].phase == phase
        assert len(at.get("plotly_chart")) == 1
    np.testing.assert_array_equal(at.session_state["math_stepper"].gradients.flat, grads.flat)
    phase_line = next(line for line in rendered(at) if r"\sum_s \delta_s =" in line)
    assert value_at_end(phase_line) == pytest.approx(grads.biases[-1][0], rel=5e-4)
    at.button(key="math_next").click().run()
    assert not at.exception
    stepper = at.session_state["math_stepper"]
    assert stepper.net is not trainer.net
    np.testing.assert_array_equal(stepper.net.params, before - trainer.learning_rate * grads.flat)
    change_line = next(line for line in rendered(at) if r"\Delta b =" in line)
    assert value_at_end(change_line) == pytest.approx(-trainer.learning_rate * grads.biases[-1][0], rel=5e-4)
    # the trainer's network, epoch and history are untouched; the page still derives from them
    np.testing.assert_array_equal(trainer.net.params, before)
    assert (trainer.epoch, len(trainer.history)) == (epoch, history)
    np.testing.assert_array_equal(at.session_state["math_derivation"].w, shown.w)
    # the derivation's step 4 predicted exactly the weights the copy's update produced
    np.testing.assert_array_equal(stepper.net.weights[shown.layer][:, shown.neuron], shown.new_w)
    assert stepper.net.biases[shown.layer][shown.neuron] == shown.new_b
    assert at.button(key="math_apply").label == "Apply as one epoch"


def test_next_phase_after_the_update_starts_again_from_the_trainers_weights():
    at = app()
    for _ in range(5):
        at.button(key="math_next").click().run()
    stepper, trainer = at.session_state["math_stepper"], at.session_state["trainer"]
    assert stepper.phase == "forward"
    np.testing.assert_array_equal(stepper.net.params, trainer.net.params)


def _plain_forward(net, X):
    """z and a of every layer by hand (tanh hidden layers, sigmoid output), from the weights."""
    zs, acts = [], [X]
    for l, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        zs.append(acts[-1] @ w + b)
        acts.append(np.tanh(zs[-1]) if l < len(net.weights) - 1 else 1 / (1 + np.exp(-zs[-1])))
    return zs, acts


def neuron_labels(at: AppTest) -> list[str]:
    """The numbers on the phase picture's neurons, column by column."""
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    return next(t["text"] for t in figure["data"] if t.get("mode") == "markers+text")


def test_backward_phase_of_a_later_sample_renders_its_deltas():
    """Regression: the input column's placeholder had one row and was indexed by the sample, so
    any sample but the first raised IndexError in the backward phase."""
    at = choose(app(hidden=(3, 2), activation="tanh"), layer=2, neuron=0, sample=7)
    for _ in ("forward", "loss", "backward"):
        at.button(key="math_next").click().run()
        assert not at.exception, at.exception[0].message
    trainer = at.session_state["trainer"]
    X, y = trainer.X_train, trainer.y_train
    _, acts = _plain_forward(trainer.net, X)
    y_hat = acts[-1][:, 0]
    delta = 2 / len(X) * (y_hat - y[:, 0]) * y_hat * (1 - y_hat)  # MSE, sigmoid output
    labels = neuron_labels(at)
    assert labels[:2] == ["0", "0"]  # the inputs have no δ
    assert labels[-1] == number(delta[7], 3)


def _plain_chain(net, X, Y):
    """Per sample ∂C/∂a (n, units) and δ (n, units) of every link layer, by hand: MSE, tanh
    hidden layers, a sigmoid output (the default `app()`)."""
    zs, acts = _plain_forward(net, X)
    y_hat = acts[-1]
    dC_da = [2 / Y.size * (y_hat - Y)]
    deltas = [dC_da[0] * y_hat * (1 - y_hat)]
    for l in range(len(net.weights) - 1, 0, -1):
        dC_da.insert(0, deltas[0] @ net.weights[l].T)
        deltas.insert(0, dC_da[0] * (1 - acts[l] ** 2))
    return dC_da, deltas


CHAIN = {  # the left-hand sides of the chain rule's three lines, as the page writes them
    "dC_da": re.compile(r"(\\sum_s )?\\frac\{\\partial C\}\{\\partial (a|\\hat y)"),
    "da_dz": re.compile(r"(\\overline\{)?(\\sum_s )?\\frac\{\\partial (a|\\hat y)[^}]*\}\{\\partial z"),
    "delta": re.compile(r"\\delta\b"),
}


def chain_values(lines: list[str]) -> dict[str, float | None]:
    """The number each chain-rule line ends with (None: the line ends in symbols)."""
    found = {}
    for line in lines:
        for name, pattern in CHAIN.items():
            if name not in found and pattern.match(line.strip()):
                tail = line.rsplit("=", 1)[1].strip()
                found[name] = tail if evaluate(tail) is not None else None
    return found


@pytest.mark.parametrize(("layer", "neuron"), [(2, 0), (1, 1), (0, 2)])
def test_batch_view_chain_rule_multiplies_out_and_shows_the_sums(layer, neuron):
    """Regression: the batch view printed ∂C/∂ŷ as a sum and ∂ŷ/∂z as a mean, so the product of
    the printed factors was not the δ printed under them."""
    at = choose(app(hidden=(3, 2), activation="tanh"), layer, neuron, None)
    lines = rendered(at)
    for line in lines:
        check_line(line)
    trainer = at.session_state["trainer"]
    dC_da, deltas = _plain_chain(trainer.net, trainer.X_train, trainer.y_train)
    shown = chain_values(lines)
    assert value_at_end("= " + shown["delta"]) == pytest.approx(deltas[layer][:, neuron].sum(), rel=5e-4)
    if shown["dC_da"] is not None:
        assert value_at_end("= " + shown["dC_da"]) == pytest.approx(dC_da[layer][:, neuron].sum(), rel=5e-4)
    if shown.get("da_dz") is not None and shown["dC_da"] is not None:
        product = f"{shown['dC_da']} \\cdot ({shown['da_dz']}) = {shown['delta']}"
        assert check_line(product) == 1, product


def test_reset_phases_forgets_the_values_and_keeps_the_weights():
    at = app()
    for _ in range(4):
        at.button(key="math_next").click().run()
    params = at.session_state["trainer"].net.params.copy()
    at.button(key="math_reset").click().run()
    assert at.session_state["math_stepper"].phase is None
    assert len(at.get("plotly_chart")) == 0
    np.testing.assert_array_equal(at.session_state["trainer"].net.params, params)


# --- the step-through and training never disagree (the whole app) --------------------------------

def trained_app(epochs: int, **params: str) -> AppTest:
    at = full_app(**params)
    for _ in range(epochs):
        at.button(key="step").click().run()
    return at


def run_the_four_phases(at: AppTest) -> None:
    for _ in range(4):
        at.button(key="math_next").click().run()
    assert not at.exception and at.session_state["math_stepper"].phase == "update"


def assert_training_agrees(at: AppTest, epochs: int) -> None:
    """Counter, weights, history and replay all say `epochs`: the weights are those of a fresh
    trainer built the same way and stepped `epochs` times."""
    trainer = at.session_state.trainer
    reference = build_trainer(at.session_state.config, at.session_state.init_seed)
    reference.step(epochs)
    assert trainer.epoch == epochs
    assert f'<span id="epoch-counter">{epochs}</span>' in stats(at)
    np.testing.assert_array_equal(trainer.net.params, reference.net.params)
    assert list(trainer.history.epochs) == list(range(1, epochs + 1))
    np.testing.assert_array_equal(trainer.history.train_loss, reference.history.train_loss)
    recorded_epoch, recorded = at.session_state["cls_recorder"].nearest(epochs)
    assert recorded_epoch == epochs
    np.testing.assert_array_equal(recorded, trainer.net.params)


@pytest.mark.parametrize("optimizer", ["sgd", "gd"])
def test_step_after_the_four_phases_counts_every_update(optimizer):
    """Regression: the step-through's update changed the trainer's weights without counting an
    epoch, so after epoch 3, four phases and Step the counter said 4 over the weights of 5."""
    at = trained_app(3, dataset="xor", optimizer=optimizer, learning_rate="0.3")
    run_the_four_phases(at)
    assert_training_agrees(at, 3)
    at.button(key="step").click().run()
    assert_training_agrees(at, 4)
    at.button(key="reset_same").click().run()  # "Same start" repeats the run exactly
    for _ in range(4):
        at.button(key="step").click().run()
    assert_training_agrees(at, 4)


def test_apply_as_one_epoch_is_the_steppers_update_under_full_batch_gradient_descent():
    at = trained_app(3, dataset="xor", optimizer="gd", learning_rate="0.3")
    assert "that epoch is this very step" in " ".join(c.value for c in at.caption)
    run_the_four_phases(at)
    stepped = at.session_state["math_stepper"].net.params.copy()
    at.button(key="math_apply").click().run()
    assert not at.exception
    assert_training_agrees(at, 4)
    # the same numbers up to summation order (the trainer's compiled kernel adds in another order)
    np.testing.assert_allclose(at.session_state.trainer.net.params, stepped, rtol=1e-12, atol=1e-15)
    assert at.session_state["math_stepper"].phase is None  # the step it showed is now epoch 4


def test_apply_as_one_epoch_trains_with_the_trainers_own_optimizer():
    at = trained_app(3, dataset="xor", optimizer="adam", learning_rate="0.03", regularization="l2",
                     regularization_rate="0.01")
    note = " ".join(c.value for c in at.caption)
    assert "Adam" in note and "mini-batches of 10" in note and "L2 regularization" in note
    assert "differs from this step" in note
    run_the_four_phases(at)
    stepped = at.session_state["math_stepper"].net.params.copy()
    at.button(key="math_apply").click().run()
    assert_training_agrees(at, 4)
    assert not np.allclose(at.session_state.trainer.net.params, stepped)


# --- check the gradient ----------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_gradient_check_shows_a_tiny_error(activation):
    at = choose(app(hidden=(3,), activation=activation), 0, 1, 0)
    at.button(key="math_check").click().run()
    rows = at.session_state["math_gradient_check_rows"]
    d = at.session_state["math_derivation"]
    np.testing.assert_array_equal(rows["analytic"], [*d.grad_w, d.grad_b])
    assert rows["max_error"] < 1e-6
    table = next(line for line in rendered(at) if r"\text{numerical}" in line)
    assert all(num(a) in table for a in rows["analytic"])
    assert any("Largest relative error" in m.value for m in at.markdown)


# --- the article's lessons -------------------------------------------------------------------

def lesson_config(index: int) -> Config:
    return Config(**{**DEFAULT.to_dict(), **ARTICLE_LESSONS[index].settings})


def test_lesson_settings_are_config_fields_and_valid():
    for i, lesson in enumerate(ARTICLE_LESSONS):
        assert set(lesson.settings) <= set(DEFAULT.to_dict())
        assert 2 <= lesson.prompt.count(". ") + 1 <= 3
        lesson_config(i)  # raises ValueError when a value does not validate


def test_first_lesson_is_the_articles_perceptron():
    config = lesson_config(0)
    trainer = build_trainer(config, init_seed=0)
    net = trainer.net
    assert net.layer_sizes == (2, 1) and net.output_activation == "sigmoid"
    assert (trainer.loss, trainer.optimizer_name, config.dataset) == ("mse", "gd", "gauss")
    assert trainer.batch_size == len(trainer.X_train)  # full batch
    assert not trainer.regularizer.active and trainer.features == ("x1", "x2")
    reference = MLP([2, 1], output_activation="sigmoid")
    reference.params[:] = net.params
    np.testing.assert_array_equal(reference.forward(trainer.X_train), net.forward(trainer.X_train))


def test_perceptron_learns_gauss_fails_xor_and_a_hidden_layer_solves_it():
    accuracies = []
    for i in range(3):
        trainer = build_trainer(lesson_config(i), init_seed=0)
        trainer.step(400)
        accuracies.append(trainer.evaluate()[2])
    assert accuracies[0] > 0.97 and accuracies[1] < 0.7 and accuracies[2] > 0.95
    assert lesson_config(2).hidden == (4,) and lesson_config(1).dataset == "xor"
