"""The article's lesson, first-class (issue 16 §1): "Start here" opens exactly the article's model
with The math at the top of the page; the sample it explains is ringed on the surface and picked
by a click; The math's lesson row; the gradient check in plain words."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from streamlit.testing.v1 import AppTest

from core import MLP
from playground.live.payload import decode
from playground.panels.math import digits_agreeing
from playground.session.math import nearest_point
from playground.settings.lessons import ARTICLE_LESSONS
from tests.playground.session import app
from tests.playground.views import figure, view


def clicking_app(**params: str) -> AppTest:
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
        app.main(keep_playing=lambda: False)  # a run that starts playing pauses at once
    at = AppTest.from_function(script, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def click(at: AppTest, x, y) -> AppTest:
    at.session_state["test_click"] = {"x": x, "y": y}
    return at.run()


def start_here(at: AppTest) -> AppTest:
    at.button(key="cls_start_here").click().run()
    assert not at.exception
    return at


def drawn(at: AppTest) -> list:
    """The clicked points kept for Your data."""
    return list(at.session_state["cls_drawn"]) if "cls_drawn" in at.session_state else []


def walk(node):
    """Every element of a tree in page order."""
    yield node
    children = getattr(node, "children", {})
    for index in sorted(children):
        yield from walk(children[index])


def page_order(at: AppTest) -> list[str]:
    """The main area's expanders ("expander:<label>") and live views ("view:<slot>"), in order."""
    names = []
    for node in walk(at.main):
        if node.type == "expander":
            names.append(f"expander:{node.label}")
        elif node.type == "bidi_component" and node.proto.component_name == "playground_stage":
            names.append(f"view:{_slot_of(node)}")
    return names


def _slot_of(node) -> str:
    return decode(node.proto.bytes)[0]["mount"]["slot"]


def math_expander(at: AppTest):
    return next(e for e in at.main.expander if e.label == "The math")


def ring(at: AppTest) -> tuple[float, float] | None:
    """The ringed sample's (x1, x2) on the surface, or None."""
    traces = [t for t in figure(at, "surface")["data"] if t.get("name") == "explained"]
    if not traces:
        return None
    assert len(traces) == 1
    return traces[0]["x"][0], traces[0]["y"][0]


def nearest(points: np.ndarray, x: float, y: float) -> int:
    """The index of the point nearest (x, y), by a plain loop (the first on a tie)."""
    best, best_d = 0, math.inf
    for i, (px, py) in enumerate(points.tolist()):
        d = (px - x) ** 2 + (py - y) ** 2
        if d < best_d:
            best, best_d = i, d
    return best


# --- Start here -----------------------------------------------------------------------------------

def test_start_here_is_the_first_thing_in_the_sidebar_with_the_lessons():
    at = app()
    assert not at.exception
    assert at.sidebar.button[0].key == "cls_start_here" and "Start here" in at.sidebar.button[0].label
    assert [b.key for b in at.sidebar.button].count("cls_start_here") == 1  # one "Start here"
    assert at.sidebar.expander[0].label == "**Lessons**"
    first_controls = next(i for i, e in enumerate(at.sidebar.expander) if e.label == "**Data**")
    assert first_controls > 0


def test_start_here_opens_exactly_the_articles_model():
    at = start_here(app())
    config, trainer = at.session_state.config, at.session_state.trainer
    assert at.session_state["cls_lesson"] == "article-1"
    assert trainer.net.layer_sizes == (2, 1)  # no hidden layer: one neuron on x1, x2
    assert (trainer.net.output_activation, trainer.loss) == ("sigmoid", "mse")
    assert trainer.optimizer_name == "gd" and trainer.batch_size == len(trainer.X_train)  # full batch
    assert config.dataset == "gauss" and config.noise == 0 and not trainer.regularizer.active
    assert trainer.epoch == 0 and at.query_params["dataset"] == "gauss"


def test_the_math_opens_at_the_top_of_the_page_in_the_article_lesson_only():
    at = app(closed=("math",))
    order = page_order(at)
    assert order.index("expander:The math") > order.index("view:surface")  # below the charts
    assert not math_expander(at).proto.expanded
    start_here(at)
    order = page_order(at)
    assert order.index("expander:The math") < order.index("view:network")  # above every chart
    assert order.index("expander:The math") < order.index("view:surface")
    assert math_expander(at).proto.expanded
    assert any("picks the training point nearest" in c.value for c in at.caption)  # the rule
    at.selectbox(key="cls_lesson").select("spiral").run()  # another lesson: back below
    order = page_order(at)
    assert order.index("expander:The math") > order.index("view:surface")


