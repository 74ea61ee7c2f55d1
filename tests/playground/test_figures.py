"""Unit tests of the plotly figure builders: arrays in, figures out, no Streamlit."""

import colorsys
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.figures.cost import cost_curve_figure, downsample_indices
from playground.figures.network import network_figure
from playground.figures.surface import surface_figure
from playground.figures.thumbnails import subsample, thumbnail_codes

R = 20
XS = np.linspace(-6, 6, R)
YS = np.linspace(-6, 6, R)
POINTS = np.array([[-3.0, 1.0], [2.0, -4.0], [5.0, 5.0]])
LABELS = np.array([0, 1, 1])


def figure_size_bytes(fig: go.Figure) -> int:
    """What a figure costs to send: the size of its JSON."""
    return len(fig.to_json())


def hex_rgb(color: str) -> np.ndarray:
    """(3,) floats in [0, 255] of "#RRGGBB"."""
    return np.array([int(color[k : k + 2], 16) for k in (1, 3, 5)], float)


def hue(rgb: np.ndarray) -> float:
    """Hue in degrees of an RGB colour with channels in [0, 255]."""
    return 360 * colorsys.rgb_to_hsv(*(np.asarray(rgb, float) / 255))[0]


def scale_color(colorscale, position: float) -> np.ndarray:
    """RGB (3,) of a plotly colorscale at ``position`` in [0, 1], interpolated linearly."""
    stops = [(float(p), c) for p, c in colorscale]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if p0 <= position <= p1:
            t = 0.0 if p1 == p0 else (position - p0) / (p1 - p0)
            return hex_rgb(c0) + t * (hex_rgb(c1) - hex_rgb(c0))
    raise AssertionError(f"{position} outside the colorscale")


def is_orange(hue: float) -> bool:
    return 25 <= hue <= 50


def is_blue(hue: float) -> bool:
    return 190 <= hue <= 215


def halves(left: float, right: float) -> np.ndarray:
    """(R, R, 1) output: ``left`` where x < 0, ``right`` where x > 0."""
    out = np.where(XS[None, :] < 0, left, right) * np.ones((R, 1))
    return out[..., None].astype(np.float32)


# --- surface ----------------------------------------------------------------------------


def binary(output, **kwargs):
    return surface_figure(XS, YS, output, "classification", 2, POINTS, LABELS, **kwargs)


def test_binary_surface_is_a_heatmap_then_train_points():
    fig = binary(halves(0.1, 0.9))
    assert [t.type for t in fig.data] == ["heatmap", "scatter"]
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0, 1)
    np.testing.assert_allclose(fig.data[1].x, POINTS[:, 0])


def test_confident_class_cells_differ_in_hue():
    heatmap = binary(halves(0.02, 0.98)).data[0]
    z = np.asarray(heatmap.z)
    left, right = z[R // 2, 0], z[R // 2, -1]
    assert right > 0.9 and left < 0.1
    span = heatmap.zmax - heatmap.zmin
    rgb_left = scale_color(heatmap.colorscale, (left - heatmap.zmin) / span)
    rgb_right = scale_color(heatmap.colorscale, (right - heatmap.zmin) / span)
    assert is_orange(hue(rgb_left)) and is_blue(hue(rgb_right))


def test_half_probability_is_near_white():
    heatmap = binary(halves(0.5, 0.5)).data[0]
    rgb = scale_color(heatmap.colorscale, 0.5)
    assert rgb.min() > 230


def test_discretize_shows_only_the_two_class_colours():
    ramp = np.linspace(0, 1, R * R).reshape(R, R, 1).astype(np.float32)
    heatmap = binary(ramp, discretize=True).data[0]
    z = np.asarray(heatmap.z)
    assert set(np.unique(z)) == {0.0, 1.0}
    assert z[0, 0] == 0.0 and z[-1, -1] == 1.0
    colors = {tuple(scale_color(heatmap.colorscale, float(v))) for v in np.unique(z)}
    assert len(colors) == 2


def test_test_points_use_another_marker():
    fig = binary(halves(0.1, 0.9), test_points=POINTS[:2], test_labels=LABELS[:2])
    train, test = fig.data[1], fig.data[2]
    assert (train.name, test.name) == ("train", "test")
    assert train.marker.symbol != test.marker.symbol
    assert train.marker.line.color != test.marker.line.color
    assert fig.layout.showlegend


def test_points_are_coloured_by_class_and_hover_shows_coordinates_and_label():
    points = binary(halves(0.1, 0.9)).data[1]
    np.testing.assert_array_equal(points.marker.color, LABELS)
    scale = points.marker.colorscale
    span = points.marker.cmax - points.marker.cmin
    hues = [hue(scale_color(scale, (k - points.marker.cmin) / span)) for k in (0, 1)]
    assert is_orange(hues[0]) and is_blue(hues[1])
    for part in ("%{x", "%{y", "%{marker.color"):
        assert part in points.hovertemplate


def test_non_finite_output_is_masked_without_error():
    output = halves(0.2, 0.8)
    output[0, 0, 0], output[1, 1, 0], output[2, 2, 0] = np.nan, np.inf, -np.inf
    for discretize in (False, True):
        z = np.asarray(binary(output, discretize=discretize).data[0].z)
        assert np.isnan(z[0, 0]) and np.isnan(z[1, 1]) and np.isnan(z[2, 2])
        assert np.isfinite(z).sum() == R * R - 3


def test_regression_uses_minus_one_to_one_and_float_labels():
    targets = np.array([-0.5, 0.25, 1.5])
    fig = surface_figure(XS, YS, halves(-1.0, 1.0), "regression", 1, POINTS, targets)
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-1, 1)
    np.testing.assert_allclose(fig.data[1].marker.color, targets)
    z = np.asarray(
        surface_figure(XS, YS, halves(-0.3, 0.2), "regression", 1, POINTS, targets, discretize=True).data[0].z
    )
    assert set(np.unique(z)) == {-1.0, 1.0}


