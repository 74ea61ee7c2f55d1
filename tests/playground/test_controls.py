"""Issue 7's controls through AppTest: the advanced switch, per-layer activation, initialisation,
Reset with the same start, stop conditions and a classroom link's hidden controls."""

import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import FEATURES
from playground.session.url import config_to_query
from playground.session.widgets import activation_key
from playground.settings import config as cfg
from playground.settings.build import build_trainer
from playground.settings.config import DEFAULT, HIDEABLE_CONTROLS, Config
from tests.playground.session import app
from tests.playground.views import views


def config(at: AppTest) -> Config:
    return at.session_state.config


def widget_keys(at: AppTest) -> set[str]:
    """The keys of every widget the page drew."""
    keys = set()

    def walk(node) -> None:
        if getattr(node, "key", None):
            keys.add(node.key)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return keys


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning, [w.value for w in at.warning]


# --- each new control changes the Config (and the URL) -------------------------------------------

CONTROLS = [  # (widget kind, key, new value, config field, expected field value)
    ("toggle", "w_advanced", True, "advanced", True),
    ("selectbox", "w_init", "zeros", "init", "zeros"),
    ("selectbox", "w_activation", "sine", "activation", "sine"),
    ("selectbox", "w_activation_1", "relu", "activation", "tanh,relu"),
    ("number_input", "w_stop_epoch", 50, "stop_epoch", 50),
    ("number_input", "w_stop_patience", 10, "stop_patience", 10),
]


@pytest.mark.parametrize("kind, key, value, field, expected", CONTROLS,
                         ids=[f"{c[1]}={c[2]}" for c in CONTROLS])
def test_each_new_control_changes_the_config(kind, key, value, field, expected):
    at = app()
    getattr(at, kind)(key=key).set_value(value).run()
    assert_clean(at)
    assert getattr(config(at), field) == expected
    assert at.query_params[field] == config_to_query(config(at))[field]


def test_advanced_raises_every_limit():
    at = app()
    at.toggle(key="w_advanced").set_value(True).run()
    assert at.slider(key="w_noise").max == 80 and at.slider(key="w_n_samples").max == 2000
    assert at.number_input(key="w_layers").max == 8 and at.number_input(key="w_neurons_0").max == 16
    at.slider(key="w_noise").set_value(80).run()
    at.slider(key="w_n_samples").set_value(2000).run()
    at.number_input(key="w_layers").set_value(8).run()
    at.number_input(key="w_neurons_7").set_value(16).run()
    assert at.slider(key="w_batch_size").max == 1000  # the whole training set
    at.slider(key="w_batch_size").set_value(1000).run()
    assert_clean(at)
    c = config(at)
    assert (c.noise, c.n_samples, c.hidden[-1], len(c.hidden), c.batch_size) == (80, 2000, 16, 8, 1000)
    assert at.session_state.trainer.net.layer_sizes == (2, 4, 2, 4, 4, 4, 4, 4, 16, 1)
    assert at.session_state.trainer.batch_size == 1000


def test_batch_size_follows_the_training_set_and_keeps_its_value():
    at = app(advanced="1", n_samples="1000", batch_size="300")
    assert at.slider(key="w_batch_size").max == 500
    at.slider(key="w_train_percent").set_value(70).run()  # the slider's range grows to 700
    assert at.slider(key="w_batch_size").max == 700 and config(at).batch_size == 300
    at.slider(key="w_n_samples").set_value(200).run()  # 140 training points: the batch follows
    assert config(at).batch_size == 140 and at.slider(key="w_batch_size").max == 140
    assert_clean(at)


def test_turning_advanced_off_clamps_with_a_notice():
    at = app(advanced="1", noise="80", n_samples="2000", hidden="16,8,8,8,8,8,8,8",
             activation="relu,tanh,tanh,tanh,tanh,tanh,tanh,sine", batch_size="700")
    assert config(at).hidden[0] == 16 and not at.warning
    at.toggle(key="w_advanced").set_value(False).run()
    assert not at.exception
    c = config(at)
    assert (c.advanced, c.noise, c.n_samples, c.batch_size) == (False, 50, 1000, 30)
    assert c.hidden == (8,) * 6 and c.activation == "relu,tanh,tanh,tanh,tanh,tanh"
    notice = " ".join(i.value for i in at.info)
    for text in ("noise 80 % → 50 %", "points 2,000 → 1,000", "hidden layers 8 → 6",
                 "neurons per layer at most 8", "batch size 700 → 30"):
        assert text in notice
    assert at.session_state.trainer.net.layer_sizes == (2, 8, 8, 8, 8, 8, 8, 1)
    assert at.query_params["advanced"] == "0" and at.query_params["noise"] == "50"
    assert at.slider(key="w_noise").max == 50 and at.number_input(key="w_layers").max == 6


