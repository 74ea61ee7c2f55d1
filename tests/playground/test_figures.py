"""Unit tests of the figure builders: arrays in, figures and diagram data out, no Streamlit.

Expected colours come from tests/playground/palette.py (the palette's constants and a linear
interpolation written there), expected pixels from tests/playground/views.png_pixels (a PNG
reader written from the specification), never from the builders' own colour or PNG code.
"""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.figures import network
from playground.figures.colors import BLUE, CLASS_HUES, INK, NEUTRAL, ORANGE, VERMILLION
from playground.figures.cost import compare_cost_figure, cost_curve_figure, downsample_indices, is_log
from playground.figures.surface import drawn_points_trace, neuron_focus_figure, surface_figure
from playground.figures.thumbnails import MISSING, subsample, thumbnail_codes
from playground.live.payload import Message
from tests.playground.palette import (
    assert_colors,
    class_colors,
    is_blue,
    is_orange,
    point_shade,
    ramp,
    rgb,
    surface_tint,
)
from tests.playground.reference import link_code
from tests.playground.views import png_pixels

R = 20
XS = np.linspace(-6, 6, R)
YS = np.linspace(-6, 6, R)
POINTS = np.array([[-3.0, 1.0], [2.0, -4.0], [5.0, 5.0]])
LABELS = np.array([0, 1, 1])


def figure_size_bytes(fig: go.Figure) -> int:
    """What a figure costs to send: the size of its JSON."""
    return len(fig.to_json())


def scale_color(colorscale, position: float) -> np.ndarray:
    """RGB (3,) of a plotly colorscale at ``position`` in [0, 1], interpolated linearly."""
    stops = [(float(p), c) for p, c in colorscale]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if p0 <= position <= p1:
            t = 0.0 if p1 == p0 else (position - p0) / (p1 - p0)
            return rgb(c0) + t * (rgb(c1) - rgb(c0))
    raise AssertionError(f"{position} outside the colorscale")


def halves(left: float, right: float) -> np.ndarray:
    """(R, R, 1) output: ``left`` where x < 0, ``right`` where x > 0."""
    out = np.where(XS[None, :] < 0, left, right) * np.ones((R, 1))
    return out[..., None].astype(np.float32)


def pixels(fig: go.Figure) -> np.ndarray:
    """The surface image's (R, R, 4) pixels, turned so that pixels[i, j] is at (XS[j], YS[i])
    like the output (the image's row 0 is its top, the largest y)."""
    return png_pixels(fig.layout.images[0].source)[::-1]


# --- surface ----------------------------------------------------------------------------


def binary(output, **kwargs):
    return surface_figure(XS, YS, output, "classification", 2, POINTS, LABELS, **kwargs)


def test_binary_surface_is_an_image_under_an_invisible_hover_heatmap_and_the_points():
    fig = binary(halves(0.1, 0.9))
    assert [t.type for t in fig.data] == ["heatmap", "scatter"]
    hover = fig.data[0]
    assert hover.opacity == 0 and not np.asarray(hover.z).any() and not hover.showscale
    (image,) = fig.layout.images
    assert image.layer == "below" and image.source.startswith("data:image/png;base64,")
    np.testing.assert_allclose(fig.data[1].x, POINTS[:, 0])
    np.testing.assert_allclose(fig.data[1].y, POINTS[:, 1])


def test_each_pixel_covers_its_grid_cell():
    image = binary(halves(0.1, 0.9)).layout.images[0]
    assert (image.xref, image.yref, image.sizing) == ("x", "y", "stretch")
    assert png_pixels(image.source).shape == (R, R, 4)
    centres_x = image.x + (np.arange(R) + 0.5) * image.sizex / R  # left to right
    centres_y = image.y - (np.arange(R) + 0.5) * image.sizey / R  # top row first
    np.testing.assert_allclose(centres_x, XS, atol=1e-9)
    np.testing.assert_allclose(centres_y, YS[::-1], atol=1e-9)


