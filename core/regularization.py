"""L1 and L2 penalties on the weights (never the biases), and the count of weights L1 has zeroed.

L2: penalty λ·½Σw², a gradient term: the optimizer adds λw to ∂C/∂w before its step.
L1: penalty λΣ|w|, applied as TensorFlow Playground does, as a step of its own after the
optimizer's data step, with a clip at zero. With u the weight after the data step and α the
learning rate:

    w' = u − αλ·sign(u);   w ← 0 if u·w' < 0 (the penalty's step crossed zero), else w ← w'

which is w ← sign(u)·max(|u| − αλ, 0) = u − clip(u, −αλ, αλ). So a weight the penalty would carry
across zero stops at exactly 0, and a zero weight (sign(0) = 0) stays exactly 0 unless its data
step moves it by more than αλ: |u| > αλ gives |w| = |u| − αλ. That is what makes L1 networks
sparse; as a plain gradient term λ·sign(w), a small weight only flips sign every step.
TensorFlow Playground takes the sign from the weight before the data step and then marks a
zeroed link dead for good; here the sign is u's and nothing is marked, so a hand edit, a weaker
penalty or a strong gradient brings a link back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from core.network import MLP

Array = np.ndarray
REGULARIZATIONS = ("none", "l1", "l2")


class Regularizer:
    """A penalty on the entries of a flat parameter vector where `mask` is 1 (the weights).

    kind: "none", "l1" or "l2" (None means "none"); rate: λ >= 0; mask: (p,), 1 on weights, 0 on
    biases. ValueError for an unknown kind or a negative or non-finite rate.
    """

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
        """The regularization term added to the cost: λ·½Σw² or λΣ|w|. params: (p,)."""
        if not self.active:
            return 0.0
        w = params[self.mask != 0]
        return self.rate * (0.5 * float(w @ w) if self.kind == "l2" else float(np.abs(w).sum()))

    def add_gradient(self, params: Array, grads: Array) -> None:
        """L2 only: grads += λw on the weights, in place. params, grads: (p,).

        L1 adds nothing here: it is the separate step `l1_step`."""
        if self.active and self.kind == "l2":
            grads += self.rate * self.mask * params

    def l1_step(self, params: Array, learning_rate: float) -> None:
        """L1 only: after the data step, w' = u − αλ·sign(u) on the weights, and 0 where that
        crossed zero (u·w' < 0), in place. params: (p,) holding u; learning_rate: α."""
        if not (self.active and self.kind == "l1"):
            return
        shrunk = params - learning_rate * self.rate * np.sign(params) * self.mask
        crossed = params * shrunk < 0
        params[:] = np.where(crossed, 0.0, shrunk)

    def l1_calls(self, params: Array, learning_rate: Array) -> list[tuple[Callable, tuple]]:
        """`l1_step` as calls for a compiled tape (core.kernel), on buffers allocated here:
        s = αλ·mask, then w ← u − min(max(u, −s), s). learning_rate: the optimizer's 0-d α,
        read when the tape runs; λ is read now, so recompile after changing the penalty."""
        if not (self.active and self.kind == "l1"):
            return []
        scaled_mask = self.rate * self.mask
        limit, low, clipped = (np.empty_like(params) for _ in range(3))
        return [(np.multiply, (scaled_mask, learning_rate, limit)), (np.negative, (limit, low)),
                (partial(np.maximum, out=clipped), (params, low)),  # positional out is deprecated
                (partial(np.minimum, out=clipped), (clipped, limit)),
                (np.subtract, (params, clipped, params))]


def zero_weights(net: MLP) -> tuple[int, int]:
    """(weights exactly 0, all weights) over net.weights, biases excluded: the links L1 has cut,
    e.g. (12, 38) for "12 of 38 links are zero"."""
    zero = sum(int(np.count_nonzero(w == 0)) for w in net.weights)
    return zero, sum(w.size for w in net.weights)
