"""The fast training step: each mini-batch's forward pass, backprop and update compiled once into
a "tape" of numpy calls on preallocated buffers, then replayed every epoch.

Small networks are dominated by per-call overhead, not arithmetic, so the tape
- folds each bias into its weight matrix (an extra input row of ones: z = [W; b]ᵀ·[a; 1]),
  which makes ∂C/∂W and ∂C/∂b one matrix product,
- stores activations neuron-major, (units, n), so every elementwise call runs on a
  contiguous block (a strided view is several times slower in numpy's inner loops),
- writes every result into a buffer it owns, allocating nothing per step,
- runs with no Python logic between calls: `for function, args in tape: function(*args)`.
`MLP.backward` is the readable reference; tests check this tape matches it to rounding error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from core.activations import Activation
from core.network import MLP

Array = np.ndarray
Op = tuple[Callable, tuple]
_TANH_BY_EXP_FROM = 400  # elements; below it one np.tanh call beats five cheaper calls


def _activate(act: Activation, z: Array, out: Array) -> list[Op]:
    """Calls that write a = f(z) into `out`."""
    if act.name == "tanh" and z.size < _TANH_BY_EXP_FROM:
        return [(np.tanh, (z, out))]
    if act.name == "tanh":  # 2/(1 + e^(−2z)) − 1: numpy's float64 exp is SIMD, its tanh is not
        return [(np.multiply, (z, -2.0, out)), (np.exp, (out, out)), (np.add, (out, 1.0, out)),
                (np.divide, (2.0, out, out)), (np.subtract, (out, 1.0, out))]
    if act.name == "sigmoid":  # 1/(1 + e^(−z)); e^(−z) = inf for z < −709 gives exactly 0
        return [(np.negative, (z, out)), (np.exp, (out, out)), (np.add, (out, 1.0, out)),
                (np.divide, (1.0, out, out))]
    if act.name == "relu":
        return [(partial(np.maximum, out=out), (z, 0.0))]  # positional out is deprecated
    if act.name == "linear":
        return [(np.copyto, (out, z))]
    return [(lambda: np.copyto(out, act.value(z.T).T), ())]  # value() takes (n, k)


def _times_derivative(act: Activation, z: Array, a: Array, delta: Array, tmp: Array) -> list[Op]:
    """Calls that multiply `delta` by f'(z) in place (a = f(z))."""
    if act.name == "tanh":  # 1 − a²
        return [(np.multiply, (a, a, tmp)), (np.subtract, (1.0, tmp, tmp)),
                (np.multiply, (delta, tmp, delta))]
    if act.name == "sigmoid":  # a(1 − a)
        return [(np.subtract, (1.0, a, tmp)), (np.multiply, (tmp, a, tmp)),
                (np.multiply, (delta, tmp, delta))]
    if act.name == "relu":
        return [(np.greater, (z, 0.0, tmp)), (np.multiply, (delta, tmp, delta))]
    if act.name == "linear":
        return []
    if act.derivative is None:  # softmax: a Jacobian-vector product over each sample's column
        return [(lambda: np.copyto(delta, act.backward(z.T, a.T, delta.T.copy()).T), ())]
    return [(lambda: np.multiply(delta, act.derivative(z, a), out=delta), ())]


def _output_delta(act: Activation, loss: str, z: Array, a: Array, y: Array, delta: Array,
                  tmp: Array) -> list[Op]:
    """Calls that write ∂C/∂z of the output layer into `delta` (see core.losses). All (k, n)."""
    n = y.shape[1]
    if loss == "cross_entropy":  # (ŷ − y)/n
        return [(np.subtract, (a, y, delta)), (np.multiply, (delta, 1.0 / n, delta))]
    ops = [(np.subtract, (a, y, delta)), (np.multiply, (delta, 2.0 / y.size, delta))]
    return ops + _times_derivative(act, z, a, delta, tmp)


def augmented_weights(net: MLP, flat: Array) -> list[Array]:
    """Views [W; b] of shape (fan_in + 1, fan_out) into a flat parameter-shaped vector."""
    views, start = [], 0
    for fan_in, fan_out in zip(net.layer_sizes[:-1], net.layer_sizes[1:], strict=True):
        size = (fan_in + 1) * fan_out
        views.append(flat[start:start + size].reshape(fan_in + 1, fan_out))
        start += size
    return views


def with_ones_row(X: Array) -> Array:
    """[Xᵀ; 1]: samples (n, d) -> neuron-major inputs (d + 1, n)."""
    return np.vstack([X.T, np.ones((1, len(X)))])


class ForwardTape:
    """The forward pass over fixed inputs x: (d + 1, n) compiled into calls on owned buffers.

    inputs[l] is layer l's input (units + 1, n) with its ones row; zs[l], outs[l] its z and a.
    """

    def __init__(self, net: MLP, x: Array):
        n = x.shape[1]
        self.weights = augmented_weights(net, net.params)
        self.inputs = [x] + [np.ones((size + 1, n)) for size in net.layer_sizes[1:-1]]
        self.output = np.empty((net.layer_sizes[-1], n))
        self.zs = [np.empty((size, n)) for size in net.layer_sizes[1:]]
        self.outs = [a[:-1] for a in self.inputs[1:]] + [self.output]
        self.ops: list[Op] = []
        for l, act in enumerate(net.layer_activations):  # z = [W; b]ᵀ·[a; 1], a = f(z)
            self.ops.append((np.dot, (self.weights[l].T, self.inputs[l], self.zs[l])))
            self.ops += _activate(act, self.zs[l], self.outs[l])


@dataclass
class StepTape:
    """One training step: `forward` (its buffers hold the batch's z and a), then `backward`
    (backprop and the optimizer's update)."""

    forward: ForwardTape
    backward: list[Op]

    @property
    def ops(self) -> list[Op]:
        return self.forward.ops + self.backward


def compile_step(net: MLP, loss: str, x: Array, y: Array, grads: Array,
                 update: list[Op]) -> StepTape:
    """The calls of one training step on a batch. x: (d + 1, n) with the ones row, y: (k, n).

    The tape keeps references to x, y, the network's parameters and `grads`; refill x and y
    in place and replay it for the next batch. `update` are the optimizer's calls.
    """
    acts, fwd = net.layer_activations, ForwardTape(net, x)
    gradients = augmented_weights(net, grads)
    deltas = [np.empty_like(z) for z in fwd.zs]
    tmps = [np.empty_like(z) for z in fwd.zs]
    tape = _output_delta(acts[-1], loss, fwd.zs[-1], fwd.output, y, deltas[-1],
                                   tmps[-1])
    for l in range(len(acts) - 1, -1, -1):  # backward: ∂C/∂[W; b] = [a; 1]·δᵀ
        tape.append((np.dot, (fwd.inputs[l], deltas[l].T, gradients[l])))
        if l:  # δ below = (W·δ) ⊙ f'(z below)
            tape.append((np.dot, (fwd.weights[l][:-1], deltas[l], deltas[l - 1])))
            tape += _times_derivative(acts[l - 1], fwd.zs[l - 1], fwd.outs[l - 1],
                                      deltas[l - 1], tmps[l - 1])
    return StepTape(fwd, tape + update)


def run(tape: list[Op]) -> None:
    """Replay a compiled tape."""
    for function, args in tape:
        function(*args)
