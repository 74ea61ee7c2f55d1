"""L1 and L2 penalties on the weights (never the biases), added to the gradient by the optimizer.

L2: penalty λ·½Σw², gradient λw.   L1: penalty λΣ|w|, gradient λ·sign(w).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
REGULARIZATIONS = ("none", "l1", "l2")


class Regularizer:
    """A penalty on the entries of a flat parameter vector where `mask` is 1 (the weights)."""

    def __init__(self, kind: str | None, rate: float, mask: Array):
        kind = "none" if kind is None else kind
        if kind not in REGULARIZATIONS:
            raise ValueError(f"unknown regularization {kind!r}; choose one of "
                             f"{', '.join(REGULARIZATIONS)}")
        if not np.isfinite(rate) or rate < 0:
            raise ValueError(f"regularization_rate must be a finite number >= 0, got {rate}")
        self.kind, self.rate, self.mask = kind, float(rate), mask

    @property
    def active(self) -> bool:
        return self.kind != "none" and self.rate > 0

    def penalty(self, params: Array) -> float:
        """The regularization term added to the cost. params: (p,)."""
        if not self.active:
            return 0.0
        w = params[self.mask != 0]
        return self.rate * (0.5 * float(w @ w) if self.kind == "l2" else float(np.abs(w).sum()))

    def add_gradient(self, params: Array, grads: Array) -> None:
        """grads += ∂penalty/∂params, in place. params, grads: (p,)."""
        if not self.active:
            return
        direction = params if self.kind == "l2" else np.sign(params)
        grads += self.rate * self.mask * direction
