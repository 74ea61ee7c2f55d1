"""The cost landscape: the data cost C over a 2-D slice of parameter space, the path gradient
descent took across it, and the next step −α∇C as an arrow.

Pick two parameters p₁, p₂ (a weight w[l][i→j] or a bias b[l][j]) and hold every other one at its
current value: C(p₁, p₂) is then a surface over the plane, the article's C(w₁, w₂) for the
perceptron. The whole grid is computed in batched passes, not one forward pass per point:

- below the first varied layer l₁ the forward pass is shared by every grid point: (units, n);
- at a varied weight w[l][i→j] only neuron j's z changes, z_j + Δ·a_i (a bias: z_j + Δ), Δ being
  the grid value minus the current value; so only neuron j's a = f(z) changes, and layer l₁ + 1's
  z is its current z plus W[j, :] times that change;
- from there on a batched tensor carries a block of grid points at once, neuron-major as in
  core.kernel: (units, c1, c2, n), with c2 = 1 until p₂'s layer (p₁'s values only).
Blocks hold a few dozen grid points (BLOCK_BYTES), so their buffers stay in cache.

Precision: float32 by default. numpy's float32 tanh and exp are SIMD-vectorized (~5× faster than
float64's tanh here), the memory traffic halves, and a contour map needs ~3 significant digits.
The costs use cancellation-free forms (binary cross-entropy: max(z, 0) − y·z + log(1 + e^(−|z|)),
exact 0 + a small log for a confident right answer), so they are good to ~1e-6 relative; a nearly
perfect MSE fit (y − ŷ ≈ 0 with ŷ near 1) keeps fewer digits. Pass dtype=np.float64 for the
cost to rounding error (tests compare it with ``MLP.loss``). Costs that overflow come back as
inf or NaN, without warnings. Nothing here changes the network.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.activations import Activation
from core.losses import as_targets, check_loss
from core.network import MLP

if TYPE_CHECKING:
    from core.training import Trainer

Array = np.ndarray
KINDS = ("w", "b")
# One neuron's values for a block of grid points, (c1, c2, n): 64 KiB keeps a block's two layer
# buffers (≤ 16 neurons wide) in a core's L2 cache and every temporary under glibc's 128 KiB mmap
# threshold. Measured on the benchmark's slice: 32 KiB 26.5 ms, 64 KiB 23.5, 128 KiB 32, 256 KiB 40.
BLOCK_BYTES = 64 * 2**10
SNAPSHOT_BYTES = 2**20  # one layer of a chunk of snapshots' forward passes (float64): 1 MiB measured fastest
RESOLUTION_RANGE = (2, 400)
MIN_HALF_WIDTH = 2.0  # a slice spans at least current ± 2
MAX_HALF_WIDTH = 20.0  # ... and at most ± 20: a diverging path flies off the map
PATH_MARGIN = 2.0  # the path's extent times this is the map's half-width
MAX_PATH_POINTS = 200  # snapshots a path shows at most: each costs a forward pass (~40 µs on 8,8,8,8)


# --- naming a parameter ------------------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    """One weight or bias of a network: ``Param.weight(l, i, j)`` is w[l][i→j] =
    ``net.weights[l][i, j]``, the link from neuron i of layer l to neuron j of layer l + 1;
    ``Param.bias(l, j)`` is b[l][j] = ``net.biases[l][j]`` (i is None). l is the link layer,
    0 = the first weights, ``len(net.weights) - 1`` = the output neurons'.
    """

    kind: str  # "w" or "b"
    layer: int
    i: int | None
    j: int

    @classmethod
    def weight(cls, layer: int, i: int, j: int) -> Param:
        return cls("w", layer, i, j)

    @classmethod
    def bias(cls, layer: int, j: int) -> Param:
        return cls("b", layer, None, j)

    @classmethod
    def from_ref(cls, ref: Param | Sequence) -> Param:
        """A Param from the app's tuples ("w", layer, i, j) or ("b", layer, j) (or a Param).

        Raises ValueError for anything else.
        """
        if isinstance(ref, Param):
            return ref
        ref = tuple(ref)
        if len(ref) == 4 and ref[0] == "w":
            return cls.weight(*ref[1:])
        if len(ref) == 3 and ref[0] == "b":
            return cls.bias(*ref[1:])
        raise ValueError(f"a parameter is ('w', layer, i, j) or ('b', layer, j), got {ref!r}")

    @property
    def ref(self) -> tuple:
        """The app's tuple: ("w", layer, i, j) or ("b", layer, j)."""
        return ("w", self.layer, self.i, self.j) if self.kind == "w" else ("b", self.layer, self.j)

    @property
    def name(self) -> str:
        """"w[1][0→2]" or "b[1][2]" (link layer, then neurons)."""
        if self.kind == "w":
            return f"w[{self.layer}][{self.i}→{self.j}]"
        return f"b[{self.layer}][{self.j}]"

    def check(self, net: MLP) -> Param:
        """Itself when it names a parameter of `net`; ValueError naming the valid range otherwise."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown parameter kind {self.kind!r}; choose one of {', '.join(KINDS)}")
        layer = _index(self.layer, len(net.weights), "layer")
        fan_in, fan_out = net.weights[layer].shape
        _index(self.j, fan_out, f"j of layer {layer}")
        if self.kind == "w":
            _index(self.i, fan_in, f"i of layer {layer}")
        elif self.i is not None:
            raise ValueError(f"a bias has no i, got i={self.i!r}")
        return self

    def flat_index(self, net: MLP) -> int:
        """Its position in ``net.params`` (weights[l] row-major, then biases[l], layer by layer)."""
        self.check(net)
        start = sum(w.size + b.size for w, b in zip(net.weights[:self.layer], net.biases[:self.layer],
                                                    strict=True))
        fan_in, fan_out = net.weights[self.layer].shape
        return start + (self.i * fan_out + self.j if self.kind == "w" else fan_in * fan_out + self.j)

    def value(self, net: MLP) -> float:
        """Its current value in `net`."""
        return float(net.params[self.flat_index(net)])


def _index(value, size: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < size:
        raise ValueError(f"{name} must be an integer from 0 to {size - 1}, got {value!r}")
    return int(value)


def _two_params(net: MLP, p1: Param | Sequence, p2: Param | Sequence) -> tuple[Param, Param]:
    p1, p2 = Param.from_ref(p1).check(net), Param.from_ref(p2).check(net)
    if p1 == p2:
        raise ValueError(f"pick two different parameters, got {p1.name} twice")
    return p1, p2


# --- the cost over a 2-D slice -----------------------------------------------------------------

def cost_slice(net: MLP, X: Array, Y: Array, loss: str, p1: Param | Sequence, p2: Param | Sequence,
               values1: Array, values2: Array, dtype: type = np.float32) -> Array:
    """The data cost C with p₁ = values1[a] and p₂ = values2[b], every other parameter held.

    costs[a, b] = C(θ with p₁ ← values1[a], p₂ ← values2[b]) for the loss `loss` ("mse" or
    "cross_entropy", as in ``MLP.loss``; no regularization). For plotly's contour, x = values1 and
    y = values2 take z = costs.T.

    Parameters
    ----------
    net : the network; its parameters are only read.
    X : (n, d) network inputs (features applied); Y : (n, k) or (n,) network targets.
    p1, p2 : two different parameters, a `Param` or the app's ("w", l, i, j) / ("b", l, j).
    values1 : (m1,) values of p1; values2 : (m2,) values of p2.
    dtype : np.float32 (fast, ~1e-6 relative; see the module docstring) or np.float64.

    Returns
    -------
    costs : (m1, m2) float64; inf or NaN where the cost overflows.

    Raises
    ------
    ValueError
        for an unknown loss or one that does not fit the output, a parameter the network does
        not have, p1 == p2, empty or non-1-D values, X or Y of the wrong shape, or a dtype other
        than float32/float64.
    """
    p1, p2 = _two_params(net, p1, p2)
    check_loss(loss, net.output_activation)
    X, Y = _data(net, X, Y)
    values1, values2 = _axis_values(values1, "values1"), _axis_values(values2, "values2")
    dtype = _float_dtype(dtype)
    swapped = p2.layer < p1.layer  # work from the lower layer up
    if swapped:
        p1, p2, values1, values2 = p2, p1, values2, values1
    with np.errstate(all="ignore"):
        grid = _SliceGrid(net, X, Y, loss, p1, p2, dtype)
        deltas1, deltas2 = values1 - p1.value(net), values2 - p2.value(net)  # Δ from the current
        costs = np.empty((len(values1), len(values2)))
        rows, cols = grid.block_shape(len(values1), len(values2))
        for a in range(0, len(values1), rows):
            for b in range(0, len(values2), cols):
                costs[a:a + rows, b:b + cols] = grid.costs(deltas1[a:a + rows], deltas2[b:b + cols])
    return costs.T if swapped else costs


class _SliceGrid:
    """The shared part of a slice (the forward pass up to the first varied layer l₁, and the
    current z and a of l₁ and l₁ + 1) and the batched rest, one block of the grid at a time.

    Arrays are neuron-major, as in core.kernel: a layer's z is (units, n) when shared and
    (units, c1, c2, n) when batched, with c2 = 1 until p₂ is applied (broadcasting makes the
    outer product of the two axes). Every elementwise call then runs on contiguous rows, and
    neuron j's z is the contiguous block z[j]. The batched layers are computed in place in two
    buffers that every block reuses (fresh memory costs page faults at every touch).
    """

    def __init__(self, net: MLP, X: Array, Y: Array, loss: str, p1: Param, p2: Param, dtype: type):
        self.net, self.Y, self.loss, self.p1, self.p2, self.dtype = net, Y, loss, p1, p2, dtype
        self.weights = [np.ascontiguousarray(w.T, dtype=dtype) for w in net.weights]  # (fan_out, fan_in)
        self.biases = [b.astype(dtype)[:, None] for b in net.biases]  # (fan_out, 1)
        self.acts = net.layer_activations
        self.last = len(net.weights) - 1
        self.width = max(net.layer_sizes[p1.layer + 1:])  # the widest batched layer
        a = np.ascontiguousarray(X.T, dtype=dtype)  # (d, n)
        for l in range(p1.layer):  # shared: z = Wᵀ·a + b, a = f(z)
            a = self.acts[l].value(self.weights[l] @ a + self.biases[l])
        self.a_in = a  # (fan_in, n) the input of layer l₁
        self.z = self.weights[p1.layer] @ a + self.biases[p1.layer]  # (fan_out, n) its current z
        if p1.layer < self.last:
            self.a = self.acts[p1.layer].value(self.z)  # current a of l₁
            self.z_next = self.weights[p1.layer + 1] @ self.a + self.biases[p1.layer + 1]
        self._buffers: list[Array] = []

    def block_shape(self, m1: int, m2: int) -> tuple[int, int]:
        """(rows, cols) of a grid block whose (c1, c2, n) array, one neuron's, fits BLOCK_BYTES."""
        per_point = self.a_in.shape[1] * np.dtype(self.dtype).itemsize
        cols = max(1, min(m2, BLOCK_BYTES // per_point))
        return max(1, min(m1, BLOCK_BYTES // (per_point * cols))), cols

    def _reserve(self, c1: int, c2: int) -> None:
        """Two buffers for batched layers and two for the cost's terms, kept while blocks fit."""
        size = c1 * c2 * self.a_in.shape[1]
        if not self._buffers or self._buffers[0].size < self.width * size:
            k = self.net.layer_sizes[-1]
            self._buffers = [np.empty(self.width * size, self.dtype) for _ in range(2)]
            self._scratch = [np.empty(k * size, self.dtype) for _ in range(2)]

    def _view(self, flat: Array, units: int, c1: int, c2: int) -> Array:
        """The first units·c1·c2·n values of a buffer as (units, c1, c2, n)."""
        n = self.a_in.shape[1]
        return flat[:units * c1 * c2 * n].reshape(units, c1, c2, n)

    def costs(self, deltas1: Array, deltas2: Array) -> Array:
        """C at the current point + (deltas1[a], deltas2[b]): (c1, c2)."""
        c1, c2 = len(deltas1), len(deltas2)
        self._reserve(c1, c2)
        d1 = deltas1.astype(self.dtype)[:, None, None]  # (c1, 1, 1) against (c1, c2, n)
        d2 = deltas2.astype(self.dtype)[None, :, None]  # (1, c2, 1)
        if self.p1.layer == self.last:  # both in the output layer: the whole (k, c1, c2, n) z
            z = self._view(self._buffers[0], len(self.z), c1, c2)
            z[...] = self.z[:, None, None, :]
            z[self.p1.j] += _shift(self.p1, d1, _input(self.p1, self.a_in))
            z[self.p2.j] += _shift(self.p2, d2, _input(self.p2, self.a_in))
            return self._output_costs(z)
        return self._propagate(*self._next_layer(d1, d2, c1, c2), d2, c1, c2)

    def _next_layer(self, d1: Array, d2: Array, c1: int, c2: int) -> tuple[Array, Array | None]:
        """Layer l₁ + 1's z, in buffers[0], and p₂'s input a_i there (None if p₂ is not in it).

        At l₁ only the varied neurons' z_j + Δ·a_i change, so only their a = f(z) does, and
        layer l₁ + 1's z is its current z plus, per varied neuron j, Δa_j times column j of its W
        (a rank-1 update, no product).
        """
        p1, p2, l1 = self.p1, self.p2, self.p1.layer
        rows = {p1.j: self.z[p1.j] + _shift(p1, d1, _input(p1, self.a_in))}  # z_j + Δ·a_i
        if p2.layer == l1:
            rows[p2.j] = rows.get(p2.j, self.z[p2.j]) + _shift(p2, d2, _input(p2, self.a_in))
        changes = {j: self.acts[l1].value(z_j) - self.a[j] for j, z_j in rows.items()}
        units = len(self.z_next)
        z = self._view(self._buffers[0], units, c1, c2 if p2.layer == l1 else 1)
        z[...] = self.z_next[:, None, None, :]
        for j, change in changes.items():  # z += W[:, j] ⊗ Δa_j, the product in the other buffer
            term = self._view(self._buffers[1], units, *change.shape[:2])
            np.multiply(self.weights[l1 + 1][:, j, None, None, None], change, out=term)
            z += term
        if p2.layer == l1 + 1 and p2.kind == "w":
            return z, self.a[p2.i] + changes.get(p2.i, 0.0)
        return z, None

    def _propagate(self, z: Array, a_i: Array | None, d2: Array, c1: int, c2: int) -> Array:
        """The batched layers from l₁ + 1 (z given, in buffers[0]) to the costs, alternating
        between the two buffers; p₂ grows the grid axis c2 where it sits (a_i: its input)."""
        p2, layer, k = self.p2, self.p1.layer + 1, 0
        while True:
            if p2.layer == layer:  # (units, c1, 1, n) -> (units, c1, c2, n)
                shift = _shift(p2, d2, a_i)  # before a_i's buffer is reused
                k = 1 - k
                grown = self._view(self._buffers[k], len(z), c1, c2)
                grown[...] = z
                z = grown
                z[p2.j] += shift
            if layer == self.last:
                return self._output_costs(z)
            a = _activate(self.acts[layer], z)
            layer, k = layer + 1, 1 - k
            z = self._view(self._buffers[k], len(self.weights[layer]), *a.shape[1:3])
            np.matmul(self.weights[layer], a.reshape(len(a), -1), out=z.reshape(len(z), -1))
            z += self.biases[layer][..., None, None]  # z = Wᵀ·a + b, batched as one 2-D product
            a_i = _input(p2, a) if p2.layer == layer else None

    def _output_costs(self, z: Array) -> Array:
        """(c1, c2) costs from the output layer's z (k, c1, c2, n), overwritten."""
        terms = [flat[:z.size].reshape(z.shape) for flat in self._scratch]
        return _neuron_major_costs(self.loss, z, self.Y, self.acts[-1], *terms)


def _activate(act: Activation, z: Array) -> Array:
    """a = f(z) written over z, with the same numpy calls as ``act.value`` where it has an
    in-place form (tanh, sigmoid = (1 + tanh(z/2))/2, ReLU, linear)."""
    if act.name == "tanh":
        np.tanh(z, out=z)
    elif act.name == "sigmoid":
        z *= 0.5
        np.tanh(z, out=z)
        z += 1.0
        z *= 0.5
    elif act.name == "relu":
        np.maximum(z, 0.0, out=z)
    elif act.name != "linear":
        z[...] = act.value(z)
    return z


def _input(p: Param, a: Array) -> Array | None:
    """a_i, the input p multiplies: row i of a neuron-major a for a weight w[l][i→j]; None for a
    bias."""
    return a[p.i] if p.kind == "w" else None


def _shift(p: Param, delta: Array, a_i: Array | None) -> Array:
    """How z_j changes when p moves by Δ: Δ·a_i for a weight (∂z_j/∂w_ij = a_i), Δ for a bias
    (∂z_j/∂b_j = 1). delta: (c1 | 1, c2 | 1, 1); a_i: (n,) or (c1 | 1, c2 | 1, n)."""
    return delta if a_i is None else delta * a_i


# --- costs of many networks at once --------------------------------------------------------------

def _neuron_major_costs(loss: str, z: Array, Y: Array, output: Activation, t: Array,
                        u: Array) -> Array:
    """The cost C of many networks from their output layers' z, as ``core.losses.loss_value``.

    z: (k, ..., n) neuron-major logits (row o: output neuron o of every network and sample),
    overwritten; Y: (n, k) targets; t, u: scratch arrays shaped like z. Returns (...), one C per
    network, in z's dtype.

    MSE            C = (1/(n·k)) Σ (y − f(z))²
    binary CE      C = (1/n) Σ [max(z, 0) − y·z + log(1 + e^(−|z|))]   (= log(1 + e^z) − y·z; for
                   y = 1 and z > 0 the first two terms cancel exactly, leaving the small cost)
    categorical CE C = (1/n) Σ [Σ_k y_k · logsumexp(z) − y·z]
    """
    n = z.shape[-1]
    y = np.moveaxis(Y, -1, 0).reshape(len(z), *([1] * (z.ndim - 2)), n).astype(z.dtype)  # (k, 1…, n)
    if loss == "mse":
        y_hat = _softmax_rows(z) if output.name == "softmax" else _activate(output, z)
        np.subtract(y_hat, y, out=z)
        np.square(z, out=z)
        return np.sum(z, axis=(0, -1)) / z.shape[0] / n
    if output.name == "sigmoid":
        np.abs(z, out=t)
        np.negative(t, out=t)
        np.exp(t, out=t)
        np.log1p(t, out=t)  # log(1 + e^(−|z|))
        np.multiply(z, y, out=u)  # y·z
        np.maximum(z, 0.0, out=z)
        z -= u
        z += t
        return np.sum(z, axis=(0, -1)) / n
    z -= np.max(z, axis=0)  # shifted: logsumexp(z) − z_k = log Σ e^(z − max) − (z_k − max)
    np.exp(z, out=t)
    log_sum = np.log(np.sum(t, axis=0))  # (..., n)
    z *= y
    terms = np.sum(y, axis=0) * log_sum - np.sum(z, axis=0)
    return np.sum(terms, axis=-1) / n


def _softmax_rows(z: Array) -> Array:
    """Softmax over the output neurons (axis 0) of a neuron-major z, written over z."""
    z -= np.max(z, axis=0)
    np.exp(z, out=z)
    z /= np.sum(z, axis=0)
    return z


def snapshot_costs(net: MLP, X: Array, Y: Array, loss: str, params: Array) -> Array:
    """C of the network with each row of `params` as all its parameters, in batched passes.

    params: (s, P) flat parameter vectors laid out like ``net.params`` (e.g. snapshots);
    X: (n, d); Y: (n, k) or (n,). Returns (s,) float64 costs (inf/NaN where they overflow).
    Raises ValueError for a wrong loss, X, Y or params shape.
    """
    check_loss(loss, net.output_activation)
    X, Y = _data(net, X, Y)
    params = np.asarray(params, dtype=np.float64)
    if params.ndim != 2 or params.shape[1] != net.params.size:
        raise ValueError(f"params must be (s, {net.params.size}), got {params.shape}")
    chunk = max(1, SNAPSHOT_BYTES // (len(X) * max(net.layer_sizes) * 8))
    costs = np.empty(len(params))
    with np.errstate(all="ignore"):
        for start in range(0, len(params), chunk):
            costs[start:start + chunk] = _stacked_costs(net, X, Y, loss, params[start:start + chunk])
    return costs


def _stacked_costs(net: MLP, X: Array, Y: Array, loss: str, params: Array) -> Array:
    """Forward passes with a stack of parameter vectors (s, P): a (s, n, units) per layer."""
    a, start = X, 0
    for l, (fan_in, fan_out) in enumerate(zip(net.layer_sizes[:-1], net.layer_sizes[1:], strict=True)):
        w = params[:, start:start + fan_in * fan_out].reshape(-1, fan_in, fan_out)
        start += fan_in * fan_out
        b = params[:, None, start:start + fan_out]  # (s, 1, fan_out)
        start += fan_out
        z = a @ w + b  # z = a·W + b, one product per network
        if l < len(net.weights) - 1:
            a = net.layer_activations[l].value(z)
    z = np.ascontiguousarray(np.moveaxis(z, -1, 0))  # (k, s, n), neuron-major
    return _neuron_major_costs(loss, z, Y, net.layer_activations[-1], np.empty_like(z),
                              np.empty_like(z))


# --- what a map of the landscape shows ---------------------------------------------------------

def slice_axis(center: float, path_values: Iterable[float] = (), resolution: int = 60,
               min_half_width: float = MIN_HALF_WIDTH, max_half_width: float = MAX_HALF_WIDTH) -> Array:
    """The values of one parameter a map should span: `resolution` points over center ± h,

    h = clip(PATH_MARGIN · max|path − center|, min_half_width, max_half_width)

    so the path so far fills about the middle half of the map, a fresh network still gets a
    ±2 neighbourhood, and a path that diverges flies off the map instead of shrinking it to a
    dot. Non-finite path values are ignored. Returns (resolution,) ascending; with an odd
    resolution the middle value is exactly `center`.

    Raises ValueError for a non-finite center, a resolution outside 2–400, or half-widths that
    are not 0 < min_half_width <= max_half_width.
    """
    if not math.isfinite(center):
        raise ValueError(f"center must be finite, got {center!r}")
    if not RESOLUTION_RANGE[0] <= resolution <= RESOLUTION_RANGE[1] or int(resolution) != resolution:
        raise ValueError(f"resolution must be an integer from {RESOLUTION_RANGE[0]} to "
                         f"{RESOLUTION_RANGE[1]}, got {resolution!r}")
    if not 0 < min_half_width <= max_half_width:
        raise ValueError("need 0 < min_half_width <= max_half_width, got "
                         f"{min_half_width!r}, {max_half_width!r}")
    path = np.asarray(list(path_values), dtype=np.float64)
    path = path[np.isfinite(path)]
    extent = float(np.max(np.abs(path - center))) if path.size else 0.0
    half = min(max(PATH_MARGIN * extent, min_half_width), max_half_width)
    axis = np.linspace(center - half, center + half, int(resolution))
    if resolution % 2:
        axis[resolution // 2] = center
    return axis


@dataclass(frozen=True)
class ParameterPath:
    """Where two parameters were at recorded epochs, and the cost the network had then.

    epochs, values1, values2, costs: (s,). costs[t] is C with *all* the snapshot's parameters
    (the training-set cost at that epoch, as in the history), not the map's value at
    (values1[t], values2[t]), which holds the other parameters at their current values.
    """

    epochs: Array
    values1: Array
    values2: Array
    costs: Array


def parameter_path(net: MLP, X: Array, Y: Array, loss: str, snapshots: Iterable[tuple[int, Array]],
                   p1: Param | Sequence, p2: Param | Sequence,
                   max_points: int = MAX_PATH_POINTS) -> ParameterPath:
    """The path (p₁, p₂) took over `snapshots`, with each snapshot's cost.

    snapshots: (epoch, params (P,)) pairs in epoch order, e.g. ``SnapshotRecorder.items()``;
    X: (n, d), Y: (n, k) the data the cost is taken on (the trainer's training set). More than
    `max_points` snapshots are thinned to that many, evenly by position, always the first and
    the last (a small network's 2 MiB of snapshots is ~10⁵ of them). Raises ValueError for a
    bad parameter, loss or shape, or max_points < 2.
    """
    p1, p2 = _two_params(net, p1, p2)
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2, got {max_points}")
    pairs = list(snapshots)
    if len(pairs) > max_points:
        keep = np.unique(np.linspace(0, len(pairs) - 1, max_points).round().astype(int))
        pairs = [pairs[i] for i in keep]
    epochs = np.array([int(epoch) for epoch, _ in pairs], dtype=np.int64)
    params = np.empty((len(pairs), net.params.size))
    for row, (_, snapshot) in zip(params, pairs, strict=True):
        if np.shape(snapshot) != net.params.shape:
            raise ValueError(f"snapshots must be ({net.params.size},) parameter vectors, "
                             f"got {np.shape(snapshot)}")
        row[:] = snapshot
    costs = snapshot_costs(net, X, Y, loss, params)
    i1, i2 = p1.flat_index(net), p2.flat_index(net)
    return ParameterPath(epochs, params[:, i1].copy(), params[:, i2].copy(), costs)


@dataclass(frozen=True)
class StepArrow:
    """The next step of plain gradient descent in the (p₁, p₂) plane.

    start: (2,) the current (p₁, p₂); gradient: (2,) (∂C/∂p₁, ∂C/∂p₂) of the data cost;
    step: (2,) −α·gradient; the arrow goes from start to start + step.
    """

    start: Array
    gradient: Array
    step: Array
    learning_rate: float

    @property
    def end(self) -> Array:
        return self.start + self.step


def step_arrow(net: MLP, X: Array, Y: Array, loss: str, p1: Param | Sequence, p2: Param | Sequence,
               learning_rate: float) -> StepArrow:
    """−α·(∂C/∂p₁, ∂C/∂p₂) from ``net.loss_and_gradients`` (the article's w ← w − α ∂C/∂w).

    Plain gradient descent on the data cost, whatever the trainer's optimizer: momentum's and
    Adam's real steps differ, and regularization is left out as in the map. X: (n, d), Y: (n, k).
    Raises ValueError for a bad parameter, loss, or a learning rate that is not finite and > 0.
    """
    p1, p2 = _two_params(net, p1, p2)
    rate = float(learning_rate)
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate!r}")
    X, Y = _data(net, X, Y)
    with np.errstate(all="ignore"):
        _, grads = net.loss_and_gradients(X, Y, loss)
    i1, i2 = p1.flat_index(net), p2.flat_index(net)
    gradient = np.array([grads.flat[i1], grads.flat[i2]])
    return StepArrow(np.array([net.params[i1], net.params[i2]]), gradient, -rate * gradient, rate)


@dataclass(frozen=True)
class Landscape:
    """Everything a cost-landscape map draws, for parameters p1 (x axis) and p2 (y axis).

    values1: (m1,), values2: (m2,) the axes; costs: (m1, m2), costs[a, b] at
    (values1[a], values2[b]) (plotly: ``go.Contour(x=values1, y=values2, z=costs.T)``);
    current: (2,) the current (p₁, p₂) and current_cost C there (``net.loss``); path: the
    recorded path (empty without snapshots); arrow: the next gradient-descent step.
    """

    p1: Param
    p2: Param
    values1: Array
    values2: Array
    costs: Array
    current: Array
    current_cost: float
    path: ParameterPath
    arrow: StepArrow


def cost_landscape(trainer: Trainer, p1: Param | Sequence, p2: Param | Sequence,
                   snapshots: Iterable[tuple[int, Array]] = (), resolution: int = 60,
                   dtype: type = np.float32, max_path_points: int = MAX_PATH_POINTS) -> Landscape:
    """The cost landscape of a trainer's network over (p₁, p₂): one call per redraw.

    On the trainer's training set (``trainer.X_train``, ``trainer.y_train``), its loss and its
    learning rate; axes from `slice_axis` around the current values and the path; snapshots and
    max_path_points as for `parameter_path` (e.g. ``recorder.items()``). The network is not
    changed.
    Raises ValueError as `cost_slice` and `slice_axis` do.
    """
    net, X, Y, loss = trainer.net, trainer.X_train, trainer.y_train, trainer.loss
    p1, p2 = _two_params(net, p1, p2)
    path = parameter_path(net, X, Y, loss, snapshots, p1, p2, max_path_points)
    current = np.array([p1.value(net), p2.value(net)])
    values1 = slice_axis(current[0], path.values1, resolution)
    values2 = slice_axis(current[1], path.values2, resolution)
    costs = cost_slice(net, X, Y, loss, p1, p2, values1, values2, dtype)
    with np.errstate(all="ignore"):
        current_cost = net.loss(X, Y, loss)
    arrow = step_arrow(net, X, Y, loss, p1, p2, trainer.learning_rate)
    return Landscape(p1, p2, values1, values2, costs, current, current_cost, path, arrow)


# --- checking inputs -----------------------------------------------------------------------------

def _data(net: MLP, X: Array, Y: Array) -> tuple[Array, Array]:
    """X (n, d) and Y (n, k) as float64; ValueError when they do not fit the network."""
    X, Y = np.asarray(X, dtype=np.float64), as_targets(Y)
    d, k = net.layer_sizes[0], net.layer_sizes[-1]
    if X.ndim != 2 or X.shape[1] != d or len(X) == 0:
        raise ValueError(f"X must be (n, {d}) with n >= 1, got {X.shape}")
    if Y.shape != (len(X), k):
        raise ValueError(f"Y must be ({len(X)}, {k}), got {Y.shape}")
    return X, Y


def _axis_values(values: Array, name: str) -> Array:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {values.shape}")
    return values


def _float_dtype(dtype: type) -> type:
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise ValueError(f"dtype must be np.float32 or np.float64, got {dtype!r}")
    return np.dtype(dtype).type
