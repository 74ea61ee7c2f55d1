"""JSON round trips of models and training sessions; malformed input raises ValueError only."""

import copy
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import (
    MLP,
    Trainer,
    make_dataset,
    model_from_dict,
    model_to_dict,
    trainer_from_dict,
    trainer_to_dict,
)


def through_json(d):
    """Python's json: NaN (regression accuracy) and inf (a diverged loss) as NaN/Infinity."""
    return json.loads(json.dumps(d))


@pytest.mark.parametrize(("sizes", "activation", "output"), [
    ([2, 1], "tanh", "sigmoid"),
    ([7, 8, 8, 8, 1], "relu", "tanh"),
    ([3, 5, 4], ["sine", ], "softmax"),
    ([2, 4, 3, 1], ["elu", "leaky_relu"], "linear"),
])
def test_model_round_trip_is_exact(sizes, activation, output):
    net = MLP(sizes, activation=activation, output_activation=output, seed=11)
    rng = np.random.default_rng(0)
    net.params[:] = rng.normal(size=net.params.size) * 10.0 ** rng.integers(-20, 20, net.params.size)
    loaded = model_from_dict(through_json(model_to_dict(net)))
    assert loaded.layer_sizes == net.layer_sizes
    assert loaded.hidden_activations == net.hidden_activations
    assert loaded.output_activation == net.output_activation
    np.testing.assert_array_equal(loaded.params, net.params)  # bit for bit
    for w, w2 in zip(net.weights, loaded.weights, strict=True):
        np.testing.assert_array_equal(w, w2)
    X = rng.normal(size=(4, sizes[0]))
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))


def make_trainer(optimizer, regularization=None):
    data = make_dataset("spiral", n_samples=60, noise=0.2, seed=1)
    net = MLP([3, 5, 3, 1], activation="tanh", seed=2)
    return Trainer(net, data, optimizer=optimizer, learning_rate=0.05, batch_size=7,
                   regularization=regularization, regularization_rate=0.001,
                   features=("x1", "x2", "x1*x2"), seed=3)


@pytest.mark.parametrize(("optimizer", "regularization"), [("sgd", None), ("gd", "l1"),
                                                           ("momentum", "l2"), ("adam", "l2")])
def test_resumed_session_continues_exactly(optimizer, regularization):
    uninterrupted = make_trainer(optimizer, regularization)
    uninterrupted.step(9)
    saved = make_trainer(optimizer, regularization)
    saved.step(4)
    resumed = trainer_from_dict(through_json(trainer_to_dict(saved)))
    assert resumed.epoch == 4 and resumed.optimizer_name == optimizer
    assert resumed.learning_rate == 0.05 and resumed.features == ("x1", "x2", "x1*x2")
    resumed.step(5)
    np.testing.assert_array_equal(resumed.net.params, uninterrupted.net.params)
    np.testing.assert_array_equal(resumed.history.epochs, uninterrupted.history.epochs)
    np.testing.assert_array_equal(resumed.history.train_loss, uninterrupted.history.train_loss)
    np.testing.assert_array_equal(resumed.history.test_accuracy,
                                  uninterrupted.history.test_accuracy)


def test_saved_divergence_is_restored():
    data = make_dataset("plane", n_samples=50, seed=0)
    trainer = Trainer(MLP([2, 1], output_activation="linear"), data, learning_rate=1e6)
    trainer.step(30)
    assert trainer.diverged
    resumed = trainer_from_dict(through_json(trainer_to_dict(trainer)))
    assert resumed.diverged and resumed.step(3) == 0


# --- malformed input ------------------------------------------------------------------------

def valid_model():
    return through_json(model_to_dict(MLP([2, 3, 1], seed=0)))


def valid_session():
    trainer = make_trainer("adam")
    trainer.step(2)
    return through_json(trainer_to_dict(trainer))


def deep(depth):
    value = [0.0]
    for _ in range(depth):
        value = [value]
    return value


def set_path(d, path, value):
    for key in path[:-1]:
        d = d[key]
    d[path[-1]] = value


MODEL_DAMAGE = [
    ("not a dict", None, [1, 2]),
    ("wrong format", ("format",), "nn-playground/session"),
    ("layer sizes strings", ("layer_sizes",), ["2", "3", "1"]),
    ("layer sizes bools", ("layer_sizes",), [True, 3, 1]),
    ("layer size zero", ("layer_sizes",), [2, 0, 1]),
    ("too many parameters", ("layer_sizes",), [2, 10**6, 1]),
    ("unknown activation", ("hidden_activations",), ["swish"]),
    ("activation not a list", ("hidden_activations",), 5),
    ("wrong shape", ("weights", 0), [[1.0, 2.0], [3.0, 4.0]]),
    ("too few arrays", ("biases",), [[0.0, 0.0, 0.0]]),
    ("NaN", ("weights", 1), [[float("nan")], [0.0], [0.0]]),
    ("infinity", ("biases", 1), [float("inf")]),
    ("string in array", ("weights", 1), [["a"], [0.0], [0.0]]),
    ("ragged", ("weights", 0), [[1.0, 2.0, 3.0], [1.0]]),
    ("huge integer", ("biases", 1), [10**400]),
    ("deep garbage", ("weights", 0), deep(3000)),
    ("dict as array", ("weights", 0), {"a": 1}),
]


