"""core.gradient_check: small for a healthy network, large when backprop is wrong."""

import dataclasses

import numpy as np
import pytest

from core import MLP, gradient_check, numerical_gradients


def data(n_inputs, k, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(8, n_inputs)), np.eye(k)[rng.integers(0, k, 8)] if k > 1 else \
        rng.integers(0, 2, (8, 1)).astype(float)


# Fixed seeds: gradient_check's central differences (ε = 1e-6) carry ~1e-11 absolute rounding
# error, so a network with a gradient entry near 1e-6 can report ~1e-5 although backprop is right
# (e.g. [3, 4, 4, 2] softplus/softmax, seed 1). These cases have no such tiny entries.
@pytest.mark.parametrize(("sizes", "activation", "output", "loss", "seed"), [
    ([2, 1], "tanh", "sigmoid", "mse", 1),
    ([2, 4, 2, 1], "tanh", "sigmoid", "cross_entropy", 1),
    ([3, 5, 3], "sigmoid", "softmax", "cross_entropy", 3),
    ([3, 4, 2], "relu", "linear", "mse", 2),
    ([2, 6, 1], "sine", "tanh", "mse", 3),
])
def test_healthy_network_passes(sizes, activation, output, loss, seed):
    net = MLP(sizes, activation=activation, output_activation=output, seed=seed)
    X, Y = data(sizes[0], sizes[-1])
    before = net.params.copy()
    assert gradient_check(net, X, Y, loss) < 1e-6
    np.testing.assert_array_equal(net.params, before)  # parameters restored


def test_sabotaged_hidden_derivative_is_caught():
    net = MLP([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=1)
    X, Y = data(2, 1)
    tanh = net.layer_activations[0]
    wrong = dataclasses.replace(tanh, derivative=lambda z, a: 1.0 - a)  # should be 1 − a²
    net.layer_activations = (wrong, net.layer_activations[1])
    assert gradient_check(net, X, Y, "mse") > 1e-2


def test_sabotaged_output_derivative_is_caught():
    net = MLP([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=2)
    X, Y = data(2, 1)
    sigmoid = net.layer_activations[-1]
    wrong = dataclasses.replace(sigmoid, derivative=lambda z, a: a)  # should be a(1 − a)
    net.layer_activations = (net.layer_activations[0], wrong)
    assert gradient_check(net, X, Y, "mse") > 1e-2


def test_numerical_gradients_match_a_known_derivative():
    # C(w, b) = mean((w·x + b − y)²) for a linear perceptron: ∂C/∂w = (2/n) Σ (ŷ − y) x
    net = MLP([1, 1], output_activation="linear", init="zeros")
    net.weights[0][0, 0], net.biases[0][0] = 0.5, -0.25
    X, Y = np.array([[1.0], [2.0], [-3.0]]), np.array([[0.0], [1.0], [2.0]])
    residual = X[:, 0] * 0.5 - 0.25 - Y[:, 0]
    numeric = numerical_gradients(net, X, Y, "mse")
    assert numeric.weights[0][0, 0] == pytest.approx(2 / 3 * np.sum(residual * X[:, 0]), rel=1e-8)
    assert numeric.biases[0][0] == pytest.approx(2 / 3 * np.sum(residual), rel=1e-8)
