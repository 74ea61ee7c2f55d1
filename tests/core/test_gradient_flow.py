"""core.gradient_flow: the Gradients view's numbers against loss_and_gradients and per-sample
backprop computed here, the capped history of gradient sizes, and the vanishing-gradient lesson."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import HIDDEN_ACTIVATIONS, MLP, Trainer, make_dataset
from core.gradient_flow import (
    GradientSizeHistory,
    gradient_view,
    layer_gradient_sizes,
)

RNG = np.random.default_rng(3)

# The lesson's settings, as Config fields (playground/config.py): a deep sigmoid network that does
# not learn the circle, and the same network with ReLU or tanh that does (see the last tests).
VANISHING_GRADIENT_LESSON = {
    "dataset": "circle", "noise": 0, "n_samples": 500, "train_percent": 50, "seed": 0,
    "features": ("x1", "x2"), "hidden": (8, 8, 8, 8, 8, 8), "activation": "sigmoid", "init": "auto",
    "init_seed": 0, "output_activation": "sigmoid", "loss": "cross_entropy", "optimizer": "sgd",
    "learning_rate": 0.3, "batch_size": 10, "regularization": "none", "regularization_rate": 0.0,
}
FIXES = ("relu", "tanh")


def lesson_trainer(activation: str, init_seed: int = VANISHING_GRADIENT_LESSON["init_seed"]) -> Trainer:
    """The lesson built as the app builds a Config (playground's make_data and build_trainer)."""
    s = VANISHING_GRADIENT_LESSON
    data = make_dataset(s["dataset"], n_samples=s["n_samples"], noise=s["noise"] / 100,
                        test_fraction=1 - s["train_percent"] / 100, seed=s["seed"])
    net = MLP([len(s["features"]), *s["hidden"], 1], activation=activation,
              output_activation=s["output_activation"], seed=init_seed, init=s["init"])
    return Trainer(net, data, loss=s["loss"], optimizer=s["optimizer"],
                   learning_rate=s["learning_rate"], batch_size=s["batch_size"],
                   features=s["features"], seed=init_seed)


def first_to_last_ratio(trainer: Trainer) -> float:
    """How many times larger the last link layer's gradient size is than the first's (NaN when
    both are 0: every ReLU dead)."""
    sizes = gradient_view(trainer.net, trainer.X_train, trainer.y_train, trainer.loss).layer_sizes
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(sizes[-1] / sizes[0])


def random_case(hidden, activation, output, loss, seed, n=7):
    rng = np.random.default_rng(seed)
    k = 3 if output == "softmax" else 2 if loss == "mse" else 1
    net = MLP([3, *hidden, k], activation=activation, output_activation=output, seed=seed)
    net.params[:] += 0.2 * rng.normal(size=net.params.size)
    X = rng.normal(0, 2, (n, 3))
    if output == "softmax":
        Y = np.eye(k)[rng.integers(0, k, n)]
    else:
        Y = rng.integers(0, 2, (n, k)).astype(float)
    return net, X, Y


CASES = [((4, 3), "tanh", "sigmoid", "cross_entropy"), ((5,), "relu", "softmax", "cross_entropy"),
         ((3, 3, 2), "sigmoid", "sigmoid", "mse"), ((), "tanh", "tanh", "mse"),
         ((4,), "elu", "softmax", "mse")]


# --- every drawn number against the core's backprop ------------------------------------------

@pytest.mark.parametrize(("hidden", "activation", "output", "loss"), CASES)
def test_link_gradients_and_loss_are_loss_and_gradients(hidden, activation, output, loss):
    net, X, Y = random_case(hidden, activation, output, loss, seed=1)
    before = net.params.copy()
    view = gradient_view(net, X, Y, loss)
    assert np.array_equal(net.params, before)
    cost, grads = net.loss_and_gradients(X, Y, loss)
    assert view.loss == cost
    for l in range(len(net.weights)):
        np.testing.assert_array_equal(view.weights[l], grads.weights[l])
        np.testing.assert_array_equal(view.biases[l], grads.biases[l])
        assert not view.weights[l].flags.writeable


@pytest.mark.parametrize(("hidden", "activation", "output", "loss"), CASES)
def test_layer_sizes_are_the_rms_of_each_layers_weight_gradients(hidden, activation, output, loss):
    net, X, Y = random_case(hidden, activation, output, loss, seed=2)
    _, grads = net.loss_and_gradients(X, Y, loss)
    expected = [np.linalg.norm(g) / np.sqrt(g.size) for g in grads.weights]  # ‖∂C/∂W‖ / √(#weights)
    np.testing.assert_allclose(gradient_view(net, X, Y, loss).layer_sizes, expected, rtol=1e-13)
    np.testing.assert_allclose(layer_gradient_sizes(grads), expected, rtol=1e-13)


@settings(max_examples=40, deadline=None)
@given(hidden=st.lists(st.integers(1, 5), min_size=0, max_size=3),
       activation=st.sampled_from(HIDDEN_ACTIVATIONS),
       output_loss=st.sampled_from([("sigmoid", "mse"), ("sigmoid", "cross_entropy"), ("tanh", "mse"),
                                    ("linear", "mse"), ("softmax", "cross_entropy")]),
       seed=st.integers(0, 1_000))
def test_neuron_deltas_are_the_mean_of_each_samples_own_delta(hidden, activation, output_loss, seed):
    """Sample s alone is a batch of one, whose ∂C_s/∂b is that sample's δ of its own loss: the
    view's per-neuron value is the mean of |δ| over the samples."""
    output, loss = output_loss
    net, X, Y = random_case(hidden, activation, output, loss, seed)
    per_sample = [net.loss_and_gradients(X[s:s + 1], Y[s:s + 1], loss)[1].biases for s in range(len(X))]
    view = gradient_view(net, X, Y, loss)
    for l in range(len(net.weights)):
        expected = np.mean([np.abs(b[l]) for b in per_sample], axis=0)
        np.testing.assert_allclose(view.neuron_deltas[l], expected, rtol=1e-10, atol=1e-15)
        _, grads = net.loss_and_gradients(X, Y, loss)
        assert np.all(view.neuron_deltas[l] >= np.abs(grads.biases[l]) - 1e-12)  # |Σ δ| ≤ Σ |δ|


def test_invalid_loss_names_the_choices():
    net, X, Y = random_case((3,), "tanh", "tanh", "mse", seed=0)
    with pytest.raises(ValueError, match="cross_entropy needs a sigmoid or softmax output"):
        gradient_view(net, X, Y, "cross_entropy")


# --- the capped history of gradient sizes ------------------------------------------------------

def test_history_keeps_every_frame_while_it_fits():
    history = GradientSizeHistory(n_layers=2, capacity=10)
    for epoch in range(3, 33, 3):
        history.record(epoch, [epoch, -epoch])
    assert history.epochs.tolist() == list(range(3, 33, 3))
    np.testing.assert_array_equal(history.sizes[:, 1], -history.epochs)


def test_history_keeps_every_frame_until_full_then_thins_evenly():
    history = GradientSizeHistory(n_layers=3, capacity=100)
    epoch = 0
    for frame in range(10_000):
        epoch += 7  # epochs per frame
        history.record(epoch, np.array([1.0, 2.0, 3.0]) * frame)
        assert len(history) <= 100
    epochs = history.epochs
    assert epochs[0] == 7 and epochs[-1] == epoch
    gaps = np.diff(epochs)[:-1]  # the newest row is the latest frame, wherever it falls
    assert 0.4 * np.median(gaps) <= gaps.min() and gaps.max() <= 1.5 * np.median(gaps)  # even
    assert len(history) >= 50
    assert history.sizes.shape == (len(history), 3)
    np.testing.assert_array_equal(history.sizes[:, 2], 3 * (epochs // 7 - 1))


def test_history_skips_repeated_epochs_and_restarts_on_an_earlier_one():
    history = GradientSizeHistory(n_layers=2, capacity=10)
    assert history.record(5, [1.0, 2.0])
    assert not history.record(5, [9.0, 9.0])  # same epoch (a paused frame): nothing new
    assert history.record(8, [1.0, 2.0])
    assert history.record(2, [3.0, 4.0])  # Reset: a new run
    assert history.epochs.tolist() == [2]
    np.testing.assert_array_equal(history.sizes, [[3.0, 4.0]])
    with pytest.raises(ValueError, match=r"sizes must be \(2,\)"):
        history.record(3, [1.0, 2.0, 3.0])


# --- the vanishing-gradient lesson ---------------------------------------------------------------

@pytest.mark.parametrize("epochs", [0, 100, 200])
def test_deep_sigmoid_first_layer_gradient_is_over_100_times_smaller_than_the_last(epochs):
    trainer = lesson_trainer("sigmoid")
    trainer.step(epochs)
    assert first_to_last_ratio(trainer) >= 100


@pytest.mark.parametrize("activation", FIXES)
@pytest.mark.parametrize("epochs", [0, 100, 200])
def test_with_relu_or_tanh_the_first_layer_gradient_is_not(activation, epochs):
    trainer = lesson_trainer(activation)
    trainer.step(epochs)
    assert first_to_last_ratio(trainer) < 100


def test_the_sigmoid_network_does_not_learn_the_circle_and_the_fixes_do():
    accuracy = {}
    for activation in ("sigmoid", *FIXES):
        trainer = lesson_trainer(activation)
        trainer.step(200)
        accuracy[activation] = trainer.history.test_accuracy[-1]
    assert accuracy["sigmoid"] < 0.6
    assert accuracy["relu"] > 0.95 and accuracy["tanh"] > 0.95
