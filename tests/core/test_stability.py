"""No overflow, NaN or warning at |z| = 1000 (pyproject also turns RuntimeWarnings into errors)."""

import warnings

import numpy as np
import pytest

from core import MLP, Trainer, make_dataset

STRICT = {"over": "raise", "invalid": "raise", "divide": "raise"}
X = np.array([[1.0], [-1.0]])  # with weight 1000: z = +1000 and z = −1000


def huge_net(output, k):
    net = MLP([1, k], output_activation=output, init="zeros")
    net.weights[0][0, :] = 1000.0 * np.array([1.0, -1.0, 0.5, 0.0][:k])
    return net


# expected: the exact loss in the limit (None: not checked). Logits per sample are ±1000·w.
@pytest.mark.parametrize(("output", "loss", "k", "Y", "expected"), [
    ("sigmoid", "mse", 1, [[0.0], [1.0]], 1.0),
    ("sigmoid", "cross_entropy", 1, [[0.0], [1.0]], 1000.0),  # confidently wrong: C = |z|
    ("sigmoid", "cross_entropy", 1, [[1.0], [0.0]], 0.0),  # confidently right
    ("tanh", "mse", 1, [[-1.0], [1.0]], 4.0),
    ("softmax", "mse", 3, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], 2.0 / 3.0),
    ("softmax", "cross_entropy", 3, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], 2000.0),  # max z − z_y
    ("softmax", "cross_entropy", 2, [[1.0, 0.0], [0.0, 1.0]], 0.0),
])
def test_forward_loss_and_gradients_are_finite_at_huge_z(output, loss, k, Y, expected):
    net = huge_net(output, k)
    Y = np.array(Y)
    with warnings.catch_warnings(), np.errstate(**STRICT):
        warnings.simplefilter("error")
        out = net.forward(X)
        value, grads = net.loss_and_gradients(X, Y, loss)
    assert np.all(np.isfinite(out)) and np.isfinite(value) and np.all(np.isfinite(grads.flat))
    assert np.all((out >= -1) & (out <= 1))
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_sigmoid_saturates_to_exact_zero_and_one():
    out = huge_net("sigmoid", 1).forward(X)
    np.testing.assert_array_equal(out, [[1.0], [0.0]])


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "leaky_relu", "elu", "softplus"])
def test_hidden_activations_are_finite_at_huge_z(activation):
    net = MLP([1, 2, 1], activation=activation, output_activation="sigmoid", init="zeros")
    net.weights[0][0, :] = [1000.0, -1000.0]
    net.weights[1][:, 0] = [1e-3, 1e-3]
    with warnings.catch_warnings(), np.errstate(**STRICT):
        warnings.simplefilter("error")
        value, grads = net.loss_and_gradients(X, np.array([[1.0], [0.0]]), "cross_entropy")
    assert np.isfinite(value) and np.all(np.isfinite(grads.flat))


@pytest.mark.parametrize(("activation", "output"), [("tanh", "sigmoid"), ("sigmoid", "sigmoid"),
                                                    ("relu", "tanh"), ("tanh", "softmax")])
def test_trainer_steps_with_huge_weights_without_warnings(activation, output):
    data = make_dataset("blobs4" if output == "softmax" else "xor", n_samples=300, seed=0)
    net = MLP([2, 30, data.y_train.shape[1]], activation=activation, output_activation=output,
              seed=0)
    net.params *= 1000.0
    trainer = Trainer(net, data, optimizer="sgd", learning_rate=0.01, batch_size=200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning at all, DeprecationWarning included
        trainer.step(2)
        surface = trainer.surface(20)
    assert np.all(np.isfinite(trainer.history.train_loss)) and not trainer.diverged
    assert np.all(np.isfinite(surface.output))
