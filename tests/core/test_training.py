"""Training sessions: what networks can learn, determinism, divergence, surfaces, history."""

import numpy as np
import pytest

from core import FEATURES, MLP, Trainer, make_dataset
from core.history import History

XY = ("x1", "x2")


def session(name, hidden, optimizer, learning_rate, epochs, n_samples=200, batch_size=10,
            activation="tanh", output="sigmoid", features=XY, noise=0.0, seed=0):
    data = make_dataset(name, n_samples=n_samples, noise=noise, seed=seed)
    net = MLP([len(features), *hidden, data.y_train.shape[1]], activation=activation,
              output_activation=output, seed=seed)
    trainer = Trainer(net, data, optimizer=optimizer, learning_rate=learning_rate,
                      batch_size=batch_size, features=features, seed=seed)
    assert trainer.step(epochs) == epochs
    return trainer


# --- the article's point: a perceptron cannot fit XOR, one hidden layer can --------------------

@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_perceptron_cannot_exceed_75_percent_on_xor_after_500_epochs(optimizer, seed):
    trainer = session("xor", [], optimizer, 0.03, 500, n_samples=400, seed=seed)
    assert trainer.history.test_accuracy.max() <= 0.75
    assert trainer.history.train_accuracy.max() <= 0.75


@pytest.mark.parametrize(("optimizer", "learning_rate"), [("sgd", 0.1), ("adam", 0.03)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_hidden_layer_of_8_tanh_reaches_95_percent_on_xor_in_200_epochs(optimizer,
                                                                            learning_rate, seed):
    trainer = session("xor", [8], optimizer, learning_rate, 200, n_samples=400, seed=seed)
    assert trainer.history.test_accuracy[-1] >= 0.95


# --- every dataset with a stated small network and budget (seed 0, noise 0) ---------------------

CLASSIFICATION_BUDGETS = [
    # name, hidden, activation, output, features, optimizer, rate, epochs, n, batch, min accuracy
    ("circle", [6], "tanh", "sigmoid", XY, "adam", 0.03, 150, 200, 10, 0.90),
    ("xor", [8], "tanh", "sigmoid", XY, "sgd", 0.1, 200, 400, 10, 0.95),
    ("gauss", [], "tanh", "sigmoid", XY, "sgd", 0.03, 20, 200, 10, 0.95),
    ("spiral", [8, 8], "tanh", "sigmoid", FEATURES, "adam", 0.01, 600, 400, 20, 0.90),
    ("spiral", [16, 16], "relu", "sigmoid", XY, "adam", 0.01, 600, 400, 20, 0.90),
    ("moons", [8], "tanh", "sigmoid", XY, "adam", 0.03, 100, 200, 10, 0.95),
    ("sine", [8], "tanh", "sigmoid", XY, "adam", 0.03, 300, 200, 10, 0.85),
    ("cubic", [8], "tanh", "sigmoid", XY, "adam", 0.03, 200, 200, 10, 0.90),
    ("abs", [8], "tanh", "sigmoid", XY, "adam", 0.03, 100, 200, 10, 0.90),
    ("spiral3", [24, 24], "relu", "softmax", XY, "adam", 0.01, 600, 450, 15, 0.85),
    ("blobs4", [], "tanh", "softmax", XY, "adam", 0.03, 50, 200, 10, 0.95),
]


def budget_id(case):
    name, hidden, act, _, features, opt, rate, epochs, n, batch, accuracy = case
    return (f"{name}-{len(features)}feat-{hidden}{act}-{opt}{rate}-{epochs}ep-n{n}-b{batch}"
            f"->acc{accuracy}")


@pytest.mark.parametrize("case", CLASSIFICATION_BUDGETS, ids=budget_id)
def test_classification_dataset_reaches_its_stated_test_accuracy(case):
    name, hidden, act, out, features, opt, rate, epochs, n, batch, accuracy = case
    trainer = session(name, hidden, opt, rate, epochs, n_samples=n, batch_size=batch,
                      activation=act, output=out, features=features)
    assert trainer.history.test_accuracy[-1] >= accuracy


REGRESSION_BUDGETS = [
    # name, hidden, output, optimizer, rate, epochs, max test MSE
    ("plane", [], "linear", "sgd", 0.01, 50, 1e-3),
    ("plane", [4], "tanh", "adam", 0.03, 100, 5e-3),
    ("multi_gauss", [8, 8], "tanh", "adam", 0.03, 300, 0.06),
]


@pytest.mark.parametrize("case", REGRESSION_BUDGETS,
                         ids=lambda c: f"{c[0]}-{c[1]}tanh-{c[2]}-{c[3]}{c[4]}-{c[5]}ep->mse{c[6]}")
def test_regression_dataset_reaches_its_stated_test_mse(case):
    name, hidden, out, opt, rate, epochs, mse = case
    trainer = session(name, hidden, opt, rate, epochs, output=out)
    assert trainer.history.test_loss[-1] <= mse
    assert np.all(np.isnan(trainer.history.test_accuracy))  # no accuracy for regression
    X, y = trainer.data.X_test, trainer.data.y_test
    assert np.mean((trainer.predict(X) - y) ** 2) == pytest.approx(trainer.history.test_loss[-1])


def test_training_lowers_the_loss():
    trainer = session("circle", [6], "adam", 0.03, 100)
    assert trainer.history.train_loss[-1] < 0.5 * trainer.history.train_loss[0]


# --- determinism ---------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_identical_seeds_give_identical_training(optimizer):
    a, b = (session("spiral", [6, 4], optimizer, 0.03, 20, noise=0.2, seed=3) for _ in range(2))
    np.testing.assert_array_equal(a.net.params, b.net.params)
    for column in ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "epochs"):
        np.testing.assert_array_equal(getattr(a.history, column), getattr(b.history, column))


def test_different_seeds_give_different_training():
    a = session("spiral", [6, 4], "sgd", 0.03, 20, seed=3)
    b = session("spiral", [6, 4], "sgd", 0.03, 20, seed=4)
    assert not np.array_equal(a.net.params, b.net.params)
    assert not np.array_equal(a.history.train_loss, b.history.train_loss)


def test_the_trainer_seed_alone_changes_the_batch_order():
    data = make_dataset("xor", n_samples=100, seed=0)
    runs = []
    for seed in (0, 0, 1):
        trainer = Trainer(MLP([2, 3, 1], seed=0), data, optimizer="sgd", seed=seed)
        trainer.step(3)
        runs.append(trainer.net.params)
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])


