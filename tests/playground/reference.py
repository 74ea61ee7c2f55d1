"""Independent references for the tests: a numpy forward pass, the surface's grid, and the
diagram's link-code rule written out, so that no expected value comes from the code under test.
"""

from __future__ import annotations

import math

import numpy as np

from core import DOMAIN
from playground.figures.links import WEIGHT_CLIP as CLIP
from playground.figures.links import WIDTH_BUCKETS as BUCKETS
from playground.figures.network import MISSING_CODE, ZERO_CODE
from playground.live.views import SURFACE_RESOLUTION

GRID = np.linspace(-DOMAIN, DOMAIN, SURFACE_RESOLUTION)  # the surface image's pixel centres


def softmax(z: np.ndarray) -> np.ndarray:
    """exp(z) / Σ exp(z) per row, shifted by the row's max so that it cannot overflow."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "linear": lambda z: z,
               "softmax": softmax}


def activations(weights, biases, X, hidden="tanh", output="sigmoid") -> list[np.ndarray]:
    """Every layer's a = f(a·W + b), the input first."""
    layers = [np.asarray(X, float)]
    for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
        f = ACTIVATIONS[output if index == len(weights) - 1 else hidden]
        layers.append(f(layers[-1] @ w + b))
    return layers


def grid_points() -> np.ndarray:
    """(r * r, 2) points of the surface's grid: point i * r + j is (GRID[j], GRID[i])."""
    gx, gy = np.meshgrid(GRID, GRID)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def on_grid(values: np.ndarray) -> np.ndarray:
    """(r * r,) values over grid_points() as (r, r), row i at GRID[i]."""
    return np.asarray(values).reshape(len(GRID), len(GRID))


def drawn(pixels: np.ndarray) -> np.ndarray:
    """An image's pixels turned so that [i, j] is at (GRID[j], GRID[i]) (row 0 is the image's top)."""
    return np.asarray(pixels)[::-1]


def link_code(w: float) -> int:
    """The diagram's code of one weight: sign × (width bucket + 1), the buckets BUCKETS equal steps
    of |w| up to CLIP; ±∞ and any |w| >= CLIP the widest; ZERO_CODE for ±0, MISSING_CODE for NaN."""
    if math.isnan(w):
        return MISSING_CODE
    if w == 0:
        return ZERO_CODE
    bucket = BUCKETS - 1 if abs(w) >= CLIP else min(int(abs(w) / CLIP * BUCKETS), BUCKETS - 1)
    return int(math.copysign(bucket + 1, w))


def link_codes(weights: list[np.ndarray]) -> list[int]:
    """The codes of every weight in the diagram's order: layer, source, target."""
    return [link_code(float(w)) for layer in weights for w in np.asarray(layer, float).ravel()]
