"""Editing the network by hand and neuron focus (issue 7), through AppTest and plain pytest.

Every expected number comes from an independent numpy forward pass over copies of the weights
with the same edit made by hand, never from the code under test; every expected colour from the
palette's constants (tests/playground/palette.py), read from the drawn PNG (views.png_pixels).
"""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.figures.colors import INK, VERMILLION
from playground.session.editing import apply_value, click
from playground.settings.build import build_trainer
from playground.settings.params import param_label, parameters
from playground.settings.text import number
from tests.playground.palette import assert_colors, ramp
from tests.playground.reference import activations, drawn, grid_points, on_grid
from tests.playground.session import app, shown
from tests.playground.views import figure, frames, png_pixels, stats, surface_pixels, view

APPLY = "FormSubmitter:edit_form-Apply"
FLOAT32 = 0.5 + 1e-3  # a pixel is the exact colour rounded; the app computes in float32


def the_list(at: AppTest):
    """The list of weights and biases (its key changes with the parameters' values)."""
    (box,) = [box for box in at.selectbox if box.label == "Weight or bias"]
    return box


def edit(at: AppTest, param: tuple, value) -> AppTest:
    """Pick `param` from the list, type `value`, press Apply."""
    the_list(at).set_value(param).run()
    at.number_input(key="edit_value").set_value(value)
    return at.button(key=APPLY).click().run()


def copies(at: AppTest) -> tuple[list[np.ndarray], list[np.ndarray]]:
    net = at.session_state.trainer.net
    return [w.copy() for w in net.weights], [b.copy() for b in net.biases]


def messages(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error] + [shown(s.value) for s in at.success]


# --- the list, the apply and what updates ---------------------------------------------------

def test_the_list_holds_every_weight_and_bias_including_the_output_bias():
    at = app()
    box = the_list(at)
    net = at.session_state.trainer.net  # [2, 4, 2, 1]
    assert len(box.options) == (2 * 4 + 4) + (4 * 2 + 2) + (2 * 1 + 1)
    assert box.options[0] == f"w[0][0→0] = {net.weights[0][0, 0]:.4g}"  # 4 significant digits
    assert f"w[1][3→1] = {net.weights[1][3, 1]:.4g}" in box.options
    assert f"b[hidden 2 · neuron 1] = {net.biases[1][1]:.4g}" in box.options
    assert box.options[-1] == f"b[output · neuron 0] = {net.biases[2][0]:.4g}"
    assert box.value is None and at.number_input(key="edit_value").disabled


def test_a_hand_edited_weight_changes_the_prediction_by_exactly_the_forward_pass():
    at = app()
    weights, biases = copies(at)
    points = np.array([[1.0, -2.0], [-4.5, 3.0], [0.0, 0.0], [5.5, 5.5]])
    before = activations(weights, biases, points)[-1]
    edit(at, ("w", 1, 2, 0), 1.75)
    assert not at.exception and "w[1][2→0]" in shown(at.success[0].value)
    weights[1][2, 0] = 1.75
    after = activations(weights, biases, points)[-1]
    trainer = at.session_state.trainer
    assert trainer.net.weights[1][2, 0] == 1.75
    np.testing.assert_allclose(trainer.predict(points), after, rtol=0, atol=1e-12)
    assert np.abs(after - before).max() > 1e-3  # the edit matters
    # the drawn surface is the edited network's output over the grid, P(class 1) from 0 to 1
    expected = on_grid(activations(weights, biases, grid_points())[-1][:, 0])
    assert_colors(drawn(surface_pixels(at)), ramp(expected, 0.0, 1.0), tolerance=FLOAT32)
    hover = np.asarray(figure(at, "surface")["data"][0]["customdata"])
    assert hover[10, 20] == number(expected[20, 40])  # every other cell: 50 a side
    # the list shows the new value
    assert "w[1][2→0] = 1.75" in the_list(at).options  # a fresh list: the browser shows new values
    assert the_list(at).value == ("w", 1, 2, 0)  # and keeps the pick


def test_the_output_neurons_bias_is_editable_and_the_losses_follow():
    at = app()
    weights, biases = copies(at)
    edit(at, ("b", 2, 0), -0.8)
    biases[2][0] = -0.8
    trainer = at.session_state.trainer
    assert trainer.net.biases[2][0] == -0.8
    p = activations(weights, biases, trainer.data.X_test)[-1][:, 0]
    y = trainer.data.labels_test
    test_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))  # binary cross-entropy
    shown = stats(at)
    assert f'<span id="test-loss">{number(test_loss)}</span>' in shown
    assert '<span id="epoch-counter">0</span>' in shown  # an edit is not an epoch


