"""Costs and their gradients with respect to the output layer's total input z.

MSE is the article's cost, C = (1/N) Σ (y − ŷ)², the mean over all N = n·k entries (no ½).
Cross-entropy is computed from z (the logits), so it stays finite for any |z|:
binary (sigmoid output, 0/1 targets)  C = (1/n) Σ [log(1 + e^z) − y z],   ∂C/∂z = (σ(z) − y)/n
categorical (softmax, one-hot)        C = (1/n) Σ [logsumexp(z) − y·z],  ∂C/∂z = (softmax(z) − y)/n
"""

from __future__ import annotations

import numpy as np

from core.activations import Activation

Array = np.ndarray
LOSSES = ("mse", "cross_entropy")
CROSS_ENTROPY_OUTPUTS = ("sigmoid", "softmax")


def check_loss(loss: str, output_activation: str) -> None:
    """ValueError naming the valid choices when `loss` cannot pair with the output activation."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    if loss == "cross_entropy" and output_activation not in CROSS_ENTROPY_OUTPUTS:
        raise ValueError(
            f"cross_entropy needs a sigmoid or softmax output, not {output_activation!r}; "
            "use loss='mse' or output_activation in ('sigmoid', 'softmax')"
        )


def loss_value(loss: str, z: Array, y_hat: Array, y: Array, output: Activation) -> float:
    """The cost C for outputs ŷ = f(z) and targets y, all (n, k)."""
    if loss == "mse":
        return float(np.mean((y - y_hat) ** 2))
    if output.name == "sigmoid":
        return float(np.sum(np.logaddexp(0.0, z) - y * z) / len(z))
    shift = np.max(z, axis=1, keepdims=True)
    log_sum = np.log(np.sum(np.exp(z - shift), axis=1, keepdims=True)) + shift
    return float(np.sum(y * (log_sum - z)) / len(z))


def output_delta(loss: str, z: Array, y_hat: Array, y: Array, output: Activation) -> Array:
    """∂C/∂z for the output layer. z, y_hat, y: (n, k) -> (n, k)."""
    if loss == "mse":
        grad_y_hat = (2.0 / y.size) * (y_hat - y)  # ∂C/∂ŷ
        return output.backward(z, y_hat, grad_y_hat)  # · ∂ŷ/∂z
    return (y_hat - y) / len(y)


def as_targets(Y: Array) -> Array:
    """Targets as a float64 (n, k) array: a 1-D `Y` of n targets becomes one column (n, 1)."""
    Y = np.asarray(Y, dtype=np.float64)
    return Y.reshape(-1, 1) if Y.ndim == 1 else Y
