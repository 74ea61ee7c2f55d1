"""Update rules, each one `update(params, grads)` on flat vectors, in place.

One update is the data step of the rule below, on g = ∂C/∂w (+ λw on the weights with L2), then,
with L1, the penalty's own step with its clip at zero (core.regularization):
gradient descent / SGD:  w ← w − α g
momentum:                v ← μ v − α g;  w ← w + v
Adam:                    m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
                         w ← w − α m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
L1, after any of them:   with u the weight after the data step,
                         w ← u − αλ·sign(u), or exactly 0 if that step crossed zero
The L1 step is outside the optimizer's state: momentum's velocity and Adam's moments see only
the data gradient (and L2's).
The learning rate α is a plain attribute: change it between steps and the state (v, m, t) stays.
"""

from __future__ import annotations

import numpy as np

from core.regularization import Regularizer

Array = np.ndarray
OPTIMIZERS = ("gd", "sgd", "momentum", "adam")
OPTIMIZER_NAMES = {"gd": "gradient descent (full batch)", "sgd": "SGD (mini-batch)",
                   "momentum": "momentum", "adam": "Adam"}


def check_learning_rate(learning_rate: float) -> float:
    rate = float(learning_rate)
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate}")
    return rate


class Optimizer:
    """Plain gradient descent; subclasses change `_apply`."""

    def __init__(self, learning_rate: float, regularizer: Regularizer | None = None):
        self._rate = np.array(check_learning_rate(learning_rate))  # 0-d: compiled calls see changes
        self.regularizer = regularizer

    @property
    def learning_rate(self) -> float:
        return float(self._rate)

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._rate[...] = check_learning_rate(value)

    def calls(self, params: Array, grads: Array) -> list[tuple]:
        """The update as (function, args) calls for a compiled tape (see core.kernel): the same
        result as `update`. params, grads: (p,), read when the tape runs."""
        reg = self.regularizer
        if type(self) is Optimizer and not (reg and reg.active and reg.kind == "l2"):
            data_step = [(np.multiply, (grads, self._rate, grads)),
                         (np.subtract, (params, grads, params))]
        else:
            data_step = [(self._data_step, (params, grads))]
        return data_step + (reg.l1_calls(params, self._rate) if reg is not None else [])

    def update(self, params: Array, grads: Array) -> None:
        """One step, in place: the data step on grads (plus L2's λw), then L1's step with its clip
        at zero. params, grads: (p,); grads is used as scratch space."""
        self._data_step(params, grads)
        if self.regularizer is not None:
            self.regularizer.l1_step(params, self.learning_rate)

    def _data_step(self, params: Array, grads: Array) -> None:
        if self.regularizer is not None:
            self.regularizer.add_gradient(params, grads)
        self._apply(params, grads)

    def _apply(self, params: Array, grads: Array) -> None:
        grads *= self._rate
        params -= grads


class Momentum(Optimizer):
    def __init__(self, learning_rate: float, regularizer: Regularizer | None = None,
                 momentum: float = 0.9):
        super().__init__(learning_rate, regularizer)
        self.momentum = momentum
        self.velocity: Array | None = None

    def _apply(self, params: Array, grads: Array) -> None:
        if self.velocity is None:
            self.velocity = np.zeros_like(params)
        self.velocity *= self.momentum
        grads *= self._rate
        self.velocity -= grads
        params += self.velocity


class Adam(Optimizer):
    def __init__(self, learning_rate: float, regularizer: Regularizer | None = None,
                 beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8):
        super().__init__(learning_rate, regularizer)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.m: Array | None = None
        self.v: Array | None = None
        self.t = 0

    def _apply(self, params: Array, grads: Array) -> None:
        if self.m is None:
            self.m, self.v = np.zeros_like(params), np.zeros_like(params)
        self.t += 1
        self.m *= self.beta1
        self.m += (1.0 - self.beta1) * grads
        self.v *= self.beta2
        self.v += (1.0 - self.beta2) * (grads * grads)
        step = self.learning_rate * np.sqrt(1.0 - self.beta2 ** self.t) / (1.0 - self.beta1 ** self.t)
        params -= step * self.m / (np.sqrt(self.v) + self.epsilon * np.sqrt(1.0 - self.beta2 ** self.t))


def make_optimizer(name: str, learning_rate: float,
                   regularizer: Regularizer | None = None) -> Optimizer:
    """The optimizer called `name` ("gd", "sgd", "momentum", "adam")."""
    classes = {"gd": Optimizer, "sgd": Optimizer, "momentum": Momentum, "adam": Adam}
    if name not in classes:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    return classes[name](learning_rate, regularizer)