def test_unknown_kind_raises():
    with pytest.raises(ValueError, match="classification"):
        surface_figure(XS, YS, halves(0, 1), "clustering", 2, POINTS, LABELS)


def test_surface_axes_are_the_fixed_square_input_range():
    layout = binary(halves(0.1, 0.9)).layout
    assert tuple(layout.xaxis.range) == (-6, 6) and tuple(layout.yaxis.range) == (-6, 6)
    assert layout.yaxis.scaleanchor == "x"
    assert layout.uirevision is not None


def multiclass(n_classes: int, discretize: bool = False) -> np.ndarray:
    """(R, R, 4) RGBA of a surface: class 0 left, class 1 right, uniform in the top row."""
    probs = np.full((R, R, n_classes), 0.02)
    probs[:, : R // 2, 0] = 1 - 0.02 * (n_classes - 1)
    probs[:, R // 2 :, 1] = 1 - 0.02 * (n_classes - 1)
    probs[-1] = 1 / n_classes
    probs[0, 0] = np.nan
    fig = surface_figure(XS, YS, probs, "classification", n_classes, POINTS, LABELS, discretize=discretize)
    assert fig.data[0].type == "image"
    return np.asarray(fig.data[0].z)


def test_multiclass_hue_per_class_and_white_when_unsure():
    rgba = multiclass(3)
    assert rgba.shape == (R, R, 4) and rgba.dtype == np.uint8
    assert is_orange(hue(rgba[5, 2, :3])) and is_blue(hue(rgba[5, -2, :3]))
    assert rgba[-1, 5, :3].min() > 230  # uniform probabilities: near white


def test_multiclass_non_finite_pixels_are_transparent():
    rgba = multiclass(4)
    assert rgba[0, 0, 3] == 0
    assert (rgba[1:, :, 3] == 255).all()


def test_multiclass_discretize_uses_one_colour_per_class():
    rgba = multiclass(4, discretize=True)
    colors = {tuple(c) for c in rgba[1:-1, :, :3].reshape(-1, 3)}
    assert len(colors) == 2


def test_multiclass_image_is_placed_on_the_grid():
    fig = surface_figure(XS, YS, np.full((R, R, 3), 1 / 3), "classification", 3, POINTS, LABELS)
    image = fig.data[0]
    assert (image.x0, image.y0) == (-6, -6)
    assert image.dx == pytest.approx(12 / (R - 1)) and image.dy == pytest.approx(12 / (R - 1))


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
    assert fig.layout.yaxis.type == "linear"


def test_long_history_is_downsampled_keeping_last_epoch_and_extremes():
    m = 100_000
    epochs = np.arange(1, m + 1)
    loss = 1 / np.sqrt(epochs) + 0.01 * np.sin(epochs)
    loss[70_000] = 5.0  # a spike must survive
    fig = cost_curve_figure(epochs, loss, loss + 0.1)
    for line in fig.data:
        assert len(line.x) <= 2_000
        assert line.x[-1] == m
    assert max(fig.data[0].y) == pytest.approx(5.0)
    assert min(fig.data[0].y) == pytest.approx(loss.min(), rel=1e-6)
    assert figure_size_bytes(fig) < 40_000


def test_log_scale_sets_axis_type_and_drops_non_positive_losses():
    fig = cost_curve_figure(np.arange(4), [1.0, 0.0, -0.1, 0.01], [1.0, 0.5, 0.2, 0.1], True)
    assert fig.layout.yaxis.type == "log"
    np.testing.assert_array_equal(fig.data[0].x, [0, 3])


def test_marker_epoch_draws_a_vertical_line():
    fig = cost_curve_figure(np.arange(10), np.ones(10), np.ones(10), marker_epoch=7)
    (shape,) = fig.layout.shapes
    assert shape.type == "line" and shape.x0 == shape.x1 == 7
    assert cost_curve_figure(np.arange(10), np.ones(10), np.ones(10)).layout.shapes == ()


def test_empty_history_gives_an_empty_labelled_chart():
    fig = cost_curve_figure(np.array([], int), np.array([]), np.array([]))
    assert len(fig.data) == 2 and all(len(t.x) == 0 for t in fig.data)
    assert fig.layout.xaxis.title.text == "epoch"
    fig.to_json()


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


def network(sizes, r=8, weight=None, seed=0, **kwargs):
    rng = np.random.default_rng(seed)
    images = [rng.normal(size=(n, r, r)).astype(np.float32) for n in sizes]
    weights = [
        rng.normal(size=(a, b)) if weight is None else np.full((a, b), weight)
        for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    biases = [np.full(b, 0.25) for b in sizes[1:]]
    names = [f"layer {k}" for k in range(len(sizes))]
    return network_figure(names, images, weights, biases, **kwargs), weights


def line_traces(fig):
    """The link traces: every line trace but the last one (the thumbnail frames)."""
    lines = [t for t in fig.data if t.type == "scatter" and t.mode == "lines"]
    return lines[:-1]


def links_drawn(trace) -> list[tuple]:
    """(x0, y0, x1, y1) of each link in a back-and-forth path with NaN breaks."""
    x, y = np.asarray(trace.x, float), np.asarray(trace.y, float)
    links, run = [], []
    for point in [*zip(x, y, strict=True), (np.nan, np.nan)]:
        if np.isnan(point[0]):
            assert len(run) % 2 == 0
            links += [(*run[k], *run[k + 1]) for k in range(0, len(run), 2)]
            run = []
        else:
            run.append(point)
    return links


def test_network_trace_types_and_counts():
    fig, _ = network([3, 4, 2])
    types = [t.type for t in fig.data]
    assert types[:3] == ["heatmap"] * 3
    assert types[3:] == ["scatter"] * (len(types) - 3)
    markers = [t for t in fig.data[3:] if t.mode == "markers"]
    assert len(markers) == 2  # link hover, neuron hover
    assert len(fig.data) < 20


def test_lean_network_figure_drops_only_the_hover_markers():
    full, _ = network([3, 4, 2])
    lean, _ = network([3, 4, 2], hover=False)
    assert [t for t in lean.data if t.type == "scatter" and t.mode == "markers"] == []
    assert len(lean.data) == len(full.data) - 2
    assert [links_drawn(t) for t in line_traces(lean)] == [links_drawn(t) for t in line_traces(full)]
    assert lean.layout.hovermode is False and full.layout.hovermode == "closest"


def test_every_link_is_drawn_once():
    sizes = [3, 5, 4, 2]
    fig, _ = network(sizes)
    drawn = [link for t in line_traces(fig) for link in links_drawn(t)]
    assert len(drawn) == sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))
    assert len(set(drawn)) == len(drawn)


@pytest.mark.parametrize(("weight", "check"), [(0.8, is_blue), (-0.8, is_orange)])
def test_link_colour_follows_weight_sign(weight, check):
    fig, _ = network([2, 3, 1], weight=weight)
    used = [t for t in line_traces(fig) if len(links_drawn(t))]
    assert used and all(check(hue(hex_rgb(t.line.color))) for t in used)


def test_link_width_grows_with_weight_magnitude():
    images = [np.ones((1, 4, 4)), np.ones((2, 4, 4))]
    fig = network_figure(["in", "out"], images, [np.array([[0.1, 2.9]])], [np.zeros(2)])
    widths = {}
    for t in line_traces(fig):
        for link in links_drawn(t):
            widths[link[3]] = t.line.width  # keyed by the target's y
    low, high = sorted(widths)  # neuron 1 (w = 2.9) is below neuron 0 (w = 0.1)
    assert widths[low] > widths[high]


def test_link_hover_shows_indices_and_formatted_weight():
    images = [np.ones((2, 4, 4)), np.ones((1, 4, 4))]
    weights = [np.array([[0.123456], [-1.5]])]
    fig = network_figure(["in", "out"], images, weights, [np.array([0.25])])
    hover = fig.data[-2]
    assert list(hover.text) == ["0.123", "-1.500"]
    np.testing.assert_array_equal(hover.customdata, [[0, 0, 0], [0, 1, 0]])
    assert "w[%{customdata[0]}][%{customdata[1]}→%{customdata[2]}] = %{text}" in (hover.hovertemplate)


def test_neuron_hover_shows_bias():
    fig, _ = network([2, 3, 1])
    texts = list(fig.data[-1].hovertext)
    assert len(texts) == 6
    assert all("b = 0.250" in text for text in texts[2:])


def test_thumbnails_keep_colour_meaning_and_tolerate_nan():
    codes = thumbnail_codes(np.array([[[-2.0, 0.0], [1.0, np.nan]], [[0.0, 0.0], [0.0, 0.0]]]))
    np.testing.assert_array_equal(codes[0], [[-127, 0], [64, -128]])
    np.testing.assert_array_equal(codes[1], 0)
    images = [np.full((2, 4, 4), np.nan), np.full((1, 4, 4), np.inf)]
    fig = network_figure(["in", "out"], images, [np.full((2, 1), np.nan)], [np.zeros(1)])
    assert (np.asarray(fig.data[0].z) == -128).all()


def test_top_neuron_is_neuron_zero():
    images = [np.stack([np.ones((4, 4)), -np.ones((4, 4))]), np.ones((1, 4, 4))]
    fig = network_figure(["in", "out"], images, [np.ones((2, 1))], [np.zeros(1)])
    heatmap = fig.data[0]
    z, y = np.asarray(heatmap.z), np.asarray(heatmap.y)
    assert z[0, 0] == -127 and z[-1, 0] == 127  # rows go bottom (neuron 1) to top (neuron 0)
    assert y[0] < y[-1]


def test_subsample_picks_evenly_spread_cells():
    images = np.arange(81, dtype=float).reshape(1, 9, 9)  # cell value = 9 * row + column
    picked = subsample(images, 3)[0]  # the centre cells of each 3 x 3 block: 1, 4, 7
    np.testing.assert_array_equal(picked, [[10, 13, 16], [37, 40, 43], [64, 67, 70]])
    assert subsample(images, 10).shape == (1, 9, 9)


def test_input_labels_and_layer_names_are_drawn():
    fig, _ = network([2, 2], input_labels=["x₁", "sin(x₁)"])
    texts = [a.text for a in fig.layout.annotations]
    assert {"x₁", "sin(x₁)", "layer 0", "layer 1"} <= set(texts)


@pytest.mark.parametrize("r", [16, 24])
def test_big_network_figure_stays_small(r):
    fig, _ = network([16] * 8, r=r)
    assert figure_size_bytes(fig) < 150_000


def test_network_layout_is_static_and_axis_free():
    fig, _ = network([2, 3, 1])
    assert not fig.layout.xaxis.visible and not fig.layout.yaxis.visible
    assert fig.layout.xaxis.fixedrange and fig.layout.yaxis.scaleanchor == "x"


def _json_without_template(fig) -> dict:
    spec = json.loads(fig.to_json())
    spec["layout"].pop("template")  # validation expands template="none" into its definition
    return spec


@pytest.mark.parametrize("build", [
    lambda: binary(halves(0.2, 0.8), test_points=POINTS, test_labels=LABELS),
    lambda: binary(halves(0.2, 0.8), discretize=True),
    lambda: surface_figure(XS, YS, np.zeros((R, R)), "regression", 0, POINTS, np.array([0.1, -0.5, 0.9])),
    lambda: surface_figure(XS, YS, np.full((R, R, 3), 1 / 3), "classification", 3, POINTS, LABELS),
    lambda: cost_curve_figure(np.arange(4), [1.0, 0.5, 0.3, 0.2], [1.1, 0.6, 0.4, 0.3], log_scale=True,
                              marker_epoch=2),
    lambda: network([3, 4, 2], input_labels=["a", "b", "c"])[0],
    lambda: network([2, 1], hover=False)[0],
])
def test_builders_skip_validation_but_their_figures_are_valid(build):
    fig = build()
    validated = go.Figure(fig.to_dict())  # plotly's full validation: raises on a bad property
    assert _json_without_template(validated) == _json_without_template(fig)  # nothing coerced
