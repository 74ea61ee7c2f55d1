"""The MLP: shapes, initialisation, and backprop against central differences computed here."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core import HIDDEN_ACTIVATIONS, MLP

# Every valid (output activation, loss) pair and how to draw targets for it.
OUTPUT_LOSSES = [
    ("sigmoid", "mse"), ("tanh", "mse"), ("linear", "mse"), ("softmax", "mse"),
    ("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"),
]
KINKED = ("relu", "leaky_relu", "elu")  # derivative or its derivative jumps at z = 0


def targets(rng, output, loss, n, k):
    if output == "softmax":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "cross_entropy":
        return rng.integers(0, 2, (n, k)).astype(float)
    low = 0.0 if output == "sigmoid" else -1.0
    return rng.uniform(low, 1.0, (n, k))


def numerical_gradient(net, X, Y, loss, h=3e-4):
    """Fourth-order central differences: (−C(θ+2h) + 8C(θ+h) − 8C(θ−h) + C(θ−2h)) / 12h."""
    grad = np.empty_like(net.params)
    for i in range(net.params.size):
        saved = net.params[i]
        values = []
        for step in (2 * h, h, -h, -2 * h):
            net.params[i] = saved + step
            values.append(net.loss(X, Y, loss))
        net.params[i] = saved
        grad[i] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h)
    return grad


def relative_error(analytic, numeric, floor=1e-3):
    """|a − n| / max(|a|, |n|, floor): relative for entries above the floor, absolute (≤ 1e-9 at
    tolerance 1e-6) for tiny ones, where the difference quotient's rounding error dominates."""
    return np.max(np.abs(analytic - numeric) / np.maximum(np.maximum(np.abs(analytic),
                                                                     np.abs(numeric)), floor))


def hidden_pre_activations(net, X):
    """Every hidden z, computed here from the parameters (to stay away from kinks)."""
    a, zs = X, []
    for w, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        z = a @ w + b
        zs.append(z)
        a = {"relu": np.maximum(z, 0), "leaky_relu": np.where(z > 0, z, 0.01 * z),
             "elu": np.where(z > 0, z, np.expm1(np.minimum(z, 0)))}[net.hidden_activations[0]]
    return zs


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(("output", "loss"), OUTPUT_LOSSES)
@settings(max_examples=8, deadline=None)
@given(hidden=st.lists(st.integers(1, 5), min_size=0, max_size=3), n_inputs=st.integers(1, 4),
       n_outputs=st.integers(1, 3), n_samples=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_backprop_matches_central_differences(activation, output, loss, hidden, n_inputs,
                                              n_outputs, n_samples, seed):
    k = n_outputs + 1 if output == "softmax" else n_outputs
    net = MLP([n_inputs, *hidden, k], activation=activation, output_activation=output, seed=seed)
    rng = np.random.default_rng(seed)
    net.params[:] = rng.normal(0.0, 1.0, net.params.size)  # biases too, not just the init
    X = rng.uniform(-2.0, 2.0, (n_samples, n_inputs))
    Y = targets(rng, output, loss, n_samples, k)
    if activation in KINKED and hidden:
        assume(all(np.min(np.abs(z)) > 0.05 for z in hidden_pre_activations(net, X)))
    before = net.params.copy()
    _, grads = net.loss_and_gradients(X, Y, loss)
    np.testing.assert_array_equal(net.params, before)  # backprop never changes the parameters
    analytic = np.concatenate([np.concatenate([w.ravel(), b]) for w, b in
                               zip(grads.weights, grads.biases, strict=True)])
    assert relative_error(analytic, numerical_gradient(net, X, Y, loss)) <= 1e-6


@pytest.mark.parametrize("sizes", [[2, 1], [3, 4, 2], [7, 8, 8, 1], [2, 5, 3, 4]])
def test_parameter_shapes_mirror_the_layer_sizes(sizes):
    net = MLP(sizes, output_activation="linear")
    assert [w.shape for w in net.weights] == list(zip(sizes[:-1], sizes[1:], strict=True))
    assert [b.shape for b in net.biases] == [(s,) for s in sizes[1:]]
    _, grads = net.loss_and_gradients(np.ones((3, sizes[0])), np.zeros((3, sizes[-1])))
    assert [g.shape for g in grads.weights] == [w.shape for w in net.weights]
    assert [g.shape for g in grads.biases] == [b.shape for b in net.biases]
    assert net.forward(np.ones((5, sizes[0]))).shape == (5, sizes[-1])


def test_forward_is_the_layer_formula():
    net = MLP([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=3)
    X = np.random.default_rng(1).normal(size=(6, 3))
    hidden = np.tanh(X @ net.weights[0] + net.biases[0])
    expected = 1.0 / (1.0 + np.exp(-(hidden @ net.weights[1] + net.biases[1])))
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-14, atol=1e-15)


def test_initialisation_is_reproducible_by_seed_and_biases_start_at_zero():
    a, b, c = (MLP([2, 8, 8, 1], seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)
    assert all(np.all(bias == 0) for bias in a.biases)


def test_initialisation_scale_follows_xavier_and_he():
    tanh = MLP([400, 400, 1], activation="tanh", seed=0)
    relu = MLP([400, 400, 1], activation="relu", seed=0)
    # Xavier: std sqrt(2 / (400 + 400)) = 0.05; He: std sqrt(2 / 400) ≈ 0.0707.
    assert np.std(tanh.weights[0]) == pytest.approx(0.05, rel=0.02)
    assert np.std(relu.weights[0]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)


def test_copy_is_independent():
    net = MLP([2, 3, 1], seed=1)
    clone = net.copy()
    np.testing.assert_array_equal(clone.params, net.params)
    clone.weights[0][0, 0] += 1.0
    assert clone.weights[0][0, 0] != net.weights[0][0, 0]


def test_one_dimensional_targets_are_a_column():
    net = MLP([2, 1], output_activation="sigmoid", seed=0)
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    assert net.loss(X, np.array([1.0, 0.0])) == net.loss(X, np.array([[1.0], [0.0]]))
