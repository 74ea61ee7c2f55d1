"""Input features as in TensorFlow Playground: any subset of seven maps of a 2-D point."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Array = np.ndarray

_FEATURE_MAPS: dict[str, Callable[[Array, Array], Array]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}
FEATURES: tuple[str, ...] = tuple(_FEATURE_MAPS)
FEATURE_LATEX = {
    "x1": "x_1", "x2": "x_2", "x1^2": "x_1^2", "x2^2": "x_2^2", "x1*x2": "x_1 x_2",
    "sin(x1)": r"\sin x_1", "sin(x2)": r"\sin x_2",
}


def check_features(features: Sequence[str]) -> tuple[str, ...]:
    """The features as a tuple; ValueError for an empty, repeated or unknown name."""
    chosen = tuple(features)
    unknown = [f for f in chosen if f not in _FEATURE_MAPS]
    if unknown or not chosen or len(set(chosen)) != len(chosen):
        raise ValueError(f"features must be distinct names from {', '.join(FEATURES)}; "
                         f"got {list(chosen)}")
    return chosen


def feature_map(points: Array, features: Sequence[str]) -> Array:
    """The chosen features of raw points. points: (n, 2) -> (n, len(features)), same dtype."""
    points = np.asarray(points)
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([_FEATURE_MAPS[f](x1, x2) for f in check_features(features)], axis=1)
