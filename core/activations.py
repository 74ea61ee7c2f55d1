"""Activation functions, each a value and its derivative (TensorFlow Playground's `{output, der}`).

Every function is elementwise except softmax, whose derivative is a Jacobian; backprop therefore
asks an activation for `backward(z, a, grad_a)`: the error derivative with respect to the
neuron's total input z, given the error derivative with respect to its output a.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """An activation a = f(z) with its derivative f'(z), written in terms of z and a."""

    name: str
    value: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array] | None  # None: not elementwise (softmax)
    label: str  # LaTeX name, e.g. r"\sigma"

    def backward(self, z: Array, a: Array, grad_a: Array) -> Array:
        """dC/dz from dC/da by the chain rule. z, a, grad_a: (n, k) -> (n, k)."""
        if self.derivative is not None:
            return grad_a * self.derivative(z, a)
        # softmax: dC/dz_j = a_j (g_j - sum_i g_i a_i), the Jacobian-vector product.
        return a * (grad_a - np.sum(grad_a * a, axis=1, keepdims=True))


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), computed as (1 + tanh(z/2)) / 2: no overflow at any |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softmax(z: Array) -> Array:
    """Row-wise softmax, shifted by the row max so e^z never overflows. z: (n, k)."""
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _elu(z: Array) -> Array:
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))


LEAKY_SLOPE = 0.01

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("tanh", np.tanh, lambda z, a: 1.0 - a * a, r"\tanh"),
        Activation("sigmoid", sigmoid, lambda z, a: a * (1.0 - a), r"\sigma"),
        Activation("relu", lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(z.dtype),
                   r"\operatorname{ReLU}"),
        Activation("leaky_relu", lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype),
                   r"\operatorname{LeakyReLU}"),
        Activation("linear", lambda z: z, lambda z, a: np.ones_like(z), r"\operatorname{id}"),
        Activation("elu", _elu, lambda z, a: np.where(z > 0, 1.0, a + 1.0).astype(z.dtype),
                   r"\operatorname{ELU}"),
        Activation("softplus", lambda z: np.logaddexp(0.0, z), lambda z, a: sigmoid(z),
                   r"\operatorname{softplus}"),
        Activation("sine", np.sin, lambda z, a: np.cos(z), r"\sin"),
        Activation("softmax", softmax, None, r"\operatorname{softmax}"),
    )
}

HIDDEN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "linear", "elu", "softplus", "sine")
OUTPUT_ACTIVATIONS = ("sigmoid", "tanh", "linear", "softmax")


def get_activation(name: str, allowed: tuple[str, ...] = HIDDEN_ACTIVATIONS) -> Activation:
    """The activation called `name`; ValueError naming the valid choices otherwise."""
    if name not in allowed:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(allowed)}")
    return ACTIVATIONS[name]
