"""The decision surface: the network's output over the input square as an image under the data
points, and one neuron's output shown in its place."""

import base64
import struct
import zlib

import numpy as np
import plotly.graph_objects as go

from playground.figures import base
from playground.figures.base import INPUT_RANGE
from playground.figures.colors import (
    BLUE,
    CLASS_HUES,
    INK,
    NEUTRAL,
    ORANGE,
    discrete_scale,
    diverging_scale,
    point_color,
    surface_color,
    to_rgb,
)
from playground.settings.text import number

SURFACE_SCALE = diverging_scale(surface_color(ORANGE), surface_color(BLUE))
POINT_SCALE = diverging_scale(point_color(ORANGE), point_color(BLUE))
TRAIN_MARKER = {"symbol": "circle", "size": 6, "line": {"color": "#FFFFFF", "width": 1}}
TEST_MARKER = {"symbol": "diamond", "size": 7, "line": {"color": INK, "width": 1}}
HOVER_CELLS = 50  # the invisible hover heatmap's cells a side (the image has every pixel)


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
    """The network's output over the input square as an image, with the data points on top.

    Parameters
    ----------
    xs, ys : (r,) increasing grid coordinates; ``output[i, j]`` is the output at ``(xs[j], ys[i])``.
    output : (r, r, k) network output. Binary classification: k == 1, P(class 1).
        Multiclass: k == n_classes, softmax probabilities. Regression: k == 1, about [-1, 1].
        Finite values of any size are drawn (clipped to the scale); non-finite cells are
        transparent.
    kind : "classification" or "regression".
    n_classes : number of classes (ignored for regression).
    train_points, test_points : (n, 2) inputs; test points are drawn only when given.
    train_labels, test_labels : (n,) class ints, or float targets for regression.
    discretize : snap the surface to the predicted class (regression: to the sign).

    Returns
    -------
    A figure whose layout image ``images[0]`` is the surface (a PNG, see ``surface_rgba``), whose
    first trace is an invisible heatmap that gives hover values (at most HOVER_CELLS a side),
    then a ``go.Scatter`` of the training points and, when given, one of the test points.
    """
    if kind not in ("classification", "regression"):
        raise ValueError(f"kind must be 'classification' or 'regression', got {kind!r}")
    output = np.asarray(output, dtype=float)
    rgba = surface_rgba(output, kind, n_classes, discretize)
    traces = [_hover_heatmap(xs, ys, output, kind),
              _points_trace(train_points, train_labels, kind, n_classes, "train")]
    if test_points is not None:
        traces.append(_points_trace(test_points, test_labels, kind, n_classes, "test"))
    layout = _surface_layout(show_legend=test_points is not None)
    layout["images"] = [image_layout(xs, ys, data_url(png_bytes(rgba)))]
    return base.figure(traces, layout)


def image_layout(xs: np.ndarray, ys: np.ndarray, source: str) -> dict:
    """A layout image covering the grid cells of (r,) `xs` and `ys` (cell centres), below the
    traces; `source` is its URL (e.g. a PNG data URL)."""
    dx, dy = (float(xs[1] - xs[0]), float(ys[1] - ys[0])) if len(xs) > 1 else (1.0, 1.0)
    return {"source": source, "xref": "x", "yref": "y", "x": float(xs[0]) - dx / 2,
            "y": float(ys[-1]) + dy / 2, "sizex": float(xs[-1] - xs[0]) + dx,
            "sizey": float(ys[-1] - ys[0]) + dy, "sizing": "stretch", "layer": "below"}


