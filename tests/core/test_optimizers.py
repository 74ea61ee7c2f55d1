"""Each update rule on a hand-computed case, regularization on weights only, and optimizer state
surviving a learning-rate change."""

import numpy as np
import pytest

from core import MLP, Trainer
from core.datasets import Dataset
from core.optimizers import Adam, Momentum, Optimizer, make_optimizer
from core.regularization import Regularizer

W0 = np.array([0.5, -1.0, 2.0, 0.0])
G1 = np.array([0.1, -0.2, 0.3, -0.4])
G2 = np.array([-0.05, 0.5, 0.0, 0.25])


def apply(optimizer, params, grads):
    optimizer.update(params, grads.copy())  # update may use grads as scratch space


@pytest.mark.parametrize("name", ["gd", "sgd"])
def test_gradient_descent_step(name):
    params = W0.copy()
    apply(make_optimizer(name, 0.1), params, G1)
    np.testing.assert_allclose(params, [0.49, -0.98, 1.97, 0.04], rtol=0, atol=1e-15)


def test_momentum_two_steps():
    alpha, mu = 0.1, 0.9
    params, opt = W0.copy(), Momentum(alpha, momentum=mu)
    apply(opt, params, G1)
    v1 = -alpha * G1  # v ← μ·0 − αg
    np.testing.assert_allclose(params, W0 + v1, rtol=0, atol=1e-15)
    apply(opt, params, G2)
    v2 = mu * v1 - alpha * G2
    np.testing.assert_allclose(params, W0 + v1 + v2, rtol=0, atol=1e-15)
    np.testing.assert_allclose(opt.velocity, v2, rtol=0, atol=1e-15)


