"""Hand-edited weights and biases: validated, seen at once everywhere, and trained on from there."""

import math

import numpy as np
import pytest

from core import MLP, Trainer, make_dataset


def trainer_for(optimizer="gd", hidden=(3, 2), seed=0, **kwargs):
    data = make_dataset("circle", n_samples=40, noise=0.1, seed=seed)
    net = MLP([2, *hidden, 1], activation="tanh", output_activation="sigmoid", seed=seed)
    return Trainer(net, data, optimizer=optimizer, learning_rate=0.1, batch_size=7, seed=seed, **kwargs)


def reference_loss(trainer, X, Y):
    return trainer.net.copy().loss(X, Y, trainer.loss)


def test_set_weight_and_set_bias_write_the_named_parameter():
    trainer = trainer_for()
    net, before = trainer.net, trainer.net.params.copy()
    trainer.set_weight(1, 2, 0, 0.75)
    trainer.set_bias(2, 0, -1.25)  # the output neuron's bias
    trainer.set_bias(0, 1, np.float32(0.5))
    assert net.weights[1][2, 0] == 0.75 and net.biases[2][0] == -1.25 and net.biases[0][1] == 0.5
    changed = np.flatnonzero(net.params != before)
    assert len(changed) == 3


def test_a_perceptron_edit_changes_the_prediction_by_the_formula():
    data = make_dataset("gauss", n_samples=20, seed=0)
    trainer = Trainer(MLP([2, 1], output_activation="sigmoid", seed=0), data)
    trainer.set_weight(0, 0, 0, 2.0)
    trainer.set_weight(0, 1, 0, -1.0)
    trainer.set_bias(0, 0, 0.5)
    z = 2.0 * 1.5 - 1.0 * 4.0 + 0.5  # w·x + b at the point (1.5, 4)
    assert trainer.predict([[1.5, 4.0]])[0, 0] == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-15)


@pytest.mark.parametrize("optimizer", ["gd", "sgd"])
def test_after_an_edit_everything_reflects_it_at_once(optimizer):
    trainer = trainer_for(optimizer)
    trainer.step(5)  # warm every cache: the full-batch forward buffers hold the epoch-5 pass
    trainer.evaluate()
    trainer.metrics()
    epoch, rows = trainer.epoch, len(trainer.history)
    trainer.set_weight(0, 1, 2, 3.0)
    trainer.set_bias(1, 0, -2.0)
    train_loss, test_loss, *_ = trainer.evaluate()
    assert train_loss == pytest.approx(reference_loss(trainer, trainer.X_train, trainer.y_train), rel=1e-12)
    assert test_loss == pytest.approx(reference_loss(trainer, trainer.X_test, trainer.y_test), rel=1e-12)
    assert trainer.metrics("train").loss == train_loss and trainer.metrics().loss == test_loss
    fresh = trainer.net.copy()
    grid = trainer.surface(5)
    point = [grid.xs[3], grid.ys[1]]
    assert trainer.predict([point])[0, 0] == fresh.forward(np.array([point]))[0, 0]
    assert grid.output[1, 3, 0] == pytest.approx(trainer.predict([point])[0, 0], abs=1e-6)
    assert trainer.epoch == epoch and len(trainer.history) == rows


@pytest.mark.parametrize(("edit", "args"), [("set_weight", (0, 1, 2, 3.0)), ("set_weight", (2, 1, 0, -4.0)),
                                            ("set_bias", (2, 0, 1.5)), ("set_bias", (0, 2, -0.7))])
def test_one_full_batch_epoch_trains_from_the_edited_weights(edit, args):
    alpha = 0.1
    trainer = trainer_for("gd")
    trainer.step(3)
    getattr(trainer, edit)(*args)
    reference = trainer.net.copy()
    _, grads = reference.loss_and_gradients(trainer.X_train, trainer.y_train, trainer.loss)
    reference.params -= alpha * grads.flat
    assert trainer.step(1) == 1 and trainer.epoch == 4
    np.testing.assert_allclose(trainer.net.params, reference.params, rtol=0, atol=1e-13)
    assert trainer.history.train_loss[-1] == pytest.approx(
        reference.loss(trainer.X_train, trainer.y_train, trainer.loss), rel=1e-12)


