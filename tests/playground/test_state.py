"""Config validation and the URL grammar: plain pytest, no Streamlit run."""

import dataclasses

import pytest

from playground.config import DEFAULT, OUTPUT_CHOICES, Config, fit_output, problem
from playground.state import config_from_query, config_to_query


def test_defaults_are_tensorflow_playgrounds():
    assert (DEFAULT.dataset, DEFAULT.noise, DEFAULT.train_percent) == ("circle", 0, 50)
    assert DEFAULT.features == ("x1", "x2") and DEFAULT.hidden == (4, 2)
    assert DEFAULT.activation == "tanh"
    assert (DEFAULT.output_activation, DEFAULT.loss) == ("sigmoid", "cross_entropy")
    assert (DEFAULT.optimizer, DEFAULT.learning_rate, DEFAULT.batch_size) == ("sgd", 0.03, 10)
    assert DEFAULT.regularization == "none"
    assert DEFAULT.layer_sizes == [2, 4, 2, 1]


def test_config_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT.dataset = "xor"


@pytest.mark.parametrize("change", [
    {"dataset": "nope"}, {"noise": 7}, {"noise": 55}, {"train_percent": 95}, {"n_samples": 3},
    {"features": ()}, {"features": ("x1", "x1")}, {"features": ("x3",)}, {"hidden": (9,)},
    {"hidden": (1,) * 7}, {"hidden": (0,)}, {"activation": "softmax"}, {"learning_rate": 0.05},
    {"output_activation": "tanh"},  # tanh with cross-entropy
    {"dataset": "spiral3"},  # multiclass with a sigmoid output
    {"batch_size": 0}, {"regularization": "l3"}, {"regularization_rate": 0.2}, {"speed": "7"},
    {"show_test": "yes"},
])
def test_invalid_settings_raise(change):
    with pytest.raises(ValueError):
        Config(**{**DEFAULT.to_dict(), **change})


def test_output_choices_fit_each_problem():
    assert problem("plane") == "regression" and problem("spiral3") == "multiclass"
    assert all(out in ("tanh", "linear") for out, _ in OUTPUT_CHOICES["regression"])
    assert fit_output({**DEFAULT.to_dict(), "dataset": "blobs4"})["output_activation"] == "softmax"
    assert fit_output({**DEFAULT.to_dict(), "dataset": "plane"})["loss"] == "mse"


def test_reset_fields():
    assert DEFAULT.needs_reset(Config(dataset="xor"))
    assert DEFAULT.needs_reset(Config(hidden=(3,)))
    assert not DEFAULT.needs_reset(Config(learning_rate=0.1, regularization="l2",
                                          regularization_rate=0.01, speed="max"))


def test_url_round_trip():
    config = Config(dataset="spiral3", noise=10, features=("x1", "sin(x2)"), hidden=(),
                    output_activation="softmax", loss="mse", learning_rate=0.00001,
                    regularization="l1", regularization_rate=0.003, speed="max", show_test=True)
    restored, ignored = config_from_query(config_to_query(config))
    assert (restored, ignored) == (config, [])


def test_url_without_parameters_gives_defaults():
    assert config_from_query({}) == (DEFAULT, [])


def test_url_features_in_any_order():
    config, ignored = config_from_query({"features": "x2,x1"})
    assert config.features == ("x1", "x2") and ignored == []


@pytest.mark.parametrize("params, bad", [
    ({"dataset": "__import__('os').system('x')"}, ["dataset"]),
    ({"dataset": "abc"}, ["dataset"]),
    ({"noise": "1e400"}, ["noise"]),
    ({"learning_rate": "nan"}, ["learning_rate"]),
    ({"learning_rate": "0.5"}, ["learning_rate"]),
    ({"hidden": "4,,2"}, ["hidden"]),
    ({"hidden": "9"}, ["hidden"]),
    ({"features": "x1," * 50}, ["features"]),
    ({"show_test": "maybe"}, ["show_test"]),
    ({"evil": "1", "speed": "3"}, ["evil", "speed"]),
    ({"output_activation": "softmax"}, ["output_activation"]),  # binary data
    ({"n_samples": "-50"}, ["n_samples"]),
])
def test_bad_url_parameters_fall_back_to_defaults(params, bad):
    config, ignored = config_from_query(params)
    assert ignored == bad
    for name in bad:
        if hasattr(DEFAULT, name):
            assert getattr(config, name) == getattr(DEFAULT, name)


def test_good_parameters_survive_bad_neighbours():
    config, ignored = config_from_query({"dataset": "xor", "noise": "oops", "hidden": "3,3,3"})
    assert (config.dataset, config.noise, config.hidden, ignored) == ("xor", 0, (3, 3, 3), ["noise"])


def test_multiclass_url_gets_a_fitting_output():
    config, ignored = config_from_query({"dataset": "blobs4"})
    assert (config.output_activation, config.loss, ignored) == ("softmax", "cross_entropy", [])
    assert config.layer_sizes[-1] == 4