def test_binary_pixels_follow_the_diverging_scale_from_zero_to_one():
    output = np.linspace(-0.5, 1.5, R * R).reshape(R, R, 1)  # beyond both ends too
    assert_colors(pixels(binary(output)), ramp(output[..., 0], 0.0, 1.0))


def test_confident_class_cells_differ_in_hue_and_half_is_neutral():
    image = pixels(binary(halves(0.02, 0.98)))
    assert is_orange(image[R // 2, 0, :3]) and is_blue(image[R // 2, -1, :3])
    undecided = pixels(binary(halves(0.5, 0.5)))[..., :3]
    np.testing.assert_array_equal(undecided, np.broadcast_to(rgb(NEUTRAL), (R, R, 3)))


def test_discretize_shows_only_the_two_class_colours():
    ramped = np.linspace(0, 1, R * R).reshape(R, R, 1).astype(np.float32)
    image = pixels(binary(ramped, discretize=True))
    expected = np.where(ramped >= 0.5, surface_tint(BLUE), surface_tint(ORANGE))
    assert_colors(image, expected)
    assert image[0, 0, 2] != image[-1, -1, 2]  # both colours are there


def test_non_finite_output_is_transparent_and_the_rest_opaque():
    output = halves(0.2, 0.8)
    output[0, 0, 0], output[1, 1, 0], output[2, 2, 0] = np.nan, np.inf, -np.inf
    for discretize in (False, True):
        alpha = pixels(binary(output, discretize=discretize))[..., 3]
        assert alpha[0, 0] == alpha[1, 1] == alpha[2, 2] == 0
        assert (alpha == 255).sum() == R * R - 3


def test_hover_shows_the_output_in_the_page_number_format_on_at_most_50_cells():
    r = 100
    axis = np.linspace(-6, 6, r)
    output = np.full((r, r, 1), 0.25)
    output[0, 0], output[2, 4], output[1, 1] = 0.123456, np.nan, 0.9  # (1, 1) falls between cells
    fig = surface_figure(axis, axis, output, "classification", 2, POINTS, LABELS)
    hover = fig.data[0]
    texts = np.asarray(hover.customdata)
    assert texts.shape == (50, 50) and np.asarray(hover.z).shape == (50, 50)
    np.testing.assert_allclose(hover.x, axis[::2], atol=1e-6)
    assert texts[0, 0] == "0.1235" and texts[1, 2] == "NaN" and texts[5, 5] == "0.25"
    assert "0.9" not in set(texts.ravel())
    assert "P(class 1) %{customdata}" in hover.hovertemplate


def test_test_points_use_another_marker():
    fig = binary(halves(0.1, 0.9), test_points=POINTS[:2], test_labels=LABELS[:2])
    train, test = fig.data[1], fig.data[2]
    assert (train.name, test.name) == ("train", "test")
    assert train.marker.symbol != test.marker.symbol
    assert train.marker.line.color != test.marker.line.color
    np.testing.assert_allclose(test.x, POINTS[:2, 0])
    assert fig.layout.showlegend and not binary(halves(0.1, 0.9)).layout.showlegend


def test_points_are_coloured_by_class_and_hover_shows_coordinates_and_label():
    points = binary(halves(0.1, 0.9)).data[1]
    np.testing.assert_array_equal(points.marker.color, LABELS)
    span = points.marker.cmax - points.marker.cmin
    for k in (0, 1):
        drawn = scale_color(points.marker.colorscale, (k - points.marker.cmin) / span)
        np.testing.assert_allclose(drawn, point_shade(CLASS_HUES[k]), atol=TOL)
    for part in ("%{x", "%{y", "%{marker.color"):
        assert part in points.hovertemplate


TOL = 0.5 + 1e-9  # a colour written as hex is the exact colour rounded


def test_regression_uses_minus_one_to_one_and_float_labels():
    targets = np.array([-0.5, 0.25, 1.5])
    output = np.linspace(-2, 2, R * R).reshape(R, R, 1)
    fig = surface_figure(XS, YS, output, "regression", 1, POINTS, targets)
    assert_colors(pixels(fig), ramp(output[..., 0], -1.0, 1.0))
    np.testing.assert_allclose(fig.data[1].marker.color, targets)
    assert (fig.data[1].marker.cmin, fig.data[1].marker.cmax) == (-1, 1)
    for position, color in ((0.0, point_shade(ORANGE)), (0.5, rgb(NEUTRAL)), (1.0, point_shade(BLUE))):
        np.testing.assert_allclose(scale_color(fig.data[1].marker.colorscale, position), color, atol=TOL)
    snapped = surface_figure(XS, YS, halves(-0.3, 0.2), "regression", 1, POINTS, targets, discretize=True)
    by_sign = np.where(XS[None, :, None] < 0, surface_tint(ORANGE), surface_tint(BLUE))
    assert_colors(pixels(snapped), by_sign * np.ones((R, 1, 1)))


def test_unknown_kind_raises():
    with pytest.raises(ValueError, match="classification"):
        surface_figure(XS, YS, halves(0, 1), "clustering", 2, POINTS, LABELS)


def test_surface_axes_are_the_fixed_square_input_range():
    layout = binary(halves(0.1, 0.9)).layout
    assert tuple(layout.xaxis.range) == (-6, 6) and tuple(layout.yaxis.range) == (-6, 6)
    assert layout.yaxis.scaleanchor == "x"
    assert layout.uirevision is not None


def class_probabilities(n_classes: int) -> np.ndarray:
    """(R, R, n) probabilities: class 0 left, class 1 right, uniform in the top row, NaN at (0, 0)."""
    probs = np.full((R, R, n_classes), 0.02)
    probs[:, : R // 2, 0] = 1 - 0.02 * (n_classes - 1)
    probs[:, R // 2 :, 1] = 1 - 0.02 * (n_classes - 1)
    probs[-1] = 1 / n_classes
    probs[0, 0] = np.nan
    return probs


def multiclass(n_classes: int, discretize: bool = False) -> go.Figure:
    return surface_figure(XS, YS, class_probabilities(n_classes), "classification", n_classes, POINTS,
                          LABELS, discretize=discretize)


@pytest.mark.parametrize("n_classes", [3, 4])
def test_multiclass_pixels_take_the_likeliest_class_hue_by_confidence(n_classes):
    image = pixels(multiclass(n_classes))
    probs = class_probabilities(n_classes)
    finite = np.isfinite(probs).all(axis=-1)
    assert_colors(image[finite], class_colors(probs[finite]))
    assert is_orange(image[5, 2, :3]) and is_blue(image[5, -2, :3])
    np.testing.assert_allclose(image[-1, 5, :3], rgb(NEUTRAL), atol=TOL)  # uniform: undecided


def test_multiclass_non_finite_pixels_are_transparent():
    alpha = pixels(multiclass(4))[..., 3]
    assert alpha[0, 0] == 0
    assert (alpha == 255).sum() == R * R - 1


def test_multiclass_discretize_uses_the_full_tint_of_each_class():
    image = pixels(multiclass(4, discretize=True))
    probs = class_probabilities(4)
    assert_colors(image[1:-1], class_colors(probs[1:-1], discretize=True))
    assert {tuple(c) for c in image[1:-1, :, :3].reshape(-1, 3)} == {
        tuple(surface_tint(ORANGE)), tuple(surface_tint(BLUE))}


def test_multiclass_hover_names_the_class_and_its_probability():
    texts = np.asarray(multiclass(3).data[0].customdata)
    assert texts[5, 2] == "0, p 0.96" and texts[5, -2] == "1, p 0.96" and texts[0, 0] == "—"


def test_a_focused_neuron_replaces_the_image_and_the_hover_but_keeps_points_and_layout():
    base = binary(halves(0.1, 0.9), test_points=POINTS[:2], test_labels=LABELS[:2])
    values = np.outer(np.linspace(-0.5, 2.0, R), np.ones(R))  # grows with y
    for centre in (0.0, 0.5):
        focused = neuron_focus_figure(base, XS, YS, values, "hidden 1 · neuron 2", centre)
        spread = np.abs(values - centre).max()
        assert_colors(pixels(focused), ramp(values, centre - spread, centre + spread))
        hover = focused.data[0]
        assert hover.name == "neuron: hidden 1 · neuron 2"
        assert "hidden 1 · neuron 2: %{customdata}" in hover.hovertemplate
        assert np.asarray(hover.customdata)[3, 0] == f"{values[3, 0]:.4g}"
        spec, original = json.loads(focused.to_json()), json.loads(base.to_json())
        assert spec["data"][1:] == original["data"][1:]  # the train and test points
        assert spec["layout"].pop("images") != original["layout"].pop("images")
        assert spec["layout"] == original["layout"]


def test_clicked_points_are_ringed_orange_for_class_0_and_blue_for_class_1():
    trace = drawn_points_trace([(-3.0, 2.0, 0), (4.0, -1.0, 1)])
    np.testing.assert_array_equal(trace["x"], [-3.0, 4.0])
    np.testing.assert_array_equal(trace["y"], [2.0, -1.0])
    assert list(trace["marker"]["color"]) == [ORANGE, BLUE] and trace["marker"]["line"]["color"] == INK
    assert len(drawn_points_trace([])["x"]) == 0


# --- cost curve -------------------------------------------------------------------------


def test_cost_curve_drops_non_finite_losses():
    fig = cost_curve_figure(np.arange(5), [1.0, 0.5, 0.25, np.nan, np.inf], [1.0, 0.6, np.inf, 0.4, np.nan])
    train, test = fig.data
    np.testing.assert_array_equal(train.x, [0, 1, 2])
    np.testing.assert_allclose(train.y, [1.0, 0.5, 0.25])
    np.testing.assert_array_equal(test.x, [0, 1, 3])


def test_cost_curve_lines_differ_in_colour_and_dash_and_axes_are_titled():
    fig = cost_curve_figure(np.arange(3), [3.0, 2.0, 1.0], [3.0, 2.5, 2.0])
    train, test = fig.data
    assert (train.name, test.name) == ("train", "test")
    assert train.line.color != test.line.color and train.line.dash != test.line.dash
    assert fig.layout.xaxis.title.text == "epoch" and fig.layout.yaxis.title.text == "loss"
    assert fig.layout.yaxis.type == "linear" and not is_log(fig)
    assert list(train.text) == ["3", "2", "1"]  # hover: the page's number format


def test_long_history_is_downsampled_keeping_last_epoch_and_extremes():
    m = 100_000
    epochs = np.arange(1, m + 1)
    loss = 1 / np.sqrt(epochs) + 0.01 * np.sin(epochs) + 0.02  # positive, as losses are
    loss[70_000] = 5.0  # a spike must survive
    fig = cost_curve_figure(epochs, loss, loss + 0.1)
    for line in fig.data:
        assert len(line.x) <= 2_000
        assert line.x[-1] == m
    assert max(fig.data[0].y) == pytest.approx(5.0)
    assert min(fig.data[0].y) == pytest.approx(loss.min(), rel=1e-6)
    assert not is_log(fig)  # 5 / 0.0117: under 4 decades
    assert figure_size_bytes(fig) < 100_000  # 100,000 epochs undownsampled would take megabytes


def test_log_scale_sets_axis_type_and_drops_non_positive_losses():
    fig = cost_curve_figure(np.arange(4), [1.0, 0.0, -0.1, 0.01], [1.0, 0.5, 0.2, 0.1], True)
    assert fig.layout.yaxis.type == "log" and is_log(fig) and is_log(fig.to_plotly_json())
    assert fig.layout.yaxis.title.text == "loss (log)"
    np.testing.assert_array_equal(fig.data[0].x, [0, 3])


@pytest.mark.parametrize(("low", "high", "log"), [
    (1e-3, 9.9, False),  # under 4 decades
    (1e-3, 10.1, True),  # over 4 decades
    (1e-2, 1e271, True),  # a diverging loss
])
def test_the_axis_turns_logarithmic_by_itself_when_losses_span_over_four_decades(low, high, log):
    fig = cost_curve_figure(np.arange(3), [high, 1.0, low], [1.0, 1.0, 1.0])
    assert is_log(fig) is log
    assert max(fig.data[0].y) == high and min(fig.data[0].y) == low  # drawn as they are


def test_marker_epoch_draws_a_vertical_line():
    fig = cost_curve_figure(np.arange(10), np.ones(10), np.ones(10), marker_epoch=7)
    (shape,) = fig.layout.shapes
    assert shape.type == "line" and shape.x0 == shape.x1 == 7 and shape.yref == "paper"
    assert cost_curve_figure(np.arange(10), np.ones(10), np.ones(10)).layout.shapes == ()


def test_the_diverged_epoch_gets_a_vermillion_line_labelled_diverged():
    fig = cost_curve_figure(np.arange(10), np.ones(10), np.ones(10), diverged_epoch=9)
    (shape,) = fig.layout.shapes
    (note,) = fig.layout.annotations
    assert shape.x0 == shape.x1 == 9 and shape.line.color == VERMILLION
    assert note.text == "diverged" and note.x == 9


def test_empty_history_gives_an_empty_labelled_chart():
    fig = cost_curve_figure(np.array([], int), np.array([]), np.array([]))
    assert len(fig.data) == 2 and all(len(t.x) == 0 for t in fig.data)
    assert fig.layout.xaxis.title.text == "epoch"
    fig.to_json()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=0, max_size=3_000),
    st.integers(min_value=4, max_value=500),
)
def test_downsample_indices_keep_ends_and_extremes(values, max_points):
    values = np.array(values)
    index = downsample_indices(values, max_points)
    assert len(index) <= max(max_points, len(values) if len(values) <= max_points else 0)
    assert np.all(np.diff(index) > 0)
    if len(values):
        assert index[0] == 0 and index[-1] == len(values) - 1
        assert values[index].max() == values.max() and values[index].min() == values.min()


# --- network diagram --------------------------------------------------------------------

def diagram(sizes, weights=None, biases=None, images=None, r=8, seed=0, **kwargs):
    """(static, frame, arrays) of a diagram of `sizes`: random weights and images unless given."""
    rng = np.random.default_rng(seed)
    if images is None:
        images = [rng.normal(size=(n, r, r)) for n in sizes]
    if weights is None:
        weights = [rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:], strict=False)]
    if biases is None:
        biases = [np.full(b, 0.25) for b in sizes[1:]]
    names = [f"layer {k}" for k in range(len(sizes))]
    inputs = [f"x{k}" for k in range(sizes[0])]
    static, static_arrays = network.diagram_static(list(sizes), names, inputs, [""] * len(sizes))
    frame, arrays = network.diagram_frame(images, weights, biases, names, inputs, cells=100, **kwargs)
    arrays = {**arrays, **{k.removeprefix("static_"): v for k, v in static_arrays.items()}}
    return static, frame, arrays


