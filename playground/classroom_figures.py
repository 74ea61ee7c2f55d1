"""Figure builders for the classroom features: a clickable surface, two runs' cost curves, one
neuron's output in place of the decision surface.

Pure functions, arrays in and ``go.Figure`` out, built on ``playground.figures``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.colors import BLUE, ORANGE, TRANSPARENT
from playground.figures import INPUT_RANGE, SURFACE_SCALE, cost_curve_figure

CLICK_GRID = 41  # hidden click targets per axis: a point every 0.3 units
CLICK_TRACE = "click-grid"
COMPARE_LINES = {"train": {"color": ORANGE, "dash": "solid", "width": 2},
                 "test": {"color": ORANGE, "dash": "dash", "width": 2}}


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


def compare_cost_figure(runs: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
                        log_scale: bool = False, marker_epoch: int | None = None) -> go.Figure:
    """Cost curves of several runs on one chart. runs: (name, epochs (m,), train (m,), test (m,)).

    The first run keeps the usual blue/vermillion lines, the second is drawn in orange; lines are
    named "<run> train" and "<run> test".
    """
    name, *arrays = runs[0]
    figure = cost_curve_figure(*arrays, log_scale=log_scale, marker_epoch=marker_epoch)
    for trace in figure.data:
        trace.name = f"{name} {trace.name}"
    for name, *arrays in runs[1:]:
        other = cost_curve_figure(*arrays, log_scale=log_scale)
        for trace in other.data:
            trace.line = COMPARE_LINES[trace.name]
            trace.name = f"{name} {trace.name}"
            figure.add_trace(trace)
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