def test_a_mini_batch_epoch_trains_from_the_edited_weights():
    trainer = trainer_for("sgd")
    trainer.step(3)
    trainer.set_weight(1, 0, 1, 2.5)
    twin = Trainer(trainer.net.copy(), trainer.data, optimizer="sgd", learning_rate=0.1, batch_size=7)
    twin._rng.bit_generator.state = trainer._rng.bit_generator.state  # the same batch order
    trainer.step(1)
    twin.step(1)
    np.testing.assert_allclose(trainer.net.params, twin.net.params, rtol=0, atol=1e-13)


def test_the_optimizer_state_is_kept_across_an_edit():
    mu, alpha = 0.9, 0.1
    trainer = trainer_for("momentum")
    trainer.step(2)
    velocity = trainer.optimizer.velocity.copy()
    trainer.set_bias(2, 0, 0.3)
    trainer._rng.bit_generator.state = np.random.default_rng(5).bit_generator.state
    order = np.random.default_rng(5).permutation(len(trainer.X_train))
    reference = trainer.net.copy()
    for start in range(0, len(order), 7):  # v ← μv − αg; w ← w + v over the shuffled batches
        batch = order[start:start + 7]
        _, grads = reference.loss_and_gradients(trainer.X_train[batch], trainer.y_train[batch], trainer.loss)
        velocity = mu * velocity - alpha * grads.flat
        reference.params += velocity
    trainer.step(1)
    np.testing.assert_allclose(trainer.net.params, reference.params, rtol=0, atol=1e-12)


def test_an_edit_clears_divergence_when_every_parameter_is_finite():
    data = make_dataset("xor", n_samples=100, seed=0)
    net = MLP([2, 8, 1], activation="relu", output_activation="linear", seed=0)
    trainer = Trainer(net, data, loss="mse", optimizer="sgd", learning_rate=1e3)
    trainer.step(50)
    assert trainer.diverged and trainer.step(1) == 0
    trainer.learning_rate = 1e-3
    trainer.set_weight(0, 0, 0, 0.1)
    assert not trainer.diverged
    assert trainer.step(2) == 2 and not trainer.diverged


def test_an_edit_leaves_a_network_with_nan_elsewhere_diverged():
    trainer = trainer_for()
    trainer.net.params[0] = np.nan
    trainer.set_bias(0, 0, 1.0)
    assert trainer.diverged


@pytest.mark.parametrize(("edit", "args", "message"), [
    ("set_weight", (3, 0, 0, 1.0), "layer must be an integer from 0 to 2, got 3"),
    ("set_weight", (-1, 0, 0, 1.0), "layer"),
    ("set_weight", (0, 2, 0, 1.0), "i must be an integer from 0 to 1, got 2"),
    ("set_weight", (1, 0, 2, 1.0), "j must be an integer from 0 to 1, got 2"),
    ("set_weight", (0, 1.0, 0, 1.0), "i must be an integer"),
    ("set_weight", (True, 0, 0, 1.0), "layer"),
    ("set_weight", (0, 0, 0, float("nan")), "finite number"),
    ("set_weight", (0, 0, 0, float("inf")), "finite number"),
    ("set_weight", (0, 0, 0, "1.5"), "finite number"),
    ("set_weight", (0, 0, 0, None), "finite number"),
    ("set_bias", (3, 0, 1.0), "layer must be an integer from 0 to 2"),
    ("set_bias", (2, 1, 1.0), "j must be an integer from 0 to 0, got 1"),
    ("set_bias", (0, 0, -np.inf), "finite number"),
])
def test_bad_edits_raise_value_error_and_change_nothing(edit, args, message):
    trainer = trainer_for()
    before = trainer.net.params.copy()
    with pytest.raises(ValueError, match=message):
        getattr(trainer, edit)(*args)
    np.testing.assert_array_equal(trainer.net.params, before)
