"""The Gradients view of the diagram and the cost-landscape panel, in the app (AppTest) and as
figures: every drawn number against the core's `loss_and_gradients`, `MLP.loss` and the history,
computed here, not by the code that draws them."""

from __future__ import annotations

import json
import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import MLP
from core.landscape import Landscape, ParameterPath, StepArrow
from playground.figures.gradients import (
    MAX_POINTS,
    gradient_frame,
    gradient_link_codes,
    gradient_sizes_figure,
)
from playground.figures.landscape import landscape_figure
from playground.figures.network import MISSING_CODE, ZERO_CODE
from playground.figures.thumbnails import MISSING
from playground.settings.text import number
from tests.playground.session import app
from tests.playground.views import frames, typed_array, view, views

PERCEPTRON = {"dataset": "gauss", "hidden": "none", "output_activation": "sigmoid", "loss": "mse",
              "optimizer": "gd", "learning_rate": "0.3"}


def expected_width(g: float, largest: float) -> int:
    """The Gradients view's rule, counted decade by decade: 4 within 10× of the largest |∂C/∂w|,
    one less per further factor of 10, at least 0."""
    width = 4
    while width > 0 and abs(g) <= largest / 10.0 ** (5 - width):
        width -= 1
    return width


def assert_links_are_the_gradients(at) -> None:
    trainer = at.session_state["trainer"]
    net = trainer.net
    _, grads = net.loss_and_gradients(trainer.X_train, trainer.y_train, trainer.loss)
    drawn = view(at, "network")
    texts, codes = drawn.frame["hover"]["links"], drawn.arrays["codes"]
    flat = np.concatenate([g.ravel() for g in grads.weights])
    largest = np.abs(flat).max()
    k = 0
    for layer, g in enumerate(grads.weights):
        for (i, j), value in np.ndenumerate(g):
            assert texts[k] == f"∂C/∂w[{layer}][{i}→{j}] = {number(value)}"
            assert np.sign(codes[k]) == np.sign(value)
            assert abs(int(codes[k])) - 1 == expected_width(value, largest), (layer, i, j)
            k += 1
    assert k == len(codes)
    # each neuron's mean |δ|: the mean over samples of |∂ℓ_s/∂b|, each sample's own gradient
    n_inputs = net.layer_sizes[0]
    own = [net.loss_and_gradients(trainer.X_train[s:s + 1], trainer.y_train[s:s + 1], trainer.loss)[1]
           for s in range(len(trainer.X_train))]
    neurons = drawn.frame["hover"]["neurons"][n_inputs:]
    k = 0
    for layer in range(len(net.biases)):
        mean_delta = np.mean([np.abs(g.biases[layer]) for g in own], axis=0)
        for j, value in enumerate(mean_delta):
            assert f"mean |δ| = {number(value)}, ∂C/∂b = {number(grads.biases[layer][j])}" in neurons[k]
            k += 1


def test_the_default_page_draws_weights_and_neither_new_chart():
    at = app()
    assert not {"gradient_sizes", "landscape"} & set(views(at))
    assert view(at, "network").frame["hover"]["links"][0].startswith("w[0][0→0] = ")


@pytest.mark.parametrize("params", [{}, {"hidden": "8,8,8,8,8,8", "activation": "sigmoid"}])
def test_every_drawn_gradient_is_loss_and_gradients_paused_and_after_step(params):
    at = app(gradients="1", **params)
    assert not at.exception
    assert_links_are_the_gradients(at)
    at.button(key="step").click().run()
    assert not at.exception
    assert_links_are_the_gradients(at)
    sizes = view(at, "gradient_sizes").static["figure"]
    assert sizes["layout"]["yaxis"]["type"] == "log"
    trainer = at.session_state["trainer"]
    assert len(sizes["data"]) == len(trainer.net.weights)
    assert typed_array(sizes["data"][0]["x"]).tolist() == [0, trainer.epoch]


