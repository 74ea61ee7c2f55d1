"""Plotly figure builders: plain numpy arrays in, a lean ``go.Figure`` out.

The app re-sends every figure to the browser on each animation frame, so each builder keeps
its figure small: ``template="none"``, compact dtypes (plotly sends numpy arrays as base64),
few traces, and a fixed ``uirevision`` so a user's zoom survives updates; ``_figure`` skips
plotly's property validation (a fifth of the server's time per frame under load; the tests
validate every builder's output instead). Colours follow
``playground.colors``: orange is class 0 / negative, blue is class 1 / positive.
"""

import numpy as np
import plotly.graph_objects as go

from playground.colors import (
    BLUE,
    CLASS_HUES,
    INK,
    NEUTRAL,
    ORANGE,
    TRANSPARENT,
    VERMILLION,
    discrete_scale,
    diverging_scale,
    point_color,
    surface_color,
    to_rgb,
)

INPUT_RANGE = (-6.0, 6.0)
FONT = {"family": "Roboto, Helvetica, Arial, sans-serif", "size": 11, "color": INK}
SURFACE_SCALE = diverging_scale(surface_color(ORANGE), surface_color(BLUE))
POINT_SCALE = diverging_scale(point_color(ORANGE), point_color(BLUE))
TRAIN_MARKER = {"symbol": "circle", "size": 6, "line": {"color": "#FFFFFF", "width": 1}}
TEST_MARKER = {"symbol": "diamond", "size": 7, "line": {"color": INK, "width": 1}}

MAX_LINE_POINTS = 1000
LOSS_LINES = {
    "train": {"color": BLUE, "dash": "solid", "width": 2},
    "test": {"color": VERMILLION, "dash": "dash", "width": 2},
}

# Network diagram geometry, in data units: a neuron thumbnail is 100 x 100, so positions
# rounded to whole units are exact enough and travel as compact 2-byte ints.
THUMB = 100.0
PITCH = 145.0  # vertical distance between neuron centres
MIN_SLOTS = 8  # a short network still gets the room of 8 neurons: thumbnails keep their size
MAX_GAP = 550.0  # largest horizontal distance between columns
LABEL_ROOM = 220.0  # room left of the inputs for their labels
TITLE_ROOM = 100.0  # room above the tallest column for the layer names
RIGHT_ROOM = 60.0  # room right of the outputs for the last layer name
ASPECT = 1.5  # width / height of the diagram (about 600 x 400 px)
NETWORK_HEIGHT_PX = 400
MIN_CELL_PX = 2.5  # thumbnails are subsampled so that a cell stays at least this tall
MISSING = -128  # int8 code of a non-finite thumbnail pixel: drawn transparent
THUMB_SCALE = [
    [0.0, TRANSPARENT],
    [1 / 255, surface_color(ORANGE)],
    [128 / 255, NEUTRAL],
    [1.0, surface_color(BLUE)],
]
WEIGHT_CLIP = 3.0  # |w| at and above this gets the widest link
WIDTH_BUCKETS = 5  # links are grouped into this many widths per sign
LINK_HOVER = "w[%{customdata[0]}][%{customdata[1]}→%{customdata[2]}] = %{text}<extra></extra>"


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A Figure from trusted trace and layout dicts, without plotly's per-property validation."""
    return go.Figure(traces, layout, _validate=False)


def figure_size_bytes(fig: go.Figure) -> int:
    """The size of the figure's JSON, i.e. what is sent to the browser on every update."""
    return len(fig.to_json())


def _layout(uirevision: str, **entries) -> dict:
    """A layout: no template, small font, transparent background, then ``entries``.

    Figures get their layout at construction: ``fig.update_layout`` costs ~10x more time.
    """
    return {
        "template": "none",
        "font": FONT,
        "uirevision": uirevision,
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "hoverlabel": {"bgcolor": "#FFFFFF", "bordercolor": "#999999", "font": {"size": 11}},
        "showlegend": False,
        **entries,
    }


# --- decision surface -------------------------------------------------------------------


