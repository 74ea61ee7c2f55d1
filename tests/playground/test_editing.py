"""Editing the network by hand and neuron focus (issue 7), through AppTest and plain pytest.

Every expected number comes from an independent numpy forward pass over copies of the weights
with the same edit made by hand, never from the code under test.
"""

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import DOMAIN
from playground.figures.network import click_target, network_figure, pickable
from playground.session.editing import apply_value, click
from playground.settings.build import build_trainer
from playground.settings.params import param_label, parameters
from tests.playground.session import app

APPLY = "FormSubmitter:edit_form-Apply"
GRID = np.linspace(-DOMAIN, DOMAIN, 40)  # the app's SURFACE_RESOLUTION
ACTIVATIONS = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "linear": lambda z: z}



def the_list(at: AppTest):
    """The list of weights and biases (its key changes with the parameters' values)."""
    (box,) = [box for box in at.selectbox if box.label == "Weight or bias"]
    return box


def edit(at: AppTest, param: tuple, value) -> AppTest:
    """Pick `param` from the list, type `value`, press Apply."""
    the_list(at).set_value(param).run()
    at.number_input(key="edit_value").set_value(value)
    return at.button(key=APPLY).click().run()


def copies(at: AppTest) -> tuple[list[np.ndarray], list[np.ndarray]]:
    net = at.session_state.trainer.net
    return [w.copy() for w in net.weights], [b.copy() for b in net.biases]


def activations(weights, biases, X, hidden="tanh", output="sigmoid") -> list[np.ndarray]:
    """Independent forward pass: every layer's a = f(a·W + b), the input first."""
    layers = [np.asarray(X, float)]
    for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
        f = ACTIVATIONS[output if index == len(weights) - 1 else hidden]
        layers.append(f(layers[-1] @ w + b))
    return layers


def grid_points() -> np.ndarray:
    gx, gy = np.meshgrid(GRID, GRID)  # point (i, j) is (GRID[j], GRID[i]), as the surface
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def decode(array) -> np.ndarray:
    """A numpy array from plotly's JSON (plotly 6 sends typed arrays as base64 "bdata")."""
    if isinstance(array, dict):
        values = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        return values.reshape([int(n) for n in str(shape).split(",")]) if shape else values
    return np.asarray(array, float)


def surface_trace(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]


def messages(at: AppTest) -> list[str]:
    return [e.value for e in at.error] + [s.value for s in at.success]


# --- the list, the apply and what updates ---------------------------------------------------

def test_the_list_holds_every_weight_and_bias_including_the_output_bias():
    at = app()
    box = the_list(at)
    net = at.session_state.trainer.net  # [2, 4, 2, 1]
    assert len(box.options) == (2 * 4 + 4) + (4 * 2 + 2) + (2 * 1 + 1)
    assert box.options[0] == f"w[0][0→0] = {net.weights[0][0, 0]:.3f}"
    assert f"w[1][3→1] = {net.weights[1][3, 1]:.3f}" in box.options
    assert f"b[hidden 2 · neuron 1] = {net.biases[1][1]:.3f}" in box.options
    assert box.options[-1] == f"b[output · neuron 0] = {net.biases[2][0]:.3f}"
    assert box.value is None and at.number_input(key="edit_value").disabled


def test_a_hand_edited_weight_changes_the_prediction_by_exactly_the_forward_pass():
    at = app()
    weights, biases = copies(at)
    points = np.array([[1.0, -2.0], [-4.5, 3.0], [0.0, 0.0], [5.5, 5.5]])
    before = activations(weights, biases, points)[-1]
    edit(at, ("w", 1, 2, 0), 1.75)
    assert not at.exception and "w[1][2→0]" in at.success[0].value
    weights[1][2, 0] = 1.75
    after = activations(weights, biases, points)[-1]
    trainer = at.session_state.trainer
    assert trainer.net.weights[1][2, 0] == 1.75
    np.testing.assert_allclose(trainer.predict(points), after, rtol=0, atol=1e-12)
    assert np.abs(after - before).max() > 1e-3  # the edit matters
    # the drawn surface is the edited network's output over the grid (float32)
    z = decode(surface_trace(at)["z"]).reshape(len(GRID), len(GRID))
    expected = activations(weights, biases, grid_points())[-1].reshape(len(GRID), len(GRID))
    np.testing.assert_allclose(z, expected, atol=1e-6)
    # the list shows the new value
    assert "w[1][2→0] = 1.750" in the_list(at).options  # a fresh list: the browser shows new values
    assert the_list(at).value == ("w", 1, 2, 0)  # and keeps the pick


def test_the_output_neurons_bias_is_editable_and_the_losses_follow():
    at = app()
    weights, biases = copies(at)
    edit(at, ("b", 2, 0), -0.8)
    biases[2][0] = -0.8
    trainer = at.session_state.trainer
    assert trainer.net.biases[2][0] == -0.8
    p = activations(weights, biases, trainer.data.X_test)[-1][:, 0]
    y = trainer.data.labels_test
    test_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))  # binary cross-entropy
    stats = next(m.value for m in at.markdown if 'id="epoch-counter"' in m.value)
    assert f'<span id="test-loss">{test_loss:.4f}</span>' in stats
    assert '<span id="epoch-counter">0</span>' in stats  # an edit is not an epoch


@pytest.mark.parametrize("bad", [None, float("nan"), float("inf"), float("-inf")])
def test_a_bad_value_keeps_the_old_one_and_says_why(bad):
    at = app()
    old = at.session_state.trainer.net.params.copy()
    edit(at, ("w", 0, 1, 3), bad)  # the number input hands NaN and ±∞ over as empty
    assert not at.exception
    assert np.array_equal(at.session_state.trainer.net.params, old)
    (error,) = at.error
    assert "Type a finite number" in error.value
    assert f"w[0][1→3] keeps its value {old[7]:.4g}" in error.value  # params[7] is w[0][1, 3]
    assert not at.success