def test_the_gradient_sizes_are_the_rms_of_each_layers_gradients():
    at = app(gradients="1")
    trainer = at.session_state["trainer"]
    _, grads = trainer.net.loss_and_gradients(trainer.X_train, trainer.y_train, trainer.loss)
    data = view(at, "gradient_sizes").static["figure"]["data"]
    for layer, g in enumerate(grads.weights):
        rms = math.sqrt(sum(float(v) ** 2 for v in g.ravel()) / g.size)
        assert typed_array(data[layer]["y"])[-1] == pytest.approx(rms, rel=1e-12)


def landscape_parts(at):
    fig = view(at, "landscape").static["figure"]
    traces = {t.get("name"): t for t in fig["data"]}
    contour = next(t for t in fig["data"] if t["type"] == "contour")
    return fig, traces, contour


@pytest.mark.parametrize("steps", [0, 1, 3])
def test_the_perceptrons_map_path_and_arrow_are_its_cost_history_and_gradient(steps):
    at = app(landscape="1", **PERCEPTRON)
    for _ in range(steps):
        at.button(key="step").click().run()
    assert not at.exception
    trainer = at.session_state["trainer"]
    net, X, Y = trainer.net, trainer.X_train, trainer.y_train
    fig, traces, contour = landscape_parts(at)
    assert fig["layout"]["xaxis"]["title"]["text"] == "w[0][0→0]"
    assert fig["layout"]["yaxis"]["title"]["text"] == "w[0][1→0]"
    w1, w2 = net.weights[0][0, 0], net.weights[0][1, 0]
    # the map's value at the current weights is the trainer's cost
    xs, ys, z = typed_array(contour["x"]), typed_array(contour["y"]), typed_array(contour["z"])
    a, b = int(np.argmin(np.abs(xs - w1))), int(np.argmin(np.abs(ys - w2)))
    assert (xs[a], ys[b]) == (w1, w2)
    cost = trainer.evaluate()[0]  # the stats row's train loss (the history's last, after a step)
    if steps:
        assert cost == pytest.approx(trainer.history.train_loss[-1], rel=1e-12)
    assert 10.0 ** float(z[b, a]) == pytest.approx(cost, rel=1e-5)
    assert traces["now"]["customdata"][0][0] == pytest.approx(cost, rel=1e-12)
    # every path point's cost is the history's train loss at its epoch
    path = typed_array(traces["path"]["customdata"])
    assert len(path) == steps + 1
    history = dict(zip(trainer.history.epochs.tolist(), trainer.history.train_loss.tolist(), strict=True))
    for epoch, path_cost in path[1:]:
        assert path_cost == pytest.approx(history[int(epoch)], rel=1e-10)
    assert typed_array(traces["path"]["x"])[-1] == w1 and typed_array(traces["path"]["y"])[-1] == w2
    # the arrow is −α times the core's gradient
    _, grads = net.loss_and_gradients(X, Y, trainer.loss)
    arrow = fig["layout"]["annotations"][0]
    assert (arrow["ax"], arrow["ay"]) == (w1, w2)
    assert arrow["x"] - w1 == pytest.approx(-0.3 * grads.weights[0][0, 0], rel=1e-9, abs=1e-15)
    assert arrow["y"] - w2 == pytest.approx(-0.3 * grads.weights[0][1, 0], rel=1e-9, abs=1e-15)


def test_the_first_path_point_is_the_initial_cost():
    at = app(landscape="1", **PERCEPTRON)
    at.button(key="step").click().run()
    trainer = at.session_state["trainer"]
    _, traces, _ = landscape_parts(at)
    epoch, first = typed_array(traces["path"]["customdata"])[0]
    assert epoch == 0
    start = at.session_state["cls_recorder"].items()[0][1]
    probe = MLP(list(trainer.net.layer_sizes), output_activation="sigmoid", seed=0)
    probe.params[:] = start
    assert first == pytest.approx(probe.loss(trainer.X_train, trainer.y_train, "mse"), rel=1e-12)


