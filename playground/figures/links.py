"""Links between columns of neurons, drawn as few line traces: one per sign and width.

Shared by the network diagram (widths from |w|, clipped at WEIGHT_CLIP) and the math view's
phase picture (widths relative to the largest value shown). Colour is the sign: orange < 0 <=
blue, as everywhere in the app.
"""

import numpy as np

from playground.figures.colors import BLUE, ORANGE

WEIGHT_CLIP = 3.0  # |w| at and above this gets the widest link
WIDTH_BUCKETS = 5  # links are grouped into this many widths per sign


def link_table(
    col_x: np.ndarray, neuron_y: list[np.ndarray], weights: list[np.ndarray], inset: float = 0.0
) -> dict[str, np.ndarray]:
    """Every link as one row: "layer", "i", "j", "w", "x0", "y0", "x1", "y1", each (links,).

    col_x: (L,) column positions; neuron_y[c]: (units,) positions in column c; weights[l]:
    (fan_in, fan_out) values of the links from column l to l + 1. Links start and end `inset`
    from the column's centre (half a thumbnail in the diagram).
    """
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
                "x0": np.full(i.size, col_x[layer] + inset),
                "y0": neuron_y[layer][i],
                "x1": np.full(i.size, col_x[layer + 1] - inset),
                "y1": neuron_y[layer + 1][j],
            }
        )
    keys = ("layer", "i", "j", "w", "x0", "y0", "x1", "y1")
    return {k: np.concatenate([p[k] for p in parts] or [np.zeros(0)]) for k in keys}


def link_width_bucket(w: np.ndarray, full: float = WEIGHT_CLIP) -> np.ndarray:
    """Width bucket in [0, WIDTH_BUCKETS) of each value: linear in |w|, clipped at `full`.

    NaN counts as 0 and infinities as the widest.
    """
    magnitude = np.abs(np.nan_to_num(np.asarray(w, dtype=float), nan=0.0, posinf=full, neginf=-full))
    with np.errstate(over="ignore"):  # |w| near 1e308: the quotient overflows to inf, clipped next
        steps = np.minimum(magnitude / full * WIDTH_BUCKETS, WIDTH_BUCKETS - 1)
    return steps.astype(int)  # clipped before the cast: a huge finite |w| is the widest, not negative


def link_traces(links: dict[str, np.ndarray], bucket: np.ndarray) -> list[dict]:
    """2 * WIDTH_BUCKETS line traces: orange negative links, then blue non-negative ones, each
    link in its (links,) width `bucket` (see link_width_bucket).

    Each trace draws its links from one source neuron as one back-and-forth path
    (source, target, source, target, ..., NaN): two points per link, one break per source.
    """
    negative = links["w"] < 0
    traces = []
    for color, sign in ((ORANGE, negative), (BLUE, ~negative)):
        for b in range(WIDTH_BUCKETS):
            chosen = {k: v[sign & (bucket == b)] for k, v in links.items()}
            source = chosen["layer"] * (links["i"].max(initial=0) + 1) + chosen["i"]
            traces.append(
                dict(
                    type="scatter",
                    x=fan_path(chosen["x0"], chosen["x1"], source),
                    y=fan_path(chosen["y0"], chosen["y1"], source),
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


def fan_path(start: np.ndarray, end: np.ndarray, source: np.ndarray) -> np.ndarray:
    """One coordinate of the back-and-forth path through (n,) links grouped by (n,) source.

    Returns (2n + number of sources,) float32: start, end per link, NaN after each source's
    last link. Links of one source must be consecutive.
    """
    last = np.ones(source.size, bool)
    last[:-1] = source[1:] != source[:-1]
    path = np.column_stack([start, end, np.full(start.size, np.nan)])
    keep = np.column_stack([np.ones((start.size, 2), bool), last])
    return path[keep].astype(np.float32)