def test_link_codes_are_the_sign_times_the_width_bucket():
    weights = [0.1, -0.1, 0.59, 0.61, -1.3, 1.9, 2.5, 2.99, 3.0, -7.0, 0.0, -0.0, np.nan, np.inf,
               -np.inf, 1e-300]
    codes = network.link_codes(np.array(weights))
    assert codes.dtype == np.int8
    assert codes.tolist() == [link_code(w) for w in weights]
    assert codes.tolist()[:10] == [1, -1, 1, 2, -3, 4, 5, 5, 5, -5]


def test_every_link_is_drawn_once_from_its_source_to_its_target():
    sizes = [3, 5, 4, 2]
    static, _, arrays = diagram(sizes)
    ends, columns, half = arrays["ends"], static["columns"], static["thumb"] / 2
    expected = [(columns[l]["x"] + half, columns[l]["ys"][i], columns[l + 1]["x"] - half,
                 columns[l + 1]["ys"][j])
                for l in range(len(sizes) - 1) for i in range(sizes[l]) for j in range(sizes[l + 1])]
    assert ends.dtype == np.float32 and ends.shape == (len(expected), 4)
    np.testing.assert_allclose(ends, expected, atol=1e-3)
    assert len({tuple(row) for row in ends.tolist()}) == len(expected)
    assert arrays["codes"].shape == (len(expected),)