def test_any_two_parameters_of_a_deep_network_can_be_picked():
    at = app(landscape="1")
    boxes = [box for box in at.selectbox if box.key and box.key.startswith("cls_landscape_")]
    assert len(boxes) == 2
    assert any(option.startswith("b[") for option in boxes[1].options)
    trainer = at.session_state["trainer"]
    refs = [("w", 1, 2, 1), ("b", 2, 0)]
    for box, ref in zip(boxes, refs, strict=True):
        box.set_value(ref)
    at.run()
    assert not at.exception
    fig, traces, contour = landscape_parts(at)
    assert fig["layout"]["xaxis"]["title"]["text"] == "w[1][2→1]"
    assert fig["layout"]["yaxis"]["title"]["text"] == "b[output · neuron 0]"
    net = trainer.net
    xs, ys, z = typed_array(contour["x"]), typed_array(contour["y"]), typed_array(contour["z"])
    a, b = len(xs) // 2, len(ys) // 2
    assert (xs[a], ys[b]) == (net.weights[1][2, 1], net.biases[2][0])
    cost = net.loss(trainer.X_train, trainer.y_train, trainer.loss)
    assert 10.0 ** float(z[b, a]) == pytest.approx(cost, rel=1e-5)


def test_while_playing_the_diagram_shows_gradients_and_the_charts_follow(roomy_frames):
    at = app(gradients="1", landscape="1", speed="2")
    at.session_state["max_frames"] = 5
    at.button(key="play").click().run()
    assert not at.exception
    header, arrays = frames(at)[-1]
    assert {"landscape", "gradient_sizes"} <= set(header["slots"])  # every 5th frame, crowded or not
    trainer = at.session_state["trainer"]
    _, grads = trainer.net.loss_and_gradients(trainer.X_train, trainer.y_train, trainer.loss)
    flat = np.concatenate([g.ravel() for g in grads.weights])
    if "network" in header["slots"]:  # a crowded server (a loaded machine) draws one chart a frame
        assert (np.sign(arrays[("network", "codes")]) == np.sign(flat)).all()
    sizes = header["slots"]["gradient_sizes"]["figure"]["data"][0]
    assert typed_array(sizes["x"])[-1] == trainer.epoch == 10
    path = typed_array({t.get("name"): t for t in header["slots"]["landscape"]["figure"]["data"]}
                       ["path"]["customdata"])
    assert path[-1][0] == 10


# --- the figure builders with extreme floats ------------------------------------------------------

def _valid(fig: go.Figure) -> None:
    go.Figure(fig.to_dict())  # plotly's full validation
    json.loads(pio.to_json(fig, validate=False))  # strict JSON for the page


EXTREMES = np.array([0.0, 1e-300, 5e-324, 1.0, 1e300, 1.7e308, np.inf, np.nan])


AXIS = np.linspace(-2, 2, 4)


def _land(costs, values=AXIS, path_values=(0.0, 1.0), arrow_end=(1.0, 1.0),
          current=(0.0, 0.0)) -> Landscape:
    path = ParameterPath(np.arange(len(path_values)), np.asarray(path_values, float),
                         np.asarray(path_values, float), np.asarray(path_values, float))
    start = np.asarray(current, float)
    arrow = StepArrow(start, np.ones(2), np.asarray(arrow_end, float) - start, 0.03)
    return Landscape(None, None, values, values, costs, start, float(costs.ravel()[0]), path, arrow)


@pytest.mark.parametrize("case", [
    lambda: _land(EXTREMES.reshape(2, 4).repeat(2, 0)),
    lambda: _land(np.full((4, 4), np.nan)),
    lambda: _land(np.full((4, 4), np.inf), arrow_end=(np.inf, 0.0)),
    lambda: _land(np.zeros((4, 4)), values=np.array([-1e308, -1e300, 1e300, 1e308]),
                  path_values=(-1e308, 1e308)),
    lambda: _land(np.ones((4, 4)), path_values=(), current=(np.nan, 0.0)),
])
def test_the_landscape_figure_is_valid_with_extreme_floats(case):
    _valid(landscape_figure(case(), "w[0][0→0]", "b[output · neuron 0]"))


@pytest.mark.parametrize("sizes", [EXTREMES.reshape(4, 2), np.zeros((3, 2)), np.full((1, 2), np.nan),
                                   np.zeros((0, 2))])
def test_the_gradient_sizes_figure_is_valid_with_extreme_floats(sizes):
    fig = gradient_sizes_figure(np.arange(len(sizes)), sizes, ["w[0]", "w[1]"])
    _valid(fig)
    assert fig.layout.yaxis.type == "log"