def test_stepping_in_pieces_equals_stepping_at_once():
    a = session("circle", [4], "adam", 0.03, 10)
    b = session("circle", [4], "adam", 0.03, 4)
    b.step(6)
    np.testing.assert_array_equal(a.net.params, b.net.params)
    assert b.epoch == 10


# --- divergence -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "hidden", "activation", "output", "rate"), [
    ("plane", [], "tanh", "linear", 1e6),
    ("xor", [8], "relu", "linear", 1e3),
])
def test_huge_learning_rate_is_flagged_not_raised(name, hidden, activation, output, rate):
    data = make_dataset(name, n_samples=100, seed=0)
    net = MLP([2, *hidden, 1], activation=activation, output_activation=output, seed=0)
    trainer = Trainer(net, data, loss="mse", optimizer="sgd", learning_rate=rate)
    ran = trainer.step(50)
    assert trainer.diverged and ran < 50 and trainer.epoch == ran
    assert np.all(np.isfinite(net.params))
    assert trainer.step(10) == 0 and trainer.epoch == ran  # training has stopped
    # the kept parameters are those after the last finite epoch
    replay = Trainer(MLP([2, *hidden, 1], activation=activation, output_activation=output, seed=0),
                     data, loss="mse", optimizer="sgd", learning_rate=rate)
    replay.step(ran - 1)
    np.testing.assert_array_equal(net.params, replay.net.params)
    assert np.all(np.isfinite(trainer.predict(np.zeros((1, 2)))))


