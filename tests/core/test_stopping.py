"""Stop conditions: at an epoch, or after `patience` epochs without a lower test loss; re-arming."""

import numpy as np
import pytest

from core import MLP, Dataset, Trainer, make_dataset

X = np.array([[1.0, 2.0], [-1.5, 0.5], [3.0, -2.0], [0.2, 0.1], [-4.0, -3.0]])
Y = np.array([[1.0], [0.0], [1.0], [0.0], [1.0]])


def perceptron(train_y, test_y, **kwargs):
    data = Dataset("hand", "classification", 2, X, train_y, X, test_y)
    return Trainer(MLP([2, 1], seed=0), data, optimizer="gd", learning_rate=0.5, **kwargs)


def noisy_session():
    data = make_dataset("xor", n_samples=60, noise=0.5, seed=0)
    return Trainer(MLP([2, 8, 8, 1], seed=0), data, optimizer="adam", learning_rate=0.05,
                   batch_size=10, seed=0)


def test_stops_at_the_epoch_and_rearms_for_a_later_one():
    trainer = perceptron(Y, Y)
    assert trainer.stopped is None
    trainer.set_stop(at_epoch=7)
    assert trainer.step(3) == 3 and trainer.stopped is None
    assert trainer.step(100) == 4 and trainer.epoch == 7
    assert trainer.stopped == "reached epoch 7"
    assert trainer.step(5) == 0 and trainer.epoch == 7 and len(trainer.history) == 7
    trainer.set_stop(at_epoch=10)
    assert trainer.stopped is None
    assert trainer.step(100) == 3 and trainer.epoch == 10 and trainer.stopped == "reached epoch 10"
    trainer.set_stop()  # no conditions
    assert trainer.stopped is None and trainer.step(2) == 2


def test_an_epoch_already_passed_stops_at_once():
    trainer = perceptron(Y, Y)
    trainer.step(5)
    trainer.set_stop(at_epoch=3)
    assert trainer.stopped == "reached epoch 3" and trainer.step(1) == 0 and trainer.epoch == 5


def test_patience_stops_after_exactly_that_many_epochs_of_rising_test_loss():
    trainer = perceptron(Y, 1.0 - Y)  # the test labels are the opposite: learning makes them worse
    initial = trainer.evaluate()[1]
    trainer.set_stop(patience=4)
    assert trainer.step(100) == 4 and trainer.epoch == 4
    assert np.all(np.diff(np.append(initial, trainer.history.test_loss)) > 0)
    assert trainer.stopped == "test loss has not improved for 4 epochs"
    assert trainer.step(10) == 0
    trainer.set_stop(patience=4)  # re-armed: counts afresh from here
    assert trainer.stopped is None and trainer.step(100) == 4 and trainer.epoch == 8


def test_an_equal_test_loss_is_not_an_improvement():
    # both training points sit at x = (1, 0) with labels 1 and 0: at w = b = 0 the gradient is 0
    data = Dataset("flat", "classification", 2, np.array([[1.0, 0.0], [1.0, 0.0]]),
                   np.array([[1.0], [0.0]]), X, Y)
    trainer = Trainer(MLP([2, 1], init="zeros"), data, optimizer="gd")
    trainer.set_stop(patience=1)
    assert trainer.step(10) == 1 and trainer.stopped == "test loss has not improved for 1 epoch"
    assert trainer.history.test_loss[0] == trainer.evaluate()[1]


def expected_stop(initial_loss, test_losses, patience):
    """The epoch (1-based) after which `patience` epochs in a row brought no lower test loss."""
    best, waited = initial_loss, 0
    for epoch, loss in enumerate(test_losses, start=1):
        best, waited = (loss, 0) if loss < best else (best, waited + 1)
        if waited == patience:
            return epoch
    raise AssertionError("the reference run never stops")


@pytest.mark.parametrize("patience", [3, 10])
def test_patience_stops_at_the_same_epoch_as_a_reference_run(patience):
    reference = noisy_session()
    initial = reference.evaluate()[1]
    reference.step(80)
    losses = reference.history.test_loss
    stop = expected_stop(initial, losses, patience)
    assert np.any(losses[1:stop] > np.minimum.accumulate(losses)[:stop - 1])  # some epochs waited
    assert np.any(np.diff(losses[:stop]) < 0)  # and some improved
    trainer = noisy_session()
    trainer.set_stop(patience=patience)
    ran = 0
    while trainer.step(1):  # one epoch at a time, as the app steps it
        ran += 1
    assert ran == stop == trainer.epoch
    assert trainer.stopped == f"test loss has not improved for {patience} epochs"
    np.testing.assert_array_equal(trainer.history.test_loss, losses[:stop])


def test_patience_counts_every_epoch_even_when_history_keeps_only_some():
    full, thinned = noisy_session(), noisy_session()
    thinned.history = type(thinned.history)(capacity=4)  # keeps every 2nd, 4th, ... epoch
    for trainer in (full, thinned):
        trainer.set_stop(patience=10)
        trainer.step(500)
    assert thinned.epoch == full.epoch and len(thinned.history) < full.epoch


def test_the_first_condition_to_hold_wins():
    trainer = perceptron(Y, 1.0 - Y)
    trainer.set_stop(at_epoch=2, patience=4)
    assert trainer.step(100) == 2 and trainer.stopped == "reached epoch 2"
    trainer.set_stop(at_epoch=50, patience=3)
    assert trainer.step(100) == 3 and trainer.stopped == "test loss has not improved for 3 epochs"


@pytest.mark.parametrize("kwargs", [{"at_epoch": -1}, {"at_epoch": 2.5}, {"at_epoch": "300"},
                                    {"patience": 0}, {"patience": True}, {"patience": 1.0}])
def test_bad_conditions_raise_value_error_and_keep_the_old_ones(kwargs):
    trainer = perceptron(Y, Y)
    trainer.set_stop(at_epoch=4)
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        trainer.set_stop(**kwargs)
    assert trainer.step(10) == 4
