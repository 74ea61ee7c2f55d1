"""Expected colours for the tests, worked out from the palette's constants alone (the hex strings
and shares of playground/figures/colors.py) with the blends and the linear interpolation written
here: never with the app's own colour code (colors.mix, surface_rgba, thumbnail_lut, ...).

    surface_tint(ORANGE)            # (3,) the lighter tint a surface uses, as the app rounds it
    ramp(values, low, high)         # (..., 3) float RGB: orange tint -> NEUTRAL -> blue tint
    class_colors(probs, discretize) # (..., 3) float RGB of a multiclass surface
"""

from __future__ import annotations

import colorsys

import numpy as np

from playground.figures.colors import (
    BLUE,
    CLASS_HUES,
    NEUTRAL,
    ORANGE,
    POINT_SHADE,
    SURFACE_TINT,
)

TOLERANCE = 0.5  # a pixel channel is the exact colour rounded to an integer


def rgb(color: str) -> np.ndarray:
    """(3,) float channels in [0, 255] of "#RRGGBB"."""
    return np.array([int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)], float)


def blend(color: str, other: np.ndarray, share: float) -> np.ndarray:
    """(1 - share) * color + share * other, rounded to whole channels as a hex colour holds them."""
    return np.array([round(c) for c in (1 - share) * rgb(color) + share * np.asarray(other, float)], float)


def surface_tint(color: str) -> np.ndarray:
    """The tint of a hue a surface uses: SURFACE_TINT of white mixed in."""
    return blend(color, np.full(3, 255.0), SURFACE_TINT)


def point_shade(color: str) -> np.ndarray:
    """The shade of a hue a data point uses: POINT_SHADE of black mixed in."""
    return blend(color, np.zeros(3), POINT_SHADE)


def ramp(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """(..., 3) exact RGB of `values` on the diverging scale: the orange tint at `low` and below,
    NEUTRAL midway, the blue tint at `high` and above, linear in between. Finite values only."""
    values = np.asarray(values, float)
    with np.errstate(over="ignore", invalid="ignore"):
        t = np.clip((values - low) / (high - low), 0.0, 1.0)[..., None]
    left, middle, right = surface_tint(ORANGE), rgb(NEUTRAL), surface_tint(BLUE)
    lower = left + (t / 0.5) * (middle - left)
    upper = middle + ((t - 0.5) / 0.5) * (right - middle)
    return np.where(t <= 0.5, lower, upper)


def class_colors(probabilities: np.ndarray, discretize: bool = False) -> np.ndarray:
    """(..., 3) exact RGB of (..., C) class probabilities: the likeliest class's surface tint,
    blended from NEUTRAL by the confidence (max probability from 1/C -> 0 to 1 -> 1; full hue
    when `discretize`). Finite probabilities only."""
    probabilities = np.asarray(probabilities, float)
    n = probabilities.shape[-1]
    best = probabilities.argmax(axis=-1)
    if discretize:
        confidence = np.ones(best.shape)
    else:
        confidence = np.clip((probabilities.max(axis=-1) - 1 / n) / (1 - 1 / n), 0.0, 1.0)
    hues = np.array([surface_tint(c) for c in CLASS_HUES[:n]])
    return rgb(NEUTRAL) + confidence[..., None] * (hues[best] - rgb(NEUTRAL))


def hue(color: np.ndarray) -> float:
    """Hue in degrees of (3,) channels in [0, 255]."""
    return 360 * colorsys.rgb_to_hsv(*(np.asarray(color, float) / 255))[0]


def is_orange(color: np.ndarray) -> bool:
    return 25 <= hue(color) <= 50


def is_blue(color: np.ndarray) -> bool:
    return 190 <= hue(color) <= 215


def assert_colors(pixels: np.ndarray, expected: np.ndarray, tolerance: float = TOLERANCE) -> None:
    """Every pixel's RGB within `tolerance` of the exact colour, and fully opaque."""
    pixels = np.asarray(pixels)
    np.testing.assert_array_equal(pixels[..., 3], 255)
    np.testing.assert_allclose(pixels[..., :3].astype(float), expected, rtol=0, atol=tolerance + 1e-9)