def surface_figure(
    xs: np.ndarray,
    ys: np.ndarray,
    output: np.ndarray,
    kind: str,
    n_classes: int,
    train_points: np.ndarray,
    train_labels: np.ndarray,
    test_points: np.ndarray | None = None,
    test_labels: np.ndarray | None = None,
    discretize: bool = False,
) -> go.Figure:
    """The network's output over the input square, with the data points on top.

    Parameters
    ----------
    xs, ys : (r,) grid coordinates; ``output[i, j]`` is the output at ``(xs[j], ys[i])``.
    output : (r, r, k) network output. Binary classification: k == 1, P(class 1).
        Multiclass: k == n_classes, softmax probabilities. Regression: k == 1, about [-1, 1].
        Non-finite cells are drawn transparent.
    kind : "classification" or "regression".
    n_classes : number of classes (ignored for regression).
    train_points, test_points : (n, 2) inputs; test points are drawn only when given.
    train_labels, test_labels : (n,) class ints, or float targets for regression.
    discretize : snap the surface to the predicted class (regression: to the sign).

    Returns
    -------
    A figure whose first trace is the surface (``go.Heatmap`` for binary classification and
    regression, ``go.Image`` of RGBA pixels for multiclass), then a ``go.Scatter`` of the
    training points and, when given, one of the test points.
    """
    if kind not in ("classification", "regression"):
        raise ValueError(f"kind must be 'classification' or 'regression', got {kind!r}")
    output = np.asarray(output)
    if kind == "classification" and n_classes > 2:
        surface = _class_image(xs, ys, output, discretize)
    else:
        surface = _value_heatmap(xs, ys, output[..., 0], kind, discretize)
    traces = [surface, _points_trace(train_points, train_labels, kind, n_classes, "train")]
    if test_points is not None:
        traces.append(_points_trace(test_points, test_labels, kind, n_classes, "test"))
    return _figure(traces, _surface_layout(show_legend=test_points is not None))


def _value_heatmap(xs: np.ndarray, ys: np.ndarray, values: np.ndarray, kind: str, discretize: bool) -> dict:
    """A heatmap of (r, r) values on the diverging scale: [0, 1] probabilities or [-1, 1]."""
    low, high = (0.0, 1.0) if kind == "classification" else (-1.0, 1.0)
    z = np.where(np.isfinite(values), values, np.nan).astype(np.float32)
    if discretize:
        z = np.where(z >= (low + high) / 2, high, low).astype(np.float32)
        z[~np.isfinite(values)] = np.nan
    label = "P(class 1)" if kind == "classification" else "output"
    return dict(
        type="heatmap",
        x=np.asarray(xs, np.float32),
        y=np.asarray(ys, np.float32),
        z=z,
        zmin=low,
        zmax=high,
        colorscale=SURFACE_SCALE,
        showscale=False,
        zsmooth=False if discretize else "fast",  # "fast": the browser smooths the image
        hovertemplate=f"x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<br>{label} %{{z:.2f}}<extra></extra>",
    )


def class_rgba(probabilities: np.ndarray, discretize: bool) -> np.ndarray:
    """Colour (r, r, C) class probabilities as (r, r, 4) uint8 RGBA pixels.

    Each pixel takes the hue of its most probable class, blended from white by the
    confidence (max probability rescaled from [1/C, 1] to [0, 1]); ``discretize`` uses the
    full hue. Pixels with a non-finite probability are fully transparent.
    """
    n_classes = probabilities.shape[-1]
    finite = np.isfinite(probabilities).all(axis=-1)
    probs = np.where(finite[..., None], probabilities, 0.0)
    if discretize:
        confidence = np.ones(finite.shape)
    else:
        confidence = np.clip((probs.max(axis=-1) * n_classes - 1) / (n_classes - 1), 0, 1)
    hues = np.array([to_rgb(surface_color(c)) for c in CLASS_HUES[:n_classes]])
    white = to_rgb(NEUTRAL)
    rgb = white + confidence[..., None] * (hues[probs.argmax(axis=-1)] - white)
    alpha = np.where(finite, 255, 0)
    return np.dstack([np.rint(rgb), alpha]).astype(np.uint8)