def test_links_come_in_weight_order_and_take_their_sign_colour():
    weights = [np.array([[0.8, -0.8, 0.0], [-2.0, np.nan, 5.0]])]
    _, _, arrays = diagram([2, 3], weights=weights)
    np.testing.assert_array_equal(arrays["codes"], [2, -2, network.ZERO_CODE, -4, network.MISSING_CODE, 5])
    styles = network.link_styles()
    for code in (2, 5):
        assert styles[str(code)][0] == BLUE and styles[str(-code)][0] == ORANGE
    assert styles[str(network.ZERO_CODE)][3] is not None  # an exactly-zero weight is dashed
    assert styles[str(network.MISSING_CODE)][0] not in (BLUE, ORANGE)  # NaN is neither sign


def test_link_width_and_opacity_grow_with_the_weight_magnitude():
    styles = network.link_styles()
    widths = [styles[str(code)][1] for code in range(1, 6)]
    opacities = [styles[str(code)][2] for code in range(1, 6)]
    assert widths == sorted(widths) and widths[0] < widths[-1] and opacities[0] < opacities[-1]
    assert [styles[str(-code)][1] for code in range(1, 6)] == widths


def test_hover_texts_name_every_link_and_neuron_with_its_value():
    weights = [np.array([[0.123456], [-1.5]])]
    _, frame, _ = diagram([2, 1], weights=weights, biases=[np.array([0.25])])
    assert frame["hover"]["links"] == ["w[0][0→0] = 0.1235", "w[0][1→0] = -1.5"]
    assert frame["hover"]["neurons"] == ["x0 (input)", "x1 (input)", "layer 1 · neuron 0: b = 0.25"]
    _, lean, _ = diagram([2, 1], weights=weights, hover=False)  # as drawn while playing
    assert lean["hover"] is None