@pytest.mark.parametrize("bad", [None, float("nan"), float("inf"), float("-inf")])
def test_a_bad_value_keeps_the_old_one_and_says_why(bad):
    at = app()
    old = at.session_state.trainer.net.params.copy()
    edit(at, ("w", 0, 1, 3), bad)  # the number input hands NaN and ±∞ over as empty
    assert not at.exception
    assert np.array_equal(at.session_state.trainer.net.params, old)
    (error,) = at.error
    assert "Type a finite number" in shown(error.value)
    assert "or its number is too large to be finite" in shown(error.value)  # 1e309 is not "empty"
    assert f"w[0][1→3] keeps its value {old[7]:.4g}" in shown(error.value)  # params[7] is w[0][1, 3]
    assert not at.success


@pytest.mark.parametrize("param, value, says", [
    (("w", 0, 1, 3), float("nan"), "not a finite number"),
    (("b", 2, 0), float("inf"), "not a finite number"),
    (("w", 0, 1, 3), "abc", "could not convert"),
])
def test_apply_value_refuses_what_the_core_refuses(param, value, says):
    trainer = build_trainer(build_config(), 0)
    old = trainer.net.params.copy()
    kind, text = apply_value(trainer, param, value)
    assert kind == "error" and says in text and "keeps its value" in text
    assert np.array_equal(trainer.net.params, old)


def test_training_continues_from_the_edited_network():
    at = app()
    edit(at, ("w", 0, 0, 0), -2.5)
    at.button(key="step").click().run()
    expected = build_trainer(at.session_state.config, at.session_state.init_seed)
    expected.net.weights[0][0, 0] = -2.5
    expected.step(1)
    trainer = at.session_state.trainer
    assert trainer.epoch == 1 and np.array_equal(trainer.net.params, expected.net.params)


def test_a_changed_network_drops_a_pick_and_focus_that_no_longer_exist():
    at = app()
    the_list(at).set_value(("b", 1, 1)).run()  # focuses hidden 2 · neuron 1
    assert at.session_state.edit_focus == (2, 1)
    at.number_input(key="w_layers").set_value(1).run()  # now [2, 4, 1]: no hidden 2
    assert not at.exception
    assert the_list(at).value is None
    assert "name" not in figure(at, "surface")["data"][0]  # the decision surface again
    assert view(at, "network").frame["marks"] == []


# --- neuron focus ---------------------------------------------------------------------------

def test_focusing_a_neuron_shows_its_output_and_the_button_goes_back():
    at = app()
    weights, biases = copies(at)
    the_list(at).set_value(("b", 1, 1)).run()  # the list's entry of the neuron
    hover = figure(at, "surface")["data"][0]
    assert hover["name"] == "neuron: hidden 2 · neuron 1"
    expected = on_grid(activations(weights, biases, grid_points())[2][:, 1])
    spread = np.abs(expected).max()  # white at 0, as the thumbnail
    assert_colors(drawn(surface_pixels(at)), ramp(expected, -spread, spread), tolerance=FLOAT32)
    assert np.asarray(hover["customdata"])[10, 20] == number(expected[20, 40])
    assert any("Showing **hidden 2 · neuron 1**" in c.value and "Esc" in c.value for c in at.caption)
    at.button(key="edit_unfocus").click().run()
    hover = figure(at, "surface")["data"][0]
    assert "name" not in hover and "P(class 1)" in hover["hovertemplate"]
    output = on_grid(activations(weights, biases, grid_points())[-1][:, 0])
    assert_colors(drawn(surface_pixels(at)), ramp(output, 0.0, 1.0), tolerance=FLOAT32)
    assert not any("Showing" in c.value for c in at.caption)


def test_a_focused_output_neuron_is_white_where_undecided():
    at = app()
    weights, biases = copies(at)
    the_list(at).set_value(("b", 2, 0)).run()  # the output neuron: a sigmoid, undecided at 0.5
    expected = on_grid(activations(weights, biases, grid_points())[-1][:, 0])
    spread = np.abs(expected - 0.5).max()
    assert_colors(drawn(surface_pixels(at)), ramp(expected, 0.5 - spread, 0.5 + spread), tolerance=FLOAT32)


def test_while_playing_each_frame_shows_the_focused_neurons_image(uncrowded):
    at = app(speed="5")
    the_list(at).set_value(("b", 0, 3)).run()  # hidden 1 · neuron 3
    at.session_state["max_frames"] = 2
    at.button(key="play").click().run()
    weights, biases = copies(at)  # the last frame shows the network as it is now
    header, arrays = frames(at)[-1]
    assert header["slots"]["stats"]["items"][0][2] == str(at.session_state.trainer.epoch)
    expected = on_grid(activations(weights, biases, grid_points())[1][:, 3])
    spread = np.abs(expected).max()
    pixels = drawn(png_pixels(arrays[("surface", "png")]))
    assert_colors(pixels, ramp(expected, -spread, spread), tolerance=FLOAT32)


