"""L1 as TensorFlow Playground applies it: the data step, then w' = u − αλ·sign(u), and exactly 0
where that step crossed zero. Hand cases for every optimizer and both paths (the readable
`update` and the compiled calls), then the issue's network: L1 makes it sparse."""

import numpy as np
import pytest

from core import FEATURES, MLP, Trainer, make_dataset, zero_weights
from core.kernel import run
from core.optimizers import Adam, Momentum, Optimizer
from core.regularization import Regularizer

ALPHA, LAM = 0.25, 0.5  # αλ = 0.125; every value below is a multiple of 1/16, so exact in binary
# (weight before, data gradient, weight after the data step u = w − αg, after L1's step)
CASES = [
    (0.5, 0.5, 0.375, 0.25),  # positive, does not reach zero: u − αλ
    (-0.5, -0.5, -0.375, -0.25),  # negative, does not reach zero: u + αλ
    (0.25, 0.5, 0.125, 0.0),  # lands exactly on zero
    (0.25, 0.75, 0.0625, 0.0),  # positive, the penalty's step would cross zero: stops at 0
    (-0.25, -0.75, -0.0625, 0.0),  # negative, would cross: stops at 0
    (0.0, 0.25, -0.0625, 0.0),  # zero, its data step moves it less than αλ: stays 0
    (0.0, -0.5, 0.125, 0.0),  # zero, moved by exactly αλ: stays 0
    (0.0, -1.0, 0.25, 0.125),  # zero, moved by more than αλ: leaves by |u| − αλ
    (0.0, 0.0, 0.0, 0.0),  # zero and no gradient: stays 0 (sign(0) = 0)
    (0.125, 1.5, -0.25, -0.125),  # the data step crossed zero: the penalty pulls u toward 0
]
BEFORE, GRAD, AFTER_DATA, AFTER = (np.array(column) for column in zip(*CASES, strict=True))
BIAS, BIAS_GRAD = 0.0625, 0.25  # an unpenalised entry appended after the weights


def vectors():
    params = np.append(BEFORE, BIAS)
    grads = np.append(GRAD, BIAS_GRAD)
    mask = np.append(np.ones(len(CASES)), 0.0)
    return params, grads, mask


def readable(optimizer, params, grads):
    optimizer.update(params, grads)


def compiled(optimizer, params, grads):
    run(optimizer.calls(params, grads))


@pytest.mark.parametrize("path", [readable, compiled])
@pytest.mark.parametrize("name", ["gd", "sgd"])
def test_l1_step_by_hand(path, name):
    params, grads, mask = vectors()
    np.testing.assert_array_equal(BEFORE - ALPHA * GRAD, AFTER_DATA)  # the table's own arithmetic
    path(Optimizer(ALPHA, Regularizer("l1", LAM, mask)), params, grads)
    np.testing.assert_array_equal(params[:-1], AFTER)  # exact: zeros are exactly 0.0
    assert params[-1] == BIAS - ALPHA * BIAS_GRAD  # the bias: data step only


@pytest.mark.parametrize("path", [readable, compiled])
def test_momentum_first_step_is_sgds_and_l1_stays_out_of_the_velocity(path):
    params, grads, mask = vectors()
    optimizer = Momentum(ALPHA, Regularizer("l1", LAM, mask), momentum=0.5)
    path(optimizer, params, grads)  # v = −αg, so u = w − αg as for SGD
    np.testing.assert_array_equal(params[:-1], AFTER)
    np.testing.assert_array_equal(optimizer.velocity[:-1], -ALPHA * GRAD)
    path(optimizer, params, np.zeros_like(params))  # v = 0.5·v: u = AFTER + v, then L1's step
    u = AFTER - 0.5 * ALPHA * GRAD
    expected = [np.sign(x) * max(abs(x) - ALPHA * LAM, 0.0) for x in u]
    np.testing.assert_array_equal(params[:-1], expected)