def test_thumbnails_keep_colour_meaning_and_tolerate_nan():
    codes = thumbnail_codes(np.array([[[-2.0, 0.0], [1.0, np.nan]], [[0.0, 0.0], [0.0, 0.0]]]))
    np.testing.assert_array_equal(codes[0], [[-127, 0], [64, MISSING]])
    np.testing.assert_array_equal(codes[1], 0)
    images = [np.full((2, 4, 4), np.nan), np.full((1, 4, 4), np.inf)]
    _, _, arrays = diagram([2, 1], weights=[np.full((2, 1), np.nan)], images=images)
    assert arrays["thumbs"].shape == (3, 4, 4) and (arrays["thumbs"] == MISSING).all()


def test_thumbnails_come_column_by_column_with_their_top_row_first():
    """Thumbnail k is neuron k counted column by column (the canvas's order); its row 0 is drawn at
    the top, so it holds the largest x2, as in the surface image."""
    r = 6
    grows_with_y = np.repeat(np.linspace(-1, 1, r)[:, None], r, axis=1)  # values[i, j] at y[i]
    images = [np.stack([grows_with_y, -grows_with_y]), np.stack([2 * grows_with_y])]
    _, _, arrays = diagram([2, 1], images=images, r=r)
    thumbs = arrays["thumbs"]
    assert (thumbs[0, 0] == 127).all() and (thumbs[0, -1] == -127).all()
    assert (thumbs[1, 0] == -127).all() and (thumbs[2, 0] == 127).all()