def test_a_sane_learning_rate_does_not_diverge():
    trainer = session("plane", [], "sgd", 0.01, 30, output="linear")
    assert not trainer.diverged


# --- surface and predict ------------------------------------------------------------------

@pytest.mark.parametrize(("hidden", "features", "name", "output"), [
    ([4, 2], XY, "xor", "sigmoid"),
    ([], FEATURES, "circle", "tanh"),
    ([5], ("x1*x2", "sin(x2)", "x1^2"), "blobs4", "softmax"),
])
def test_surface_shapes_dtype_and_values(hidden, features, name, output):
    data = make_dataset(name, n_samples=100, seed=0)
    k = data.y_train.shape[1]
    net = MLP([len(features), *hidden, k], output_activation=output, seed=2)
    trainer = Trainer(net, data, features=features)
    trainer.step(3)
    r = 17
    surface = trainer.surface(r)
    assert surface.output.shape == (r, r, k) and surface.output.dtype == np.float32
    assert [n.shape for n in surface.neurons] == [(s, r, r) for s in [len(features), *hidden, k]]
    assert all(n.dtype == np.float32 for n in surface.neurons)
    np.testing.assert_allclose(surface.xs, np.linspace(-6, 6, r))
    np.testing.assert_allclose(surface.ys, np.linspace(-6, 6, r))
    np.testing.assert_array_equal(surface.neurons[-1], np.moveaxis(surface.output, 2, 0))
    for i, j in [(0, 0), (0, r - 1), (r - 1, 0), (5, 11), (r - 1, r - 1)]:
        point = [[surface.xs[j], surface.ys[i]]]
        np.testing.assert_allclose(surface.output[i, j], trainer.predict(point)[0],
                                   rtol=1e-5, atol=1e-5)
        for f, feature in enumerate(features):  # the first "layer" is the input features
            expected = {"x1": point[0][0], "x2": point[0][1], "x1^2": point[0][0] ** 2,
                        "x2^2": point[0][1] ** 2, "x1*x2": point[0][0] * point[0][1],
                        "sin(x1)": np.sin(point[0][0]), "sin(x2)": np.sin(point[0][1])}[feature]
            assert surface.neurons[0][f, i, j] == pytest.approx(expected, rel=1e-5, abs=1e-5)


def test_hidden_neuron_surface_is_that_neurons_activation():
    data = make_dataset("xor", n_samples=50, seed=0)
    net = MLP([2, 3, 1], activation="relu", seed=1)
    trainer = Trainer(net, data)
    surface = trainer.surface(9)
    gx, gy = np.meshgrid(surface.xs, surface.ys)
    z = gx[..., None] * net.weights[0][0] + gy[..., None] * net.weights[0][1] + net.biases[0]
    np.testing.assert_allclose(np.moveaxis(surface.neurons[1], 0, 2), np.maximum(z, 0), atol=1e-5)


def test_predict_applies_the_features():
    data = make_dataset("circle", n_samples=50, seed=0)
    features = ("x1^2", "x2^2", "sin(x1)")
    net = MLP([3, 1], output_activation="sigmoid", seed=5)
    trainer = Trainer(net, data, features=features)
    points = np.array([[1.0, 2.0], [-3.0, 0.5]])
    z = (points[:, 0] ** 2 * net.weights[0][0, 0] + points[:, 1] ** 2 * net.weights[0][1, 0]
         + np.sin(points[:, 0]) * net.weights[0][2, 0] + net.biases[0][0])
    np.testing.assert_allclose(trainer.predict(points)[:, 0], 1 / (1 + np.exp(-z)), rtol=1e-14)


# --- history ----------------------------------------------------------------------------------