def test_lesson_link_to_the_article_opens_it_with_the_math_on_top():
    at = app(lesson="article-1")
    assert not at.warning and at.session_state.trainer.net.layer_sizes == (2, 1)
    assert math_expander(at).proto.expanded


# --- the explained sample on the surface -----------------------------------------------------------

def test_the_explained_sample_is_ringed_on_the_surface():
    at = start_here(app())
    raw = at.session_state.trainer.data.X_train
    assert ring(at) == pytest.approx(tuple(raw[0]))
    at.number_input(key="math_sample").set_value(7).run()
    assert ring(at) == pytest.approx(tuple(raw[7]))
    assert at.session_state["math_derivation"].sample == 7
    at.toggle(key="math_batch").set_value(True).run()  # the batch view explains no one sample
    assert ring(at) is None


def test_no_ring_outside_the_article_lesson():
    at = app()
    assert ring(at) is None
    at.selectbox(key="cls_lesson").select("perceptron").run()
    assert ring(at) is None and not view(at, "surface").static["clickable"]


# --- clicking the surface ---------------------------------------------------------------------------

def test_a_click_picks_the_nearest_training_point_for_the_math():
    at = start_here(clicking_app())
    assert view(at, "surface").static["clickable"]
    raw = at.session_state.trainer.data.X_train
    for x, y in [(2.0, 2.0), (-2.5, -2.0), (6.0, -6.0), (raw[11, 0] + 0.01, raw[11, 1] - 0.01)]:
        click(at, x, y)
        expected = nearest(raw, x, y)
        assert at.session_state["math_sample"] == expected
        assert at.session_state["math_derivation"].sample == expected  # The math explains it
        assert ring(at) == pytest.approx(tuple(raw[expected]))
    assert not drawn(at)  # no point was added


coordinate = st.floats(-6, 6, allow_nan=False, width=32)


@settings(max_examples=300, deadline=None)
@given(arrays(np.float32, st.tuples(st.integers(1, 40), st.just(2)), elements=coordinate),
       coordinate, coordinate)
def test_nearest_point_is_the_nearest_and_the_first_on_a_tie(points, x, y):
    assert nearest_point(points, x, y) == nearest(points.astype(float), float(x), float(y))


def test_nearest_point_of_no_points_says_so():
    with pytest.raises(ValueError, match="no points"):
        nearest_point(np.zeros((0, 2)), 0.0, 0.0)


def test_a_click_leaves_the_batch_view_for_the_picked_sample():
    at = start_here(clicking_app())
    at.toggle(key="math_batch").set_value(True).run()
    raw = at.session_state.trainer.data.X_train
    click(at, float(raw[5, 0]), float(raw[5, 1]))
    assert not at.session_state["math_batch"] and at.session_state["math_derivation"].sample == 5


def test_with_click_to_add_points_on_a_click_adds_a_point_even_in_the_article_lesson():
    at = start_here(clicking_app())
    at.number_input(key="math_sample").set_value(3).run()
    at.toggle(key="cls_draw_mode").set_value(True).run()
    click(at, 1.5, -2.5)
    assert drawn(at) == [(1.5, -2.5, 0)]
    assert at.session_state["math_sample"] == 3  # the sample stays
    assert any("clicked point" in c.value for c in at.caption)


@pytest.mark.parametrize("x, y", [(math.nan, 0.0), (math.inf, 1.0), (7.0, 0.0), ("2", 1.0), (True, 1.0),
                                  (None, 0.0)])
def test_a_bad_click_changes_nothing(x, y):
    at = start_here(clicking_app())
    at.number_input(key="math_sample").set_value(4).run()
    click(at, x, y)
    assert not at.exception and at.session_state["math_sample"] == 4
    assert not drawn(at)


def test_outside_the_article_lesson_a_click_picks_nothing():
    at = clicking_app()
    at.number_input(key="math_sample").set_value(2).run()
    click(at, 2.0, 2.0)
    assert at.session_state["math_sample"] == 2 and not drawn(at)