# --- clicks on the diagram -------------------------------------------------------------------

def test_clicks_pick_links_and_neurons_and_a_second_click_goes_back():
    state = {}
    click(state, "link", (1, 3, 0))
    assert state == {"edit_param": ("w", 1, 3, 0)}
    click(state, "neuron", (2, 1))
    assert state == {"edit_param": ("b", 1, 1), "edit_focus": (2, 1)}
    click(state, "neuron", (2, 1))  # again: back to the decision surface, the pick stays
    assert state == {"edit_param": ("b", 1, 1), "edit_focus": None}
    click(state, "neuron", (0, 1))  # an input has no bias: focus only
    assert state == {"edit_param": ("b", 1, 1), "edit_focus": (0, 1)}
    state = {"edit_list_key": "edit_list_ab12"}  # the list drawn last run shows the click's pick
    click(state, "link", (0, 1, 0))
    assert state["edit_list_ab12"] == state["edit_param"] == ("w", 0, 1, 0)


def picking_app() -> AppTest:
    """The app, plus a hook that makes st.session_state["test_pick"] the diagram's "pick" trigger
    and runs its callback before the page, as Streamlit does when the canvas is clicked."""
    def script():
        import streamlit as st

        from playground import app
        from playground.session import editing

        pick = st.session_state.pop("test_pick", None)
        if pick is not None:
            st.session_state["pg-network"] = {"pick": pick}
            editing.on_diagram_pick()
        from tests.playground.session import open_panels

        open_panels()
        app.main()
    return AppTest.from_function(script, default_timeout=60).run()


def kept(at: AppTest, name: str):
    """A session-state value, None when absent."""
    return at.session_state[name] if name in at.session_state else None


def pick(at: AppTest, kind: str, index) -> AppTest:
    at.session_state["test_pick"] = {"kind": kind, "index": index}
    return at.run()


def test_a_click_on_the_diagram_picks_by_position_and_rings_the_pick():
    at = picking_app()  # [2, 4, 2, 1]: links 0-7 are w[0], 8-15 w[1], 16-17 w[2]
    assert view(at, "network").static["clickable"]
    pick(at, "link", 13)  # w[1][2→1]
    assert not at.exception and at.session_state["edit_param"] == ("w", 1, 2, 1)
    assert the_list(at).value == ("w", 1, 2, 1)
    net = view(at, "network")
    x0, y0, x1, y1 = net.arrays["ends"][13]
    (ring,) = net.frame["marks"]
    assert ring[0] == "circle" and ring[4] == VERMILLION
    assert ring[1:3] == pytest.approx([(x0 + x1) / 2, (y0 + y1) / 2], abs=1e-3)
    pick(at, "neuron", 7)  # neurons column by column: 2 inputs, 4 in hidden 1, then hidden 2 · neuron 1
    assert at.session_state["edit_param"] == ("b", 1, 1) and at.session_state["edit_focus"] == (2, 1)
    assert figure(at, "surface")["data"][0]["name"] == "neuron: hidden 2 · neuron 1"
    column = view(at, "network").static["columns"][2]
    rings = view(at, "network").frame["marks"]
    assert sorted(ring[4] for ring in rings) == sorted([INK, VERMILLION])  # focus, and the bias
    assert all(ring[:3] == ["rect", column["x"], column["ys"][1]] for ring in rings)
    pick(at, "neuron", 7)  # a second click: back to the decision surface
    assert at.session_state["edit_focus"] is None and "name" not in figure(at, "surface")["data"][0]


@pytest.mark.parametrize("kind, index", [
    ("link", 18), ("link", -1), ("neuron", 9), ("neuron", -1), ("link", True), ("link", "3"),
    ("link", 2.0), ("node", 1), ("neuron", None),
])
def test_a_click_outside_the_network_or_malformed_changes_nothing(kind, index):
    at = picking_app()
    pick(at, kind, index)
    assert not at.exception
    assert kept(at, "edit_param") is None and kept(at, "edit_focus") is None


def test_the_diagram_is_not_clickable_while_playing_and_every_parameter_has_one_label():
    at = app(speed="5")
    at.session_state["max_frames"] = 1
    at.button(key="play").click().run()
    assert not view(at, "network").static["clickable"]  # mounted for the run that played
    at.run()
    assert view(at, "network").static["clickable"]  # paused again
    sizes = at.session_state.trainer.net.layer_sizes
    labels = [param_label(p, at.session_state.trainer.net) for p in parameters(sizes)]
    assert len(labels) == len(set(labels)) == (2 * 4 + 4) + (4 * 2 + 2) + (2 * 1 + 1)


def build_config(**changes):
    from playground.settings.config import DEFAULT, Config

    return Config(**{**DEFAULT.to_dict(), **changes})