def test_the_thumbnail_colour_table_runs_orange_white_blue_and_missing_is_transparent():
    lut = network.thumbnail_lut().astype(float)
    assert lut.shape == (256, 4) and MISSING + 128 == 0
    assert lut[0, 3] == 0 and (lut[1:, 3] == 255).all()
    codes = np.arange(-127, 128)
    np.testing.assert_allclose(lut[codes + 128, :3], ramp(codes, -127, 127), atol=TOL)


def test_a_neuron_thumbnail_is_scaled_by_its_own_largest_value():
    images = [np.stack([np.full((4, 4), 0.01), np.full((4, 4), 50.0)]), np.zeros((1, 4, 4))]
    _, _, arrays = diagram([2, 1], images=images)
    assert (arrays["thumbs"][0] == 127).all() and (arrays["thumbs"][1] == 127).all()
    assert (arrays["thumbs"][2] == 0).all()  # an all-zero neuron is white


def test_top_neuron_is_neuron_zero_and_columns_run_left_to_right():
    static, _, _ = diagram([3, 4, 2])
    xs = [column["x"] for column in static["columns"]]
    assert xs == sorted(xs) and len(set(xs)) == 3
    for column in static["columns"]:
        assert column["ys"] == sorted(column["ys"], reverse=True)


def test_every_thumbnail_fits_inside_the_shown_range_without_overlap():
    static, _, _ = diagram([4, 8, 8, 1])
    (x_low, x_high), (y_low, y_high), half = static["x_range"], static["y_range"], static["thumb"] / 2
    for column in static["columns"]:
        assert x_low <= column["x"] - half and column["x"] + half <= x_high
        assert y_low <= min(column["ys"]) - half and max(column["ys"]) + half <= y_high
        assert all(a - b > 2 * half for a, b in zip(column["ys"], column["ys"][1:], strict=False))
    assert (x_high - x_low) / (y_high - y_low) == pytest.approx(network.ASPECT)


