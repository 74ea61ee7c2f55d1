"""The compiled training tape (Trainer's fast path) against the reference backprop MLP.loss_and_gradients
and the optimizers' readable update, with and without regularization."""

import numpy as np
import pytest

from core import FEATURES, HIDDEN_ACTIVATIONS, MLP, Trainer, make_dataset, zero_weights
from core.optimizers import make_optimizer
from core.regularization import Regularizer
from core.training import network_targets

# (hidden sizes, hidden activation, output activation, loss, dataset, features, n_samples)
CASES = [
    ([], "tanh", "sigmoid", "mse", "xor", ("x1", "x2"), 40),
    ([4, 2], "tanh", "sigmoid", "cross_entropy", "circle", ("x1", "x2"), 60),
    ([8], "tanh", "sigmoid", "cross_entropy", "spiral", FEATURES, 400),  # 1,600-element tanh
    ([8, 8], "relu", "tanh", "mse", "xor", ("x1", "x2"), 100),  # targets 2y − 1
    ([5], "sigmoid", "linear", "mse", "plane", ("x1", "x2", "x1*x2"), 50),
    ([6, 3], "leaky_relu", "tanh", "mse", "multi_gauss", ("x1", "x2"), 50),
    ([4], "elu", "softmax", "cross_entropy", "spiral3", ("x1", "x2", "sin(x1)"), 60),
    ([4], "softplus", "softmax", "mse", "blobs4", ("x1", "x2"), 40),
    ([3, 3], "sine", "sigmoid", "mse", "moons", ("x1^2", "x2^2"), 30),
    ([7], "linear", "softmax", "cross_entropy", "blobs4", ("x1", "x2"), 30),
    ([2, 3, 2], "tanh", "sigmoid", "cross_entropy", "gauss", ("x1", "x2"), 20),
]


def reference_arrays(data, features, output_activation):
    """Feature matrices and targets built here, from the dataset and the feature names."""
    columns = {"x1": lambda p: p[:, 0], "x2": lambda p: p[:, 1], "x1^2": lambda p: p[:, 0] ** 2,
               "x2^2": lambda p: p[:, 1] ** 2, "x1*x2": lambda p: p[:, 0] * p[:, 1],
               "sin(x1)": lambda p: np.sin(p[:, 0]), "sin(x2)": lambda p: np.sin(p[:, 1])}
    X = np.stack([columns[f](data.X_train) for f in features], axis=1)
    Y = data.y_train
    if data.kind == "classification" and output_activation == "tanh":
        Y = 2.0 * Y - 1.0
    return X, Y


def build(case, seed=0, **trainer_kwargs):
    hidden, act, out, loss, name, features, n = case
    data = make_dataset(name, n_samples=n, noise=0.1, seed=seed)
    net = MLP([len(features), *hidden, data.y_train.shape[1]], activation=act,
              output_activation=out, seed=seed + 1)
    net.biases[-1][:] = 0.1  # nonzero biases everywhere after the first step anyway
    trainer = Trainer(net, data, loss=loss, features=features, seed=seed, **trainer_kwargs)
    return net, data, trainer


def test_every_hidden_activation_is_covered():
    assert {case[1] for case in CASES} == set(HIDDEN_ACTIVATIONS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[4]}-{c[1]}-{c[2]}-{c[3]}-{c[0]}")
def test_full_batch_step_equals_reference_gradient_descent(case):
    alpha = 0.3
    net, data, trainer = build(case, optimizer="gd", learning_rate=alpha)
    X, Y = reference_arrays(data, case[5], case[2])
    reference = net.copy()
    for _ in range(3):  # three epochs: each is one full-batch update
        _, grads = reference.loss_and_gradients(X, Y, case[3])
        reference.params -= alpha * grads.flat
    trainer.step(3)
    np.testing.assert_allclose(net.params, reference.params, rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CASES[:4] + CASES[6:8], ids=lambda c: f"{c[4]}-{c[1]}-{c[2]}")
