"""A classroom link locks what it hides (issue 6): no route changes a hidden control's setting.

What each hidden control keeps is written out here (`KEEPS`), independently of session.locks.
The property test tries random routes under random `hide=` sets; the tests before it pin each
route's behaviour and the panels a link leaves out.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import DATASETS, FEATURES
from playground.settings.config import DEFAULT, HIDEABLE, VIEW_FIELDS, Config
from playground.settings.lessons import LESSONS_BY_ID
from tests.playground.routes import SESSIONS, routed_app, take
from tests.playground.session import app

KEEPS = {  # hidden control -> the part of the Config it keeps at the link's value
    "play": lambda c: None, "step": lambda c: None, "reset": lambda c: c.init_seed,
    "learning_rate": lambda c: c.learning_rate, "activation": lambda c: c.activation,
    "regularization": lambda c: c.regularization, "regularization_rate": lambda c: c.regularization_rate,
    "output": lambda c: (c.output_activation, c.loss), "dataset": lambda c: c.dataset,
    "train_percent": lambda c: c.train_percent, "noise": lambda c: c.noise,
    "batch_size": lambda c: c.batch_size, "layers": lambda c: len(c.hidden), "neurons": lambda c: c.hidden,
    "optimizer": lambda c: c.optimizer, "n_samples": lambda c: c.n_samples, "seed": lambda c: c.seed,
    "init": lambda c: (c.init, c.init_seed), "stop": lambda c: (c.stop_epoch, c.stop_patience),
    "speed": lambda c: c.speed, "advanced": lambda c: c.advanced,
    **{f: (lambda c, f=f: f in c.features) for f in FEATURES},
}
B_KEEPS = {  # hidden control -> setup B's field that stays A's
    "optimizer": "optimizer", "learning_rate": "learning_rate", "layers": "hidden", "neurons": "hidden",
    "regularization": "regularization", "regularization_rate": "regularization_rate",
}


def sidebar_expanders(at: AppTest) -> set[str]:
    return {e.label.strip("*") for e in at.sidebar.expander}


def messages(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.warning, *at.info, *at.error])


def assert_locked(at: AppTest, start: Config, hidden: set[str]) -> None:
    """Every hidden control's setting is the link's, in A, its trainer, B and the data."""
    assert not at.exception, [e.value for e in at.exception]
    config, trainer = at.session_state.config, at.session_state.trainer
    for control in hidden:
        assert KEEPS[control](config) == KEEPS[control](start), (control, config)
    if hidden & {"learning_rate"}:
        assert trainer.learning_rate == start.learning_rate
    if "dataset" in hidden:
        assert trainer.data.name == start.dataset  # never the user's own points ("custom")
    built = at.session_state["cls_compare"] if "cls_compare" in at.session_state else None
    if built is not None and at.session_state["cls_compare_on"]:
        config_b = built[1]
        for control in hidden & set(B_KEEPS):
            assert getattr(config_b, B_KEEPS[control]) == getattr(config, B_KEEPS[control]), control


def test_every_setting_is_covered_by_a_hideable_control():
    """The table above names every control the link builder offers, and together they cover
    every Config field but the view switches (test data, discretize, log scale)."""
    assert set(KEEPS) == set(HIDEABLE)
    probe = Config(advanced=True)
    changes = [{"dataset": "xor"}, {"noise": 5}, {"train_percent": 60}, {"n_samples": 550}, {"seed": 1},
               {"features": ("x1",)}, {"hidden": (3,)}, {"activation": "relu"}, {"init": "zeros"},
               {"init_seed": 1}, {"loss": "mse"}, {"output_activation": "tanh", "loss": "mse"},
               {"optimizer": "adam"}, {"learning_rate": 0.1}, {"batch_size": 11}, {"regularization": "l1"},
               {"regularization_rate": 0.1}, {"speed": "max"}, {"stop_epoch": 3}, {"stop_patience": 4},
               {"advanced": False}]
    for change in changes:
        other = Config(**{**probe.to_dict(), **change})
        assert any(keep(other) != keep(probe) for keep in KEEPS.values()), change
    assert set().union(*changes) | VIEW_FIELDS == set(probe.to_dict())


# --- the link: learning rate and dataset hidden -------------------------------------------

def test_a_link_hiding_the_learning_rate_and_dataset_leaves_out_the_panels_that_change_them():
    at = app(hide="learning_rate,dataset", dataset="xor", learning_rate="0.1")
    assert not at.exception and not at.warning
    expanders = sidebar_expanders(at)
    assert {"Lessons", "Your data", "Share a classroom link"}.isdisjoint(expanders)  # no lesson: xor, 0.1
    assert {"Save and export", "Compare"} <= expanders
    at.toggle(key="cls_compare_on").set_value(True).run()
    assert "cls_b_learning_rate" not in {s.key for s in at.sidebar.selectbox}  # B learns at A's rate
    assert "cls_b_optimizer" in {s.key for s in at.sidebar.selectbox}
    assert at.session_state["cls_compare"][1].learning_rate == 0.1
    assert at.session_state.config.dataset == "xor" and at.session_state.config.learning_rate == 0.1


def test_lessons_that_keep_the_locks_are_offered_and_open():
    at = app(hide="learning_rate,dataset")  # circle at 0.03, as the circle-features lesson
    box = at.selectbox(key="cls_lesson")
    assert box.options[1:] == ["6 · Circle features"]
    box.select("circle-features").run()
    assert at.session_state.config == LESSONS_BY_ID["circle-features"].config


def test_start_here_and_the_article_row_follow_the_locks():
    """"Start here" and the math view's row open lessons too: left out when their lesson would
    break a lock, refused when called anyway, and the lesson box keeps what it showed."""
    labels = lambda at: [b.label for b in at.button]  # noqa: E731
    at = routed_app(hide="dataset")  # circle; the article's lessons use other datasets
    assert "Start here: the article" not in labels(at)
    assert not any(key.startswith("cls_math_lesson") for key in (b.key for b in at.button) if key)
    take(at, "choose", "article-1")
    assert at.session_state.config == DEFAULT and at.session_state["cls_lesson"] is None
    assert "fixes Dataset, so that lesson was not opened" in messages(at)
    free = app(hide="play")
    assert "Start here: the article" in labels(free)


def test_a_lesson_that_would_change_a_hidden_setting_is_refused():
    at = routed_app(hide="learning_rate", learning_rate="0.3")
    take(at, "lesson", "xor")
    assert at.session_state.config == Config(learning_rate=0.3)
    assert "fixes Learning rate, so that lesson was not opened" in messages(at)
    assert at.session_state["cls_lesson"] is None


def test_a_lesson_link_sets_the_values_its_hidden_controls_keep():
    at = app(lesson="learning-rate", hide="learning_rate")
    assert at.session_state.config == LESSONS_BY_ID["learning-rate"].config  # the lesson is the link
    at.selectbox(key="w_optimizer").select("adam").run()
    assert at.session_state.config.learning_rate == 1.0


def test_a_lesson_whose_setup_b_changes_a_hidden_setting_is_not_offered():
    lesson = LESSONS_BY_ID["optimizers"]  # B changes the optimizer
    params = {k: ",".join(map(str, v)) if isinstance(v, tuple) else str(v)
              for k, v in lesson.config.to_dict().items()}
    params = {k: {"True": "1", "False": "0"}.get(v, v) for k, v in params.items()}
    at = routed_app(hide="optimizer", **params)
    assert "optimizers" not in at.selectbox(key="cls_lesson").options
    take(at, "lesson", "optimizers")
    assert "fixes Optimizer, so that lesson was not opened" in messages(at)
    assert at.session_state.config == lesson.config


# --- your data, saved sessions ------------------------------------------------------------------------

def test_with_the_dataset_fixed_no_points_of_ones_own_replace_it():
    at = routed_app(hide="dataset")
    assert "Your data" not in sidebar_expanders(at)
    for route in (("csv", "binary"), ("click",)):
        take(at, *route)
        assert at.session_state.trainer.data.name == "circle"
        assert "fixes Dataset, so your own points cannot replace its data" in messages(at)


def test_with_the_output_fixed_points_of_another_problem_type_are_refused():
    at = routed_app(hide="output")
    take(at, "csv", "three-class")
    assert at.session_state.config == DEFAULT and at.session_state.trainer.data.name == "circle"
    assert "fixes Problem type · output, so these classification points cannot be used" in messages(at)
    take(at, "csv", "binary")  # the same problem type: the output stays, the points are used
    assert at.session_state.trainer.data.name == "custom"


def test_a_saved_session_is_loaded_only_if_it_keeps_the_locks():
    at = routed_app(hide="learning_rate")
    take(at, "session", "default-lr-1")
    assert at.session_state.config == DEFAULT and at.session_state.trainer.epoch == 0
    assert any("this saved session was not loaded" in e.value for e in at.error)
    take(at, "session", "defaults")  # saved from this same setup: it continues
    assert at.session_state.trainer.epoch == 2
    at = routed_app(hide="dataset")
    take(at, "session", "custom-points")
    assert at.session_state.trainer.data.name == "circle" and at.session_state.trainer.epoch == 0


# --- the sidebar, the advanced switch, Reset --------------------------------------------------------

def test_with_the_output_fixed_the_dataset_box_offers_its_problem_type_only():
    at = app(hide="output")
    binary = [name for name, spec in DATASETS.items()
              if spec.kind == "classification" and spec.n_classes == 2]
    assert at.selectbox(key="w_dataset").options == binary


def test_a_change_that_would_clamp_a_hidden_setting_is_refused():
    at = app(hide="batch_size", advanced="1", n_samples="2000", train_percent="90", batch_size="1500")
    at.slider(key="w_n_samples").set_value(1000).run()  # 900 training points: batch 1500 would clamp
    config = at.session_state.config
    assert (config.n_samples, config.batch_size) == (2000, 1500)
    assert "fixes Batch size, so that change was not applied" in messages(at)
    assert at.slider(key="w_n_samples").value == 2000  # the widget shows the setup again
    at.slider(key="w_noise").set_value(30).run()  # a change that keeps the lock applies
    assert at.session_state.config.noise == 30 and not at.warning


def test_the_advanced_switch_stays_on_while_it_would_clamp_a_hidden_setting():
    at = routed_app(hide="noise", advanced="1", noise="80")
    assert at.toggle(key="w_advanced").disabled
    take(at, "advanced_off")
    assert at.session_state.config.advanced and at.session_state.config.noise == 80
    assert "the advanced limits stay on" in messages(at)
    free = app(hide="learning_rate", advanced="1", noise="80")
    assert not free.toggle(key="w_advanced").disabled


def test_reset_keeps_the_initial_weights_a_link_fixes():
    at = app(hide="init", init_seed="7")
    weights = at.session_state.trainer.net.params.copy()
    at.button(key="step").click().run()
    at.button(key="reset").click().run()
    assert at.session_state.config.init_seed == 7 and at.session_state.trainer.epoch == 0
    np.testing.assert_array_equal(at.session_state.trainer.net.params, weights)
    at.toggle(key="cls_compare_on").set_value(True).run()  # Compare starts over too
    assert at.session_state.config.init_seed == 7
    unlocked = app(init_seed="7")
    unlocked.button(key="reset").click().run()
    assert unlocked.session_state.config.init_seed == 8


# --- the property: random links, random routes ------------------------------------------------------

STARTS = [  # link setups: defaults, a small xor net, the advanced limits, multiclass, regression
    {},
    {"dataset": "xor", "learning_rate": "0.1", "features": "x1,x2,x1*x2", "hidden": "3"},
    {"advanced": "1", "noise": "80", "n_samples": "1500", "train_percent": "80", "hidden": "12,4",
     "activation": "tanh,relu", "batch_size": "300", "optimizer": "adam"},
    {"dataset": "spiral3", "output_activation": "softmax", "loss": "mse", "init": "zeros",
     "init_seed": "7", "stop_epoch": "50", "speed": "max"},
    {"dataset": "plane", "output_activation": "linear", "loss": "mse", "regularization": "l2",
     "regularization_rate": "0.01", "seed": "42", "features": "x1,x2,sin(x1)"},
]
WIDGETS = {  # widget key -> values the browser can send; the hideable control it belongs to
    "w_dataset": (list(DATASETS), "dataset"), "w_learning_rate": ([0.001, 1.0], "learning_rate"),
    "w_noise": ([10, 50], "noise"), "w_n_samples": ([100, 1000], "n_samples"),
    "w_train_percent": ([20, 90], "train_percent"), "w_layers": ([0, 2, 5], "layers"),
    "w_neurons_0": ([1, 8], "neurons"), "w_optimizer": (["gd", "adam"], "optimizer"),
    "w_features": ([["x1"], ["x1^2", "x2^2"], list(FEATURES)], "x1"),
    "w_batch_size": ([1, 30], "batch_size"), "w_init": (["zeros"], "init"),
    "w_speed": (["1", "max"], "speed"),
    "w_stop_epoch": ([9], "stop"), "w_regularization": (["l1"], "regularization"),
    "w_regularization_rate": ([0.3], "regularization_rate"), "w_activation": (["relu"], "activation"),
    "w_seed": ([77], "seed"), "w_advanced": ([True, False], "advanced"),
}
COMPARE_VALUES = [("learning_rate", 0.3), ("learning_rate", 0.001), ("optimizer", "momentum"),
                  ("hidden", "5,5"), ("regularization", "l2"), ("regularization_rate", 0.1)]


def widget_routes(keys: list[str]) -> st.SearchStrategy:
    return st.sampled_from([("widget", k, v) for k in keys for v in WIDGETS[k][0]])


routes = st.one_of(
    st.sampled_from(list(LESSONS_BY_ID)).map(lambda lesson: ("lesson", lesson)),
    st.sampled_from(["binary", "three-class", "regression"]).map(lambda csv: ("csv", csv)),
    st.sampled_from(list(SESSIONS)).map(lambda name: ("session", name)),
    st.sampled_from([("click",), ("advanced_off",), ("reset",), ("regenerate",), ("step",)]),
    st.sampled_from(COMPARE_VALUES).map(lambda pair: ("compare", *pair)),
    widget_routes(list(WIDGETS)),
)


def routes_against(hidden: set[str]) -> st.SearchStrategy:
    """Any route, or (as often) a value for a widget of a hidden control: a forged request."""
    aimed = [k for k, (_, control) in WIDGETS.items() if control in hidden or k == "w_features"
             and hidden & set(FEATURES)]
    return st.one_of(routes, widget_routes(aimed)) if aimed else routes


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.sampled_from(STARTS), hidden=st.sets(st.sampled_from(HIDEABLE), min_size=1, max_size=6),
       data=st.data())
def test_no_route_changes_what_a_link_hides(start, hidden, data):
    at = routed_app(**start, hide=",".join(sorted(hidden)))
    link = at.session_state.config
    assert_locked(at, link, hidden)
    for route in data.draw(st.lists(routes_against(hidden), min_size=1, max_size=4), label="routes"):
        take(at, *route)
        assert_locked(at, link, hidden)