@pytest.mark.parametrize(("label", "path", "value"), MODEL_DAMAGE, ids=[m[0] for m in MODEL_DAMAGE])
def test_malformed_model_raises_value_error(label, path, value):
    d = valid_model()
    if path is None:
        d = value
    else:
        set_path(d, path, value)
    with pytest.raises(ValueError):
        model_from_dict(d)


@pytest.mark.parametrize("key", ["format", "layer_sizes", "output_activation", "weights", "biases"])
def test_model_missing_key_raises_value_error(key):
    d = valid_model()
    del d[key]
    with pytest.raises(ValueError):
        model_from_dict(d)


SESSION_DAMAGE = [
    ("wrong format", ("format",), "nn-playground/model"),
    ("model missing", ("model",), None),
    ("settings not a dict", ("settings",), "fast"),
    ("unknown optimizer", ("settings", "optimizer"), "nesterov"),
    ("unhashable optimizer", ("settings", "optimizer"), ["adam"]),
    ("negative learning rate", ("settings", "learning_rate"), -1.0),
    ("string learning rate", ("settings", "learning_rate"), "fast"),
    ("huge learning rate integer", ("settings", "learning_rate"), 10**400),
    ("features mismatch", ("settings", "features"), ["x1", "x2"]),
    ("features unhashable", ("settings", "features"), [["x1"], "x2", "x1*x2"]),
    ("batch size float", ("settings", "batch_size"), 2.5),
    ("data missing", ("data",), None),
    ("data kind", ("data", "kind"), "clustering"),
    ("data NaN", ("data", "X_train", 0), [float("nan"), 0.0]),
    ("data string", ("data", "X_test", 0), ["a", 0.0]),
    ("data 3-D points", ("data", "X_train"), [[0.0, 0.0, 0.0]]),
    ("data huge integer", ("data", "X_train", 0), [10**400, 0.0]),
    ("data rows mismatch", ("data", "y_train"), [[0.0], [1.0]]),
    ("data target width", ("data", "y_test"), None),  # filled in below: one column too many
    ("data n_classes infinite", ("data", "n_classes"), float("inf")),
    ("data deep garbage", ("data", "X_train"), deep(3000)),
    ("epoch negative", ("epoch",), -1),
    ("epoch float", ("epoch",), 1.5),
    ("epoch huge", ("epoch",), 10**30),
    ("history missing", ("history",), None),
    ("history stride zero", ("history", "stride"), 0),
    ("history ragged", ("history", "train_loss"), [1.0]),
    ("history strings", ("history", "epochs"), ["a", "b"]),
    ("adam moments wrong size", ("optimizer_state", "m"), [0.0]),
    ("adam moments NaN", ("optimizer_state", "v"), None),  # filled in below
    ("adam step huge", ("optimizer_state", "t"), 10**400),
    ("adam step negative", ("optimizer_state", "t"), -3),
    ("rng garbage", ("rng",), {"bit_generator": "PCG64", "state": "x"}),
    ("rng huge state", ("rng", "state", "state"), 10**400),
    ("rng wrong generator", ("rng", "bit_generator"), "MT19937"),
]


@pytest.mark.parametrize(("label", "path", "value"), SESSION_DAMAGE,
                         ids=[s[0] for s in SESSION_DAMAGE])
def test_malformed_session_raises_value_error(label, path, value):
    d = valid_session()
    if label == "data target width":
        value = [row + [0.0] for row in d["data"]["y_test"]]
    if label == "adam moments NaN":
        value = [float("nan")] * len(d["optimizer_state"]["v"])
    set_path(d, path, value)
    with pytest.raises(ValueError):
        trainer_from_dict(d)


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-(10**400), 10**400)
    | st.floats() | st.text(max_size=6) | st.sampled_from(["tanh", "adam", "x1", "classification"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(JSON_LIKE)
def test_random_garbage_raises_value_error_only(garbage):
    for load in (model_from_dict, trainer_from_dict):
        with pytest.raises(ValueError):
            load(garbage)
    if isinstance(garbage, dict):
        for load, fmt in ((model_from_dict, "nn-playground/model"),
                          (trainer_from_dict, "nn-playground/session")):
            with pytest.raises(ValueError):
                load({**garbage, "format": fmt})


VALID_SESSION = valid_session()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), JSON_LIKE)
def test_a_randomly_damaged_session_loads_and_trains_or_raises_value_error(data, garbage):
    """Replace one value anywhere in a valid session by garbage: either a ValueError, or a
    session that can train, draw and be saved again."""
    d = copy.deepcopy(VALID_SESSION)
    node, path = d, []
    while isinstance(node, dict | list) and node:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = data.draw(st.sampled_from(keys))
        path.append(key)
        if data.draw(st.booleans()):
            break
        node = node[key]
    if data.draw(st.booleans()) and isinstance(path[-1], str):
        parent = d
        for key in path[:-1]:
            parent = parent[key]
        del parent[path[-1]]  # a missing key
    else:
        set_path(d, path, garbage)
    try:
        trainer = trainer_from_dict(d)
    except ValueError:
        return
    trainer.step(2)
    trainer.surface(4)
    json.dumps(trainer_to_dict(trainer))