def test_mini_batch_epoch_equals_reference_sgd_over_the_shuffled_batches(case):
    """One SGD epoch = updates on consecutive slices of a permutation from default_rng(seed);
    n is not a multiple of the batch size, so the last, smaller batch is checked too."""
    alpha, batch, seed = 0.1, 7, 4
    net, data, trainer = build(case, seed=seed, optimizer="sgd", learning_rate=alpha,
                               batch_size=batch)
    X, Y = reference_arrays(data, case[5], case[2])
    assert len(X) % batch
    reference, rng = net.copy(), np.random.default_rng(seed)
    for _ in range(2):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch):
            rows = order[start:start + batch]
            _, grads = reference.loss_and_gradients(X[rows], Y[rows], case[3])
            reference.params -= alpha * grads.flat
    trainer.step(2)
    np.testing.assert_allclose(net.params, reference.params, rtol=0, atol=1e-12)


def l1_step_by_hand(net, step):
    """TensorFlow Playground's L1 step on every weight (never a bias), written out here:
    w' = w − step·sign(w), and 0 where that crossed zero."""
    for w in net.weights:
        shrunk = w - step * np.sign(w)
        w[:] = np.where(w * shrunk < 0, 0.0, shrunk)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[4]}-{c[1]}-{c[2]}-{c[3]}-{c[0]}")
def test_full_batch_step_with_l1_equals_reference_gradient_descent_then_the_clip(case):
    alpha, lam = 0.3, 0.3
    net, data, trainer = build(case, optimizer="gd", learning_rate=alpha, regularization="l1",
                               regularization_rate=lam)
    net.weights[0][0, 0] = -1e-3  # near zero: an L1 step of αλ = 0.09 cuts it
    X, Y = reference_arrays(data, case[5], case[2])
    reference = net.copy()
    for _ in range(3):
        _, grads = reference.loss_and_gradients(X, Y, case[3])
        reference.params -= alpha * grads.flat
        l1_step_by_hand(reference, alpha * lam)
    trainer.step(3)
    np.testing.assert_allclose(net.params, reference.params, rtol=0, atol=1e-12)
    zero, total = zero_weights(net)
    assert 0 < zero < total  # the clip happened, and not to every weight
    np.testing.assert_array_equal(net.params == 0, reference.params == 0)  # exactly the same zeros


@pytest.mark.parametrize("regularization", ["l1", "l2"])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_compiled_epoch_equals_the_readable_update_over_the_shuffled_batches(optimizer,
                                                                              regularization):
    """The Trainer's tape (Optimizer.calls) against MLP.loss_and_gradients and a twin optimizer's
    readable `update`, batch by batch, for two epochs."""
    case, alpha, lam, batch, seed = CASES[1], 0.1, 0.3, 7, 2
    net, data, trainer = build(case, seed=seed, optimizer=optimizer, learning_rate=alpha,
                               batch_size=batch, regularization=regularization,
                               regularization_rate=lam)
    X, Y = reference_arrays(data, case[5], case[2])
    reference, rng = net.copy(), np.random.default_rng(seed)
    twin = make_optimizer(optimizer, alpha, Regularizer(regularization, lam,
                                                        trainer.regularizer.mask.copy()))
    for _ in range(2):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch):
            rows = order[start:start + batch]
            _, grads = reference.loss_and_gradients(X[rows], Y[rows], case[3])
            twin.update(reference.params, grads.flat)
    trainer.step(2)
    np.testing.assert_allclose(net.params, reference.params, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(net.params == 0, reference.params == 0)
    if regularization == "l1":  # 3 (Adam) to 9 of the 18 weights are cut: the clip ran
        assert 0 < zero_weights(net)[0] < 18


@pytest.mark.parametrize("case", CASES[:6], ids=lambda c: f"{c[4]}-{c[1]}-{c[2]}")
def test_recorded_losses_equal_the_reference_loss(case):
    net, data, trainer = build(case, optimizer="adam", learning_rate=0.01)
    trainer.step(2)
    X, Y = reference_arrays(data, case[5], case[2])
    assert trainer.history.train_loss[-1] == pytest.approx(net.loss(X, Y, case[3]), rel=1e-12)


def test_tanh_targets_are_plus_minus_one_for_classification_only():
    y = np.array([[0.0], [1.0]])
    np.testing.assert_array_equal(network_targets(y, "classification", "tanh"), [[-1.0], [1.0]])
    np.testing.assert_array_equal(network_targets(y, "classification", "sigmoid"), y)
    np.testing.assert_array_equal(network_targets(y, "regression", "tanh"), y)
