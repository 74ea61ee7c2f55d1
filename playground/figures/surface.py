"""The decision surface: the network's output over the input square with the data points, the
clickable version that adds points, and one neuron's output shown in its place."""

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
    TRANSPARENT,
    discrete_scale,
    diverging_scale,
    point_color,
    surface_color,
    to_rgb,
)

SURFACE_SCALE = diverging_scale(surface_color(ORANGE), surface_color(BLUE))
POINT_SCALE = diverging_scale(point_color(ORANGE), point_color(BLUE))
TRAIN_MARKER = {"symbol": "circle", "size": 6, "line": {"color": "#FFFFFF", "width": 1}}
TEST_MARKER = {"symbol": "diamond", "size": 7, "line": {"color": INK, "width": 1}}
CLICK_GRID = 41  # hidden click targets per axis: a point every 0.3 units
CLICK_TRACE = "click-grid"


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
    return base.figure(traces, _surface_layout(show_legend=test_points is not None))


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


def click_grid(resolution: int = CLICK_GRID) -> np.ndarray:
    """The hidden click targets over the input square. -> (resolution², 2)."""
    axis = np.linspace(*INPUT_RANGE, resolution)
    gx, gy = np.meshgrid(axis, axis)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def with_click_grid(figure: go.Figure, resolution: int = CLICK_GRID) -> go.Figure:
    """`figure` (a surface) with an invisible marker at every grid point as the last trace.

    With ``st.plotly_chart(on_select=..., selection_mode="points")`` a click on the surface
    selects the nearest grid point, whose x/y the app turns into a new data point.
    """
    grid = click_grid(resolution).astype(np.float32)
    figure.add_trace(go.Scatter(
        x=grid[:, 0], y=grid[:, 1], mode="markers", name=CLICK_TRACE, showlegend=False,
        marker={"size": 12, "color": TRANSPARENT},
        hovertemplate="add a point at x₁ %{x:.1f}, x₂ %{y:.1f}<extra></extra>"))
    figure.layout.clickmode = "event+select"
    figure.layout.dragmode = False
    return figure


def drawn_points_colors(labels: np.ndarray) -> list[str]:
    """Marker colours of clicked points: orange for class 0, blue for class 1. labels: (n,)."""
    return [ORANGE if label == 0 else BLUE for label in labels]


def neuron_focus_figure(surface: go.Figure, xs: np.ndarray, ys: np.ndarray, values: np.ndarray,
                        name: str, centre: float = 0.0) -> go.Figure:
    """`surface` (a ``surface_figure``) with its first trace swapped for one neuron's output.

    xs, ys: (r,) grid coordinates; values: (r, r) the neuron's output, values[i, j] at
    (xs[j], ys[i]). Coloured like the surface: white at ``centre``, orange below and blue above,
    scaled by the largest |value − centre| (non-finite cells transparent); hover shows the value.
    The data points and layout of `surface` stay. The new trace is named "neuron: <name>".
    """
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    spread = float(np.abs(values[finite] - centre).max()) if finite.any() else 0.0
    spread = spread if spread > 0 else 1.0
    heatmap = go.Heatmap(
        x=np.asarray(xs, np.float32), y=np.asarray(ys, np.float32),
        z=np.where(finite, values, np.nan).astype(np.float32), zmin=centre - spread,
        zmax=centre + spread, colorscale=SURFACE_SCALE, showscale=False, zsmooth="fast",
        name=f"neuron: {name}",
        hovertemplate=f"x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<br>{name}: %{{z:.3f}}<extra></extra>")
    return go.Figure([heatmap, *surface.data[1:]], surface.layout)