@pytest.mark.parametrize("param, value, says", [
    (("w", 0, 1, 3), float("nan"), "not a finite number"),
    (("b", 2, 0), float("inf"), "not a finite number"),
    (("w", 0, 1, 3), "abc", "could not convert"),
])
def test_apply_value_refuses_what_the_core_refuses(param, value, says):
    trainer = build_trainer(build_config(), 0)
    old = trainer.net.params.copy()
    kind, text = apply_value(trainer, param, value)
    assert kind == "error" and says in text and "keeps its value" in text
    assert np.array_equal(trainer.net.params, old)


def test_training_continues_from_the_edited_network():
    at = app()
    edit(at, ("w", 0, 0, 0), -2.5)
    at.button(key="step").click().run()
    expected = build_trainer(at.session_state.config, at.session_state.init_seed)
    expected.net.weights[0][0, 0] = -2.5
    expected.step(1)
    trainer = at.session_state.trainer
    assert trainer.epoch == 1 and np.array_equal(trainer.net.params, expected.net.params)


def test_a_changed_network_drops_a_pick_and_focus_that_no_longer_exist():
    at = app()
    the_list(at).set_value(("b", 1, 1)).run()  # focuses hidden 2 · neuron 1
    assert at.session_state.edit_focus == (2, 1)
    at.number_input(key="w_layers").set_value(1).run()  # now [2, 4, 1]: no hidden 2
    assert not at.exception
    assert the_list(at).value is None
    assert "neuron" not in surface_trace(at).get("name", "")


# --- neuron focus ---------------------------------------------------------------------------

def test_focusing_a_neuron_shows_its_output_and_the_button_goes_back():
    at = app()
    weights, biases = copies(at)
    the_list(at).set_value(("b", 1, 1)).run()  # the list's entry of the neuron
    trace = surface_trace(at)
    assert trace["name"] == "neuron: hidden 2 · neuron 1"
    expected = activations(weights, biases, grid_points())[2][:, 1].reshape(len(GRID), len(GRID))
    np.testing.assert_allclose(decode(trace["z"]).reshape(expected.shape), expected, atol=1e-6)
    assert trace["zmin"] == pytest.approx(-trace["zmax"])  # white at 0, as the thumbnail
    assert any("Showing **hidden 2 · neuron 1**" in c.value and "Esc" in c.value for c in at.caption)
    at.button(key="edit_unfocus").click().run()
    assert surface_trace(at).get("name") is None and "P(class 1)" in surface_trace(at)["hovertemplate"]
    assert not any("Showing" in c.value for c in at.caption)


def test_clicks_pick_links_and_neurons_and_a_second_click_goes_back():
    state = {}
    click(state, "link", (1, 3, 0))
    assert state == {"edit_param": ("w", 1, 3, 0)}
    click(state, "neuron", (2, 1))
    assert state == {"edit_param": ("b", 1, 1), "edit_focus": (2, 1)}
    click(state, "neuron", (2, 1))  # again: back to the decision surface, the pick stays
    assert state == {"edit_param": ("b", 1, 1), "edit_focus": None}
    click(state, "neuron", (0, 1))  # an input has no bias: focus only
    assert state == {"edit_param": ("b", 1, 1), "edit_focus": (0, 1)}
    state = {"edit_list_key": "edit_list_ab12"}  # the list drawn last run shows the click's pick
    click(state, "link", (0, 1, 0))
    assert state["edit_list_ab12"] == state["edit_param"] == ("w", 0, 1, 0)


def test_selected_points_are_read_from_their_customdata():
    assert click_target({"customdata": [1, 0, 2], "x": 5}) == ("link", (1, 0, 2))
    assert click_target({"customdata": [3, 1]}) == ("neuron", (3, 1))
    assert click_target({"customdata": {"0": 2, "2": 1, "1": 0}}) == ("link", (2, 0, 1))  # typed row
    assert click_target({"customdata": {"a": 1, "b": 2}}) is None
    for point in ({}, {"customdata": None}, {"customdata": [1]}, {"customdata": ["a", "b"]},
                  {"customdata": 4}):
        assert click_target(point) is None


def test_the_clickable_diagram_tags_neurons_and_marks_the_pick():
    sizes = (2, 3, 1)
    trainer = build_trainer(build_config(hidden=(3,)), 0)
    images = [np.zeros((n, 5, 5)) for n in sizes]
    figure = network_figure(["inputs", "hidden 1", "output"], images, list(trainer.net.weights),
                            list(trainer.net.biases))
    figure = pickable(figure, sizes, ("w", 0, 1, 2), (1, 2))
    neurons = next(t for t in figure.data if t.hovertext is not None)
    assert np.asarray(neurons.customdata).tolist() == [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 0]]
    assert figure.layout.clickmode == "event+select"
    kinds = sorted(shape.type for shape in figure.layout.shapes)
    assert kinds == ["circle", "rect"]  # the picked link, the focused neuron
    lean = network_figure(["inputs", "hidden 1", "output"], images, list(trainer.net.weights),
                          list(trainer.net.biases), hover=False)  # as drawn while playing
    assert pickable(lean, sizes, ("w", 0, 1, 2), (1, 2)).layout.shapes == ()
    labels = [param_label(p, trainer.net) for p in parameters(sizes)]
    assert len(labels) == len(set(labels)) == 2 * 3 + 3 + 3 + 1


def build_config(**changes):
    from playground.settings.config import DEFAULT, Config

    return Config(**{**DEFAULT.to_dict(), **changes})
