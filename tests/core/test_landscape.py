"""core.landscape: the cost over a 2-D slice against copies of the network with the two parameters
set by hand (net.loss, one point at a time), the path against the trainer's history, the arrow
against the core's gradient and the article's closed form."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.landscape as landscape_module
from core import FEATURES, HIDDEN_ACTIVATIONS, MLP, Trainer, make_dataset
from core.landscape import (
    Param,
    cost_landscape,
    cost_slice,
    parameter_path,
    slice_axis,
    snapshot_costs,
    step_arrow,
)
from core.snapshots import SnapshotRecorder

RNG = np.random.default_rng(7)


def all_params(net):
    """Every weight and bias of `net`, built from the shapes here (not from the code under test)."""
    params = []
    for l, w in enumerate(net.weights):
        params += [Param.weight(l, i, j) for i in range(w.shape[0]) for j in range(w.shape[1])]
        params += [Param.bias(l, j) for j in range(w.shape[1])]
    return params


def set_param(net, p, value):
    if p.kind == "w":
        net.weights[p.layer][p.i, p.j] = value
    else:
        net.biases[p.layer][p.j] = value


def get_param(net, p):
    return net.weights[p.layer][p.i, p.j] if p.kind == "w" else net.biases[p.layer][p.j]


def cost_by_hand(net, X, Y, loss, p1, p2, v1, v2):
    """C of an independent copy with p1 = v1 and p2 = v2: one plain forward pass (net.loss)."""
    clone = net.copy()
    set_param(clone, p1, v1)
    set_param(clone, p2, v2)
    return clone.loss(X, Y, loss)


def targets(output, loss, n, k, rng):
    if output == "softmax":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "cross_entropy":
        return rng.integers(0, 2, (n, k)).astype(float)
    return rng.uniform(-1.0 if output in ("tanh", "linear") else 0.0, 1.0, (n, k))


def random_net(sizes, activation, output, seed):
    net = MLP(sizes, activation=activation, output_activation=output, seed=seed)
    net.params[:] += 0.3 * np.random.default_rng(seed).normal(size=net.params.size)  # biases ≠ 0
    return net


def check_against_copies(net, X, Y, loss, p1, p2, dtype=np.float64, rtol=1e-10):
    v1 = get_param(net, p1) + np.array([-1.7, 0.0, 0.6])
    v2 = get_param(net, p2) + np.array([-0.8, 0.3, 0.0, 2.1])
    before = net.params.copy()
    costs = cost_slice(net, X, Y, loss, p1, p2, v1, v2, dtype=dtype)
    assert np.array_equal(net.params, before)  # never changes the network
    assert costs.shape == (3, 4) and costs.dtype == np.float64
    expected = [[cost_by_hand(net, X, Y, loss, p1, p2, a, b) for b in v2] for a in v1]
    np.testing.assert_allclose(costs, expected, rtol=rtol, atol=1e-12)


# --- the slice against copies with the two parameters set --------------------------------------

CASES = [  # (layer sizes, hidden activation, output, loss)
    ([2, 1], "tanh", "sigmoid", "mse"),  # the article's perceptron
    ([2, 1], "tanh", "sigmoid", "cross_entropy"),
    ([3, 4, 3, 1], "tanh", "sigmoid", "cross_entropy"),
    ([2, 3, 1], "sigmoid", "tanh", "mse"),
    ([2, 4, 2, 3], "relu", "softmax", "cross_entropy"),
    ([2, 3, 3, 2], "elu", "softmax", "mse"),
    ([2, 3, 2, 1], "sine", "linear", "mse"),
]


@pytest.mark.parametrize(("sizes", "activation", "output", "loss"), CASES)
def test_every_pair_of_parameters_matches_copies_of_the_network(sizes, activation, output, loss):
    """Same layer, different layers (either order), weight and bias of one neuron, the output
    layer, biases: every ordered pair of parameters of small networks."""
    rng = np.random.default_rng(len(sizes))
    net = random_net(sizes, activation, output, seed=3)
    X, Y = rng.normal(0, 2, (6, sizes[0])), targets(output, loss, 6, sizes[-1], rng)
    for p1, p2 in itertools.permutations(all_params(net), 2):
        check_against_copies(net, X, Y, loss, p1, p2)


@pytest.mark.parametrize(("sizes", "activation", "output", "loss"), CASES)
def test_float32_slice_is_close_to_the_exact_cost(sizes, activation, output, loss):
    rng = np.random.default_rng(1)
    net = random_net(sizes, activation, output, seed=4)
    X, Y = rng.normal(0, 2, (9, sizes[0])), targets(output, loss, 9, sizes[-1], rng)
    params = all_params(net)
    for p1, p2 in [(params[0], params[-1]), (params[-1], params[1]), (params[0], params[1])]:
        check_against_copies(net, X, Y, loss, p1, p2, dtype=np.float32, rtol=2e-5)


@settings(max_examples=60, deadline=None)
@given(hidden=st.lists(st.integers(1, 4), min_size=0, max_size=3),
       activation=st.sampled_from(HIDDEN_ACTIVATIONS),
       output_loss=st.sampled_from([("sigmoid", "mse"), ("sigmoid", "cross_entropy"), ("tanh", "mse"),
                                    ("linear", "mse"), ("softmax", "cross_entropy"), ("softmax", "mse")]),
       picks=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
       seed=st.integers(0, 1_000))
def test_random_architectures_and_parameter_picks(hidden, activation, output_loss, picks, seed):
    output, loss = output_loss
    k = 3 if output == "softmax" else 1
    rng = np.random.default_rng(seed)
    net = random_net([2, *hidden, k], activation, output, seed)
    params = all_params(net)
    p1 = params[picks[0] % len(params)]
    p2 = params[picks[1] % (len(params) - 1)]
    p2 = params[-1] if p2 == p1 else p2
    X, Y = rng.uniform(-6, 6, (5, 2)), targets(output, loss, 5, k, rng)
    check_against_copies(net, X, Y, loss, p1, p2)


def test_blocks_of_the_grid_give_the_same_costs(monkeypatch):
    net = random_net([2, 5, 4, 1], "tanh", "sigmoid", seed=2)
    X, Y = RNG.normal(0, 2, (30, 2)), RNG.integers(0, 2, (30, 1)).astype(float)
    cases = [(Param.weight(0, 0, 1), Param.weight(0, 1, 3)), (Param.bias(0, 2), Param.weight(2, 3, 0)),
             (Param.weight(1, 2, 2), Param.weight(0, 1, 2)), (Param.weight(2, 0, 0), Param.bias(2, 0))]
    v1, v2 = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)
    whole = [cost_slice(net, X, Y, "cross_entropy", p1, p2, v1, v2, np.float64) for p1, p2 in cases]
    monkeypatch.setattr(landscape_module, "BLOCK_BYTES", 1)  # one grid point per block
    for (p1, p2), expected in zip(cases, whole, strict=True):
        blocked = cost_slice(net, X, Y, "cross_entropy", p1, p2, v1, v2, np.float64)
        np.testing.assert_allclose(blocked, expected, rtol=1e-13)


def spiral_trainer(epochs=30):
    data = make_dataset("spiral", n_samples=200, noise=0.1, test_fraction=0.5, seed=0)
    net = MLP([7, 8, 8, 1], activation="tanh", output_activation="sigmoid", seed=0)
    trainer = Trainer(net, data, loss="cross_entropy", optimizer="adam", learning_rate=0.01,
                      batch_size=10, features=FEATURES, seed=0)
    trainer.step(epochs)
    return trainer


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_value_at_the_current_weights_is_the_trainers_cost(dtype):
    trainer = spiral_trainer()
    net, X, Y = trainer.net, trainer.X_train, trainer.y_train
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    for p1, p2 in [(Param.weight(0, 3, 1), Param.weight(0, 6, 7)), (Param.bias(1, 2), Param.weight(2, 5, 0)),
                   (("w", 2, 0, 0), ("b", 2, 0))]:  # the app's tuples work too
        at_current = cost_slice(net, X, Y, trainer.loss, p1, p2, [Param.from_ref(p1).value(net)],
                                [Param.from_ref(p2).value(net)], dtype)
        assert at_current.shape == (1, 1)
        assert at_current[0, 0] == pytest.approx(net.loss(X, Y, trainer.loss), rel=rtol)
        assert at_current[0, 0] == pytest.approx(trainer.evaluate()[0], rel=rtol)


def test_overflowing_costs_are_inf_or_nan_without_warnings():
    net = MLP([2, 3, 1], activation="relu", output_activation="linear", seed=0)
    X, Y = RNG.normal(0, 2, (8, 2)), RNG.uniform(-1, 1, (8, 1))
    values = np.array([0.0, 1e30, 1e300, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype in (np.float32, np.float64):
            costs = cost_slice(net, X, Y, "mse", Param.weight(0, 0, 0), Param.weight(1, 0, 0),
                               values, values, dtype)
            assert np.isfinite(costs[0, 0])
            assert not np.all(np.isfinite(costs[1:, 1:]))


def test_invalid_choices_raise_value_errors_naming_them():
    net = MLP([2, 3, 1], output_activation="tanh", seed=0)
    X, Y, v = np.zeros((4, 2)), np.zeros((4, 1)), np.zeros(3)
    w = Param.weight(0, 0, 0)
    with pytest.raises(ValueError, match="two different parameters"):
        cost_slice(net, X, Y, "mse", w, ("w", 0, 0, 0), v, v)
    with pytest.raises(ValueError, match="layer must be an integer from 0 to 1"):
        cost_slice(net, X, Y, "mse", w, Param.weight(2, 0, 0), v, v)
    with pytest.raises(ValueError, match="i of layer 1 must be an integer from 0 to 2"):
        cost_slice(net, X, Y, "mse", w, Param.weight(1, 3, 0), v, v)
    with pytest.raises(ValueError, match="choose one of w, b"):
        cost_slice(net, X, Y, "mse", w, Param("x", 0, 0, 0), v, v)
    with pytest.raises(ValueError, match=r"\('w', layer, i, j\) or \('b', layer, j\)"):
        cost_slice(net, X, Y, "mse", w, ("b", 0, 0, 0), v, v)
    with pytest.raises(ValueError, match="cross_entropy needs a sigmoid or softmax output"):
        cost_slice(net, X, Y, "cross_entropy", w, Param.bias(0, 0), v, v)
    with pytest.raises(ValueError, match=r"X must be \(n, 2\)"):
        cost_slice(net, np.zeros((4, 3)), Y, "mse", w, Param.bias(0, 0), v, v)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        cost_slice(net, X, Y, "mse", w, Param.bias(0, 0), v, [])
    with pytest.raises(ValueError, match="float32 or np.float64"):
        cost_slice(net, X, Y, "mse", w, Param.bias(0, 0), v, v, dtype=np.int64)


# --- naming parameters ---------------------------------------------------------------------------

def test_params_name_the_apps_tuples_and_their_place_in_params():
    net = MLP([3, 4, 2], seed=0)
    for p in all_params(net):
        assert Param.from_ref(p.ref) == p
        clone = net.copy()
        clone.params[p.flat_index(net)] = 123.0  # the flat index is the weight/bias it names
        assert get_param(clone, p) == 123.0
        assert p.value(net) == get_param(net, p)
    assert Param.weight(1, 0, 2).name == "w[1][0→2]" and Param.bias(0, 3).name == "b[0][3]"
    assert Param.from_ref(("b", 1, 0)).ref == ("b", 1, 0)


# --- the axes a map should span ----------------------------------------------------------------

def test_axis_spans_twice_the_path_within_the_floor_and_the_cap():
    fresh = slice_axis(0.5, resolution=5)
    np.testing.assert_allclose(fresh, [-1.5, -0.5, 0.5, 1.5, 2.5])
    walked = slice_axis(1.0, [1.0, 4.0, np.nan, -0.5], resolution=61)  # extent 3 -> ± 6
    assert (walked[0], walked[-1], walked[30]) == (pytest.approx(-5.0), pytest.approx(7.0), 1.0)
    diverged = slice_axis(0.0, [0.0, 1e6], resolution=3)
    np.testing.assert_allclose(diverged, [-20.0, 0.0, 20.0])  # flies off the map
    assert len(slice_axis(0.0)) == 60
    for bad in (1, 401, 2.5):
        with pytest.raises(ValueError, match="resolution must be an integer from 2 to 400"):
            slice_axis(0.0, resolution=bad)
    with pytest.raises(ValueError, match="center must be finite"):
        slice_axis(np.nan)


# --- the path and the arrow ----------------------------------------------------------------------

def perceptron_trainer(optimizer="gd", learning_rate=0.5):
    data = make_dataset("gauss", n_samples=100, noise=0.3, test_fraction=0.5, seed=1)
    net = MLP([2, 1], output_activation="sigmoid", seed=2)
    return Trainer(net, data, loss="mse", optimizer=optimizer, learning_rate=learning_rate, seed=0)


@pytest.mark.parametrize("optimizer", ["gd", "sgd"])
def test_path_costs_are_the_history_train_loss_at_those_epochs(optimizer):
    trainer = perceptron_trainer(optimizer)
    net = trainer.net
    recorder = SnapshotRecorder(capacity_bytes=40 * 8 * net.params.size, dense_epochs=10)
    recorder.record(0, net.params)
    for _ in range(150):
        trainer.step(1)
        recorder.record(trainer.epoch, net.params)
    w1, w2 = Param.weight(0, 0, 0), Param.weight(0, 1, 0)  # the article's w₁, w₂, b held
    path = parameter_path(net, trainer.X_train, trainer.y_train, trainer.loss, recorder.items(), w1, w2)
    assert len(recorder) == 40 and path.epochs.tolist() == recorder.epochs
    history = dict(zip(trainer.history.epochs.tolist(), trainer.history.train_loss, strict=True))
    for epoch, cost, v1, v2 in zip(path.epochs, path.costs, path.values1, path.values2, strict=True):
        snapshot = recorder.nearest(epoch)[1]
        assert (v1, v2) == (snapshot[0], snapshot[1])  # weights[0] (2, 1) come first in params
        if epoch:
            assert cost == pytest.approx(history[epoch], rel=1e-12)
    assert path.costs[0] == pytest.approx(perceptron_trainer().net.loss(
        trainer.X_train, trainer.y_train, "mse"), rel=1e-12)  # epoch 0: the initial weights


def test_a_long_path_is_thinned_evenly_keeping_the_first_and_the_last():
    trainer = perceptron_trainer()
    snapshots = [(epoch, trainer.net.params + epoch) for epoch in range(0, 500, 5)]  # 100
    w1, b = Param.weight(0, 0, 0), Param.bias(0, 0)
    path = parameter_path(trainer.net, trainer.X_train, trainer.y_train, "mse", snapshots, w1, b,
                          max_points=12)
    assert len(path.epochs) == 12 and (path.epochs[0], path.epochs[-1]) == (0, 495)
    assert np.all(np.diff(path.epochs) >= 40) and np.all(np.diff(path.epochs) <= 50)
    np.testing.assert_array_equal(path.values2, trainer.net.biases[0][0] + path.epochs)
    empty = parameter_path(trainer.net, trainer.X_train, trainer.y_train, "mse", [], w1, b)
    assert empty.epochs.size == empty.costs.size == empty.values1.size == 0
    with pytest.raises(ValueError, match="max_points must be at least 2"):
        parameter_path(trainer.net, trainer.X_train, trainer.y_train, "mse", snapshots, w1, b, 1)
    with pytest.raises(ValueError, match=r"snapshots must be \(3,\) parameter vectors"):
        parameter_path(trainer.net, trainer.X_train, trainer.y_train, "mse", [(0, np.zeros(4))], w1, b)


def test_snapshot_costs_are_each_snapshots_loss():
    net = random_net([3, 4, 2, 3], "tanh", "softmax", seed=5)
    X, Y = RNG.normal(size=(11, 3)), np.eye(3)[RNG.integers(0, 3, 11)]
    stack = net.params + 0.5 * RNG.normal(size=(6, net.params.size))
    expected = []
    for params in stack:
        clone = net.copy()
        clone.params[:] = params
        expected.append(clone.loss(X, Y, "cross_entropy"))
    np.testing.assert_allclose(snapshot_costs(net, X, Y, "cross_entropy", stack), expected, rtol=1e-12)
    with pytest.raises(ValueError, match=r"params must be \(s, 35\)"):
        snapshot_costs(net, X, Y, "cross_entropy", stack[:, :-1])


def test_arrow_is_minus_learning_rate_times_the_cores_gradient():
    trainer = spiral_trainer(epochs=5)
    net, X, Y = trainer.net, trainer.X_train, trainer.y_train
    _, grads = net.loss_and_gradients(X, Y, trainer.loss)
    p1, p2 = Param.weight(1, 2, 3), Param.bias(0, 5)
    arrow = step_arrow(net, X, Y, trainer.loss, p1, p2, learning_rate=0.3)
    expected = np.array([grads.weights[1][2, 3], grads.biases[0][5]])
    np.testing.assert_array_equal(arrow.gradient, expected)
    np.testing.assert_allclose(arrow.step, -0.3 * expected, rtol=1e-15)
    np.testing.assert_array_equal(arrow.start, [net.weights[1][2, 3], net.biases[0][5]])
    np.testing.assert_allclose(arrow.end, arrow.start + arrow.step)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        step_arrow(net, X, Y, trainer.loss, p1, p2, learning_rate=0.0)


def test_perceptron_arrow_is_the_articles_closed_form():
    """∂C/∂wᵢ = (2/n) Σ (ŷ − y) ŷ (1 − ŷ) xᵢ for ŷ = σ(w·x + b) and C = (1/n) Σ (y − ŷ)²."""
    trainer = perceptron_trainer()
    net, X, y = trainer.net, trainer.X_train, trainer.y_train[:, 0]
    net.biases[0][0] = 0.4
    y_hat = 1.0 / (1.0 + np.exp(-(X @ net.weights[0][:, 0] + 0.4)))
    common = (2.0 / len(y)) * (y_hat - y) * y_hat * (1.0 - y_hat)
    arrow = step_arrow(net, X, trainer.y_train, "mse", ("w", 0, 0, 0), ("w", 0, 1, 0), 0.5)
    np.testing.assert_allclose(arrow.step, -0.5 * (common @ X), rtol=1e-12)


def test_landscape_bundles_map_path_and_arrow_for_a_trainer():
    trainer = perceptron_trainer(learning_rate=3.0)
    recorder = SnapshotRecorder()
    recorder.record(0, trainer.net.params)
    for _ in range(20):
        trainer.step(1)
        recorder.record(trainer.epoch, trainer.net.params)
    before = trainer.net.params.copy()
    view = cost_landscape(trainer, ("w", 0, 0, 0), ("w", 0, 1, 0), recorder.items(), resolution=61)
    assert np.array_equal(trainer.net.params, before)
    assert view.costs.shape == (61, 61) and view.path.epochs.tolist() == list(range(21))
    np.testing.assert_array_equal(view.current, trainer.net.weights[0][:, 0])
    assert (view.values1[30], view.values2[30]) == tuple(view.current)  # the middle of an odd grid
    assert view.costs[30, 30] == pytest.approx(trainer.evaluate()[0], rel=1e-5)
    assert view.current_cost == pytest.approx(trainer.evaluate()[0], rel=1e-13)
    extent = np.abs(view.path.values1 - view.current[0]).max()
    assert view.values1[-1] - view.current[0] == pytest.approx(min(max(2 * extent, 2.0), 20.0))
    assert view.arrow.learning_rate == 3.0