def test_subsample_picks_evenly_spread_cells():
    images = np.arange(81, dtype=float).reshape(1, 9, 9)  # cell value = 9 * row + column
    picked = subsample(images, 3)[0]  # the centre cells of each 3 x 3 block: 1, 4, 7
    np.testing.assert_array_equal(picked, [[10, 13, 16], [37, 40, 43], [64, 67, 70]])
    assert subsample(images, 10).shape == (1, 9, 9)


def test_a_thumbnail_cell_is_at_least_min_cell_px_tall():
    for sizes in ([2, 1], [2, 8, 8, 1], [7, 16, 16, 16, 16, 16, 16, 4]):
        geo = network.geometry(sizes)
        cells = network.thumbnail_cells(geo)
        px_per_unit = network.NETWORK_HEIGHT_PX / (geo.y_range[1] - geo.y_range[0])
        assert cells >= 4 and (cells == 4 or network.THUMB * px_per_unit / cells >= 2.5)


def test_input_labels_layer_names_and_captions_are_in_the_static_part():
    static, _ = network.diagram_static([2, 3, 1], ["inputs", "hidden 1", "output"], ["x₁", "sin(x₁)"],
                                       ["", "3 neurons", ""])
    assert static["input_labels"] == ["x₁", "sin(x₁)"]
    assert [c["name"] for c in static["columns"]] == ["inputs", "hidden 1", "output"]
    assert [c["caption"] for c in static["columns"]] == ["", "3 neurons", ""]
    assert static["hints"] is not None  # no hidden layer: no hints
    assert network.diagram_static([2, 1], ["a", "b"], ["x", "y"], ["", ""])[0]["hints"] is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 8), min_size=2, max_size=6), st.data())
