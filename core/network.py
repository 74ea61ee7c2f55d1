"""The multilayer perceptron: z = a·W + b, a = f(z), layer after layer; backprop by the chain rule.

All parameters live in one flat float64 vector; `weights[l]` (fan_in, fan_out) and `biases[l]`
(fan_out,) are views into it, so optimizers update every parameter with a few numpy calls and
gradients share the same layout. Zero hidden layers (`MLP([d, 1])`) is the article's perceptron.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation, get_activation
from core.losses import as_targets, check_loss, loss_value, output_delta

Array = np.ndarray
INITIALIZATIONS = ("auto", "xavier", "he", "zeros")
_HE_ACTIVATIONS = ("relu", "leaky_relu", "elu")


def parameter_views(flat: Array, layer_sizes: Sequence[int]) -> tuple[tuple[Array, ...], ...]:
    """Split a flat vector into (weights, biases) views: each layer's W (fan_in, fan_out), b."""
    weights, biases, start = [], [], 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:], strict=True):
        weights.append(flat[start:start + fan_in * fan_out].reshape(fan_in, fan_out))
        start += fan_in * fan_out
        biases.append(flat[start:start + fan_out])
        start += fan_out
    return tuple(weights), tuple(biases)


def parameter_count(layer_sizes: Sequence[int]) -> int:
    """Number of weights and biases of a network with these layer sizes."""
    return sum((i + 1) * o for i, o in zip(layer_sizes[:-1], layer_sizes[1:], strict=True))


class Gradients:
    """∂C/∂W and ∂C/∂b, laid out like the network's parameters (`flat`, `weights`, `biases`)."""

    def __init__(self, layer_sizes: Sequence[int], flat: Array | None = None):
        self.flat = np.zeros(parameter_count(layer_sizes)) if flat is None else flat
        self.weights, self.biases = parameter_views(self.flat, layer_sizes)


@dataclass
class ForwardPass:
    """Everything the forward pass computed: zs[l] (n, size[l+1]); activations[0] is the input X."""

    zs: list[Array]
    activations: list[Array]

    @property
    def output(self) -> Array:
        return self.activations[-1]


def _check_layer_sizes(layer_sizes: Sequence[int]) -> tuple[int, ...]:
    sizes = tuple(int(s) for s in layer_sizes)
    if len(sizes) < 2 or any(s < 1 for s in sizes) or sizes != tuple(layer_sizes):
        raise ValueError(f"layer_sizes must be >= 2 positive integers, got {list(layer_sizes)}")
    return sizes


class MLP:
    """A fully connected network. layer_sizes: [inputs, hidden..., outputs].

    activation: one hidden activation name, or one per hidden layer.
    init: "auto" (He for ReLU-like layers, Xavier otherwise), "xavier", "he" or "zeros".
    """

    def __init__(self, layer_sizes: Sequence[int], activation: str | Sequence[str] = "tanh",
                 output_activation: str = "sigmoid", seed: int = 0, init: str = "auto"):
        self.layer_sizes = _check_layer_sizes(layer_sizes)
        n_hidden = len(self.layer_sizes) - 2
        names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
        if len(names) != n_hidden:
            raise ValueError(f"need {n_hidden} hidden activations, got {len(names)}")
        self.hidden_activations = tuple(get_activation(n).name for n in names)
        self.output_activation = get_activation(output_activation, OUTPUT_ACTIVATIONS).name
        if self.output_activation == "softmax" and self.layer_sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 output neurons")
        names = self.hidden_activations + (self.output_activation,)
        self.layer_activations: tuple[Activation, ...] = tuple(ACTIVATIONS[n] for n in names)
        self.params = np.zeros(parameter_count(self.layer_sizes))
        self.weights, self.biases = parameter_views(self.params, self.layer_sizes)
        self.initialize(seed, init)

    def initialize(self, seed: int = 0, init: str = "auto") -> None:
        """Draw fresh weights in place (biases zero), reproducible by seed.

        Xavier/Glorot: W ~ N(0, 2/(fan_in + fan_out)); He: W ~ N(0, 2/fan_in).
        """
        if init not in INITIALIZATIONS:
            raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITIALIZATIONS)}")
        rng = np.random.default_rng(seed)
        self.params[:] = 0.0
        if init == "zeros":
            return
        for w, act in zip(self.weights, self.layer_activations, strict=True):
            fan_in, fan_out = w.shape
            he = init == "he" or (init == "auto" and act.name in _HE_ACTIVATIONS)
            scale = np.sqrt(2.0 / fan_in) if he else np.sqrt(2.0 / (fan_in + fan_out))
            w[:] = rng.normal(0.0, scale, size=w.shape)

    def forward_pass(self, X: Array, dtype: type = np.float64) -> ForwardPass:
        """Forward propagation keeping every z and a. X: (n, d)."""
        a = np.asarray(X, dtype=dtype)
        zs, activations = [], [a]
        for w, b, act in zip(self.weights, self.biases, self.layer_activations, strict=True):
            z = a @ w.astype(dtype, copy=False) + b.astype(dtype, copy=False)  # z = a·W + b
            a = act.value(z)  # a = f(z)
            zs.append(z)
            activations.append(a)
        return ForwardPass(zs, activations)

    def forward(self, X: Array) -> Array:
        """The network's output ŷ. X: (n, d) -> (n, k)."""
        return self.forward_pass(X).output

    def loss(self, X: Array, Y: Array, loss: str = "mse") -> float:
        """The data cost C on (X, Y). X: (n, d), Y: (n, k)."""
        check_loss(loss, self.output_activation)
        fp = self.forward_pass(X)
        return loss_value(loss, fp.zs[-1], fp.output, as_targets(Y), self.layer_activations[-1])

    def loss_and_gradients(self, X: Array, Y: Array, loss: str = "mse",
                           out: Gradients | None = None) -> tuple[float, Gradients]:
        """C and ∂C/∂(every W and b) by backprop; never changes the parameters.

        X: (n, d), Y: (n, k). `out` reuses a Gradients buffer.
        """
        check_loss(loss, self.output_activation)
        Y = as_targets(Y)
        fp = self.forward_pass(X)
        grads = self.backward(fp, Y, loss, out)
        return loss_value(loss, fp.zs[-1], fp.output, Y, self.layer_activations[-1]), grads

    def backward(self, fp: ForwardPass, Y: Array, loss: str,
                 out: Gradients | None = None) -> Gradients:
        """Backpropagation from a forward pass. Y: (n, k)."""
        grads = Gradients(self.layer_sizes) if out is None else out
        acts = self.layer_activations
        delta = output_delta(loss, fp.zs[-1], fp.output, Y, acts[-1])  # ∂C/∂z, output layer
        for l in range(len(self.weights) - 1, -1, -1):
            np.matmul(fp.activations[l].T, delta, out=grads.weights[l])  # ∂C/∂W = aᵀ·δ
            np.sum(delta, axis=0, out=grads.biases[l])  # ∂C/∂b = Σ δ (input 1)
            if l:  # δ of the layer below: (δ·Wᵀ) ⊙ f'(z)
                delta = acts[l - 1].backward(fp.zs[l - 1], fp.activations[l],
                                             delta @ self.weights[l].T)
        return grads

    def copy(self) -> MLP:
        """An independent network with the same architecture and parameters."""
        clone = MLP(self.layer_sizes, self.hidden_activations, self.output_activation, init="zeros")
        clone.params[:] = self.params
        return clone
