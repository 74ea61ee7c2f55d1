"""Gradients flowing backwards: what a "Gradients" view of the network diagram draws.

Backprop sends the error derivative δ = ∂C/∂z from the output towards the inputs, layer by layer:
δ below = (δ·Wᵀ) ⊙ f'(z). With sigmoid hidden layers each step multiplies by f'(z) ≤ 1/4, so the
first layers' gradients can be orders of magnitude smaller than the last's (the vanishing
gradient); tanh (f' ≤ 1) and ReLU (f' = 1 where active) keep them comparable.

Three views, all from one forward and one backward pass (``MLP.backward``, the reference backprop):
- per link, ∂C/∂w: exactly ``net.loss_and_gradients(X, Y, loss)[1].weights``;
- per neuron, its mean |δ| over the batch, δ taken per sample of that sample's own loss;
- per link layer, one gradient size: the RMS of ∂C/∂w over its weights (biases left out, as the
  links show weights), √(mean(∂C/∂w²)). RMS, not the norm ‖∂C/∂W‖, so layers of different widths
  compare: a layer twice as wide with the same per-weight gradients has the same size.
`GradientSizeHistory` keeps those sizes over the epochs in bounded memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.derivation import layer_deltas
from core.losses import as_targets, check_loss, loss_value
from core.network import MLP, Gradients

Array = np.ndarray


def layer_gradient_sizes(grads: Gradients) -> Array:
    """The gradient size of every link layer: RMS of its weights' ∂C/∂w.

    size[l] = √( (1/(fan_in·fan_out)) Σ_ij (∂C/∂W[l]_ij)² ); returns (layers,) float64
    (NaN/inf when a gradient is).
    """
    with np.errstate(all="ignore"):
        return np.array([np.sqrt(np.mean(np.square(w))) for w in grads.weights])


@dataclass(frozen=True)
class GradientView:
    """One backward pass, as the Gradients view draws it.

    loss: C on the batch; weights[l] (fan_in, fan_out) and biases[l] (fan_out,): ∂C/∂W and ∂C/∂b,
    the arrays of ``net.loss_and_gradients``; neuron_deltas[l] (layer_sizes[l + 1],): each
    neuron's mean |δ| (see `neuron_delta_sizes`); layer_sizes (layers,): `layer_gradient_sizes`.
    Arrays are read-only.
    """

    loss: float
    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    neuron_deltas: tuple[Array, ...]
    layer_sizes: Array


def neuron_delta_sizes(deltas: Sequence[Array]) -> list[Array]:
    """Mean |δ| of every neuron from ``core.derivation.layer_deltas``.

    deltas[l]: (n, units) rows of sample contributions (δ of the mean cost C, so each carries
    C's 1/n). Sample s's δ of its own loss is n·deltas[l][s], and its mean over the batch is

        mean_s |n·δ_s| = Σ_s |deltas[l][s]|   (≥ |∂C/∂b|, with equality when all signs agree)

    which does not depend on the batch size. Returns [(units,)] per link layer.
    """
    return [np.sum(np.abs(d), axis=0) for d in deltas]


def gradient_view(net: MLP, X: Array, Y: Array, loss: str) -> GradientView:
    """∂C/∂w per link, mean |δ| per neuron and the size per layer, for the batch (X, Y).

    X: (n, d) network inputs (features applied), Y: (n, k) or (n,) targets; with a Trainer:
    ``gradient_view(trainer.net, trainer.X_train, trainer.y_train, trainer.loss)``, the full
    training set (the "gd" batch; the mean of the mini-batch gradients for "sgd"). Data loss only,
    no regularization; never changes the network. Raises ValueError for a loss that does not
    fit the output (naming the valid choices).
    """
    check_loss(loss, net.output_activation)
    Y = as_targets(Y)
    with np.errstate(all="ignore"):
        fp = net.forward_pass(X)
        grads = net.backward(fp, Y, loss)
        cost = loss_value(loss, fp.zs[-1], fp.output, Y, net.layer_activations[-1])
        deltas = neuron_delta_sizes(layer_deltas(net, fp, Y, loss))
        sizes = layer_gradient_sizes(grads)
    sizes.setflags(write=False)
    return GradientView(cost, _frozen(grads.weights), _frozen(grads.biases), _frozen(deltas), sizes)


def _frozen(arrays: Sequence[Array]) -> tuple[Array, ...]:
    out = tuple(np.array(a, dtype=np.float64) for a in arrays)
    for a in out:
        a.setflags(write=False)
    return out


class GradientSizeHistory:
    """(epoch, gradient size per link layer) rows, appended once per frame, in bounded memory.

    The newest row is always the latest frame's. A frame closer than `min_gap` epochs to the row
    before the newest replaces the newest instead of adding a row (`min_gap` is 0 at first:
    every frame is kept). When `capacity` rows are full, every second row is dropped (the first
    and the newest stay) and `min_gap` becomes the mean gap of what is left, so rows keep
    arriving as densely as the kept ones and a long run keeps its whole shape, like
    ``core.history.History``. An earlier epoch than the newest (a reset) starts afresh.

    epochs: (m,) int; sizes: (m, layers) float64.
    """

    def __init__(self, n_layers: int, capacity: int = 2_000):
        if n_layers < 1 or capacity < 4:
            raise ValueError(f"need n_layers >= 1 and capacity >= 4, got {n_layers}, {capacity}")
        self.n_layers, self.capacity = int(n_layers), int(capacity)
        self._epochs = np.zeros(capacity, dtype=np.int64)
        self._sizes = np.zeros((capacity, n_layers))
        self._size = 0
        self.min_gap = 0.0

    def __len__(self) -> int:
        return self._size

    @property
    def epochs(self) -> Array:
        return self._epochs[:self._size].copy()

    @property
    def sizes(self) -> Array:
        return self._sizes[:self._size].copy()

    def clear(self) -> None:
        self._size, self.min_gap = 0, 0.0

    def record(self, epoch: int, sizes: Array) -> bool:
        """Store (epoch, sizes (layers,)) as the newest row; False (nothing stored) when `epoch`
        is already the newest. Raises ValueError when sizes has the wrong length."""
        sizes = np.asarray(sizes, dtype=np.float64)
        if sizes.shape != (self.n_layers,):
            raise ValueError(f"sizes must be ({self.n_layers},), got {sizes.shape}")
        m = self._size
        if m and epoch < self._epochs[m - 1]:
            self.clear()
        elif m and epoch == self._epochs[m - 1]:
            return False
        elif m >= 2 and epoch - self._epochs[m - 2] < self.min_gap:
            self._size -= 1  # too close to the row before: replaces the newest
        elif m == self.capacity:
            self._decimate()
        self._epochs[self._size], self._sizes[self._size] = epoch, sizes
        self._size += 1
        return True

    def _decimate(self) -> None:
        """Drop every second row (rows 1, 3, 5, …; the newest stays), halving the density."""
        keep = np.r_[np.arange(0, self._size - 1, 2), self._size - 1]
        kept = len(keep)
        self._epochs[:kept], self._sizes[:kept] = self._epochs[keep], self._sizes[keep]
        self._size = kept
        self.min_gap = (self._epochs[kept - 1] - self._epochs[0]) / (kept - 1)
