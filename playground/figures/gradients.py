"""Gradients flowing backwards: the "Gradients" view of the network diagram and the chart of each
link layer's gradient size over the epochs (the numbers come from ``core.gradient_flow``).

The diagram keeps its codes (figures.network: sign × (width bucket + 1)) but the width is the
decade of |∂C/∂w| below the largest one in the network: the widest links are within 10× of the
largest gradient, each thinner step 10× smaller, the thinnest 10⁴× or more. A vanishing gradient
is a network whose links fade layer by layer towards the inputs. Colour is the sign of ∂C/∂w
(gradient descent moves w the other way). Each neuron is one flat square: white for mean |δ| = 0
(or DECADES decades below the largest), full blue for the largest, log-linear between; the
inputs have no δ and are left blank.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from playground.figures.base import figure, layout
from playground.figures.colors import BLUE, GREEN, INK, NEUTRAL, ORANGE, PURPLE, VERMILLION, surface_color
from playground.figures.links import WIDTH_BUCKETS
from playground.figures.network import MISSING_CODE, ZERO_CODE
from playground.figures.thumbnails import MISSING
from playground.settings.text import number

DECADES = 5  # mean |δ| from max/10⁵ (white) to max (blue)
MAX_POINTS = 200  # rows the gradient-size chart draws at most (a full history of 2,000 rows × 7 layers
# took ~0.1 s of hover texts and JSON per redraw; 200 keep its shape on a 500 px wide chart)
LAYER_COLORS = (ORANGE, BLUE, GREEN, PURPLE, VERMILLION, INK, "#56B4E9", "#F0E442", "#999999")
HINTS = ("squares: each neuron's mean |δ| = |∂C/∂z| (bluer = larger)",
         "links: ∂C/∂w, orange < 0 < blue; each width step = 10× larger")


def decade_bucket(values: np.ndarray) -> np.ndarray:
    """Width bucket in [0, WIDTH_BUCKETS) of each |value| by its decade below the largest finite
    |value| m: how many of m/10, m/100, …, m/10^(WIDTH_BUCKETS − 1) it exceeds, so (m/10, m] →
    WIDTH_BUCKETS − 1 and ≤ m/10⁴ → 0. ±∞ is the widest; NaN and 0 are 0. values: any shape."""
    magnitude = np.abs(np.asarray(values, dtype=float))
    finite = magnitude[np.isfinite(magnitude) & (magnitude > 0)]
    largest = finite.max() if finite.size else np.inf
    with np.errstate(invalid="ignore"):
        buckets = sum((magnitude > largest / 10.0 ** k).astype(int) for k in range(1, WIDTH_BUCKETS))
    return np.where(np.isposinf(magnitude), WIDTH_BUCKETS - 1, buckets)


def gradient_link_codes(gradients: np.ndarray) -> np.ndarray:
    """int8 code of each (links,) ∂C/∂w: sign × (decade_bucket + 1); ZERO_CODE for exactly 0,
    MISSING_CODE for NaN (the diagram's link styles draw them)."""
    g = np.asarray(gradients, dtype=float)
    codes = np.sign(g) * (decade_bucket(g) + 1)
    codes = np.where(g == 0, ZERO_CODE, codes)
    return np.where(np.isnan(g), MISSING_CODE, codes).astype(np.int8)


def delta_codes(deltas: np.ndarray) -> np.ndarray:
    """int8 thumbnail code in [0, 127] of each (units,) mean |δ|: 127·clip(1 + log₁₀(δ/max)/DECADES,
    0, 1) with max the largest finite one; 0 → 0, +∞ → 127, NaN → MISSING."""
    d = np.abs(np.asarray(deltas, dtype=float))
    finite = d[np.isfinite(d) & (d > 0)]
    top = finite.max() if finite.size else 1.0
    with np.errstate(all="ignore"):
        t = np.clip(1 + np.log10(d / top) / DECADES, 0, 1)
    codes = np.rint(127 * np.nan_to_num(t, nan=0.0))
    codes = np.where(np.isposinf(d), 127, np.where(d == 0, 0, codes))
    return np.where(np.isnan(d), MISSING, codes).astype(np.int8)


def gradient_static(static: dict) -> dict:
    """The diagram's static part (figures.network.diagram_static) with the Gradients view's
    hints and legend."""
    out = dict(static)
    if out.get("hints"):
        out["hints"] = [[text, x, y] for text, (_, x, y) in zip(HINTS, out["hints"], strict=True)]
    out["legend"] = {"stops": [[0, NEUTRAL], [1, surface_color(BLUE)]],
                     "labels": [[0, f"mean |δ| ÷ 10^{DECADES}"], [1, "largest"]]}
    return out


def gradient_frame(weight_grads: list[np.ndarray], bias_grads: list[np.ndarray],
                   neuron_deltas: list[np.ndarray], n_inputs: int, layer_names: list[str],
                   input_labels: list[str], hover: bool = True, marks: list | None = None
                   ) -> tuple[dict, dict[str, np.ndarray]]:
    """One frame of the Gradients view: arrays "codes" (links,) int8 (gradient_link_codes of
    every ∂C/∂w in the diagram's LINK_ORDER) and "thumbs" (neurons, 1, 1) int8 (blank inputs,
    then delta_codes of every layer's mean |δ|); hover texts "∂C/∂w[l][i→j] = …" per link and
    the mean |δ| and ∂C/∂b per neuron when `hover`; a note with the largest |∂C/∂w|.

    weight_grads[l]: (fan_in, fan_out) ∂C/∂W; bias_grads[l]: (fan_out,); neuron_deltas[l]:
    (fan_out,) mean |δ| of column l + 1 (core.gradient_flow.GradientView).
    """
    flat = np.concatenate([np.asarray(g, float).ravel() for g in weight_grads] or [np.zeros(0)])
    deltas = np.concatenate([np.asarray(d, float).ravel() for d in neuron_deltas] or [np.zeros(0)])
    thumbs = np.concatenate([np.full(n_inputs, MISSING, np.int8), delta_codes(deltas)])
    finite = np.abs(flat[np.isfinite(flat)])
    note = f"largest |∂C/∂w| = {number(float(finite.max()))}" if finite.size else ""
    frame = {"marks": marks or [], "note": note,
             "hover": _hover(weight_grads, bias_grads, neuron_deltas, layer_names, input_labels)
             if hover else None}
    return frame, {"codes": gradient_link_codes(flat), "thumbs": thumbs.reshape(-1, 1, 1)}


def _hover(weight_grads, bias_grads, neuron_deltas, layer_names, input_labels) -> dict[str, list[str]]:
    links = [f"∂C/∂w[{layer}][{i}→{j}] = {number(value)}" for layer, g in enumerate(weight_grads)
             for (i, j), value in np.ndenumerate(np.asarray(g, float))]
    neurons = [f"{label} (input: no δ)" for label in input_labels]
    for layer, (b, d) in enumerate(zip(bias_grads, neuron_deltas, strict=True)):
        name = layer_names[layer + 1]
        pairs = zip(np.asarray(b, float), np.asarray(d, float), strict=True)
        neurons += [f"{name} · neuron {k}: mean |δ| = {number(dk)}, ∂C/∂b = {number(bk)}"
                    for k, (bk, dk) in enumerate(pairs)]
    return {"links": links, "neurons": neurons}


def gradient_sizes_figure(epochs: np.ndarray, sizes: np.ndarray, names: list[str]) -> go.Figure:
    """Each link layer's gradient size (RMS of its ∂C/∂w) against the epoch, log y: one line per
    layer, named by `names` (layers,). epochs: (m,); sizes: (m, layers). Values that are not
    finite and > 0 are gaps (a log axis has no 0). More than MAX_POINTS rows are thinned evenly
    by position, always keeping the first and the last."""
    epochs = np.asarray(epochs, dtype=np.float64)
    sizes = np.asarray(sizes, dtype=np.float64).reshape(len(epochs), len(names))
    if len(epochs) > MAX_POINTS:
        keep = np.unique(np.linspace(0, len(epochs) - 1, MAX_POINTS).round().astype(int))
        epochs, sizes = epochs[keep], sizes[keep]
    with np.errstate(invalid="ignore"):
        shown = np.where(np.isfinite(sizes) & (sizes > 0), sizes, np.nan)
    traces = []
    for layer, name in enumerate(names):
        color = LAYER_COLORS[layer % len(LAYER_COLORS)]
        texts = [f"{name}, epoch {int(e):,}: {number(v)}"
                 for e, v in zip(epochs, sizes[:, layer], strict=True)]
        traces.append(dict(type="scatter", x=epochs, y=shown[:, layer], mode="lines", name=name,
                           line={"color": color, "width": 2}, text=texts,
                           hovertemplate="%{text}<extra></extra>", connectgaps=False))
    finite = shown[np.isfinite(shown)]
    y_range = None
    if finite.size:  # whole decades around the values (a single value: one decade each side)
        low, high = math.floor(math.log10(finite.min())), math.ceil(math.log10(finite.max()))
        y_range = [low - (low == high), high + (low == high)]
    return figure(traces, layout(
        "gradient-sizes", margin={"l": 56, "r": 8, "t": 26, "b": 24}, showlegend=True,
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "font": {"size": 10}},
        title={"text": "gradient size per layer (RMS of ∂C/∂w, log) by epoch", "font": {"size": 12},
               "x": 0.02, "y": 0.98},
        xaxis={"showgrid": True, "gridcolor": "#EEEEEE", "zeroline": False},
        yaxis={"type": "log", "range": y_range, "showgrid": True, "gridcolor": "#EEEEEE",
               "exponentformat": "power"}))