def test_history_has_one_value_per_epoch():
    trainer = session("gauss", [2], "sgd", 0.03, 7)
    trainer.step(5)
    h = trainer.history
    assert trainer.epoch == 12 and len(h) == 12
    np.testing.assert_array_equal(h.epochs, np.arange(1, 13))
    for column in (h.train_loss, h.test_loss, h.train_accuracy, h.test_accuracy):
        assert column.shape == (12,) and np.all(np.isfinite(column))
    assert np.all((h.train_accuracy >= 0) & (h.train_accuracy <= 1))


def test_history_accuracy_is_the_thresholded_prediction():
    trainer = session("circle", [3], "sgd", 0.03, 5, output="tanh")
    predicted = trainer.predict(trainer.data.X_test)[:, 0] > 0.0  # tanh: threshold 0
    expected = np.mean(predicted == (trainer.data.y_test[:, 0] == 1))
    assert trainer.history.test_accuracy[-1] == pytest.approx(expected)


def test_history_with_small_capacity_stays_bounded():
    data = make_dataset("gauss", n_samples=40, seed=0)
    trainer = Trainer(MLP([2, 1]), data, history_capacity=8)
    trainer.step(100)
    h = trainer.history
    assert 4 <= len(h) <= 8
    assert np.all(np.diff(h.epochs) > 0) and h.epochs[0] >= 1 and h.epochs[-1] <= 100
    assert np.all(h.epochs % h.stride == 0) and len(set(np.diff(h.epochs))) == 1
    assert h.epochs[-1] > 100 - h.stride  # the recent past is kept


def test_history_decimation_keeps_rows_paired_with_their_epoch():
    history = History(capacity=6)
    for epoch in range(1, 41):
        history.record(epoch, (epoch, 10.0 * epoch, epoch / 100, -epoch))
        assert len(history) <= 6
        np.testing.assert_array_equal(history.train_loss, history.epochs)
        np.testing.assert_array_equal(history.test_loss, 10.0 * history.epochs)
        np.testing.assert_array_equal(history.test_accuracy, -history.epochs)
    assert history.epochs[-1] == 40 - 40 % history.stride


def test_history_capacity_must_be_at_least_two():
    with pytest.raises(ValueError, match="capacity"):
        History(1)


# --- symmetric initial weights ----------------------------------------------------------------

def assert_hidden_neurons_identical(net):
    """Every neuron of a hidden layer has the same incoming weights, bias and outgoing weights."""
    for l in range(len(net.weights) - 1):
        incoming, outgoing = net.weights[l], net.weights[l + 1]
        np.testing.assert_allclose(incoming, incoming[:, :1].repeat(incoming.shape[1], axis=1),
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(net.biases[l], net.biases[l][0], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(outgoing, outgoing[:1].repeat(outgoing.shape[0], axis=0),
                                   rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("activation", "init"), [("sigmoid", "zeros"), ("tanh", "zeros"),
                                                  ("tanh", 0.3), ("relu", 0.3)])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_symmetric_weights_stay_symmetric_under_training(activation, init, optimizer):
    data = make_dataset("circle", n_samples=80, noise=0.1, seed=0)
    net = MLP([2, 4, 3, 1], activation=activation, init="zeros")
    if init != "zeros":
        net.params[:] = init  # every weight and bias the same constant
    trainer = Trainer(net, data, optimizer=optimizer, learning_rate=0.1, batch_size=8, seed=0)
    first_layer = net.weights[0].copy()
    trainer.step(30)
    assert_hidden_neurons_identical(net)
    if (activation, init) != ("tanh", "zeros"):  # that one never moves (see below)
        assert not np.allclose(net.weights[0], first_layer)  # they learn, but all alike


def test_zero_tanh_weights_never_move_only_the_output_bias_learns():
    data = make_dataset("circle", n_samples=80, noise=0.1, seed=0)
    net = MLP([2, 4, 1], activation="tanh", init="zeros")
    Trainer(net, data, optimizer="sgd", learning_rate=0.1).step(30)
    # tanh(0) = 0: the output weights see zero inputs and pass zero error back to the hidden layer
    assert not np.any(net.weights[0]) and not np.any(net.weights[1]) and not np.any(net.biases[0])
    assert net.biases[1][0] != 0.0
