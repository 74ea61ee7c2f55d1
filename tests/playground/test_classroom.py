"""The classroom features through AppTest: lessons, uploads, clicked points, save/continue,
downloads, replay and compare — each feature's state changes, one run at a time."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.figures.colors import BLUE, ORANGE
from playground.io.export import session_json
from playground.settings.build import build_trainer
from playground.settings.config import Config
from playground.settings.lessons import LESSONS_BY_ID
from playground.settings.text import number
from tests.playground.palette import assert_colors, ramp
from tests.playground.reference import activations, drawn, grid_points, link_codes, on_grid
from tests.playground.session import app, shown
from tests.playground.views import figure, surface_pixels, typed_array, view, views

FLOAT32 = 0.5 + 1e-3  # a pixel is the exact colour rounded; the app computes in float32
GOOD_CSV = b"x1,x2,label\n" + b"".join(f"{i - 5},{(i * 7) % 11 - 5},{i % 2}\n".encode() for i in range(12))



def step(at: AppTest, times: int = 1) -> AppTest:
    for _ in range(times):
        at.button(key="step").click().run()
    return at


def uploader(at: AppTest, label_start: str):
    return next(u for u in at.get("file_uploader") if u.label.startswith(label_start))


def messages(at: AppTest) -> str:
    """What the error and info boxes show (their Markdown sources escape every mark)."""
    return " ".join(shown(e.value) for e in [*at.error, *at.info])


def test_default_page_has_no_classroom_charts_or_messages():
    at = app()
    assert not at.exception and not at.error and not at.info and not at.warning
    assert set(views(at)) == {"stats", "network", "surface", "cost", "backup"}  # no compare views
    surface = figure(at, "surface")
    assert [t["name"] for t in surface["data"][1:]] == ["train"]  # no test points, no clicked ones
    assert not view(at, "surface").static["clickable"]
    assert [t["name"] for t in figure(at, "cost")["data"]] == ["train", "test"]


# --- lessons -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson_id", ["xor", "overfitting", "learning-rate"])
def test_a_lesson_sets_every_control_and_starts_over(lesson_id):
    at = step(app())
    at.selectbox(key="cls_lesson").select(lesson_id).run()
    expected = Config(**LESSONS_BY_ID[lesson_id].settings)
    assert not at.exception
    assert at.session_state.config == expected and at.session_state.trainer.epoch == 0
    assert at.session_state["w_dataset"] == expected.dataset
    assert at.session_state["w_layers"] == len(expected.hidden)
    assert any(LESSONS_BY_ID[lesson_id].prompt[:40] in m.value for m in at.markdown)
    assert at.query_params["dataset"] == expected.dataset  # the address carries the lesson
    at.selectbox(key="w_learning_rate").select(0.001).run()  # and the user can change anything
    assert at.session_state.config.learning_rate == 0.001


def test_lesson_link_opens_the_lesson():
    at = app(lesson="spiral")
    assert at.session_state.config == Config(**LESSONS_BY_ID["spiral"].settings)
    assert not at.warning


# --- your own data -------------------------------------------------------------------------------

def test_uploaded_csv_becomes_the_training_data():
    at = app()
    uploader(at, "Upload points").upload("mine.csv", GOOD_CSV, "text/csv")
    at.run()
    data = at.session_state.trainer.data
    assert not at.exception and data.name == "custom" and len(data.X_train) + len(data.X_test) == 12
    step(at)
    assert at.session_state.trainer.data is data and at.session_state.trainer.epoch == 1
    at.button(key="reset").click().run()  # a reset keeps the user's data
    assert at.session_state.trainer.data is data and at.session_state.trainer.epoch == 0


def test_bad_csv_shows_the_message_and_keeps_the_previous_data():
    at = app()
    before = at.session_state.trainer.data
    uploader(at, "Upload points").upload("bad.csv", b"x1,x2,label\n1,abc,0\n", "text/csv")
    at.run()
    assert "line 2, column x2: 'abc' is not a number" in messages(at)
    assert at.session_state.trainer.data is before


def test_out_of_range_csv_tells_the_user_it_was_rescaled():
    at = app()
    rows = b"".join(f"{i * 10},{i},{i % 2}\n".encode() for i in range(8))
    uploader(at, "Upload points").upload("big.csv", b"x1,x2,label\n" + rows, "text/csv")
    at.run()
    assert "scaled" in messages(at) and at.session_state.trainer.data.name == "custom"


def test_multiclass_csv_switches_the_network_to_softmax():
    at = app()
    rows = b"".join(f"{i % 5},{i // 5},{i % 3}\n".encode() for i in range(15))
    uploader(at, "Upload points").upload("three.csv", b"x1,x2,label\n" + rows, "text/csv")
    at.run()
    assert at.session_state.config.output_activation == "softmax"
    assert at.session_state.trainer.net.layer_sizes[-1] == 3


def test_picking_a_dataset_goes_back_to_built_in_data():
    at = app()
    uploader(at, "Upload points").upload("mine.csv", GOOD_CSV, "text/csv")
    at.run()
    at.selectbox(key="w_dataset").select("xor").run()
    assert at.session_state.trainer.data.name == "xor" and "cls_points" not in at.session_state


def clicking_app() -> AppTest:
    """The app, plus a hook that makes st.session_state["test_click"] the surface's "click"
    trigger and runs its callback before the page, as Streamlit does when the surface is clicked."""
    def script():
        import streamlit as st

        from playground import app
        from playground.session import data

        click = st.session_state.pop("test_click", None)
        if click is not None:
            st.session_state["pg-surface"] = {"click": click}
            data.on_surface_click()
        from tests.playground.session import open_panels

        open_panels()
        app.main()
    return AppTest.from_function(script, default_timeout=60).run()


def click(at: AppTest, x, y, label: int | None = None) -> AppTest:
    """Click the surface at (x, y), with the class control set to `label` first when given."""
    if label is not None and at.button_group(key="cls_draw_class").value != label:
        at.button_group(key="cls_draw_class").set_value(label).run()
    at.session_state["test_click"] = {"x": x, "y": y}
    return at.run()


def clicked_points(at: AppTest) -> list:
    """The clicked points the session keeps (none before the first click)."""
    return list(at.session_state["cls_drawn"]) if "cls_drawn" in at.session_state else []


def clicked_trace(at: AppTest) -> dict | None:
    return next((t for t in figure(at, "surface")["data"] if t.get("name") == "clicked"), None)


def test_clicked_points_become_the_data_and_clear_removes_them():
    at = clicking_app()
    click(at, -3.0, -3.0)
    assert clicked_points(at) == []  # "Click to add points" is off: a click adds nothing
    at.toggle(key="cls_draw_mode").set_value(True).run()
    assert view(at, "surface").static["clickable"]
    click(at, -3.0, -3.0, 0)
    click(at, 3.0, 3.0, 1)
    click(at, -3.0, 3.0, 0)
    assert at.session_state.trainer.data.name != "custom"  # 3 points are not a dataset yet
    assert "add at least 4" in " ".join(c.value for c in at.caption)
    trace = clicked_trace(at)
    np.testing.assert_array_equal(typed_array(trace["x"]), [-3.0, 3.0, -3.0])
    np.testing.assert_array_equal(typed_array(trace["y"]), [-3.0, 3.0, 3.0])
    assert trace["marker"]["color"] == [ORANGE, BLUE, ORANGE]
    click(at, 3.0, -3.0, 1)
    data = at.session_state.trainer.data
    assert data.name == "custom" and len(data.X_train) + len(data.X_test) == 4
    points = np.concatenate([data.X_train, data.X_test])
    labels = np.concatenate([data.labels_train, data.labels_test])
    assert sorted(zip(*points.T.tolist(), labels.tolist(), strict=True)) == sorted(
        [(-3.0, -3.0, 0), (3.0, 3.0, 1), (-3.0, 3.0, 0), (3.0, -3.0, 1)])
    assert len(typed_array(clicked_trace(at)["x"])) == 4
    at.button(key="cls_clear").click().run()
    assert clicked_points(at) == [] and at.session_state.trainer.data.name == "circle"
    assert clicked_trace(at) is None or len(typed_array(clicked_trace(at)["x"])) == 0


@pytest.mark.parametrize("x, y", [(6.5, 0.0), (0.0, -7.0), (float("nan"), 1.0), (True, 1.0), ("1", 2.0),
                                  (None, 1.0)])
def test_a_click_outside_the_square_or_malformed_adds_no_point(x, y):
    at = clicking_app()
    at.toggle(key="cls_draw_mode").set_value(True).run()
    click(at, x, y)
    assert not at.exception and clicked_points(at) == []


# --- save, continue, downloads -------------------------------------------------------------------

def test_downloads_are_offered_when_paused():
    at = step(app())
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Model and session (JSON)", "Loss history (CSV)", "Standalone numpy script"} <= set(buttons)
    assert not any(b.disabled for b in buttons.values())


def test_saved_session_continues_exactly():
    at = step(app(learning_rate="0.1", optimizer="adam"), 3)
    trainer, config = at.session_state.trainer, at.session_state.config
    saved = session_json(trainer, config.to_dict()).encode()
    fresh = app()
    uploader(fresh, "Continue a saved session").upload("s.json", saved, "application/json")
    fresh.run()
    loaded = fresh.session_state.trainer
    assert not fresh.exception and loaded.epoch == 3 and fresh.session_state.config == config
    np.testing.assert_array_equal(loaded.net.params, trainer.net.params)
    step(fresh, 2)
    step(at, 2)
    np.testing.assert_array_equal(fresh.session_state.trainer.net.params, at.session_state.trainer.net.params)


def test_a_loaded_session_keeps_its_stop_condition_and_initial_weights_seed():
    at = step(app(stop_epoch="4", init_seed="7"), 3)
    trainer, config = at.session_state.trainer, at.session_state.config
    saved = session_json(trainer, config.to_dict()).encode()
    fresh = app()
    uploader(fresh, "Continue a saved session").upload("s.json", saved, "application/json")
    fresh.run()
    assert fresh.session_state.init_seed == 7
    step(fresh)  # epoch 4: the saved setup's stop condition holds
    assert fresh.session_state.trainer.epoch == 4 and fresh.session_state.trainer.stopped
    assert fresh.button(key="step").disabled


def test_malformed_session_file_gets_a_message_and_changes_nothing():
    at = step(app())
    before = at.session_state.trainer
    uploader(at, "Continue a saved session").upload("s.json", b"{not json", "application/json")
    at.run()
    assert "not valid JSON" in messages(at) and at.session_state.trainer is before


# --- replay and compare --------------------------------------------------------------------------

def test_replay_slider_scrubs_back_and_leaves_the_network_alone():
    at = step(app(), 6)
    slider = at.select_slider[0]
    assert slider.options[0] == "0" and slider.options[-1] == "6"
    live = at.session_state.trainer.net.params.copy()
    live_pixels = surface_pixels(at)
    slider.set_value(2).run()
    assert figure(at, "cost")["layout"]["shapes"][0]["x0"] == 2  # the cost curve's marker
    # the replayed network is this run's after 2 epochs: train the same setup again to get it
    again = build_trainer(at.session_state.config, at.session_state.init_seed)
    again.step(1)  # two Step presses
    again.step(1)
    weights, biases = again.net.weights, again.net.biases
    assert view(at, "network").arrays["codes"].tolist() == link_codes(weights)
    expected = on_grid(activations(weights, biases, grid_points())[-1][:, 0])
    assert_colors(drawn(surface_pixels(at)), ramp(expected, 0.0, 1.0), tolerance=FLOAT32)
    assert np.abs(surface_pixels(at).astype(int) - live_pixels).max() > 1  # not the live network
    p = activations(weights, biases, again.data.X_test)[-1][:, 0]
    y = again.data.labels_test
    test_loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))  # binary cross-entropy
    items = {hook: (label, text) for label, hook, text in view(at, "stats").frame["items"]}
    assert items["epoch-counter"] == ("Epoch (replay)", "2")
    assert items["test-loss"][1] == number(test_loss)
    np.testing.assert_array_equal(at.session_state.trainer.net.params, live)
    step(at)  # training on shows the live network again
    assert at.select_slider[0].value == 7
    assert view(at, "stats").frame["items"][0][:3:2] == ["Epoch", "7"]


def test_compare_trains_a_second_setup_in_step_on_the_same_data():
    at = app()
    at.toggle(key="cls_compare_on").set_value(True).run()
    at.selectbox(key="cls_b_learning_rate").select(0.3).run()
    step(at, 3)
    a = at.session_state.trainer
    _, config_b, b = at.session_state.cls_compare
    assert b.epoch == a.epoch == 3 and b.data is a.data and config_b.learning_rate == 0.3
    assert not np.array_equal(a.net.params, b.net.params)
    assert {"compare_surface", "compare_cost"} <= set(views(at))
    cost = figure(at, "compare_cost")
    assert [t["name"] for t in cost["data"]] == ["A train", "A test", "B train", "B test"]
    histories = [a.history.train_loss, a.history.test_loss, b.history.train_loss, b.history.test_loss]
    for trace, loss in zip(cost["data"], histories, strict=True):
        np.testing.assert_array_equal(typed_array(trace["x"]), [1, 2, 3])
        np.testing.assert_array_equal(typed_array(trace["y"]), loss)
    expected = on_grid(activations(b.net.weights, b.net.biases, grid_points())[-1][:, 0])
    assert_colors(drawn(surface_pixels(at, "compare_surface")), ramp(expected, 0.0, 1.0), tolerance=FLOAT32)
    mine = on_grid(activations(a.net.weights, a.net.biases, grid_points())[-1][:, 0])
    assert_colors(drawn(surface_pixels(at)), ramp(mine, 0.0, 1.0), tolerance=FLOAT32)
