"""Data generators: TensorFlow Playground's six sets, plus moons, multiclass and function sets.

Every point lies in the input square [-6, 6]²; `noise` is a fraction (0.5 = TFP's 50 %).
Targets are ready for the network: binary classes (n, 1) in {0, 1}, multiclass one-hot (n, C),
regression values (n, 1) in [-1, 1]. Everything is deterministic for a seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

Array = np.ndarray
Rng = np.random.Generator
DOMAIN = 6.0  # the input square is [-DOMAIN, DOMAIN]²
MAX_NOISE = 0.8
MAX_SAMPLES = 5000


@dataclass(frozen=True)
class Dataset:
    """A train/test split. X_*: (n, 2); y_*: (n, k) targets; labels_*: (n,) classes or values."""

    name: str
    kind: str  # "classification" or "regression"
    n_classes: int  # 0 for regression
    X_train: Array
    y_train: Array
    X_test: Array
    y_test: Array

    @property
    def labels_train(self) -> Array:
        return _labels(self.y_train, self.kind)

    @property
    def labels_test(self) -> Array:
        return _labels(self.y_test, self.kind)


def _labels(y: Array, kind: str) -> Array:
    if kind == "regression":
        return y[:, 0]
    return np.argmax(y, axis=1) if y.shape[1] > 1 else y[:, 0].astype(int)


# --- TensorFlow Playground's generators (labels 0/1 here where TFP uses -1/+1) ---------------

def _circle(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
    """Class 1 inside radius 2.5, class 0 in the ring 3.5–5; the label is read at a noisy point."""
    radius, half = 5.0, n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    noisy = X + rng.uniform(-radius, radius, (n, 2)) * noise
    return X, (np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5).astype(int)


def _xor(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
    """Uniform points pushed 0.3 off the axes; class 1 where x1·x2 ≥ 0 (read at a noisy point)."""
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)
    noisy = X + rng.uniform(-5, 5, (n, 2)) * noise
    return X, (noisy[:, 0] * noisy[:, 1] >= 0).astype(int)


def _gauss(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
    """Two Gaussian blobs at (2, 2) (class 1) and (−2, −2); spread grows from 0.5 to 4 with noise."""
    variance = 0.5 + 7.0 * noise  # TFP's linear scale: noise 0 → 0.5, noise 0.5 → 4
    y = (np.arange(n) < n // 2).astype(int)
    centers = np.where(y[:, None] == 1, 2.0, -2.0)
    return rng.normal(centers, np.sqrt(variance), (n, 2)), y


def _spiral(n: int, noise: float, rng: Rng, arms: int = 2) -> tuple[Array, Array]:
    """Interleaved spiral arms of 1.75 turns, radius 0 to 5, jittered by ±noise."""
    y = np.arange(n) % arms
    t = rng.permutation(n) / n  # positions along the arm, spread evenly
    r = t * 5
    angle = 1.75 * t * 2 * np.pi + y * (2 * np.pi / arms)
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    return X + rng.uniform(-1, 1, (n, 2)) * noise, (1 - y) if arms == 2 else y


def _moons(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
    """Two interleaved half circles, scaled to the square, jittered by Gaussian noise."""
    y = (np.arange(n) >= n // 2).astype(int)
    angle = rng.uniform(0, np.pi, n)
    x1 = np.where(y == 0, np.cos(angle), 1 - np.cos(angle))
    x2 = np.where(y == 0, np.sin(angle), 0.5 - np.sin(angle))
    X = (np.stack([x1, x2], axis=1) - [0.5, 0.25]) * 3.2
    return X + rng.normal(0, 1, (n, 2)) * noise * 2, y


def _blobs(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
    """Four Gaussian blobs, one per quadrant; spread grows with noise."""
    y = np.arange(n) % 4
    centers = np.array([[3.0, 3.0], [-3.0, 3.0], [-3.0, -3.0], [3.0, -3.0]])[y]
    return rng.normal(centers, 0.6 + 3 * noise, (n, 2)), y


def _boundary(curve: Callable[[Array], Array]) -> Callable[[int, float, Rng], tuple[Array, Array]]:
    """Class 1 above the curve x2 = curve(x1), read at a noisy point."""
    def generate(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
        X = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
        noisy = X + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
        return X, (noisy[:, 1] > curve(noisy[:, 0])).astype(int)
    return generate


def _plane(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
    """Regression: value (x1 + x2)/10 clipped to [-1, 1], read at a noisy point."""
    X = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    noisy = X + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
    return X, np.clip(noisy.sum(axis=1) / 10, -1, 1)


_GAUSS_PEAKS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                         [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=float)


def _multi_gauss(n: int, noise: float, rng: Rng) -> tuple[Array, Array]:
    """Regression: six signed bumps; value ±(1 − distance/2) of the strongest nearby bump."""
    X = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    noisy = X + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
    dist = np.hypot(noisy[:, None, 0] - _GAUSS_PEAKS[:, 0], noisy[:, None, 1] - _GAUSS_PEAKS[:, 1])
    signed = _GAUSS_PEAKS[:, 2] * np.clip(1 - dist / 2, 0, 1)
    return X, signed[np.arange(n), np.argmax(np.abs(signed), axis=1)]


_Generator = Callable[[int, float, Rng], tuple[Array, Array]]


class DatasetSpec(NamedTuple):
    """One entry of the dataset registry."""

    kind: str  # "classification" or "regression"
    n_classes: int  # 0 for regression
    generate: _Generator  # (n, noise, rng) -> (X (n, 2), labels (n,))
    description: str  # what it looks like, in a few words


DATASETS: dict[str, DatasetSpec] = {
    "circle": DatasetSpec("classification", 2, _circle, "a disc inside a ring"),
    "xor": DatasetSpec("classification", 2, _xor, "opposite quadrants share a class"),
    "gauss": DatasetSpec("classification", 2, _gauss, "two Gaussian blobs"),
    "spiral": DatasetSpec("classification", 2, _spiral, "two interleaved spiral arms"),
    "moons": DatasetSpec("classification", 2, _moons, "two interleaved half circles"),
    "sine": DatasetSpec("classification", 2, _boundary(lambda x: 3 * np.sin(x)),
                        "above or below x₂ = 3 sin x₁"),
    "cubic": DatasetSpec("classification", 2, _boundary(lambda x: (x ** 3 - 9 * x) / 9),
                         "above or below a cubic x₂ = (x₁³ − 9x₁)/9"),
    "abs": DatasetSpec("classification", 2, _boundary(lambda x: np.abs(x) - 2),
                       "above or below x₂ = |x₁| − 2"),
    "spiral3": DatasetSpec("classification", 3, lambda n, e, r: _spiral(n, e, r, arms=3),
                           "three spiral arms"),
    "blobs4": DatasetSpec("classification", 4, _blobs, "four blobs, one per quadrant"),
    "plane": DatasetSpec("regression", 0, _plane, "a tilted plane"),
    "multi_gauss": DatasetSpec("regression", 0, _multi_gauss, "six signed bumps"),
}


def make_dataset(name: str, n_samples: int = 500, noise: float = 0.0,
                 test_fraction: float = 0.5, seed: int = 0) -> Dataset:
    """Draw `n_samples` points of dataset `name`, shuffle, and split off a test set."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    if not 4 <= int(n_samples) <= MAX_SAMPLES or int(n_samples) != n_samples:
        raise ValueError(f"n_samples must be an integer from 4 to {MAX_SAMPLES}, got {n_samples}")
    if not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be a fraction from 0 to {MAX_NOISE}, got {noise}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    spec = DATASETS[name]
    kind, n_classes = spec.kind, spec.n_classes
    rng = np.random.default_rng(seed)
    X, labels = spec.generate(int(n_samples), float(noise), rng)
    X = np.clip(X, -DOMAIN, DOMAIN)
    return split_dataset(name, kind, n_classes, X, labels, test_fraction, rng)


def split_dataset(name: str, kind: str, n_classes: int, X: Array, labels: Array,
                  test_fraction: float, rng: Rng | int) -> Dataset:
    """Shuffle labelled points and split off a test set (at least one point on each side).

    X: (n, 2) points, n >= 2; labels: (n,) classes 0..n_classes-1, or values for regression;
    rng: a Generator (drawn from) or a seed.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    if len(X) < 2 or len(X) != len(labels):
        raise ValueError("need at least 2 points and exactly one label per point")
    y = _targets(np.asarray(labels), kind, n_classes)
    order = np.random.default_rng(rng).permutation(len(X))
    n_test = min(max(1, round(len(X) * test_fraction)), len(X) - 1)
    test, train = order[:n_test], order[n_test:]
    return Dataset(name, kind, n_classes if kind == "classification" else 0,
                   X[train], y[train], X[test], y[test])


def _targets(labels: Array, kind: str, n_classes: int) -> Array:
    if kind == "regression" or n_classes == 2:
        return labels.astype(float).reshape(-1, 1)
    return np.eye(n_classes)[labels]
