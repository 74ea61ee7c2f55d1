"""Issue 12.4's kind: every figure builder fed extreme floats (±1e308, subnormals, NaN, ±∞).

After a divergence, or with a weight typed by hand, the page draws whatever the network holds.
Every finite weight must still be drawn as a link of its sign, every finite pixel must be
opaque with the colour its value says, every finite loss must be on the cost curve, and every
figure must be valid plotly. Expected values come from the rules as the docstrings state them,
not from the builders.
"""

import math

import numpy as np
import plotly.graph_objects as go
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from playground.figures import cost, network, surface
from playground.settings.text import NUMBER_WIDTH
from tests.playground.palette import ramp

EXTREMES = [0.0, -0.0, 5e-324, -5e-324, 2.2e-308, 1e-300, 1.0, -1.0, 5.5e18, -5.5e18, 9.3e18,
            1e150, -1e150, 1.7976931348623157e308, -1.7976931348623157e308, math.inf, -math.inf,
            math.nan]
floats = st.one_of(st.sampled_from(EXTREMES), st.floats(allow_nan=True, allow_infinity=True))
finite_floats = st.one_of(st.sampled_from([x for x in EXTREMES if math.isfinite(x)]),
                          st.floats(allow_nan=False, allow_infinity=False))


def arrays(shape) -> st.SearchStrategy:
    return hnp.arrays(np.float64, shape, elements=floats)


@given(arrays(st.integers(1, 40)))
def test_every_finite_weight_is_drawn_as_a_link_of_its_sign(weights):
    """Regression: a weight above about 5.5e18 overflowed an integer cast and its link vanished."""
    codes = network.link_codes(weights).astype(int)
    for w, code in zip(weights.tolist(), codes.tolist(), strict=True):
        if math.isnan(w):
            assert code == network.MISSING_CODE
        elif w == 0:
            assert code == network.ZERO_CODE
        else:  # finite or infinite: a link of its sign, the widest from |w| ≥ 3 on
            assert 1 <= abs(code) <= 5 and math.copysign(1, code) == math.copysign(1, w)
            if abs(w) >= 3.0:
                assert abs(code) == 5


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=4), st.data())
def test_the_diagram_frame_takes_any_weights_and_neuron_images(sizes, data):
    weights = [data.draw(arrays((a, b))) for a, b in zip(sizes, sizes[1:], strict=False)]
    biases = [data.draw(arrays((b,))) for b in sizes[1:]]
    images = [data.draw(arrays((n, 5, 5))) for n in sizes]
    names = [f"layer {k}" for k in range(len(sizes))]
    frame, out = network.diagram_frame(images, weights, biases, names, names[:1] * sizes[0], cells=5)
    n_links = sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))
    assert out["codes"].shape == (n_links,) and out["thumbs"].dtype == np.int8
    assert out["thumbs"].shape[0] == sum(sizes)
    for text in frame["hover"]["links"]:
        assert len(text.split(" = ")[1]) <= NUMBER_WIDTH, text  # "w[0][1→2] = 1.798e+308"


def _expected_rgb(t: float) -> np.ndarray:
    """The surface scale at t in [0, 1] (tests/playground/palette.py: orange, neutral, blue)."""
    return ramp(np.array([t]), 0.0, 1.0)[0]


@given(arrays((3, 4)), st.booleans())
def test_surface_pixels_of_any_binary_output(values, discretize):
    rgba = surface.surface_rgba(values[..., None], "classification", 2, discretize)[::-1]
    assert rgba.shape == (3, 4, 4) and rgba.dtype == np.uint8
    for value, pixel in zip(values.ravel(), rgba.reshape(-1, 4), strict=True):
        if not math.isfinite(value):
            assert pixel[3] == 0  # transparent
            continue
        assert pixel[3] == 255
        t = (1.0 if value >= 0.5 else 0.0) if discretize else min(max(value, 0.0), 1.0)
        np.testing.assert_allclose(pixel[:3], _expected_rgb(t), atol=0.51)


@given(arrays((3, 4)))
def test_a_neuron_picture_of_any_values_spans_its_own_range(values):
    """Each neuron is scaled by its own largest |value|: with values of ±1e308 the picture still
    runs from orange to blue (the span 2e308 must not overflow to ∞ and paint it all orange)."""
    rgba = surface.neuron_rgba(values)[::-1]
    finite = values[np.isfinite(values)]
    spread = float(np.abs(finite).max()) if finite.size else 0.0
    for value, pixel in zip(values.ravel(), rgba.reshape(-1, 4), strict=True):
        assert pixel[3] == (255 if math.isfinite(value) else 0)
        if math.isfinite(value) and 0 < spread:
            np.testing.assert_allclose(pixel[:3], _expected_rgb(0.5 + 0.5 * (value / spread)), atol=0.51)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(0, 60), elements=floats), st.booleans())
def test_the_cost_curve_draws_every_finite_loss_and_is_valid(losses, log_scale):
    epochs = np.arange(1, len(losses) + 1)
    figure = cost.cost_curve_figure(epochs, losses, losses[::-1], log_scale=log_scale,
                                    diverged_epoch=len(losses) or None)
    go.Figure(figure.to_dict())  # plotly's own validation
    log = cost.is_log(figure)
    for trace, line in zip(figure.data, (losses, losses[::-1]), strict=True):
        keep = np.isfinite(line) & ((line > 0) if log else True)
        np.testing.assert_array_equal(trace.y, line[keep])  # ≤ 60 points: none dropped
        assert all(len(text) <= NUMBER_WIDTH for text in trace.text)
    positive = losses[np.isfinite(losses) & (losses > 0)]
    if positive.size and math.log10(positive.max()) - math.log10(positive.min()) > 4:
        assert log  # many decades: the axis turns logarithmic by itself
