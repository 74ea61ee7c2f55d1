"""The sweep behind issue 12's item 6: for every name `hide=` accepts, every route a student has
to change that setting is closed.

First each route is taken once without a link (each from the same start), to learn which settings it
changes (`KEEPS` of test_locks, written independently of session.locks). Then, per hideable name,
a session whose link hides only that name takes, one after the other, every route that changed its
setting: afterwards the setting is the link's (in A, its trainer, compare's B and the data), the
page shows no exception, and a refusal is at most one sentence. Every name with a setting must have
at least one such route, so no row of the sweep is empty.
"""

from __future__ import annotations

import functools

import pytest

from core import FEATURES
from playground.settings.config import HIDEABLE
from playground.settings.lessons import ARTICLE_LESSONS, LESSONS_BY_ID
from tests.playground.routes import CSVS, SESSIONS, routed_app, take
from tests.playground.test_locks import B_KEEPS, KEEPS, assert_locked, messages

# The advanced limits on, beyond the normal ones: switching them off, fewer points or a smaller
# train % would each clamp something (noise, points, neurons, batch size).
START = {"advanced": "1", "noise": "80", "n_samples": "1100", "train_percent": "80", "hidden": "12,4",
         "activation": "tanh,relu", "batch_size": "300", "optimizer": "adam"}
WIDGET_VALUES = {  # a value each sidebar widget can send that differs from START
    "w_dataset": "xor", "w_learning_rate": 1.0, "w_noise": 10, "w_n_samples": 100, "w_train_percent": 20,
    "w_layers": 1, "w_neurons_0": 8, "w_optimizer": "gd", "w_batch_size": 1, "w_init": "zeros",
    "w_speed": "max", "w_stop_epoch": 9, "w_stop_patience": 5, "w_regularization": "l1",
    "w_regularization_rate": 0.3, "w_activation_1": "sigmoid", "w_seed": 77,
    "w_advanced": False, "w_output_binary": ("tanh", "mse"),
}
FEATURE_SETS = [["x1"], ["x1^2", "x2^2"], list(FEATURES)]
ROUTES = [
    *[("lesson", lesson) for lesson in LESSONS_BY_ID],
    *[("choose", lesson.id) for lesson in ARTICLE_LESSONS],  # "Start here" and the math view's row
    *[("csv", kind) for kind in CSVS],
    *[("session", name) for name in SESSIONS],
    ("click",), ("advanced_off",), ("reset",), ("regenerate",),
    ("compare", "learning_rate", 0.3), ("compare", "optimizer", "momentum"), ("compare", "hidden", "5,5"),
    ("compare", "regularization", "l2"), ("compare", "regularization_rate", 0.1),
    ("structure", {"layers": 1}), ("structure", {"layers": -1}),
    ("structure", {"layer": 0, "neurons": -1}), ("structure", {"layer": 1, "neurons": 1}),
    *[("widget", key, value) for key, value in WIDGET_VALUES.items()],
    *[("widget", "w_features", features) for features in FEATURE_SETS],
]
NO_SETTING = {"play", "step"}  # buttons: hiding them fixes nothing


def changed(before, after, at) -> set[str]:
    """The hideable names whose setting differs between the Configs `before` and `after`, whose
    field compare's B holds differently from A, and "dataset" when the user's points replaced
    the built-in data."""
    names = {name for name, keep in KEEPS.items() if keep(after) != keep(before)}
    if at.session_state.trainer.data.name != after.dataset:
        names.add("dataset")
    built = at.session_state["cls_compare"] if "cls_compare" in at.session_state else None
    if built is not None and at.session_state["cls_compare_on"]:
        config_b = built[1]
        names |= {name for name, field in B_KEEPS.items()
                  if getattr(config_b, field) != getattr(after, field)}
    return names


@functools.cache
def effects() -> dict[tuple, frozenset[str]]:
    """Route -> the hideable names whose setting it changes in a session without a link."""
    found = {}
    at = routed_app(**START)
    start = at.session_state.config
    for route in ROUTES:
        take(at, "restart", start)
        assert at.session_state.config == start and at.session_state.trainer.data.name == start.dataset
        take(at, *route)
        assert not at.exception, (route, [e.value for e in at.exception])
        found[repr(route)] = frozenset(changed(start, at.session_state.config, at))
    return found


def test_every_route_changes_something_without_a_link():
    """No route in the sweep is dead: each one, unlocked, changes some setting."""
    dead = [route for route, names in effects().items() if not names]
    assert not dead


@pytest.mark.parametrize("name", HIDEABLE)
def test_no_route_changes_a_hidden_setting(name):
    routes = [route for route in ROUTES if name in effects()[repr(route)]]
    assert bool(routes) == (name not in NO_SETTING), name  # the row is not empty
    at = routed_app(**START, hide=name)
    link = at.session_state.config
    assert_locked(at, link, {name})
    for route in routes:
        take(at, *route)
        assert_locked(at, link, {name})
        refusals = [part for part in messages(at).split(". ") if "classroom link fixes" in part]
        assert len(refusals) <= 1, (route, refusals)
