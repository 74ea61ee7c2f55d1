"""The article's derivation for one neuron, every number taken from the core's own passes.

For neuron j of link layer l (its weights are the column ``net.weights[l][:, j]``):

1. forward      z = w·x + b,  a = f(z)         (x: the previous layer's activations)
2. loss         the sample's loss, and the cost C over the whole set
3. backprop     ∂C/∂a (from the loss for an output neuron; Σₖ wⱼₖ δₖ for a hidden one),
                ∂a/∂z = f'(z),  δ = ∂C/∂z = ∂C/∂a · ∂a/∂z,  ∂z/∂wᵢ = xᵢ,  ∂C/∂wᵢ = δ·xᵢ,
                ∂C/∂b = δ (the bias is a weight on a constant input 1)
4. update       wᵢ ← wᵢ − α ∂C/∂wᵢ,  b ← b − α ∂C/∂b   (with the batch gradient)

Scaling, precisely: the cost is a mean over the set (MSE: over all n·k entries), so each sample's
δ carries the cost's factor (2/(n·k) for MSE, 1/n for cross-entropy). A per-sample ∂C/∂wᵢ = δ·xᵢ is
therefore that sample's *contribution* to the batch gradient, and the contributions of all n
samples sum to the batch gradient ``net.loss_and_gradients(X, Y)[1].weights[l][:, j]``.

With ``sample=None`` (the batch average) the values x, a, z, z_out, y, ŷ, f'(z) and the sample
loss are means over the set (so the sample loss is C, and z = w·x + b still holds exactly), while
the gradient terms ∂C/∂ŷ, ∂C/∂a, δ, ∂C/∂wᵢ, ∂C/∂b and the δₖ from the layer above are sums of the
per-sample contributions, i.e. the batch gradients. The products δ = ∂C/∂a · f'(z) and
∂C/∂wᵢ = δ·xᵢ hold per sample, not between these means and sums: δ = Σₛ ∂C/∂aₛ · f'(zₛ).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.activations import ACTIVATIONS
from core.losses import as_targets, check_loss, loss_value, output_delta
from core.network import MLP, ForwardPass, Gradients

Array = np.ndarray
PHASES = ("forward", "loss", "backward", "update")


@dataclass(frozen=True, eq=False)
class Derivation:
    """Every number of the derivation for one neuron and one sample (or the batch).

    Shapes: fan_in = ``net.layer_sizes[layer]``, k = number of outputs, fan_next = size of the
    layer above (hidden neurons only). Scalars are Python floats; arrays are read-only copies.
    ``dC_da`` and ``da_dz`` are None where the chain does not split per neuron: a cross-entropy
    cost (δ = (ŷ − y)/n directly; f'(z) cancels) or a softmax output (a Jacobian).
    """

    layer: int
    neuron: int
    sample: int | None  # None: the batch (means of values, sums of gradient terms)
    n_samples: int
    loss: str
    activation: str
    # 1. forward propagation
    x: Array  # (fan_in,) the neuron's inputs
    w: Array  # (fan_in,) its weights
    b: float
    z: float
    a: float
    # 2. loss and cost
    y: Array  # (k,) targets
    y_hat: Array  # (k,) outputs of the network
    z_out: Array  # (k,) the output layer's z (the logits ŷ = f(z_out) and the loss are computed from)
    sample_loss: float  # the loss of this sample (MSE: mean over the k outputs); C for the batch
    cost: float  # C over the whole set, == net.loss(X, Y, loss)
    # 3. backpropagation (with the cost's 1/n scaling, see the module docstring)
    next_weights: Array | None  # (fan_next,) wⱼₖ to the layer above; None for the output layer
    next_deltas: Array | None  # (fan_next,) δₖ of the layer above
    dC_dy_hat: Array | None  # (k,) ∂C/∂ŷ = (2/(n·k))(ŷ − y) for MSE; None for cross-entropy
    dC_da: float | None
    da_dz: float | None
    delta: float  # δ = ∂C/∂z
    dC_dw: Array  # (fan_in,) δ·xᵢ for the sample; the batch gradient for the batch
    dC_db: float  # δ
    # the batch gradient, from the reference backprop (net.loss_and_gradients)
    grad_w: Array  # (fan_in,)
    grad_b: float
    # 4. gradient descent with the batch gradient
    learning_rate: float
    new_w: Array  # (fan_in,) w − α grad_w
    new_b: float  # b − α grad_b

    @property
    def is_output(self) -> bool:
        return self.next_weights is None


def layer_deltas(net: MLP, fp: ForwardPass, Y: Array, loss: str) -> list[Array]:
    """δ = ∂C/∂z of every layer and sample: deltas[l] (n, layer_sizes[l + 1]).

    The same calls as ``MLP.backward`` (the core's ``output_delta`` and ``Activation.backward``),
    kept per sample: row s is sample s's contribution, so Σ_s deltas[l][s] = ∂C/∂b and
    aᵀ·deltas[l] = ∂C/∂W. Y: (n, k).
    """
    acts = net.layer_activations
    deltas = [output_delta(loss, fp.zs[-1], fp.output, Y, acts[-1])]
    for l in range(len(net.weights) - 1, 0, -1):  # δ below = (δ·Wᵀ) ⊙ f'(z)
        deltas.insert(0, acts[l - 1].backward(fp.zs[l - 1], fp.activations[l], deltas[0] @ net.weights[l].T))
    return deltas


def derive(net: MLP, X: Array, Y: Array, loss: str, layer: int, neuron: int,
           sample: int | None = None, learning_rate: float = 0.03) -> Derivation:
    """The derivation for neuron ``neuron`` of link layer ``layer`` (0 = first weights).

    X: (n, d) network inputs (features applied); Y: (n, k) or (n,) network targets.
    ``layer = len(net.weights) - 1`` is the output layer. Never changes the network.
    """
    Y = as_targets(Y)
    fp = net.forward_pass(X)
    _check_choice(net, fp, layer, neuron, sample)
    check_loss(loss, net.output_activation)
    cost, grads = net.loss_and_gradients(X, Y, loss)
    deltas = layer_deltas(net, fp, Y, loss)
    split = _chain_terms(net, fp, deltas, Y, loss, layer, neuron)

    def mean(values: Array) -> Array:
        return values.mean(axis=0) if sample is None else values[sample]

    def total(values: Array) -> Array:
        return values.sum(axis=0) if sample is None else values[sample]

    w, b = net.weights[layer][:, neuron].copy(), float(net.biases[layer][neuron])
    grad_w, grad_b = grads.weights[layer][:, neuron].copy(), float(grads.biases[layer][neuron])
    inputs, delta = fp.activations[layer], deltas[layer][:, neuron]
    is_output = layer == len(net.weights) - 1
    next_deltas = None if is_output else total(deltas[layer + 1])
    return Derivation(
        layer=layer, neuron=neuron, sample=sample, n_samples=len(fp.output), loss=loss,
        activation=net.layer_activations[layer].name,
        x=_frozen(mean(inputs)), w=_frozen(w), b=b, z=float(mean(fp.zs[layer][:, neuron])),
        a=float(mean(fp.activations[layer + 1][:, neuron])),
        y=_frozen(mean(Y)), y_hat=_frozen(mean(fp.output)), z_out=_frozen(mean(fp.zs[-1])),
        sample_loss=cost if sample is None else _sample_loss(net, fp, Y, loss, sample), cost=cost,
        next_weights=None if is_output else _frozen(net.weights[layer + 1][neuron].copy()),
        next_deltas=None if next_deltas is None else _frozen(next_deltas),
        dC_dy_hat=None if loss != "mse" else _frozen(total(_dC_dy_hat(fp, Y, loss))),
        dC_da=None if split is None else float(total(split[0])),
        da_dz=None if split is None else float(mean(split[1])),
        delta=float(total(delta)), dC_dw=_frozen(total(inputs * delta[:, None])),
        dC_db=float(total(delta)), grad_w=_frozen(grad_w), grad_b=grad_b,
        learning_rate=float(learning_rate), new_w=_frozen(w - learning_rate * grad_w),
        new_b=b - learning_rate * grad_b,
    )


def _chain_terms(net: MLP, fp: ForwardPass, deltas: list[Array], Y: Array, loss: str,
                 layer: int, neuron: int) -> tuple[Array, Array] | None:
    """Per sample (∂C/∂a, ∂a/∂z), each (n,), for one neuron; None where they do not split."""
    act = net.layer_activations[layer]
    z, a = fp.zs[layer][:, neuron], fp.activations[layer + 1][:, neuron]
    if layer < len(net.weights) - 1:  # hidden: ∂C/∂a = Σₖ wⱼₖ δₖ
        return deltas[layer + 1] @ net.weights[layer + 1][neuron], act.derivative(z, a)
    if loss != "mse" or act.derivative is None:
        return None
    return _dC_dy_hat(fp, Y, loss)[:, neuron], act.derivative(z, a)


def _dC_dy_hat(fp: ForwardPass, Y: Array, loss: str) -> Array:
    """∂C/∂ŷ = (2/(n·k))(ŷ − y) per sample, (n, k): the core's MSE output δ taken through the
    identity (f' = 1)."""
    return output_delta(loss, fp.zs[-1], fp.output, Y, ACTIVATIONS["linear"])


def _sample_loss(net: MLP, fp: ForwardPass, Y: Array, loss: str, s: int) -> float:
    """The loss of sample s alone (the core's loss on that one row); C is their mean."""
    rows = slice(s, s + 1)
    return loss_value(loss, fp.zs[-1][rows], fp.output[rows], Y[rows], net.layer_activations[-1])


def _check_choice(net: MLP, fp: ForwardPass, layer: int, neuron: int, sample: int | None) -> None:
    if not 0 <= layer < len(net.weights):
        raise ValueError(f"layer must be from 0 to {len(net.weights) - 1}, got {layer}")
    if not 0 <= neuron < net.layer_sizes[layer + 1]:
        raise ValueError(f"neuron must be from 0 to {net.layer_sizes[layer + 1] - 1}, got {neuron}")
    if sample is not None and not 0 <= sample < len(fp.output):
        raise ValueError(f"sample must be None or from 0 to {len(fp.output) - 1}, got {sample}")


def _frozen(values: Array) -> Array:
    values = np.array(values, dtype=np.float64)
    values.setflags(write=False)
    return values


class UpdateStepper:
    """One full-batch gradient-descent step of ``net`` in four phases, one per ``advance()``.

    forward   the forward pass (every z and a); changes no parameter
    loss      the cost C from that pass (the core's ``loss_value``)
    backward  the gradients (``net.backward``, the reference) and every layer's δ per sample
    update    params ← params − α·grads, in place on ``net`` (the article's rule)

    This is plain gradient descent on the data cost: no regularization penalty and no
    momentum/Adam state, whatever the trainer uses. After "update", ``advance()`` starts the
    next step with the new weights. X: (n, d) network inputs; Y: (n, k) targets.
    ``from_trainer`` steps a copy of the trainer's network: the trainer's weights, epoch count
    and history never change through a stepper (the step is not one of its epochs).
    """

    def __init__(self, net: MLP, X: Array, Y: Array, loss: str, learning_rate: float):
        check_loss(loss, net.output_activation)
        self.net, self.X, self.Y = net, np.asarray(X, dtype=np.float64), as_targets(Y)
        self.loss, self.learning_rate = loss, float(learning_rate)
        self.reset()

    @classmethod
    def from_trainer(cls, trainer) -> UpdateStepper:
        """A stepper on a copy of the trainer's network, with its training set, loss and
        learning rate; ``trainer.net`` is never changed by it."""
        return cls(trainer.net.copy(), trainer.X_train, trainer.y_train, trainer.loss,
                   trainer.learning_rate)

    def reset(self) -> None:
        """Forget every phase's values (the parameters stay as they are)."""
        self.phase: str | None = None
        self.forward_pass: ForwardPass | None = None
        self.cost: float | None = None
        self.gradients: Gradients | None = None
        self.deltas: list[Array] | None = None  # deltas[l]: (n, layer_sizes[l + 1])
        self.changes: Gradients | None = None  # −α·grads, laid out like the parameters
        self.params_before: Array | None = None
        self.params_after: Array | None = None

    @property
    def start_params(self) -> Array:
        """The parameters the current step started from (the network's own before "forward")."""
        return self.net.params if self.params_before is None else self.params_before

    @property
    def next_phase(self) -> str:
        return PHASES[0] if self.phase in (None, PHASES[-1]) else PHASES[PHASES.index(self.phase) + 1]

    def advance(self) -> str:
        """Run the next phase; returns its name."""
        phase = self.next_phase
        getattr(self, f"_{phase}")()
        self.phase = phase
        return phase

    def is_current(self) -> bool:
        """False once something else changed the parameters since this step began."""
        expected = self.params_after if self.phase == "update" else self.params_before
        return expected is None or np.array_equal(expected, self.net.params)

    def _forward(self) -> None:
        self.reset()
        self.params_before = self.net.params.copy()
        self.forward_pass = self.net.forward_pass(self.X)

    def _loss(self) -> None:
        fp = self.forward_pass
        self.cost = loss_value(self.loss, fp.zs[-1], fp.output, self.Y, self.net.layer_activations[-1])

    def _backward(self) -> None:
        self.gradients = self.net.backward(self.forward_pass, self.Y, self.loss)
        self.deltas = layer_deltas(self.net, self.forward_pass, self.Y, self.loss)

    def _update(self) -> None:
        self.changes = Gradients(self.net.layer_sizes, -self.learning_rate * self.gradients.flat)
        np.subtract(self.net.params, self.learning_rate * self.gradients.flat, out=self.net.params)
        self.params_after = self.net.params.copy()