def _class_image(xs: np.ndarray, ys: np.ndarray, probabilities: np.ndarray, discretize: bool) -> dict:
    """An image trace of the multiclass surface, pixel (i, j) centred on (xs[j], ys[i])."""
    return dict(
        type="image",
        z=class_rgba(probabilities, discretize),
        colormodel="rgba",
        x0=float(xs[0]),
        dx=float(xs[1] - xs[0]),
        y0=float(ys[0]),
        dy=float(ys[1] - ys[0]),
        hoverinfo="skip",
    )


def _points_trace(points: np.ndarray, labels: np.ndarray, kind: str, n_classes: int, split: str) -> dict:
    """Data points (n, 2) coloured by their (n,) labels; ``split`` is "train" or "test"."""
    points = np.asarray(points, np.float32).reshape(-1, 2)
    if kind == "classification":
        colors = [point_color(c) for c in CLASS_HUES[: max(n_classes, 2)]]
        color, scale = np.asarray(labels).astype(np.uint8), discrete_scale(colors)
        cmin, cmax, label = -0.5, len(colors) - 0.5, "class %{marker.color}"
    else:
        color, scale = np.asarray(labels, np.float32), POINT_SCALE
        cmin, cmax, label = -1.0, 1.0, "y %{marker.color:.2f}"
    style = TRAIN_MARKER if split == "train" else TEST_MARKER
    return dict(
        type="scatter",
        x=points[:, 0],
        y=points[:, 1],
        mode="markers",
        name=split,
        marker={"color": color, "colorscale": scale, "cmin": cmin, "cmax": cmax, **style},
        hovertemplate=f"{split}<br>x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<br>{label}<extra></extra>",
    )


def _surface_layout(show_legend: bool) -> dict:
    """Square axes fixed to the input square, small ticks, an optional one-line legend."""
    axis = {
        "range": list(INPUT_RANGE),
        "dtick": 1,
        "ticks": "outside",
        "ticklen": 3,
        "tickfont": {"size": 9},
        "showgrid": False,
        "zeroline": False,
        "showline": True,
        "linecolor": "#AAAAAA",
        "mirror": True,
        "constrain": "domain",
    }
    legend = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"}
    return _layout(
        "surface",
        xaxis=axis,
        yaxis={**axis, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 28, "r": 8, "t": 24 if show_legend else 8, "b": 24},
        height=360,
        showlegend=show_legend,
        legend={**legend, "font": {"size": 10}, "itemclick": False},
        hovermode="closest",
    )


# --- cost curve -------------------------------------------------------------------------


def cost_curve_figure(
    epochs: np.ndarray,
    train_loss: np.ndarray,
    test_loss: np.ndarray,
    log_scale: bool = False,
    marker_epoch: int | None = None,
) -> go.Figure:
    """Training and test loss against the epoch: two ``go.Scatter`` lines, "train" and "test".

    ``epochs``, ``train_loss`` and ``test_loss`` have shape (m,), m may be 0. Non-finite
    losses (a diverged run) are dropped, and so are non-positive ones on a log axis. Each
    line is downsampled to about ``MAX_LINE_POINTS`` points keeping every bucket's minimum
    and maximum and the last point. ``marker_epoch`` draws a vertical line at that epoch.
    """
    epochs = np.asarray(epochs)
    traces = [
        _loss_trace(epochs, np.asarray(train_loss, float), "train", log_scale),
        _loss_trace(epochs, np.asarray(test_loss, float), "test", log_scale),
    ]
    axis = {"showgrid": True, "gridcolor": "#EEEEEE", "zeroline": False, "ticks": "outside"}
    layout = _layout(
        "cost",
        xaxis={**axis, "title": {"text": "epoch"}, "rangemode": "tozero", "hoverformat": ",d"},
        yaxis={**axis, "title": {"text": "loss"}, "type": "log" if log_scale else "linear"},
        margin={"l": 48, "r": 8, "t": 24, "b": 36},
        height=220,
        showlegend=True,
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"},
        hovermode="x unified",
        shapes=[] if marker_epoch is None else [_vertical_line(marker_epoch)],
    )
    return _figure(traces, layout)


