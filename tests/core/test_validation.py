"""Invalid choices raise ValueError naming the valid ones."""

import numpy as np
import pytest

from core import MLP, Trainer, make_dataset
from core.features import feature_map

XOR = make_dataset("xor", n_samples=20, seed=0)
PLANE = make_dataset("plane", n_samples=20, seed=0)
BLOBS = make_dataset("blobs4", n_samples=20, seed=0)


@pytest.mark.parametrize("name", ["swish", "Tanh", ""])
def test_unknown_hidden_activation(name):
    with pytest.raises(ValueError, match="tanh, sigmoid, relu"):
        MLP([2, 3, 1], activation=name)


def test_softmax_is_not_a_hidden_activation():
    with pytest.raises(ValueError, match="choose one of tanh, sigmoid, relu") as error:
        MLP([2, 3, 3], activation="softmax", output_activation="softmax")
    assert "'softmax'" in str(error.value)


@pytest.mark.parametrize("name", ["relu", "swish"])
def test_unknown_output_activation(name):
    with pytest.raises(ValueError, match="sigmoid, tanh, linear, softmax"):
        MLP([2, 1], output_activation=name)


def test_softmax_needs_two_outputs():
    with pytest.raises(ValueError, match="softmax"):
        MLP([2, 1], output_activation="softmax")


@pytest.mark.parametrize("output", ["tanh", "linear"])
def test_cross_entropy_needs_sigmoid_or_softmax(output):
    net = MLP([2, 1], output_activation=output)
    for call in (net.loss, net.loss_and_gradients):
        with pytest.raises(ValueError, match="sigmoid or softmax"):
            call(np.zeros((2, 2)), np.zeros((2, 1)), "cross_entropy")
    with pytest.raises(ValueError, match="sigmoid or softmax"):
        Trainer(net, PLANE, loss="cross_entropy")


def test_unknown_loss():
    net = MLP([2, 1])
    with pytest.raises(ValueError, match="mse, cross_entropy"):
        net.loss_and_gradients(np.zeros((2, 2)), np.zeros((2, 1)), "hinge")
    with pytest.raises(ValueError, match="mse, cross_entropy"):
        Trainer(net, XOR, loss="hinge")


@pytest.mark.parametrize("sizes", [[2], [], [2, 0, 1], [2, -3, 1], [2.5, 1], [0, 1]])
def test_bad_layer_sizes(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        MLP(sizes)


def test_wrong_number_of_hidden_activations():
    with pytest.raises(ValueError, match="2 hidden activations"):
        MLP([2, 3, 3, 1], activation=["tanh"])


def test_unknown_init():
    with pytest.raises(ValueError, match="auto, xavier, he, zeros"):
        MLP([2, 1], init="uniform")


def test_unknown_optimizer_in_trainer():
    with pytest.raises(ValueError, match="gd, sgd, momentum, adam"):
        Trainer(MLP([2, 1]), XOR, optimizer="lbfgs")


def test_unknown_regularization_in_trainer():
    with pytest.raises(ValueError, match="none, l1, l2"):
        Trainer(MLP([2, 1]), XOR, regularization="elastic", regularization_rate=0.1)


@pytest.mark.parametrize("rate", [-0.1, float("nan")])
def test_bad_regularization_rate(rate):
    with pytest.raises(ValueError, match="regularization_rate"):
        Trainer(MLP([2, 1]), XOR, regularization="l2", regularization_rate=rate)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        Trainer(MLP([2, 1]), XOR, batch_size=batch_size)


def test_unknown_dataset():
    with pytest.raises(ValueError, match="circle, xor, gauss, spiral"):
        make_dataset("iris")


@pytest.mark.parametrize("kwargs", [{"n_samples": 2}, {"n_samples": 10**6}, {"noise": -0.1},
                                    {"noise": 5.0}, {"test_fraction": 0.0},
                                    {"test_fraction": 1.0}])
def test_bad_dataset_arguments(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        make_dataset("circle", **kwargs)


@pytest.mark.parametrize("features", [["x3"], ["x1", "x1"], [], ["x1", "cos(x1)"]])
def test_bad_features(features):
    with pytest.raises(ValueError, match=r"x1, x2, x1\^2, x2\^2, x1\*x2, sin\(x1\), sin\(x2\)"):
        feature_map(np.zeros((1, 2)), features)
    with pytest.raises(ValueError, match="features"):
        Trainer(MLP([max(len(features), 1), 1]), XOR, features=features)


def test_trainer_input_size_must_match_the_features():
    with pytest.raises(ValueError, match="3 inputs but 2 features"):
        Trainer(MLP([3, 1]), XOR)
    with pytest.raises(ValueError, match="2 inputs but 3 features"):
        Trainer(MLP([2, 1]), XOR, features=("x1", "x2", "x1*x2"))


def test_trainer_output_size_must_match_the_data():
    with pytest.raises(ValueError, match="1 output"):
        Trainer(MLP([2, 2], output_activation="softmax"), XOR)
    with pytest.raises(ValueError, match="4 output"):
        Trainer(MLP([2, 3], output_activation="softmax"), BLOBS)


def test_multiclass_needs_softmax():
    with pytest.raises(ValueError, match="softmax"):
        Trainer(MLP([2, 4], output_activation="sigmoid"), BLOBS)


def test_regression_needs_tanh_or_linear_output():
    with pytest.raises(ValueError, match="'tanh' or 'linear'"):
        Trainer(MLP([2, 1], output_activation="sigmoid"), PLANE)


@pytest.mark.parametrize("resolution", [1, 401])
def test_surface_resolution_bounds(resolution):
    with pytest.raises(ValueError, match="resolution"):
        Trainer(MLP([2, 1]), XOR).surface(resolution)
