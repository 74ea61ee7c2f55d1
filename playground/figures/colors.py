"""The app's colour palette: Okabe–Ito hues, safe for the common forms of colour blindness.

One meaning everywhere, as in TensorFlow Playground: orange is class 0 and negative values,
blue is class 1 and positive values, near-white is 0.5 (or 0). Extra classes take further
Okabe–Ito hues. Surfaces use lighter tints and data points darker shades of the same hue so
points stay readable on top of the surface.
"""

import numpy as np

ORANGE = "#E69F00"  # class 0, negative
BLUE = "#0072B2"  # class 1, positive
GREEN = "#009E73"  # class 2
PURPLE = "#CC79A7"  # class 3
VERMILLION = "#D55E00"
NEUTRAL = "#F7F7F7"  # 0.5 probability / 0 value
INK = "#222222"  # outlines and text
TRANSPARENT = "rgba(0,0,0,0)"

CLASS_HUES = (ORANGE, BLUE, GREEN, PURPLE)

SURFACE_TINT = 0.2  # share of white mixed into surface colours
POINT_SHADE = 0.2  # share of black mixed into point colours


def to_rgb(color: str) -> np.ndarray:
    """Parse ``"#RRGGBB"`` into a float array of shape (3,) with values in [0, 255]."""
    return np.array([int(color[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)


def to_hex(rgb: np.ndarray) -> str:
    """Format an array of shape (3,) with values in [0, 255] as ``"#RRGGBB"``."""
    r, g, b = np.clip(np.rint(rgb), 0, 255).astype(int)
    return f"#{r:02X}{g:02X}{b:02X}"


def mix(color: str, other: str, share: float) -> str:
    """Blend ``share`` of ``other`` into ``color``: (1 - share) * color + share * other."""
    return to_hex((1 - share) * to_rgb(color) + share * to_rgb(other))


def surface_color(color: str) -> str:
    """The lighter tint of a hue used for decision surfaces."""
    return mix(color, "#FFFFFF", SURFACE_TINT)


def point_color(color: str) -> str:
    """The darker shade of a hue used for data points."""
    return mix(color, "#000000", POINT_SHADE)


def diverging_scale(low: str, high: str) -> list[list]:
    """A plotly colorscale from ``low`` through ``NEUTRAL`` to ``high``."""
    return [[0.0, low], [0.5, NEUTRAL], [1.0, high]]


def discrete_scale(colors: list[str]) -> list[list]:
    """A stepped plotly colorscale: value k of ``len(colors)`` equal bands gets ``colors[k]``.

    Use it with ``cmin = -0.5`` and ``cmax = len(colors) - 0.5`` so integer k sits mid-band.
    """
    n = len(colors)
    return [stop for k, c in enumerate(colors) for stop in ([k / n, c], [(k + 1) / n, c])]