def test_link_and_neuron_positions_map_back_to_their_indices(sizes, data):
    links = [(l, i, j) for l in range(len(sizes) - 1) for i in range(sizes[l]) for j in range(sizes[l + 1])]
    neurons = [(c, k) for c in range(len(sizes)) for k in range(sizes[c])]
    position = data.draw(st.integers(-3, len(links) + 3))
    assert network.link_at(sizes, position) == (links[position] if 0 <= position < len(links) else None)
    if 0 <= position < len(links):
        assert network.link_index(sizes, *links[position]) == position
    position = data.draw(st.integers(-3, len(neurons) + 3))
    assert network.neuron_at(sizes, position) == (neurons[position] if 0 <= position < len(neurons) else None)


def test_marks_ring_the_picked_link_the_picked_bias_and_the_focused_neuron():
    sizes = [2, 3, 1]
    static, _, arrays = diagram(sizes)
    ends = arrays["ends"]
    (circle,) = network.marks(sizes, ("w", 1, 2, 0), None)
    x0, y0, x1, y1 = ends[network.link_index(sizes, 1, 2, 0)]
    assert circle[0] == "circle" and circle[4] == VERMILLION
    assert circle[1:3] == pytest.approx([(x0 + x1) / 2, (y0 + y1) / 2], abs=1e-3)
    focus, bias = network.marks(sizes, ("b", 0, 1), (2, 0))
    column = static["columns"]
    assert focus[:3] == ["rect", column[2]["x"], column[2]["ys"][0]] and focus[4] == INK
    assert bias[:3] == ["rect", column[1]["x"], column[1]["ys"][1]] and bias[4] == VERMILLION
    assert network.marks(sizes, None, None) == [] and network.marks(sizes, None, (5, 0)) == []
    _, frame, _ = diagram(sizes, marks=network.marks(sizes, None, (0, 1)))
    assert frame["marks"] == [["rect", column[0]["x"], column[0]["ys"][1], 0.62 * network.THUMB, INK]]


@pytest.mark.parametrize("r", [16, 24])
def test_a_big_network_frame_stays_small(r):
    sizes = [16] * 8
    static, frame, arrays = diagram(sizes, r=r, hover=False)
    message = Message(1)
    message.add("network", frame, {k: arrays[k] for k in ("codes", "thumbs")})
    assert len(message.encode()) < 150_000


# --- every builder's figure is valid -----------------------------------------------------------


def _json_without_template(fig) -> dict:
    spec = json.loads(fig.to_json())
    spec["layout"].pop("template")  # validation expands template="none" into its definition
    for name in ("shapes", "annotations", "images"):  # validation drops an empty list: the same drawing
        if spec["layout"].get(name) == []:
            del spec["layout"][name]
    return spec


@pytest.mark.parametrize("build", [
    lambda: binary(halves(0.2, 0.8), test_points=POINTS, test_labels=LABELS),
    lambda: binary(halves(0.2, 0.8), discretize=True),
    lambda: surface_figure(XS, YS, np.zeros((R, R, 1)), "regression", 0, POINTS, np.array([0.1, -0.5, 0.9])),
    lambda: multiclass(3),
    lambda: neuron_focus_figure(binary(halves(0.2, 0.8)), XS, YS, np.ones((R, R)), "n"),
    lambda: cost_curve_figure(np.arange(4), [1.0, 0.5, 0.3, 0.2], [1.1, 0.6, 0.4, 0.3], log_scale=True,
                              marker_epoch=2, diverged_epoch=3),
    lambda: compare_cost_figure([("A", np.arange(3), np.ones(3), np.ones(3)),
                                 ("B", np.arange(3), np.ones(3), np.ones(3))], marker_epoch=1),
])
def test_builders_skip_validation_but_their_figures_are_valid(build):
    fig = build()
    validated = go.Figure(fig.to_dict())  # plotly's full validation: raises on a bad property
    assert _json_without_template(validated) == _json_without_template(fig)  # nothing coerced
