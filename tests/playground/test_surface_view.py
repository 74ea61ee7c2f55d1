"""The surface view as the page draws it, through AppTest: the image of every kind of problem, the
Discretize and Test data toggles. Expected pixels come from an independent forward pass
(tests/playground/reference.py) and the palette's constants (tests/playground/palette.py).
"""

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.figures.colors import BLUE, ORANGE
from tests.playground.palette import assert_colors, class_colors, ramp, surface_tint
from tests.playground.reference import activations, drawn, grid_points, on_grid
from tests.playground.session import app
from tests.playground.views import figure, surface_pixels, typed_array

FLOAT32 = 0.5 + 1e-3  # a pixel is the exact colour rounded; the app computes in float32
UNSURE = 1e-4  # pixels this close to a decision are left out where float32 may decide otherwise


def output(at: AppTest, hidden: str = "tanh", out: str = "sigmoid") -> np.ndarray:
    """(r, r, k) output of the session's network over the surface's grid, in float64."""
    net = at.session_state.trainer.net
    values = activations(net.weights, net.biases, grid_points(), hidden, out)[-1]
    return values.reshape(*on_grid(values[:, 0]).shape, -1)


def test_a_binary_surface_shows_p_class_1_from_orange_to_blue():
    at = app()
    expected = output(at)[..., 0]
    assert_colors(drawn(surface_pixels(at)), ramp(expected, 0.0, 1.0), tolerance=FLOAT32)


def test_a_tanh_output_reads_minus_one_to_one_as_class_1_confidence():
    at = app(output_activation="tanh", loss="mse")
    assert at.session_state.config.output_activation == "tanh"
    expected = output(at, out="tanh")[..., 0]
    assert_colors(drawn(surface_pixels(at)), ramp((expected + 1) / 2, 0.0, 1.0), tolerance=FLOAT32)


def test_discretize_colours_each_pixel_by_the_predicted_class():
    at = app(discretize="1")
    p = output(at)[..., 0]
    sure = np.abs(p - 0.5) > UNSURE
    expected = np.where((p >= 0.5)[..., None], surface_tint(BLUE), surface_tint(ORANGE))
    assert_colors(drawn(surface_pixels(at))[sure], expected[sure])


def test_a_multiclass_surface_takes_each_class_hue_by_confidence():
    at = app(dataset="blobs4")
    assert at.session_state.trainer.net.layer_sizes[-1] == 4
    probs = output(at, out="softmax")
    top2 = np.sort(probs, axis=-1)[..., -2:]
    sure = top2[..., 1] - top2[..., 0] > UNSURE  # the likeliest class is clear
    assert sure.mean() > 0.9
    assert_colors(drawn(surface_pixels(at))[sure], class_colors(probs[sure]), tolerance=FLOAT32)
    snapped = app(dataset="blobs4", discretize="1")
    assert_colors(drawn(surface_pixels(snapped))[sure], class_colors(probs[sure], discretize=True))


def test_a_regression_surface_shows_minus_one_to_one():
    at = app(dataset="plane", output_activation="linear")
    expected = output(at, out="linear")[..., 0]
    assert_colors(drawn(surface_pixels(at)), ramp(expected, -1.0, 1.0), tolerance=FLOAT32)


def test_test_points_are_drawn_by_toggle():
    at = app()
    assert [t.get("name") for t in figure(at, "surface")["data"]] == [None, "train"]
    at.checkbox(key="w_show_test").check().run()
    data = at.session_state.trainer.data
    traces = {t.get("name"): t for t in figure(at, "surface")["data"]}
    for split, points, labels in (("train", data.X_train, data.labels_train),
                                  ("test", data.X_test, data.labels_test)):
        np.testing.assert_allclose(typed_array(traces[split]["x"]), points[:, 0], rtol=1e-6)
        np.testing.assert_allclose(typed_array(traces[split]["y"]), points[:, 1], rtol=1e-6)
        np.testing.assert_array_equal(typed_array(traces[split]["marker"]["color"]), labels)
    assert figure(at, "surface")["layout"]["showlegend"]
