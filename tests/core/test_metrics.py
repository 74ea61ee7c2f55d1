"""Metrics beyond the loss, against numbers worked out by hand, and Trainer.metrics on hand-set networks."""

import dataclasses
import math

import numpy as np
import pytest

from core import MLP, Dataset, Metrics, Trainer, accuracy, confusion_matrix, r2_score, rmse

# --- the functions ---------------------------------------------------------------------------

LABELS = [0, 1, 1, 0, 2]
PREDICTED = [0, 1, 0, 0, 1]  # right, right, wrong (1 → 0), right, wrong (2 → 1)


def test_accuracy_is_the_fraction_right():
    assert accuracy(LABELS, PREDICTED) == 3 / 5
    assert accuracy([1, 1], [1, 1]) == 1.0
    assert accuracy([1, 0], [0, 1]) == 0.0


def test_confusion_rows_are_true_classes_and_columns_predicted():
    expected = [[2, 0, 0],   # both true 0s predicted 0
                [1, 1, 0],   # true 1s: one predicted 0, one predicted 1
                [0, 1, 0]]   # the true 2 predicted 1
    confusion = confusion_matrix(LABELS, PREDICTED, 3)
    np.testing.assert_array_equal(confusion, expected)
    assert confusion.dtype.kind == "i"
    np.testing.assert_array_equal(confusion_matrix([0, 0], [0, 0], 4), [[2, 0, 0, 0]] + [[0] * 4] * 3)


@pytest.mark.parametrize(("labels", "predicted", "k"), [
    ([0, 3], [0, 1], 3), ([0, 1], [0, -1], 2), ([0, 1], [0], 2), ([[0, 1]], [[0, 1]], 2),
])
def test_confusion_and_accuracy_reject_bad_input(labels, predicted, k):
    with pytest.raises(ValueError):
        confusion_matrix(labels, predicted, k)
    if np.shape(labels) != np.shape(predicted) or np.ndim(labels) != 1:
        with pytest.raises(ValueError):
            accuracy(labels, predicted)


def test_rmse_and_r2_by_hand():
    # residuals 0, 0, −2: mean square 4/3; ȳ = 2: SS_tot = 1 + 0 + 1 = 2, SS_res = 4
    assert rmse([1, 2, 3], [1, 2, 5]) == pytest.approx(2 / math.sqrt(3), rel=1e-15)
    assert r2_score([1, 2, 3], [1, 2, 5]) == pytest.approx(1 - 4 / 2, rel=1e-15)
    # residuals −1, 0, 1, 0: SS_res = 2; ȳ = 3: SS_tot = 9 + 1 + 1 + 9 = 20
    assert r2_score([0, 2, 4, 6], [1, 2, 3, 6]) == pytest.approx(0.9, rel=1e-15)
    assert rmse([0, 2, 4, 6], [1, 2, 3, 6]) == pytest.approx(math.sqrt(0.5), rel=1e-15)
    assert r2_score([1.0, -1.0], [1.0, -1.0]) == 1.0 and rmse([1.0, -1.0], [1.0, -1.0]) == 0.0


def test_rmse_and_r2_of_several_outputs_pool_every_entry():
    y, y_hat = [[1, 0], [3, 4]], [[1, 1], [2, 4]]
    # residuals 0, −1, 1, 0: SS_res = 2; column means (2, 2): SS_tot = (1 + 1) + (4 + 4) = 10
    assert rmse(y, y_hat) == pytest.approx(math.sqrt(2 / 4), rel=1e-15)
    assert r2_score(y, y_hat) == pytest.approx(1 - 2 / 10, rel=1e-15)


def test_r2_of_constant_targets_is_nan_without_a_warning():
    assert math.isnan(r2_score([0.5, 0.5, 0.5], [0.4, 0.5, 0.6]))  # RuntimeWarning would fail here
    assert math.isnan(r2_score([[1.0], [1.0]], [[1.0], [1.0]]))


@pytest.mark.parametrize(("y", "y_hat"), [([1, 2], [1, 2, 3]), ([], []), ([[[1.0]]], [[[1.0]]])])
def test_regression_metrics_reject_bad_shapes(y, y_hat):
    for metric in (rmse, r2_score):
        with pytest.raises(ValueError):
            metric(y, y_hat)


# --- Trainer.metrics on networks whose outputs we know: z = x1 --------------------------------

def column(values):
    return np.array(values, dtype=float).reshape(-1, 1)


def points(x1):
    return np.stack([np.array(x1, dtype=float), np.zeros(len(x1))], axis=1)  # x2 = 0


BINARY = Dataset("hand", "classification", 2, points([1, -1]), column([1, 1]),
                 points([2, -1, 3, -2, -3]), column([1, 1, 0, 0, 0]))


def binary_trainer(output="sigmoid", optimizer="gd", **kwargs):
    net = MLP([2, 1], output_activation=output, init="zeros")
    net.weights[0][:, 0] = [1.0, -0.5]  # z = x1 (x2 is 0 everywhere)
    loss = "cross_entropy" if output == "sigmoid" else "mse"
    return Trainer(net, BINARY, loss=loss, optimizer=optimizer, batch_size=1, **kwargs)


