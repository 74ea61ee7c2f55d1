"""Backprop checked against central differences: ∂C/∂θ ≈ (C(θ + ε) − C(θ − ε)) / 2ε."""

from __future__ import annotations

import numpy as np

from core.network import MLP, Gradients

Array = np.ndarray


def numerical_gradients(net: MLP, X: Array, Y: Array, loss: str = "mse",
                        epsilon: float = 1e-6) -> Gradients:
    """∂C/∂θ for every parameter by central differences; the parameters are restored."""
    numeric = Gradients(net.layer_sizes)
    params = net.params
    for i in range(params.size):
        saved = params[i]
        params[i] = saved + epsilon
        plus = net.loss(X, Y, loss)
        params[i] = saved - epsilon
        minus = net.loss(X, Y, loss)
        params[i] = saved
        numeric.flat[i] = (plus - minus) / (2 * epsilon)
    return numeric


def relative_errors(analytic: Array, numeric: Array, floor: float = 1e-4) -> Array:
    """|a − n| / max(|a| + |n|, floor), elementwise: 0 means perfect agreement.

    Central differences carry ~1e-10 of rounding, so gradients below `floor` are compared
    absolutely (scaled by the floor) instead of reporting that rounding as a large relative error.
    """
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)


def gradient_check(net: MLP, X: Array, Y: Array, loss: str = "mse") -> float:
    """The largest relative error between backprop and central differences. X: (n, d)."""
    _, analytic = net.loss_and_gradients(X, Y, loss)
    return float(relative_errors(analytic.flat, numerical_gradients(net, X, Y, loss).flat).max())
