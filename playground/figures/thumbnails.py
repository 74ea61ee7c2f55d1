"""Neuron thumbnails: each neuron's output over the input square, drawn small in the diagram.

A column's thumbnails travel as one int8 heatmap: each thumbnail scaled by its own max |value|
to codes in [-127, 127] (orange negative, white 0, blue positive), non-finite pixels as MISSING
(transparent), subsampled so a cell stays at least MIN_CELL_PX tall.
"""

import numpy as np

from playground.figures.colors import BLUE, NEUTRAL, ORANGE, TRANSPARENT, surface_color

THUMB = 100.0  # a thumbnail's side, in diagram units
MIN_CELL_PX = 2.5  # thumbnails are subsampled so that a cell stays at least this tall
MISSING = -128  # int8 code of a non-finite thumbnail pixel: drawn transparent
THUMB_SCALE = [
    [0.0, TRANSPARENT],
    [1 / 255, surface_color(ORANGE)],
    [128 / 255, NEUTRAL],
    [1.0, surface_color(BLUE)],
]


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


def thumbnail_heatmap(x: float, ys: np.ndarray, images: np.ndarray) -> dict:
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
        x=whole_units(x + edges),
        y=whole_units(ys[order][:, None] + edges),
        z=z,
        zmin=MISSING,
        zmax=127,
        colorscale=THUMB_SCALE,
        showscale=False,
        hoverinfo="skip",
    )


def whole_units(coordinates: np.ndarray) -> np.ndarray:
    """Round diagram coordinates to whole units, flattened: plotly sends them as 2-byte ints."""
    return np.rint(coordinates).astype(np.int16).ravel()
