"""Config validation and the URL grammar: plain pytest, no Streamlit run."""

import dataclasses

import pytest

from playground.session.url import config_from_query, config_to_query, hidden_from_query
from playground.settings import config as cfg
from playground.settings.config import DEFAULT, OUTPUT_CHOICES, Config, fit_output, problem


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


# --- issue 7: advanced limits, per-layer activation, init, init seed, stop conditions, hide -----

BIG = Config(advanced=True, noise=80, n_samples=2000, train_percent=90, hidden=(16,) * 8,
             activation="tanh,relu,tanh,tanh,sine,tanh,tanh,elu", batch_size=1800)


def test_advanced_raises_the_limits():
    assert BIG.limits == cfg.ADVANCED_LIMITS and BIG.layer_sizes == [2, *(16,) * 8, 1]
    for change in ({"noise": 80}, {"n_samples": 2000}, {"hidden": (16,)}, {"hidden": (1,) * 8},
                   {"batch_size": 31}):
        with pytest.raises(ValueError):
            Config(**change)  # beyond the normal limits
        Config(advanced=True, **change)
    with pytest.raises(ValueError):
        Config(advanced=True, n_samples=1000, batch_size=501)  # more than the training set
    with pytest.raises(ValueError):
        Config(advanced=True, hidden=(17,))
    assert Config(advanced=True, n_samples=50, train_percent=10, batch_size=30)  # 30 is always allowed


def test_every_normal_setup_stays_valid_with_advanced_on():
    for config in (DEFAULT, Config(noise=50, n_samples=1000, hidden=(8,) * 6, batch_size=30)):
        assert Config(**{**config.to_dict(), "advanced": True})


def test_turning_advanced_off_clamps_and_says_what():
    clamped, notes = cfg.within_normal_limits(BIG)
    assert (clamped.advanced, clamped.noise, clamped.n_samples) == (False, 50, 1000)
    assert clamped.hidden == (8,) * 6 and clamped.batch_size == 30
    assert clamped.activation == "tanh,relu,tanh,tanh,sine,tanh"  # the first six layers' names
    assert notes == ["noise 80 % → 50 %", "points 2,000 → 1,000", "hidden layers 8 → 6",
                     "neurons per layer at most 8", "batch size 1800 → 30"]
    assert cfg.within_normal_limits(Config(advanced=True, noise=20)) == (Config(noise=20), [])


def test_per_layer_activation():
    config = Config(hidden=(4, 3, 2), activation="tanh,relu,tanh")
    assert config.hidden_activations == ("tanh", "relu", "tanh")
    assert Config(hidden=(4, 3, 2), activation="relu").hidden_activations == ("relu",) * 3
    assert Config(hidden=(), activation="sine").hidden_activations == ()
    for bad in ("tanh,relu", "tanh,tanh,tanh", "tanh,relu,cosh", "tanh,,relu", ",", "softmax"):
        with pytest.raises(ValueError):
            Config(hidden=(4, 3, 2), activation=bad)
    assert cfg.join_activations(["elu", "elu"], "tanh") == "elu"
    assert cfg.join_activations([], "tanh") == "tanh"
    assert cfg.join_activations(["elu", "relu"], "tanh") == "elu,relu"
    assert cfg.main_activation(["relu", "tanh", "relu"]) == "relu"
    assert cfg.main_activation(["sine", "tanh"]) == "tanh"  # a tie: the first of HIDDEN_ACTIVATIONS


def test_new_settings_validate():
    for change in ({"init": "he"}, {"init": "ones"}, {"init_seed": -1}, {"init_seed": 10 ** 6},
                   {"stop_epoch": -1}, {"stop_epoch": 10 ** 6}, {"stop_patience": 100_000},
                   {"advanced": "yes"}):
        with pytest.raises(ValueError):
            Config(**change)
    assert Config(stop_epoch=300, stop_patience=20).stop == {"at_epoch": 300, "patience": 20}
    assert DEFAULT.stop == {"at_epoch": None, "patience": None}
    assert not DEFAULT.needs_reset(Config(stop_epoch=5, stop_patience=3, advanced=True))
    assert DEFAULT.needs_reset(Config(init="zeros")) and DEFAULT.needs_reset(Config(init_seed=1))


@pytest.mark.parametrize("config", [
    BIG,
    Config(hidden=(4, 3), activation="sine,leaky_relu", init="zeros", init_seed=123_456,
           stop_epoch=250, stop_patience=15),
    Config(advanced=True, n_samples=1500, train_percent=80, optimizer="adam", batch_size=1200),
], ids=["largest", "per-layer-init-stop", "full-batch"])
def test_url_round_trip_of_the_new_settings(config):
    query = config_to_query(config)
    assert query["activation"] == config.activation  # "tanh" or the comma list, one per layer
    assert config_from_query(query) == (config, [])


@pytest.mark.parametrize("params, bad", [
    ({"advanced": "2"}, ["advanced"]),
    ({"noise": "80"}, ["noise"]),  # advanced limits without advanced=1
    ({"hidden": "16"}, ["hidden"]),
    ({"n_samples": "2000"}, ["n_samples"]),
    ({"advanced": "1", "batch_size": "251"}, ["batch_size"]),  # 250 training points
    ({"activation": "tanh,relu,tanh"}, ["activation"]),  # three names, two layers
    ({"activation": "tanh,tanh"}, ["activation"]),  # equal names are written once
    ({"activation": "tanh;relu"}, ["activation"]),
    ({"init": "ones"}, ["init"]),
    ({"init_seed": "1e3"}, ["init_seed"]),
    ({"init_seed": "1000000"}, ["init_seed"]),
    ({"stop_epoch": "-5"}, ["stop_epoch"]),
    ({"stop_patience": "x"}, ["stop_patience"]),
])
def test_bad_new_url_parameters_fall_back_to_defaults(params, bad):
    config, ignored = config_from_query(params)
    assert ignored == bad
    assert config == Config(advanced=params.get("advanced") == "1")


def test_advanced_url_applies_before_the_limits_it_raises():
    config, ignored = config_from_query({"hidden": "16,16", "noise": "70", "advanced": "1"})
    assert (config.hidden, config.noise, ignored) == ((16, 16), 70, [])


def test_hide_parameter():
    assert hidden_from_query({}) == ((), (), False)
    assert hidden_from_query({"hide": "x1,dataset,learning_rate,dataset"}) == (
        ("learning_rate", "dataset", "x1"), (), False)  # HIDEABLE order, no repeats
    assert hidden_from_query({"hide": "dataset,nope"}) == (("dataset",), ("nope",), False)
    assert hidden_from_query({"hide": ""}) == ((), (), False)
    assert hidden_from_query({"hide": "x1," * 200}) == ((), (), True)  # too long to read
    assert config_from_query({"hide": "play,sin(x1)"}) == (DEFAULT, [])  # not an unknown parameter
    assert config_from_query({"hide": "<script>"}) == (DEFAULT, [])  # hide= is reported on its own