def test_turning_advanced_off_within_the_normal_limits_changes_nothing_else():
    at = app(advanced="1", noise="20")
    trainer = at.session_state.trainer
    at.toggle(key="w_advanced").set_value(False).run()
    assert config(at) == Config(noise=20) and at.session_state.trainer is trainer
    assert not at.info


# --- per-layer activation and initialisation ---------------------------------------------------

def test_per_layer_activations_reach_the_network():
    at = app(hidden="3,3,3", activation="sine,relu,relu")
    assert_clean(at)
    assert at.session_state.trainer.net.hidden_activations == ("sine", "relu", "relu")
    assert [at.selectbox(key=activation_key(i)).value for i in range(3)] == ["sine", "relu", "relu"]
    assert at.selectbox(key="w_activation").value == "relu"  # what most layers use
    assert any("Per layer: sine · relu · relu" in c.value for c in at.sidebar.caption)
    at.selectbox(key=activation_key(0)).set_value("relu").run()  # all equal: one name again
    assert config(at).activation == "relu" and at.query_params["activation"] == "relu"
    at.selectbox(key=activation_key(2)).set_value("elu").run()
    assert config(at).activation == "relu,relu,elu"
    at.selectbox(key="w_activation").set_value("tanh").run()  # the single box sets every layer
    assert config(at).activation == "tanh"
    assert [at.selectbox(key=activation_key(i)).value for i in range(3)] == ["tanh"] * 3
    assert at.session_state.trainer.net.hidden_activations == ("tanh",) * 3


def test_a_new_layer_takes_the_main_activation_and_removing_layers_keeps_the_rest():
    at = app(hidden="3,3,3", activation="relu,sine,relu")
    at.number_input(key="w_layers").set_value(4).run()
    assert config(at).activation == "relu,sine,relu,relu"
    at.number_input(key="w_layers").set_value(1).run()
    assert config(at).activation == "relu" and config(at).hidden == (3,)
    assert_clean(at)


def test_zero_initialisation_keeps_hidden_neurons_identical():
    at = app(init="zeros", activation="sigmoid", hidden="3")
    net = at.session_state.trainer.net
    assert not np.any(net.params)
    for _ in range(3):
        at.button(key="step").click().run()
    net = at.session_state.trainer.net
    assert np.any(net.params)  # it trains ...
    first = net.weights[0]
    assert np.allclose(first, first[:, :1]) and np.allclose(net.weights[1], net.weights[1][0])
    at.selectbox(key="w_init").set_value("auto").run()  # ... but only random weights differ
    assert not np.allclose(at.session_state.trainer.net.weights[0][:, 0],
                           at.session_state.trainer.net.weights[0][:, 1])


# --- the URL -------------------------------------------------------------------------------------

def test_url_restores_the_new_settings():
    params = {"advanced": "1", "n_samples": "2000", "noise": "80", "hidden": "16,12",
              "activation": "relu,elu", "init": "zeros", "init_seed": "42", "stop_epoch": "30",
              "stop_patience": "5", "batch_size": "900"}
    at = app(**params)
    assert_clean(at)
    c = config(at)
    assert c == Config(advanced=True, n_samples=2000, noise=80, hidden=(16, 12), activation="relu,elu",
                       init="zeros", init_seed=42, stop_epoch=30, stop_patience=5, batch_size=900)
    assert at.toggle(key="w_advanced").value is True
    assert at.number_input(key="w_neurons_0").value == 16 and at.selectbox(key="w_init").value == "zeros"
    assert at.number_input(key="w_stop_epoch").value == 30
    assert {k: at.query_params[k] for k in params} == params


def test_bad_new_url_values_show_the_notice_and_defaults():
    at = app(advanced="maybe", init="ones", init_seed="-3", stop_epoch="1e9", activation="tanh,relu,x",
             noise="80", hide="nope")
    assert not at.exception and config(at) == DEFAULT
    notice = at.warning[0].value
    for name in ("advanced", "init", "init_seed", "stop_epoch", "activation", "noise", "hide"):
        assert f"`{name}`" in notice
    assert "hide" not in at.query_params and at.query_params["init_seed"] == "0"


