"""The article's perceptron, exactly: z = w·x + b, ŷ = σ(z), C = (1/n) Σ (y − ŷ)²,
∂C/∂wᵢ = (2/n) Σ (ŷ − y) σ(z)(1 − σ(z)) xᵢ, and gradient descent w ← w − α ∂C/∂w.

Every expected value is computed here from the formula with numpy, independently of the core.
"""

import numpy as np
import pytest

from core import MLP, Trainer
from core.datasets import Dataset

RNG = np.random.default_rng(2024)
X = RNG.uniform(-6.0, 6.0, (12, 2))
Y = (X[:, 0] * 0.7 - X[:, 1] > 0.5).astype(float)  # 0/1 labels, shape (n,)


def perceptron(d=2, seed=7):
    net = MLP([d, 1], output_activation="sigmoid", seed=seed)
    net.biases[0][:] = 0.3  # a nonzero bias so ∂C/∂b is exercised
    return net


def closed_form(w, b, X, y):
    """(C, ∂C/∂w, ∂C/∂b) from the article's formulas."""
    z = X @ w + b
    y_hat = 1.0 / (1.0 + np.exp(-z))
    n = len(y)
    common = (2.0 / n) * (y_hat - y) * y_hat * (1.0 - y_hat)  # ∂C/∂ŷ · ∂ŷ/∂z per sample
    return np.mean((y - y_hat) ** 2), common @ X, np.sum(common)


def test_loss_is_the_mean_squared_error():
    net = perceptron()
    expected, _, _ = closed_form(net.weights[0][:, 0].copy(), net.biases[0][0], X, Y)
    assert net.loss(X, Y, "mse") == pytest.approx(expected, rel=1e-13)


def test_weight_and_bias_gradients_are_the_chain_rule_formula():
    net = perceptron()
    loss, grads = net.loss_and_gradients(X, Y, "mse")
    expected_loss, dw, db = closed_form(net.weights[0][:, 0].copy(), net.biases[0][0], X, Y)
    assert loss == pytest.approx(expected_loss, rel=1e-13)
    np.testing.assert_allclose(grads.weights[0][:, 0], dw, rtol=1e-12, atol=1e-15)
    assert grads.biases[0][0] == pytest.approx(db, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("d", [1, 3, 5])
def test_closed_form_holds_for_any_input_dimension(d):
    rng = np.random.default_rng(d)
    Xd, yd = rng.normal(size=(9, d)), rng.integers(0, 2, 9).astype(float)
    net = perceptron(d, seed=d)
    _, grads = net.loss_and_gradients(Xd, yd, "mse")
    _, dw, db = closed_form(net.weights[0][:, 0].copy(), net.biases[0][0], Xd, yd)
    np.testing.assert_allclose(grads.weights[0][:, 0], dw, rtol=1e-12, atol=1e-15)
    assert grads.biases[0][0] == pytest.approx(db, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("alpha", [0.03, 0.5])
def test_one_full_batch_gradient_descent_step(alpha):
    data = Dataset("hand", "classification", 2, X, Y.reshape(-1, 1), X[:3], Y[:3].reshape(-1, 1))
    net = perceptron()
    w, b = net.weights[0][:, 0].copy(), float(net.biases[0][0])
    _, dw, db = closed_form(w, b, X, Y)
    trainer = Trainer(net, data, loss="mse", optimizer="gd", learning_rate=alpha)
    assert trainer.step(epochs=1) == 1
    np.testing.assert_allclose(net.weights[0][:, 0], w - alpha * dw, rtol=0, atol=1e-14)
    assert net.biases[0][0] == pytest.approx(b - alpha * db, abs=1e-14)


def test_gradient_descent_lowers_the_cost_until_convergence():
    data = Dataset("hand", "classification", 2, X, Y.reshape(-1, 1), X, Y.reshape(-1, 1))
    net = perceptron()
    w, b = net.weights[0][:, 0].copy(), float(net.biases[0][0])
    trainer = Trainer(net, data, loss="mse", optimizer="gd", learning_rate=0.5)
    trainer.step(epochs=50)
    for _ in range(50):  # the same 50 updates, by the formula
        _, dw, db = closed_form(w, b, X, Y)
        w, b = w - 0.5 * dw, b - 0.5 * db
    np.testing.assert_allclose(net.weights[0][:, 0], w, rtol=1e-10, atol=1e-12)
    assert net.biases[0][0] == pytest.approx(b, rel=1e-10, abs=1e-12)
    assert np.all(np.diff(trainer.history.train_loss) <= 1e-12)