def test_a_long_history_is_thinned_to_max_points_keeping_both_ends():
    epochs = np.arange(2_000) * 3
    sizes = np.column_stack([np.arange(1, 2_001), np.full(2_000, 0.5)]).astype(float)
    data = gradient_sizes_figure(epochs, sizes, ["w[0]", "w[1]"]).data
    x, y = np.asarray(data[0].x), np.asarray(data[0].y)
    assert len(x) == MAX_POINTS and (x[0], x[-1]) == (0, 5_997)
    np.testing.assert_array_equal(y, x / 3 + 1)  # each kept row keeps its own epoch's sizes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30))
def test_link_codes_are_the_sign_and_decade_of_every_gradient(values):
    g = np.array(values)
    codes = gradient_link_codes(g)
    finite = np.abs(g[np.isfinite(g) & (g != 0)])
    for value, code in zip(g, codes, strict=True):
        if np.isnan(value):
            assert code == MISSING_CODE
        elif value == 0:
            assert code == ZERO_CODE
        elif np.isinf(value):
            assert code == np.sign(value) * 5
        else:
            assert np.sign(code) == np.sign(value)
            assert abs(int(code)) - 1 == expected_width(value, finite.max())


def test_the_same_parameter_twice_is_said_and_the_y_axis_moves_on():
    at = app(landscape="1", **PERCEPTRON)
    boxes = [box for box in at.selectbox if box.key and box.key.startswith("cls_landscape_")]
    for box in boxes:
        box.set_value(("w", 0, 0, 0))
    at.run()
    assert not at.exception
    assert any("same parameter: the y axis shows w[0][1→0]" in c.value for c in at.caption)
    fig, _, _ = landscape_parts(at)
    assert fig["layout"]["yaxis"]["title"]["text"] == "w[0][1→0]"


any_floats = st.one_of(st.sampled_from(list(EXTREMES) + [-1e308, 5.5e18, -9.3e18]),
                       st.floats(allow_nan=True, allow_infinity=True))


@settings(max_examples=60, deadline=None)
@given(st.lists(any_floats, min_size=9, max_size=9), st.lists(any_floats, min_size=4, max_size=4),
       st.lists(any_floats, min_size=4, max_size=4))
def test_the_gradient_frame_takes_any_floats(weights, biases, deltas):
    """Issue 12.4's kind for the Gradients view: a frame of any gradients encodes, its squares stay
    in [0, 127] (NaN: blank), and its header is strict JSON (the live view's message)."""
    w = [np.array(weights[:6]).reshape(2, 3), np.array(weights[6:]).reshape(3, 1)]
    b, d = [np.array(biases[:3]), np.array(biases[3:])], [np.array(deltas[:3]), np.array(deltas[3:])]
    frame, arrays = gradient_frame(w, b, d, 2, ["inputs", "hidden 1", "output"], ["x₁", "x₂"])
    json.dumps(frame, allow_nan=False)
    thumbs = arrays["thumbs"].ravel().astype(int)
    assert (thumbs[:2] == MISSING).all()
    for value, code in zip(deltas, thumbs[2:], strict=True):
        assert code == MISSING if math.isnan(value) else 0 <= code <= 127
    assert len(arrays["codes"]) == 9 and len(frame["hover"]["links"]) == 9


@settings(max_examples=40, deadline=None)
@given(st.lists(any_floats, min_size=16, max_size=16), st.lists(any_floats, min_size=2, max_size=2))
def test_the_landscape_figure_takes_any_costs_and_arrow(costs, end):
    _valid(landscape_figure(_land(np.array(costs).reshape(4, 4), arrow_end=tuple(end)), "w", "b"))


def test_the_landscape_caption_names_the_paths_colour_as_drawn():
    """Regression (a fresh student's run): the caption said "Red" for a path drawn in vermilion
    (#D55E00), which reads as orange."""
    from playground.figures.colors import VERMILLION
    from playground.panels.landscape import CAPTION

    assert VERMILLION == "#D55E00" and "Orange line: the path" in CAPTION and "Red" not in CAPTION