def _hover_heatmap(xs: np.ndarray, ys: np.ndarray, output: np.ndarray, kind: str,
                   label: str | None = None) -> dict:
    """An invisible heatmap whose hover shows the output (binary and regression: the value,
    multiclass: the most probable class and its probability), subsampled to HOVER_CELLS a side.
    The hover texts are the page's number format (settings.text.number); z is all zeros."""
    step = max(1, -(-len(xs) // HOVER_CELLS))
    grid = output[::step, ::step]
    if grid.shape[-1] == 1:
        label = label or ("P(class 1)" if kind == "classification" else "output")
        texts = [number(v) for v in grid[..., 0].ravel()]
    else:
        label = "class"
        finite = np.isfinite(grid).all(axis=-1)
        best = np.argmax(np.where(finite[..., None], grid, 0.0), axis=-1)
        texts = [f"{k}, p {number(p)}" if ok else "—"
                 for k, p, ok in zip(best.ravel(), grid.max(axis=-1).ravel(), finite.ravel(), strict=True)]
    return dict(
        type="heatmap",
        x=np.asarray(xs[::step], np.float32),
        y=np.asarray(ys[::step], np.float32),
        z=np.zeros(grid.shape[:2], np.uint8),
        customdata=np.array(texts, dtype=object).reshape(grid.shape[:2]),
        opacity=0,
        showscale=False,
        hovertemplate=f"x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<br>{label} %{{customdata}}<extra></extra>",
    )


def surface_rgba(output: np.ndarray, kind: str, n_classes: int, discretize: bool) -> np.ndarray:
    """The surface's pixels: (r, r, k) output -> (r, r, 4) uint8 RGBA, row 0 at the top (the
    largest y), as an image is drawn. Binary classification and regression use the diverging
    scale over [0, 1] and [-1, 1]; multiclass the hue of the likeliest class (see class_rgba)."""
    output = np.asarray(output, dtype=float)
    if kind == "classification" and n_classes > 2:
        return class_rgba(output, discretize)[::-1]
    low, high = (0.0, 1.0) if kind == "classification" else (-1.0, 1.0)
    values = output[..., 0]
    if discretize:
        values = np.where(np.isfinite(values), np.where(values >= (low + high) / 2, high, low), np.nan)
    return diverging_rgba(values, low, high)[::-1]


def diverging_rgba(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """(r, c) values on SURFACE_SCALE from `low` (orange) through white to `high` (blue) as
    (r, c, 4) uint8 RGBA; values outside [low, high] take the end colours, non-finite ones
    are transparent."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore", over="ignore"):
        t = np.clip((np.where(finite, values, low) - low) / (high - low), 0.0, 1.0)
    stops = np.array([to_rgb(color) for _, color in SURFACE_SCALE])
    rgb = np.stack([np.interp(t, [0.0, 0.5, 1.0], stops[:, c]) for c in range(3)], axis=-1)
    alpha = np.where(finite, 255, 0)
    return np.dstack([np.rint(rgb), alpha]).astype(np.uint8)


def png_bytes(rgba: np.ndarray) -> bytes:
    """A PNG file of (h, w, 4) uint8 RGBA pixels (8-bit, no filter; zlib level 6)."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    height, width = rgba.shape[:2]
    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgba.reshape(height, width * 4)], axis=1)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
            + chunk(b"IEND", b""))


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


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
    return base.layout(
        "surface",
        xaxis=axis,
        yaxis={**axis, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 28, "r": 8, "t": 24 if show_legend else 8, "b": 24},
        height=360,
        showlegend=show_legend,
        legend={**legend, "font": {"size": 10}, "itemclick": False},
        hovermode="closest",
    )


def drawn_points_trace(points: list[tuple[float, float, int]]) -> dict:
    """The clicked points (x1, x2, class), not yet a dataset: large, ringed, orange for class 0
    and blue for class 1."""
    table = np.array(points, dtype=float).reshape(-1, 3)
    return dict(type="scatter", x=table[:, 0], y=table[:, 1], mode="markers", name="clicked",
                marker={"size": 9, "color": [ORANGE if label == 0 else BLUE for label in table[:, 2]],
                        "line": {"color": INK, "width": 1.5}}, hoverinfo="skip", showlegend=False)


def explained_sample_trace(point: np.ndarray, index: int) -> dict:
    """The sample The math explains: a thick black ring around training point `index`, at
    (2,) `point` = (x1, x2); hover names it."""
    x1, x2 = (float(v) for v in np.asarray(point, dtype=float).reshape(2))
    return dict(type="scatter", x=[x1], y=[x2], mode="markers", name="explained",
                marker={"symbol": "circle-open", "size": 17, "color": INK, "line": {"width": 3}},
                hovertemplate=f"sample {index} (The math explains it)<extra></extra>", showlegend=False)


def neuron_rgba(values: np.ndarray, centre: float = 0.0) -> np.ndarray:
    """One neuron's (r, r) output as an image like the surface: white at `centre`, orange below
    and blue above, scaled by the largest finite |value − centre|; row 0 at the top."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    with np.errstate(over="ignore", invalid="ignore"):
        offset = values - centre
        spread = float(np.abs(offset[finite]).max()) if finite.any() else 0.0
        spread = spread if 0 < spread < np.inf else 1.0
        # scaled before the colour scale: centre ± spread can overflow to ±∞ for |values| ~ 1e308
        scaled = np.where(finite, offset / spread, np.nan)
    return diverging_rgba(scaled, -1.0, 1.0)[::-1]


def neuron_focus_figure(surface: go.Figure, xs: np.ndarray, ys: np.ndarray, values: np.ndarray,
                        name: str, centre: float = 0.0) -> go.Figure:
    """`surface` (a ``surface_figure``) showing one neuron's output in place of the network's.

    xs, ys: (r,) grid coordinates; values: (r, r) the neuron's output, values[i, j] at
    (xs[j], ys[i]), drawn by `neuron_rgba`; hover shows the value. The data points and the
    layout of `surface` stay; the hover trace is named "neuron: <name>".
    """
    values = np.asarray(values, dtype=float)
    hover = _hover_heatmap(xs, ys, values[..., None], "regression")
    hover.update(name=f"neuron: {name}",
                 hovertemplate=f"x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<br>{name}: %{{customdata}}<extra></extra>")
    layout = surface.layout.to_plotly_json()
    layout["images"] = [image_layout(xs, ys, data_url(png_bytes(neuron_rgba(values, centre))))]
    return base.figure([hover, *[t.to_plotly_json() for t in surface.data[1:]]], layout)