def test_init_seed_in_the_url_reproduces_the_initial_weights():
    at = app(init_seed="77")
    weights = at.session_state.trainer.net.params.copy()
    np.testing.assert_array_equal(app(init_seed="77").session_state.trainer.net.params, weights)
    at.button(key="reset").click().run()  # Reset draws the next init seed, and the URL says so
    assert at.query_params["init_seed"] == "78" and config(at).init_seed == 78
    after_reset = at.session_state.trainer.net.params
    assert not np.array_equal(after_reset, weights)
    np.testing.assert_array_equal(app(init_seed="78").session_state.trainer.net.params, after_reset)


# --- Reset · same start ---------------------------------------------------------------------------

def test_reset_with_the_same_start_repeats_a_run_exactly():
    at = app(init_seed="5")
    at.button(key="reset").click().run()  # a fresh start first: init seed 6
    runs = []
    for _ in range(2):
        for _ in range(4):
            at.button(key="step").click().run()
        trainer = at.session_state.trainer
        runs.append((list(trainer.history.train_loss), list(trainer.history.test_loss),
                     trainer.net.params.copy()))
        at.button(key="reset_same").click().run()
        assert at.session_state.trainer.epoch == 0 and config(at).init_seed == 6
    assert runs[0][0] == runs[1][0] and runs[0][1] == runs[1][1]
    np.testing.assert_array_equal(runs[0][2], runs[1][2])
    assert len(runs[0][0]) == 4 and at.query_params["init_seed"] == "6"


# --- stop conditions --------------------------------------------------------------------------------

def test_stop_at_epoch_pauses_play_exactly_there():
    at = app(stop_epoch="7", speed="5")
    at.session_state["max_frames"] = 5  # would train 25 epochs without the stop
    at.button(key="play").click().run()
    trainer = at.session_state.trainer
    assert trainer.epoch == 7 and list(trainer.history.epochs)[-1] == 7
    assert at.session_state.playing is False
    assert any("stopped: reached epoch 7" in i.value for i in at.info)
    assert at.button(key="play").disabled and at.button(key="step").disabled
    at.number_input(key="w_stop_epoch").set_value(12).run()  # on the fly: no reset
    assert at.session_state.trainer is trainer and trainer.epoch == 7
    assert not at.button(key="play").disabled and not any("stopped" in i.value for i in at.info)
    at.button(key="play").click().run()
    assert trainer.epoch == 12 and not at.exception


def test_patience_stops_when_the_test_loss_stalls():
    at = app(learning_rate="1", n_samples="100", stop_patience="3", speed="10")
    at.session_state["max_frames"] = 10
    at.button(key="play").click().run()
    trainer = at.session_state.trainer
    assert trainer.stopped == "test loss has not improved for 3 epochs"
    assert at.session_state.playing is False and trainer.epoch < 100
    test_loss = [build_trainer(config(at), config(at).init_seed).evaluate()[1],
                 *trainer.history.test_loss]
    assert min(test_loss[-3:]) >= min(test_loss[:-3])  # three epochs without a new best ...
    best = [min(test_loss[:i]) for i in range(1, len(test_loss))]
    waits = [i for i in range(1, len(test_loss)) if test_loss[i] >= best[i - 1]]
    assert waits[-3:] == list(range(len(test_loss) - 3, len(test_loss)))  # ... in a row, the first such
    assert any("not improved for 3 epochs" in i.value for i in at.info)
    assert math.isfinite(test_loss[-1])


def test_stop_conditions_apply_without_resetting():
    at = app()
    for _ in range(3):
        at.button(key="step").click().run()
    trainer = at.session_state.trainer
    at.number_input(key="w_stop_patience").set_value(2).run()
    at.number_input(key="w_stop_epoch").set_value(3).run()
    assert at.session_state.trainer is trainer and trainer.epoch == 3
    assert trainer.stopped == "reached epoch 3"
    at.number_input(key="w_stop_epoch").set_value(0).run()  # 0: off
    assert trainer.stopped is None
    at.button(key="step").click().run()
    assert trainer.epoch == 4


# --- a classroom link's hidden controls ---------------------------------------------------------------

