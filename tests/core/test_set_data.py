"""Trainer.set_data: new points from the same generator, the same network trained on."""

import numpy as np
import pytest

from core import MLP, Trainer, make_dataset


def trainer(data, optimizer="gd"):
    net = MLP([2, 3, 1], seed=1)
    return Trainer(net, data, optimizer=optimizer, learning_rate=0.1, batch_size=5, seed=0)


def test_new_points_keep_the_network_epoch_and_history():
    old, new = (make_dataset("circle", n_samples=60, noise=0.1, seed=s) for s in (0, 1))
    t = trainer(old)
    t.step(3)
    params, history = t.net.params.copy(), list(t.history.train_loss)
    t.set_data(new)
    assert t.data is new and t.epoch == 3
    np.testing.assert_array_equal(t.net.params, params)
    assert list(t.history.train_loss) == history


def test_the_next_epoch_trains_on_the_new_points():
    old, new = (make_dataset("xor", n_samples=60, noise=0.1, seed=s) for s in (0, 1))
    switched = trainer(old)
    switched.step(2)
    fresh = trainer(new)  # same initial weights, then the same parameters as `switched`
    fresh.net.params[:] = switched.net.params
    switched.set_data(new)
    switched.step(1)
    fresh.step(1)  # full-batch gradient descent: nothing random
    np.testing.assert_allclose(switched.net.params, fresh.net.params, rtol=0, atol=1e-12)
    assert switched.history.test_loss[-1] == pytest.approx(fresh.history.test_loss[-1], abs=1e-12)


def test_mini_batches_follow_the_new_training_set_size():
    old = make_dataset("gauss", n_samples=40, seed=0)
    new = make_dataset("gauss", n_samples=100, seed=1)
    t = trainer(old, optimizer="sgd")
    t.set_data(new)
    assert t.step(2) == 2 and np.isfinite(t.history.train_loss[-1])


def test_data_of_another_problem_is_refused():
    t = trainer(make_dataset("circle", n_samples=40, seed=0))
    with pytest.raises(ValueError, match="classification"):
        t.set_data(make_dataset("plane", n_samples=40, seed=0))