def _loss_trace(epochs: np.ndarray, loss: np.ndarray, name: str, log_scale: bool) -> dict:
    """One loss line from (m,) epochs and losses, cleaned and downsampled for drawing."""
    keep = np.isfinite(loss)
    f4_max = np.finfo(np.float32).max
    x, y = epochs[keep], np.clip(loss[keep], -f4_max, f4_max).astype(np.float32)
    if log_scale:
        x, y = x[y > 0], y[y > 0]
    index = downsample_indices(y, MAX_LINE_POINTS)
    return dict(
        type="scatter",
        x=x[index],
        y=y[index],
        mode="lines",
        name=name,
        line=LOSS_LINES[name],
        hovertemplate="%{y:.4g}",
    )


def downsample_indices(values: np.ndarray, max_points: int) -> np.ndarray:
    """Sorted indices of at most ``max_points`` of the (m,) ``values`` that keep their shape.

    The values are cut into equal buckets; each bucket keeps the index of its minimum and of
    its maximum, and the first and last indices are always kept.
    """
    m = values.size
    if m <= max_points:
        return np.arange(m)
    size = -(-m // (max_points // 2 - 1))  # ceil: bucket length
    n_buckets = -(-m // size)  # every bucket holds at least one real value
    low = np.full(n_buckets * size, np.inf)
    high = np.full(n_buckets * size, -np.inf)
    low[:m] = high[:m] = values
    starts = np.arange(n_buckets) * size
    lows = starts + low.reshape(n_buckets, size).argmin(axis=1)
    highs = starts + high.reshape(n_buckets, size).argmax(axis=1)
    return np.unique(np.concatenate([[0, m - 1], lows, highs]))


def _vertical_line(x: float) -> dict:
    """A layout shape: a dark vertical line at ``x`` across the whole plot height."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": INK, "width": 1, "dash": "dot"},
    }


# --- network diagram --------------------------------------------------------------------


def network_figure(
    layer_names: list[str],
    neuron_images: list[np.ndarray],
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    highlight: dict | None = None,
    input_labels: list[str] | None = None,
    hover: bool = True,
) -> go.Figure:
    """The network as columns of neuron thumbnails joined by weighted links.

    Parameters
    ----------
    layer_names : one title per column, e.g. ["inputs", "hidden 1", "output"].
    neuron_images : per column, (units, r, r) values of each neuron over the input grid
        (same orientation as ``surface_figure``'s output). Each thumbnail is scaled by its
        own max |value|: orange negative, white 0, blue positive; non-finite is transparent.
    weights : per link layer l, (fan_in, fan_out); ``weights[l][i, j]`` joins neuron i of
        column l to neuron j of column l + 1. Colour is the sign (orange < 0 <= blue), width
        grows with |w| up to ``WEIGHT_CLIP``.
    biases : per link layer l, (fan_out,) biases of column l + 1's neurons.
    highlight : optional {"neuron": (column, index)}: draws a ring around that neuron.
    input_labels : optional labels drawn left of the input neurons, e.g. ["x₁", "sin(x₁)"].
    hover : False leaves out the two hover-marker traces (a lean figure for frames while
        playing: each frame replaces the chart, so a tooltip could not stay open anyway).

    Returns
    -------
    Traces in order: one ``go.Heatmap`` of int8 codes per column (see ``thumbnail_codes``),
    2 * ``WIDTH_BUCKETS`` link line traces (negative then positive, thin to wide; each a
    back-and-forth path per source neuron, see ``_fan_path``), the thumbnail frames, an
    invisible marker trace with one hover point per link showing "w[l][i→j] = 0.123"
    (indices in ``customdata``, the weight in ``text``), and an invisible marker trace with
    each neuron's hover text (its bias). Positions are in whole data units (``THUMB`` = 100).
    """
    sizes = [len(images) for images in neuron_images]
    col_x, neuron_y, x_range, y_range = _network_geometry(sizes)
    links = _link_table(col_x, neuron_y, weights)
    cells = int(NETWORK_HEIGHT_PX / (y_range[1] - y_range[0]) * THUMB / MIN_CELL_PX)
    traces = [
        _thumbnail_heatmap(x, y, subsample(np.asarray(images), cells))
        for x, y, images in zip(col_x, neuron_y, neuron_images, strict=True)
    ]
    traces += _link_traces(links)
    traces.append(_frames_trace(col_x, neuron_y))
    if hover:
        traces.append(_link_hover_trace(links))
        traces.append(_neuron_hover_trace(col_x, neuron_y, layer_names, biases, input_labels))
    axis = {"visible": False, "fixedrange": True, "constrain": "domain"}
    layout = _layout(
        "network",
        xaxis={**axis, "range": x_range},
        yaxis={**axis, "range": y_range, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        height=NETWORK_HEIGHT_PX,
        hovermode="closest" if hover else False,
        dragmode=False,
        annotations=_network_labels(col_x, neuron_y, layer_names, input_labels, y_range),
        **_highlight_shapes(col_x, neuron_y, highlight),
    )
    return _figure(traces, layout)


def _network_geometry(
    sizes: list[int],
) -> tuple[np.ndarray, list[np.ndarray], list[float], list[float]]:
    """Column x positions (L,), neuron y positions per column (units,), x and y ranges.

    Columns are vertically centred, neuron 0 on top; the ranges have the ``ASPECT`` ratio.
    """
    height = max(max(sizes), MIN_SLOTS) * PITCH
    width = ASPECT * (height + TITLE_ROOM)
    gap = min((width - THUMB - LABEL_ROOM - RIGHT_ROOM) / max(len(sizes) - 1, 1), MAX_GAP)
    col_x = np.arange(len(sizes)) * gap
    neuron_y = [((n - 1) / 2 - np.arange(n)) * PITCH for n in sizes]
    centre = (col_x[-1] + RIGHT_ROOM - LABEL_ROOM) / 2  # midway between left and right room
    x_range = [centre - width / 2, centre + width / 2]
    return col_x, neuron_y, x_range, [-height / 2, height / 2 + TITLE_ROOM]


def subsample(images: np.ndarray, cells: int) -> np.ndarray:
    """Nearest-neighbour subsample (units, r, r) thumbnails to (units, c, c), c = min(r, cells)."""
    r = images.shape[1]
    if r <= cells:
        return images
    index = ((np.arange(cells) + 0.5) * r / cells).astype(int)
    return images[:, index][:, :, index]


def thumbnail_codes(images: np.ndarray) -> np.ndarray:
    """Scale (units, r, r) values to int8 codes in [-127, 127] by each unit's max |value|.

    Non-finite values become ``MISSING``; an all-zero thumbnail stays 0 (white).
    """
    finite = np.isfinite(images)
    values = np.where(finite, images, 0.0)
    scale = np.abs(values).max(axis=(1, 2), keepdims=True)
    codes = np.rint(values / np.where(scale > 0, scale, 1.0) * 127)
    return np.where(finite, codes, MISSING).astype(np.int8)


def _thumbnail_heatmap(x: float, ys: np.ndarray, images: np.ndarray) -> dict:
    """One column's (units, r, r) thumbnails as a single heatmap centred on (x, ys[k]).

    The thumbnails are stacked bottom to top with one ``MISSING`` (transparent) row between
    neighbours; x and y are brick edges, so every pixel lands exactly inside its neuron.
    """
    codes = thumbnail_codes(images)
    n, r = codes.shape[:2]
    order = np.argsort(ys)
    gaps = np.full((n, 1, r), MISSING, np.int8)
    z = np.concatenate([codes[order], gaps], axis=1).reshape(n * (r + 1), r)[:-1]
    edges = np.linspace(-THUMB / 2, THUMB / 2, r + 1)
    return dict(
        type="heatmap",
        x=_whole_units(x + edges),
        y=_whole_units(ys[order][:, None] + edges),
        z=z,
        zmin=MISSING,
        zmax=127,
        colorscale=THUMB_SCALE,
        showscale=False,
        hoverinfo="skip",
    )


def _whole_units(coordinates: np.ndarray) -> np.ndarray:
    """Round diagram coordinates to whole units, flattened: plotly sends them as 2-byte ints."""
    return np.rint(coordinates).astype(np.int16).ravel()


def _link_table(
    col_x: np.ndarray, neuron_y: list[np.ndarray], weights: list[np.ndarray]
) -> dict[str, np.ndarray]:
    """Every link as one row: "layer", "i", "j", "w", "x0", "y0", "x1", "y1", each (links,)."""
    parts = []
    for layer, w in enumerate(weights):
        w = np.asarray(w, float)
        i, j = np.indices(w.shape).reshape(2, -1)
        parts.append(
            {
                "layer": np.full(i.size, layer),
                "i": i,
                "j": j,
                "w": w.ravel(),
                "x0": np.full(i.size, col_x[layer] + THUMB / 2),
                "y0": neuron_y[layer][i],
                "x1": np.full(i.size, col_x[layer + 1] - THUMB / 2),
                "y1": neuron_y[layer + 1][j],
            }
        )
    keys = ("layer", "i", "j", "w", "x0", "y0", "x1", "y1")
    return {k: np.concatenate([p[k] for p in parts] or [np.zeros(0)]) for k in keys}


def link_width_bucket(w: np.ndarray) -> np.ndarray:
    """Width bucket in [0, WIDTH_BUCKETS) of each weight: linear in |w|, clipped at WEIGHT_CLIP.

    NaN counts as 0 and infinities as the widest.
    """
    magnitude = np.abs(np.nan_to_num(w, nan=0.0, posinf=WEIGHT_CLIP, neginf=-WEIGHT_CLIP))
    return np.minimum((magnitude / WEIGHT_CLIP * WIDTH_BUCKETS).astype(int), WIDTH_BUCKETS - 1)


def _link_traces(links: dict[str, np.ndarray]) -> list[dict]:
    """2 * WIDTH_BUCKETS line traces: orange negative links, then blue non-negative ones.

    Each trace draws its links from one source neuron as one back-and-forth path
    (source, target, source, target, ..., NaN): two points per link, one break per source.
    """
    bucket = link_width_bucket(links["w"])
    negative = links["w"] < 0
    traces = []
    for color, sign in ((ORANGE, negative), (BLUE, ~negative)):
        for b in range(WIDTH_BUCKETS):
            chosen = {k: v[sign & (bucket == b)] for k, v in links.items()}
            source = chosen["layer"] * (links["i"].max(initial=0) + 1) + chosen["i"]
            traces.append(
                dict(
                    type="scatter",
                    x=_fan_path(chosen["x0"], chosen["x1"], source),
                    y=_fan_path(chosen["y0"], chosen["y1"], source),
                    mode="lines",
                    line={
                        "color": color,
                        "width": 0.6 + 4.4 * (b + 0.5) / WIDTH_BUCKETS,
                        "simplify": False,
                    },
                    opacity=0.35 + 0.6 * b / (WIDTH_BUCKETS - 1),
                    hoverinfo="skip",
                )
            )
    return traces


def _fan_path(start: np.ndarray, end: np.ndarray, source: np.ndarray) -> np.ndarray:
    """One coordinate of the back-and-forth path through (n,) links grouped by (n,) source.

    Returns (2n + number of sources,) float32: start, end per link, NaN after each source's
    last link. Links of one source must be consecutive.
    """
    last = np.ones(source.size, bool)
    last[:-1] = source[1:] != source[:-1]
    path = np.column_stack([start, end, np.full(start.size, np.nan)])
    keep = np.column_stack([np.ones((start.size, 2), bool), last])
    return path[keep].astype(np.float32)


def _link_hover_trace(links: dict[str, np.ndarray]) -> dict:
    """Invisible markers on the links, one per link, hovering "w[l][i→j] = value".

    The point sits at a fraction of the way that grows with the target index j, so links
    that cross at their midpoints still get hover points of their own. The indices travel
    as compact ints in ``customdata`` and the formatted weight as ``text``.
    """
    t = 0.2 + 0.6 * (links["j"] + 0.5) / (links["j"].max(initial=0) + 1)
    return dict(
        type="scatter",
        x=_whole_units(links["x0"] + t * (links["x1"] - links["x0"])),
        y=_whole_units(links["y0"] + t * (links["y1"] - links["y0"])),
        mode="markers",
        marker={"size": 6, "opacity": 0},
        customdata=np.column_stack([links["layer"], links["i"], links["j"]]).astype(int),
        text=np.array([f"{w:.3f}" for w in links["w"]]),
        hovertemplate=LINK_HOVER,
    )


def _frames_trace(col_x: np.ndarray, neuron_y: list[np.ndarray]) -> dict:
    """A thin dark square around every thumbnail, as one NaN-separated line trace."""
    centres = np.array([(x, y) for x, ys in zip(col_x, neuron_y, strict=True) for y in ys])
    corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1), (np.nan, np.nan)])
    path = (centres[:, None, :] + corners * THUMB / 2).reshape(-1, 2).astype(np.float32)
    return dict(
        type="scatter",
        x=path[:, 0],
        y=path[:, 1],
        mode="lines",
        line={"color": INK, "width": 1},
        hoverinfo="skip",
    )


def _neuron_hover_trace(
    col_x: np.ndarray,
    neuron_y: list[np.ndarray],
    layer_names: list[str],
    biases: list[np.ndarray],
    input_labels: list[str] | None,
) -> dict:
    """Invisible markers on the neuron centres; hover names the neuron and shows its bias."""
    text = []
    for column, ys in enumerate(neuron_y):
        for k in range(len(ys)):
            name = f"{layer_names[column]} · neuron {k}"
            if column == 0:
                text.append(input_labels[k] if input_labels else name)
            else:
                text.append(f"{name}<br>b = {float(biases[column - 1][k]):.3f}")
    return dict(
        type="scatter",
        x=_whole_units(np.repeat(col_x, [len(ys) for ys in neuron_y])),
        y=_whole_units(np.concatenate(neuron_y)),
        mode="markers",
        marker={"size": 16, "opacity": 0, "symbol": "square"},
        hovertext=text,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _network_labels(
    col_x: np.ndarray,
    neuron_y: list[np.ndarray],
    layer_names: list[str],
    input_labels: list[str] | None,
    y_range: list[float],
) -> list[dict]:
    """Annotations: each layer's name above its column, feature labels left of the inputs."""
    titles = [
        {"x": x, "y": y_range[1], "text": name, "yanchor": "top", "font": {"size": 11}}
        for x, name in zip(col_x, layer_names, strict=True)
    ]
    features = [
        {"x": col_x[0] - 0.7 * THUMB, "y": y, "text": label, "xanchor": "right"}
        for y, label in zip(neuron_y[0], input_labels or [], strict=input_labels is not None)
    ]
    return [{"showarrow": False, "xref": "x", "yref": "y", **a} for a in titles + features]


def _highlight_shapes(col_x: np.ndarray, neuron_y: list[np.ndarray], highlight: dict | None) -> dict:
    """{"shapes": [a ring around ``highlight["neuron"] = (column, index)``]}; {} without one."""
    if not highlight:
        return {}
    unknown = set(highlight) - {"neuron"}
    if unknown:
        raise ValueError(f"unknown highlight keys {sorted(unknown)}; valid: ['neuron']")
    column, index = highlight["neuron"]
    x, y, half = col_x[column], neuron_y[column][index], 0.65 * THUMB
    return {"shapes": [
        {
            "type": "rect",
            "x0": x - half,
            "x1": x + half,
            "y0": y - half,
            "y1": y + half,
            "line": {"color": VERMILLION, "width": 3},
        }
    ]}
