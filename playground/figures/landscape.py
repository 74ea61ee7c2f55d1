"""The cost landscape: C over two parameters as a contour map, the path gradient descent took
across it and the next step −α∇C as an arrow (the numbers come from ``core.landscape``).

Colour is log₁₀ C, so a valley a thousand times lower than the rim stays visible; the colour bar
is labelled with C itself. A cost that overflowed (+∞) is drawn the darkest colour, NaN is left
blank. The path's trace carries (epoch, cost) per point as customdata: the history's numbers.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from core.landscape import Landscape
from playground.figures.base import figure, layout
from playground.figures.colors import INK, VERMILLION
from playground.settings.text import number

COST_FLOOR = 1e-12  # a cost of 0 (a perfect fit) is drawn as this: log₁₀ needs > 0
COLORSCALE = "Viridis"  # dark = low cost: the valley; the path and arrow stay readable on it
CONTOURS = 14


def log_costs(costs: np.ndarray) -> np.ndarray:
    """log₁₀ of (m1, m2) costs for colouring: ≤ 0 → log₁₀ COST_FLOOR, +∞ → the largest finite
    value (or NaN when none is finite), NaN stays NaN. Returns float32 (m1, m2)."""
    costs = np.asarray(costs, dtype=float)
    with np.errstate(all="ignore"):
        logs = np.log10(np.maximum(costs, COST_FLOOR))
    finite = logs[np.isfinite(logs)]
    top = float(finite.max()) if finite.size else math.nan
    return np.where(np.isposinf(logs), top, logs).astype(np.float32)


def _colorbar(logs: np.ndarray) -> dict:
    """Ticks at whole decades of C (or the two ends when the map spans less than one)."""
    finite = logs[np.isfinite(logs)]
    if not finite.size:
        return {"thickness": 10, "title": {"text": "C"}}
    low, high = float(finite.min()), float(finite.max())
    ticks = list(range(math.ceil(low), math.floor(high) + 1))
    if len(ticks) < 2:
        ticks = [low, high] if high > low else [low]
    step = max(1, len(ticks) // 6)
    ticks = ticks[::step]
    return {"thickness": 10, "len": 0.9, "title": {"text": "C", "side": "top"},
            "tickvals": ticks, "ticktext": [number(10.0 ** t) for t in ticks]}


def _finite_pair(point: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(point)))


def landscape_figure(land: Landscape, name1: str, name2: str) -> go.Figure:
    """The contour map of `land` (``core.landscape.cost_landscape``) with its path and arrow.

    land.values1 (m1,) is the x axis (parameter `name1`), land.values2 (m2,) the y axis,
    land.costs (m1, m2) is drawn as z = costs.T; the path (s,) is a line with markers whose
    customdata is (s, 2) [epoch, cost]; the current point is a marker whose customdata is
    [[current_cost]]; the arrow is the layout's first annotation, from arrow.start to arrow.end
    (skipped when either is not finite).
    """
    logs = log_costs(land.costs).T
    traces = [dict(type="contour", x=np.asarray(land.values1, np.float64),
                   y=np.asarray(land.values2, np.float64), z=logs, colorscale=COLORSCALE,
                   ncontours=CONTOURS, contours={"coloring": "heatmap", "showlines": True},
                   line={"width": 0.5, "color": "rgba(255,255,255,0.35)"}, hoverinfo="skip",
                   colorbar=_colorbar(logs), connectgaps=False)]
    path = land.path
    if len(path.epochs):
        texts = [f"epoch {int(e):,}: C = {number(c)}" for e, c in zip(path.epochs, path.costs, strict=True)]
        traces.append(dict(type="scatter", x=np.asarray(path.values1, np.float64),
                           y=np.asarray(path.values2, np.float64), mode="lines+markers", name="path",
                           line={"color": VERMILLION, "width": 2}, text=texts,
                           marker={"size": 4, "color": VERMILLION},
                           customdata=np.column_stack([path.epochs, path.costs]).astype(np.float64),
                           hovertemplate="%{text}<extra></extra>"))
    current = np.asarray(land.current, np.float64)
    if _finite_pair(current):
        traces.append(dict(type="scatter", x=current[:1], y=current[1:], mode="markers", name="now",
                           marker={"size": 11, "color": "#FFFFFF", "symbol": "circle",
                                   "line": {"color": INK, "width": 2}},
                           customdata=[[float(land.current_cost)]],
                           text=[f"now: C = {number(land.current_cost)}"],
                           hovertemplate="%{text}<extra></extra>"))
    annotations = []
    start, end = np.asarray(land.arrow.start, np.float64), np.asarray(land.arrow.end, np.float64)
    if _finite_pair(start) and _finite_pair(end):
        annotations.append({"x": float(end[0]), "y": float(end[1]), "ax": float(start[0]),
                            "ay": float(start[1]), "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                            "showarrow": True, "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 2.5,
                            "arrowcolor": "#FFFFFF", "text": ""})
    x_range = [float(land.values1[0]), float(land.values1[-1])]
    y_range = [float(land.values2[0]), float(land.values2[-1])]
    return figure(traces, layout(
        "landscape", margin={"l": 56, "r": 8, "t": 28, "b": 44},
        title={"text": f"C({name1}, {name2}) · arrow: −α∇C, α = {number(land.arrow.learning_rate)}",
               "font": {"size": 12}, "x": 0.02, "y": 0.98},
        xaxis={"title": {"text": name1}, "range": x_range, "showgrid": False, "zeroline": False},
        yaxis={"title": {"text": name2}, "range": y_range, "showgrid": False, "zeroline": False},
        annotations=annotations))