def test_while_playing_the_surface_picks_nothing_and_rings_nothing():
    at = start_here(clicking_app())
    raw = at.session_state.trainer.data.X_train
    target = nearest(raw, 2.0, 2.0)
    at.session_state["playing"] = True  # the click arrives while playing (the hook pauses after)
    click(at, 2.0, 2.0)
    assert not view(at, "surface").static["clickable"] and ring(at) is None  # the playing run's page
    assert "math_sample" not in at.session_state or at.session_state["math_sample"] != target


# --- the lesson row inside The math -----------------------------------------------------------------

def test_the_math_draws_the_articles_lesson_row():
    at = app()
    row = [at.button(key=f"cls_math_lesson_{entry.id}") for entry in ARTICLE_LESSONS]
    assert [b.label for b in row] == ["1 · Perceptron", "2 · XOR fails", "3 · Hidden layer"]
    row[1].click().run()
    trainer = at.session_state.trainer
    assert at.session_state["cls_lesson"] == "article-2" and at.session_state.config.dataset == "xor"
    assert trainer.net.layer_sizes == (2, 1) and trainer.optimizer_name == "gd"
    assert at.button(key="cls_math_lesson_article-2").proto.type == "primary"  # the chosen one
    assert at.button(key="cls_math_lesson_article-1").proto.type == "secondary"
    at.button(key="cls_math_lesson_article-3").click().run()
    assert at.session_state.trainer.net.layer_sizes == (2, 4, 1)
    assert math_expander(at).proto.expanded  # still the article: The math stays on top


# --- the gradient check in plain words ---------------------------------------------------------------

@pytest.mark.parametrize("error, digits", [(3.2e-11, 10), (1e-10, 10), (9.9e-7, 6), (0.5, 0), (2.0, 0),
                                           (0.0, 16), (1e-17, 16), (math.nan, None), (math.inf, None)])
def test_digits_agreeing(error, digits):
    assert digits_agreeing(error) == digits


def test_two_numbers_with_that_relative_error_share_that_many_digits():
    a = 0.123456789012345
    for k in range(1, 13):
        b = a * (1 + 3 * 10.0 ** -(k + 1))  # relative error 1.5e-(k+1): k digits agree
        error = abs(a - b) / (abs(a) + abs(b))
        assert digits_agreeing(error) == k
        assert f"{a:.{k}g}" == f"{b:.{k}g}"


def own_max_relative_error(trainer) -> float:
    """Backprop against this test's own central differences (ε = 1e-6), with the core's floor."""
    net = MLP(list(trainer.net.layer_sizes), output_activation="sigmoid")
    net.params[:] = trainer.net.params
    X, Y = trainer.X_train, trainer.y_train
    _, grads = net.loss_and_gradients(X, Y, "mse")
    errors = []
    for i, analytic in enumerate(grads.flat):
        saved = net.params[i]
        net.params[i] = saved + 1e-6
        plus = float(np.mean((Y - net.forward(X)) ** 2))
        net.params[i] = saved - 1e-6
        minus = float(np.mean((Y - net.forward(X)) ** 2))
        net.params[i] = saved
        numeric = (plus - minus) / 2e-6
        errors.append(abs(analytic - numeric) / max(abs(analytic) + abs(numeric), 1e-4))
    return max(errors)


def test_the_gradient_check_is_explained_in_plain_words():
    at = start_here(app())
    captions = " ".join(c.value for c in at.caption)
    assert "backprop works it out with the chain rule" in captions
    assert "nudges each weight up and down by a tiny ε" in captions and "a millionth" in captions
    at.button(key="math_check").click().run()
    shown = at.session_state["math_gradient_check_rows"]["max_error"]
    own = own_max_relative_error(at.session_state.trainer)
    assert own == pytest.approx(shown, rel=0.5, abs=1e-12)
    words = next(c.value for c in at.caption if "agree in their first" in c.value)
    digits = int(words.split("agree in their first ")[1].split(" digits")[0])
    assert digits >= 8 and 10.0 ** -(digits + 1) < shown <= 10.0 ** -digits
    assert "backprop's gradients are right" in words and "nudges each weight" in words