@pytest.mark.parametrize("path", [readable, compiled])
def test_adam_takes_its_own_data_step_then_l1s(path):
    params, grads, mask = vectors()
    path(Adam(ALPHA, Regularizer("l1", LAM, mask)), params, grads)
    # Adam's first step moves each weight by α·g/(|g| + ε): about ±α, 0 where g = 0
    u = BEFORE - ALPHA * GRAD / (np.abs(GRAD) + 1e-8)
    expected = np.where(np.abs(u) <= ALPHA * LAM, 0.0, u - ALPHA * LAM * np.sign(u))
    np.testing.assert_allclose(params[:-1], expected, rtol=0, atol=1e-12)
    assert params[1] == pytest.approx(-0.5 + 0.25 + 0.125, abs=1e-8)
    assert params[2] == 0.0 and params[8] == 0.0  # |u| ≈ 5e-9, and u = 0: exactly 0
    assert params[5] == pytest.approx(-0.125, abs=1e-8)  # a zero weight Adam moves by α > αλ


def test_compiled_l1_step_reads_the_learning_rate_when_it_runs():
    params, grads, mask = vectors()
    optimizer = Optimizer(1.0, Regularizer("l1", LAM, mask))
    calls = optimizer.calls(params, grads)
    optimizer.learning_rate = ALPHA  # after compiling, as the Trainer does on the fly
    run(calls)
    np.testing.assert_array_equal(params[:-1], AFTER)


def test_l2_has_no_clip_and_l1_no_gradient_term():
    params, grads, mask = vectors()
    Optimizer(ALPHA, Regularizer("l2", LAM, mask)).update(params, grads)
    np.testing.assert_array_equal(params[:-1], BEFORE - ALPHA * (GRAD + LAM * BEFORE))
    grads = np.append(GRAD, BIAS_GRAD)
    before = grads.copy()
    Regularizer("l1", LAM, mask).add_gradient(params, grads)
    np.testing.assert_array_equal(grads, before)


def test_zero_weights_counts_weights_only():
    net = MLP([3, 4, 2, 1], seed=0)  # 12 + 8 + 2 = 22 weights, 7 biases
    net.weights[0][1, :] = 0.0
    net.weights[2][0, 0] = 0.0
    net.biases[1][:] = 0.0  # biases are not links
    assert zero_weights(net) == (5, 22)


def circle_with_l1(init_seed: int) -> Trainer:
    """The issue's setup, as the app's default Config builds it with all seven features: circle,
    500 points, no noise, half for training; 7 → 4 → 2 → 1 tanh/sigmoid, cross-entropy, SGD 0.03,
    batch 10, L1 0.01."""
    data = make_dataset("circle", n_samples=500, noise=0.0, test_fraction=0.5, seed=0)
    net = MLP([7, 4, 2, 1], activation="tanh", output_activation="sigmoid", seed=init_seed)
    return Trainer(net, data, loss="cross_entropy", optimizer="sgd", learning_rate=0.03,
                   batch_size=10, regularization="l1", regularization_rate=0.01,
                   features=FEATURES, seed=init_seed)


@pytest.mark.parametrize("init_seed", [0, 1])
def test_l1_cuts_most_first_layer_links_on_the_circle(init_seed):
    """Before the clip at zero this run ended with 0 of 38 weights at 0 (31 below 3e-4) and 314
    sign flips over its last 10 epochs (links flickering orange/blue). Measured with it, init
    seeds 0–7: 23–26 of the 28 first-layer weights are exactly 0, x₁² and x₂² always keep a
    link, the sin inputs never do, 0–1 sign flips over the last 10 epochs; test accuracy 100 %."""
    trainer = circle_with_l1(init_seed)
    trainer.step(990)
    flips, before = 0, trainer.net.params.copy()
    for _ in range(10):
        trainer.step(1)
        flips += int(np.sum(before * trainer.net.params < 0))
        before = trainer.net.params.copy()
    first = trainer.net.weights[0]
    assert np.count_nonzero(first == 0) >= 20
    assert zero_weights(trainer.net)[0] >= 25 and zero_weights(trainer.net)[1] == 38
    assert flips <= 3
    kept = {FEATURES[i] for i in np.flatnonzero(np.any(first != 0, axis=1))}
    assert {"x1^2", "x2^2"} <= kept and not {"sin(x1)", "sin(x2)"} & kept
    assert trainer.evaluate()[3] >= 0.95
    weights_sum = sum(np.abs(w).sum() for w in trainer.net.weights)
    assert trainer.regularization_penalty() == pytest.approx(0.01 * weights_sum)  # λΣ|w| as before