def adam_textbook(w, grads, alpha, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        w = w - alpha * m_hat / (np.sqrt(v_hat) + eps)
    return w


def test_adam_two_steps_with_bias_correction():
    params, opt = W0.copy(), Adam(0.01)
    apply(opt, params, G1)
    # step 1: m̂ = g, v̂ = g², so w moves by α·g/(|g| + ε), about α·sign(g)
    np.testing.assert_allclose(params, W0 - 0.01 * G1 / (np.abs(G1) + 1e-8), rtol=0, atol=1e-12)
    apply(opt, params, G2)
    np.testing.assert_allclose(params, adam_textbook(W0, [G1, G2], 0.01), rtol=0, atol=1e-12)
    assert opt.t == 2


def test_unknown_optimizer_names_the_choices():
    with pytest.raises(ValueError, match="gd, sgd, momentum, adam"):
        make_optimizer("rmsprop", 0.1)


@pytest.mark.parametrize("rate", [0.0, -0.1, float("nan"), float("inf")])
def test_learning_rate_must_be_positive_and_finite(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        Optimizer(rate)


# --- regularization: weights only -----------------------------------------------------------

MASK = np.array([1.0, 1.0, 0.0, 1.0])  # entry 2 is a bias


def test_l2_adds_to_weight_gradients_not_biases():
    lam, alpha = 0.2, 0.1
    params = W0.copy()
    Optimizer(alpha, Regularizer("l2", lam, MASK)).update(params, G1.copy())
    expected_grad = G1 + lam * W0 * MASK
    np.testing.assert_allclose(params, W0 - alpha * expected_grad, rtol=0, atol=1e-15)
    assert params[2] == W0[2] - alpha * G1[2]  # the bias feels no penalty


def test_l1_is_a_step_after_the_data_step_on_weights_not_biases():
    lam, alpha = 0.2, 0.1
    params = W0.copy()
    Optimizer(alpha, Regularizer("l1", lam, MASK)).update(params, G1.copy())
    # u = W0 − αG1 = [0.49, −0.98, 1.97, 0.04]; then u − αλ·sign(u) on weights (αλ = 0.02):
    # 0.04 does not reach zero, and the zero weight's data step moved it beyond αλ
    np.testing.assert_allclose(params, [0.47, -0.96, 1.97, 0.02], rtol=0, atol=1e-15)
    assert params[2] == W0[2] - alpha * G1[2]  # the bias feels no penalty


@pytest.mark.parametrize(("kind", "expected"), [("l2", 0.2 * 0.5 * (0.25 + 1.0 + 0.0)),
                                                ("l1", 0.2 * (0.5 + 1.0 + 0.0))])
def test_penalty_value(kind, expected):
    assert Regularizer(kind, 0.2, MASK.astype(bool)).penalty(W0) == pytest.approx(expected)


def test_no_regularization_changes_nothing():
    params = W0.copy()
    Optimizer(0.1, Regularizer("none", 0.5, MASK)).update(params, G1.copy())
    np.testing.assert_allclose(params, W0 - 0.1 * G1, rtol=0, atol=1e-15)


@pytest.mark.parametrize("kind", ["l3", "dropout"])
def test_unknown_regularization_names_the_choices(kind):
    with pytest.raises(ValueError, match="none, l1, l2"):
        Regularizer(kind, 0.1, MASK)


# --- through the Trainer: a perceptron whose gradient we know in closed form -----------------

X = np.array([[1.0, 2.0], [-1.5, 0.5], [3.0, -2.0], [0.2, 0.1], [-4.0, -3.0]])
Y = np.array([[1.0], [0.0], [1.0], [0.0], [1.0]])
DATA = Dataset("hand", "classification", 2, X, Y, X, Y)


def perceptron_gradient(w, b):
    """∂C/∂w, ∂C/∂b for a sigmoid perceptron under MSE (the article's formula)."""
    y_hat = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    common = (2.0 / len(X)) * (y_hat - Y[:, 0]) * y_hat * (1 - y_hat)
    return common @ X, np.sum(common)


def perceptron_trainer(**kwargs):
    net = MLP([2, 1], output_activation="sigmoid", seed=3)
    net.biases[0][:] = -0.4
    return net, Trainer(net, DATA, loss="mse", batch_size=len(X), **kwargs)


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_trainer_regularization_penalises_weights_not_biases(kind):
    lam, alpha = 0.3, 0.2
    net, trainer = perceptron_trainer(optimizer="gd", learning_rate=alpha, regularization=kind,
                                      regularization_rate=lam)
    w, b = net.weights[0][:, 0].copy(), float(net.biases[0][0])
    dw, db = perceptron_gradient(w, b)
    trainer.step(1)
    if kind == "l2":
        expected = w - alpha * (dw + lam * w)
    else:  # the data step, then L1's step (no weight is near enough to zero to be clipped)
        u = w - alpha * dw
        assert np.all(np.abs(u) > alpha * lam)
        expected = u - alpha * lam * np.sign(u)
    np.testing.assert_allclose(net.weights[0][:, 0], expected, atol=1e-14)
    assert net.biases[0][0] == pytest.approx(b - alpha * db, abs=1e-14)


def test_trainer_set_regularization_between_epochs():
    net, trainer = perceptron_trainer(optimizer="gd", learning_rate=0.1)
    trainer.step(1)
    trainer.set_regularization("l2", 0.5)
    w, b = net.weights[0][:, 0].copy(), float(net.biases[0][0])
    dw, _ = perceptron_gradient(w, b)
    trainer.step(1)
    np.testing.assert_allclose(net.weights[0][:, 0], w - 0.1 * (dw + 0.5 * w), atol=1e-14)
    with pytest.raises(ValueError, match="none, l1, l2"):
        trainer.set_regularization("l4", 0.1)
    assert trainer.regularizer.kind == "l2" and trainer.regularizer.rate == 0.5


def test_trainer_momentum_keeps_velocity_when_the_learning_rate_changes():
    mu = 0.9
    net, trainer = perceptron_trainer(optimizer="momentum", learning_rate=0.1)
    w, b = net.weights[0][:, 0].copy(), float(net.biases[0][0])
    vw, vb = np.zeros(2), 0.0
    for alpha in (0.1, 0.1, 0.02, 0.5):
        trainer.learning_rate = alpha
        trainer.step(1)
        dw, db = perceptron_gradient(w, b)
        vw, vb = mu * vw - alpha * dw, mu * vb - alpha * db
        w, b = w + vw, b + vb
    np.testing.assert_allclose(net.weights[0][:, 0], w, rtol=0, atol=1e-13)
    assert net.biases[0][0] == pytest.approx(b, abs=1e-13)


def test_trainer_adam_keeps_moments_and_step_count_when_the_learning_rate_changes():
    b1, b2, eps = 0.9, 0.999, 1e-8
    net, trainer = perceptron_trainer(optimizer="adam", learning_rate=0.05)
    theta = np.append(net.weights[0][:, 0], net.biases[0][0])
    m, v = np.zeros(3), np.zeros(3)
    for t, alpha in enumerate((0.05, 0.05, 0.01, 0.2), start=1):
        trainer.learning_rate = alpha
        trainer.step(1)
        dw, db = perceptron_gradient(theta[:2], theta[2])
        g = np.append(dw, db)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        theta = theta - alpha * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    np.testing.assert_allclose(np.append(net.weights[0][:, 0], net.biases[0][0]), theta,
                               rtol=0, atol=1e-12)
    assert trainer.optimizer.t == 4


def test_trainer_gd_picks_up_a_new_learning_rate():
    net, trainer = perceptron_trainer(optimizer="gd", learning_rate=0.1)
    trainer.step(1)
    trainer.learning_rate = 0.7
    assert trainer.learning_rate == 0.7
    w, b = net.weights[0][:, 0].copy(), float(net.biases[0][0])
    dw, _ = perceptron_gradient(w, b)
    trainer.step(1)
    np.testing.assert_allclose(net.weights[0][:, 0], w - 0.7 * dw, atol=1e-14)
    with pytest.raises(ValueError, match="learning_rate"):
        trainer.learning_rate = -1.0