@pytest.mark.parametrize("optimizer", ["gd", "sgd"])  # full-batch and mini-batch evaluation paths
@pytest.mark.parametrize("output", ["sigmoid", "tanh"])
def test_binary_classification_metrics_by_hand(output, optimizer):
    trainer = binary_trainer(output, optimizer)
    test = trainer.metrics("test")
    # z = 2, −1, 3, −2, −3 → predicted 1, 0, 1, 0, 0; true 1, 1, 0, 0, 0
    assert test.accuracy == 3 / 5
    np.testing.assert_array_equal(test.confusion, [[2, 1], [1, 1]])
    if output == "sigmoid":  # log(1 + e^z) − y z per point
        expected = (math.log1p(math.exp(-2)) + math.log1p(math.e) + math.log1p(math.exp(3))
                    + math.log1p(math.exp(-2)) + math.log1p(math.exp(-3))) / 5
    else:  # targets ±1: mean of (y − tanh z)²
        expected = ((1 - math.tanh(2)) ** 2 + (1 - math.tanh(-1)) ** 2 + (-1 - math.tanh(3)) ** 2
                    + (-1 - math.tanh(-2)) ** 2 + (-1 - math.tanh(-3)) ** 2) / 5
    assert test.loss == pytest.approx(expected, rel=1e-12)
    assert test.loss == trainer.evaluate()[1]
    assert test.penalty == 0.0 and test.total == test.loss
    assert math.isnan(test.rmse) and math.isnan(test.r2)
    train = trainer.metrics("train")  # z = 1, −1; both true 1
    assert train.accuracy == 0.5 and train.loss == trainer.evaluate()[0]
    np.testing.assert_array_equal(train.confusion, [[0, 0], [1, 1]])


@pytest.mark.parametrize(("kind", "rate", "penalty"), [
    ("l2", 0.1, 0.1 * 0.5 * (1.0 ** 2 + 0.5 ** 2)),  # λ·½Σw², biases excluded
    ("l1", 0.2, 0.2 * (1.0 + 0.5)),                   # λΣ|w|
])
def test_loss_is_shown_with_and_without_the_penalty(kind, rate, penalty):
    trainer = binary_trainer(regularization=kind, regularization_rate=rate)
    trainer.net.biases[0][0] = 7.0  # not penalised
    metrics = trainer.metrics()
    assert metrics.penalty == pytest.approx(penalty, rel=1e-15)
    assert metrics.penalty == trainer.regularization_penalty()
    assert metrics.total == pytest.approx(metrics.loss + penalty, rel=1e-15)
    assert metrics.loss == trainer.evaluate()[1]  # the data loss alone


def test_multiclass_accuracy_and_confusion_by_hand():
    X = np.array([[2, 0], [0, 2], [0, 0], [1, 0], [0, 0.3]], dtype=float)
    labels = np.array([0, 1, 2, 1, 1])
    data = Dataset("hand3", "classification", 3, X, np.eye(3)[labels], X, np.eye(3)[labels])
    net = MLP([2, 3], output_activation="softmax", init="zeros")
    net.weights[0][:] = [[1, 0, 0], [0, 1, 0]]
    net.biases[0][:] = [0, 0, 0.5]  # z = (x1, x2, 0.5)
    metrics = Trainer(net, data, optimizer="gd").metrics()
    # argmax z: 0, 1, 2, 0, 2 against true 0, 1, 2, 1, 1
    assert metrics.accuracy == 3 / 5
    np.testing.assert_array_equal(metrics.confusion, [[1, 0, 0], [1, 1, 1], [0, 0, 1]])


def test_regression_rmse_and_r2_by_hand():
    data = Dataset("line", "regression", 0, points([0, 1]), column([0, 1]),
                   points([0, 0.5, 1]), column([0, 1, 1]))
    net = MLP([2, 1], output_activation="linear", init="zeros")
    net.weights[0][0, 0] = 1.0  # ŷ = x1
    metrics = Trainer(net, data, loss="mse").metrics()
    # residuals 0, 0.5, 0; ȳ = 2/3: SS_tot = 4/9 + 1/9 + 1/9 = 2/3
    assert metrics.loss == pytest.approx(0.25 / 3, rel=1e-15)
    assert metrics.rmse == pytest.approx(0.5 / math.sqrt(3), rel=1e-15)
    assert metrics.r2 == pytest.approx(1 - 0.25 / (2 / 3), rel=1e-15)
    assert math.isnan(metrics.accuracy) and metrics.confusion is None


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weights_give_nan_fields_not_an_error(bad):
    trainer = binary_trainer(regularization="l2", regularization_rate=0.1)
    trainer.net.params[0] = bad
    metrics = trainer.metrics()
    assert all(math.isnan(getattr(metrics, f)) for f in ("loss", "penalty", "total", "accuracy",
                                                          "rmse", "r2"))
    assert metrics.confusion is None


def test_unknown_split_names_the_valid_ones():
    with pytest.raises(ValueError, match="train, test"):
        binary_trainer().metrics("validation")


def test_metrics_are_immutable():
    metrics = binary_trainer().metrics()
    assert isinstance(metrics, Metrics)
    with pytest.raises(dataclasses.FrozenInstanceError):
        metrics.loss = 0.0
    with pytest.raises(ValueError):
        metrics.confusion[0, 0] = 5
