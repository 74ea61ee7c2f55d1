"""Metrics beyond the loss: accuracy and confusion matrix (classification), RMSE and R² (regression).

accuracy = (1/n) Σ [labelᵢ = predictedᵢ]
confusion[t, p] = number of samples of true class t predicted as class p
RMSE = √((1/N) Σ (y − ŷ)²) over all N entries
R² = 1 − SS_res/SS_tot,  SS_res = Σ (y − ŷ)²,  SS_tot = Σ (y − ȳ)²  (ȳ: each column's mean)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray
NAN = float("nan")


@dataclass(frozen=True, eq=False)
class Metrics:
    """One split's numbers. loss: data loss; penalty: regularization term; total: their sum.

    accuracy and confusion (k, k) (rows true class, columns predicted) are for classification,
    rmse and r2 for regression; the others are NaN (confusion None). A network whose outputs are
    not finite gets NaN everywhere and no confusion matrix.
    """

    loss: float
    penalty: float
    total: float
    accuracy: float = NAN
    confusion: Array | None = None
    rmse: float = NAN
    r2: float = NAN


def _same_length(labels: Array, predicted: Array) -> tuple[Array, Array]:
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    if labels.shape != predicted.shape or labels.ndim != 1:
        raise ValueError(f"labels and predicted must be (n,) arrays of one length, got shapes "
                         f"{labels.shape} and {predicted.shape}")
    return labels, predicted


def accuracy(labels: Array, predicted: Array) -> float:
    """Fraction of samples whose predicted class is the true one. labels, predicted: (n,) int."""
    labels, predicted = _same_length(labels, predicted)
    return float(np.mean(labels == predicted)) if len(labels) else NAN


def confusion_matrix(labels: Array, predicted: Array, n_classes: int) -> Array:
    """(k, k) int counts: row = true class, column = predicted class. labels, predicted: (n,)."""
    labels, predicted = _same_length(labels, predicted)
    for name, values in (("labels", labels), ("predicted", predicted)):
        if len(values) and (values.min() < 0 or values.max() >= n_classes):
            raise ValueError(f"{name} must be classes from 0 to {n_classes - 1}")
    cells = labels.astype(np.int64) * n_classes + predicted.astype(np.int64)
    return np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _residuals(y: Array, y_hat: Array) -> tuple[Array, Array]:
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    if y.shape != y_hat.shape or y.ndim not in (1, 2) or len(y) == 0:
        raise ValueError(f"y and y_hat must be non-empty (n,) or (n, k) arrays of one shape, "
                         f"got {y.shape} and {y_hat.shape}")
    return y, y - y_hat


def rmse(y: Array, y_hat: Array) -> float:
    """Root mean squared error over all entries. y, y_hat: (n,) or (n, k)."""
    _, residuals = _residuals(y, y_hat)
    return float(np.sqrt(np.mean(residuals ** 2)))


def r2_score(y: Array, y_hat: Array) -> float:
    """1 − SS_res/SS_tot, pooled over all outputs; NaN when every y equals its column's mean.

    y, y_hat: (n,) or (n, k).
    """
    y, residuals = _residuals(y, y_hat)
    ss_res = float(np.sum(residuals ** 2))
    ss_tot = float(np.sum((y - np.mean(y, axis=0)) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else NAN