def test_link_with_hidden_controls_renders_without_them_and_keeps_their_values():
    at = app(hide="learning_rate,dataset,x1", dataset="xor", learning_rate="0.1", features="x1,x2,x1*x2")
    assert_clean(at)
    keys = widget_keys(at)
    assert not {"w_dataset", "w_learning_rate"} & keys
    labels = [w.label for w in (*at.sidebar.selectbox, *at.sidebar.slider)]
    assert "Dataset" not in labels and "Learning rate" not in labels and "Noise %" in labels
    inputs = at.button_group(key="w_features_shown")
    assert "x₁" not in inputs.options and "x₂" in inputs.options
    c = config(at)
    assert (c.dataset, c.learning_rate, c.features) == ("xor", 0.1, ("x1", "x2", "x1*x2"))
    inputs.set_value(["x2"]).run()  # the visible inputs change, the hidden one stays selected
    assert config(at).features == ("x1", "x2")
    at.slider(key="w_noise").set_value(10).run()
    at.button(key="step").click().run()
    c = config(at)
    assert (c.dataset, c.learning_rate, c.noise) == ("xor", 0.1, 10)
    assert at.query_params["hide"] == "learning_rate,dataset,x1"  # survives reruns and URL sync
    assert not {"w_dataset", "w_learning_rate"} & widget_keys(at)


HIDDEN_KEYS = {  # what each hideable name removes from the page
    "play": {"play"}, "step": {"step"}, "reset": {"reset", "reset_same"},
    "learning_rate": {"w_learning_rate"}, "activation": {"w_activation", "w_activation_0"},
    "regularization": {"w_regularization"}, "regularization_rate": {"w_regularization_rate"},
    "output": {"w_output_binary"}, "dataset": {"w_dataset"}, "train_percent": {"w_train_percent"},
    "noise": {"w_noise"}, "batch_size": {"w_batch_size"}, "layers": {"w_layers"},
    "neurons": {"w_neurons_0", "w_neurons_1"}, "optimizer": {"w_optimizer"},
    "n_samples": {"w_n_samples"}, "seed": {"w_seed"}, "init": {"w_init"},
    "stop": {"w_stop_epoch", "w_stop_patience"}, "speed": {"w_speed"}, "advanced": {"w_advanced"},
}


# Fixed neurons fix the layer count too: adding or removing a layer changes the neuron counts.
ALSO_HIDDEN = {"neurons": {"w_layers"}}


def test_every_hideable_control_is_listed():
    assert set(HIDDEN_KEYS) == set(HIDEABLE_CONTROLS)


@pytest.mark.parametrize("name", HIDEABLE_CONTROLS)
def test_each_hideable_control_disappears_alone(name):
    at = app(hide=name)
    assert_clean(at)
    keys = widget_keys(at)
    assert not (HIDDEN_KEYS[name] | ALSO_HIDDEN.get(name, set())) & keys
    others = set().union(*(k for n, k in HIDDEN_KEYS.items() if n != name)) - ALSO_HIDDEN.get(name, set())
    assert others <= keys  # everything else is still there
    assert config(at) == DEFAULT


def test_hiding_every_control_and_input_leaves_a_working_page():
    at = app(hide=",".join(cfg.HIDEABLE), dataset="spiral", hidden="5", features="x1,sin(x2)")
    assert_clean(at)
    assert not set().union(*HIDDEN_KEYS.values()) & widget_keys(at)
    assert "w_features" not in widget_keys(at) and "w_features_shown" not in widget_keys(at)
    assert (config(at).dataset, config(at).hidden, config(at).features) == ("spiral", (5,), ("x1", "sin(x2)"))
    assert {"network", "surface", "cost"} <= set(views(at))
    assert views(at)["network"].static["buttons"] is None  # no +/− buttons when layers and neurons hide


def test_unknown_names_in_hide_are_ignored_with_the_notice():
    at = app(hide="noise,teleport,x1")
    assert "`hide`" in at.warning[0].value and not at.exception
    assert "w_noise" not in widget_keys(at)
    assert at.query_params["hide"] == "noise,x1"  # the valid part stays in the URL


@pytest.mark.parametrize("feature", FEATURES)
def test_each_input_can_be_hidden(feature):
    at = app(hide=feature, features="x1,x2,x1^2")
    options = at.button_group(key="w_features_shown").options
    assert len(options) == len(FEATURES) - 1
    assert config(at).features == ("x1", "x2", "x1^2")
