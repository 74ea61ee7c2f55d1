"""A training session: epochs of shuffled mini-batches, history, divergence and surfaces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.datasets import DOMAIN, Dataset
from core.features import check_features, feature_map
from core.history import History
from core.kernel import ForwardTape, compile_step, run, with_ones_row
from core.losses import check_loss, loss_value
from core.network import MLP, Gradients
from core.optimizers import Optimizer, check_learning_rate, make_optimizer
from core.regularization import Regularizer

Array = np.ndarray


@dataclass(frozen=True)
class Surface:
    """A network evaluated over a grid of the input square.

    xs, ys: (r,) grid coordinates; output: (r, r, k) with output[i, j] at (xs[j], ys[i]);
    neurons[l]: (units, r, r) for every layer, the input features first and the output last.
    """

    xs: Array
    ys: Array
    output: Array
    neurons: list[Array]


def default_loss(data: Dataset, output_activation: str) -> str:
    """Cross-entropy for classification with a sigmoid/softmax output, MSE otherwise."""
    if data.kind == "classification" and output_activation in ("sigmoid", "softmax"):
        return "cross_entropy"
    return "mse"


def network_targets(data_y: Array, kind: str, output_activation: str) -> Array:
    """Targets in the output's range: a tanh output learns binary classes as −1/+1."""
    if kind == "classification" and output_activation == "tanh":
        return 2.0 * data_y - 1.0
    return data_y


def check_compatible(net: MLP, data: Dataset, features: Sequence[str]) -> None:
    """ValueError when the network's input/output sizes or output activation do not fit the data."""
    if net.layer_sizes[0] != len(features):
        raise ValueError(f"the network has {net.layer_sizes[0]} inputs but {len(features)} "
                         "features are chosen")
    if net.layer_sizes[-1] != data.y_train.shape[1]:
        raise ValueError(f"{data.name} needs {data.y_train.shape[1]} output neuron(s), "
                         f"the network has {net.layer_sizes[-1]}")
    if data.kind == "regression" and net.output_activation not in ("tanh", "linear"):
        raise ValueError("regression targets lie in [-1, 1]: use output_activation 'tanh' or "
                         "'linear'")
    if data.n_classes > 2 and net.output_activation != "softmax":
        raise ValueError("multiclass data needs output_activation 'softmax'")


class Trainer:
    """Trains `net` on `data` in place. One epoch = one pass over the shuffled training set.

    optimizer "gd" is full-batch gradient descent (batch_size ignored); "sgd", "momentum" and
    "adam" use mini-batches of `batch_size`. learning_rate and regularization_rate may change
    between steps without losing the optimizer's state.
    """

    def __init__(self, net: MLP, data: Dataset, loss: str | None = None, optimizer: str = "sgd",
                 learning_rate: float = 0.03, batch_size: int = 10,
                 regularization: str | None = None, regularization_rate: float = 0.0,
                 features: Sequence[str] = ("x1", "x2"), seed: int = 0,
                 history_capacity: int = 20_000):
        self.net, self.data = net, data
        self.features = check_features(features)
        check_compatible(net, data, self.features)
        self.loss = default_loss(data, net.output_activation) if loss is None else loss
        check_loss(self.loss, net.output_activation)
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        self.optimizer_name = optimizer
        self.batch_size = len(data.X_train) if optimizer == "gd" else int(batch_size)
        mask = np.zeros_like(net.params)
        for w in Gradients(net.layer_sizes, mask).weights:
            w[:] = 1.0
        self.regularizer = Regularizer(regularization, regularization_rate, mask)
        self.optimizer: Optimizer = make_optimizer(optimizer, learning_rate, self.regularizer)
        self._rng = np.random.default_rng(seed)
        self.X_train = feature_map(data.X_train, self.features)
        self.X_test = feature_map(data.X_test, self.features)
        self.y_train = network_targets(data.y_train, data.kind, net.output_activation)
        self.y_test = network_targets(data.y_test, data.kind, net.output_activation)
        self._grads = Gradients(net.layer_sizes)
        self._epoch_tape = self._compile_epoch()
        self._last_finite = net.params.copy()
        self._grids: dict[int, tuple[Array, Array]] = {}
        self.history = History(history_capacity)
        self.epoch = 0
        self.diverged = False

    # --- settings that change on the fly -------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.optimizer.learning_rate = check_learning_rate(value)

    def set_regularization(self, kind: str | None, rate: float) -> None:
        """Change the penalty between epochs; ValueError (and no change) when invalid."""
        checked = Regularizer(kind, rate, self.regularizer.mask)
        self.regularizer.kind, self.regularizer.rate = checked.kind, checked.rate
        self._epoch_tape = self._compile_epoch()  # the update's calls depend on the penalty

    # --- training --------------------------------------------------------------------------------
    def step(self, epochs: int = 1) -> int:
        """Train up to `epochs` epochs; returns how many ran (fewer once training diverges)."""
        done = 0
        while done < epochs and not self.diverged:
            self._last_finite[:] = self.net.params
            self._run_epoch()
            self.epoch += 1
            done += 1
            self._record()
        return done

    def _compile_epoch(self) -> list:
        """One tape for the whole epoch: a step per batch of the shuffled epoch buffers.

        With a single (full) batch, the step's forward pass doubles as the evaluation of the
        training set, so the epoch tape is only backprop and update (see _train_forward).
        """
        self._X_aug, self._y_T = with_ones_row(self.X_train), np.ascontiguousarray(self.y_train.T)
        self._X_epoch, self._y_epoch = self._X_aug.copy(), self._y_T.copy()
        n, size = len(self.X_train), self.batch_size
        update = self.optimizer.calls(self.net.params, self._grads.flat)
        steps = [compile_step(self.net, self.loss, self._X_epoch[:, start:start + size],
                              self._y_epoch[:, start:start + size], self._grads.flat, update)
                 for start in range(0, n, size)]
        self._full_batch = len(steps) == 1
        evaluated = self.X_test if self._full_batch else np.vstack([self.X_train, self.X_test])
        self._evaluation = ForwardTape(self.net, with_ones_row(evaluated))
        self._train_step = steps[0]
        self._forward_at = np.full_like(self.net.params, np.nan)  # params of the last forward
        return steps[0].backward if self._full_batch else [op for s in steps for op in s.ops]

    def _train_forward(self) -> None:
        """Full batch: bring the step's forward buffers up to the current parameters."""
        if not np.array_equal(self._forward_at, self.net.params):
            run(self._train_step.forward.ops)
            np.copyto(self._forward_at, self.net.params)

    def _run_epoch(self) -> None:
        n = len(self.X_train)
        with np.errstate(all="ignore"):
            if self._full_batch:
                self._train_forward()
            else:
                order = self._rng.permutation(n)
                np.take(self._X_aug, order, axis=1, out=self._X_epoch)
                np.take(self._y_T, order, axis=1, out=self._y_epoch)
            run(self._epoch_tape)

    def _record(self) -> None:
        values = self.evaluate()
        if not (np.all(np.isfinite(values[:2])) and np.all(np.isfinite(self.net.params))):
            self.net.params[:] = self._last_finite
            self.diverged = True
        self.history.record(self.epoch, values)

    def evaluate(self) -> tuple[float, float, float, float]:
        """(train loss, test loss, train accuracy, test accuracy); accuracy NaN for regression."""
        tape, n = self._evaluation, len(self.X_train)
        with np.errstate(all="ignore"):
            run(tape.ops)
            z, output = tape.zs[-1].T, tape.output.T
            if self._full_batch:
                self._train_forward()
                fwd = self._train_step.forward
                z, output = np.vstack([fwd.zs[-1].T, z]), np.vstack([fwd.output.T, output])
            train = self._loss_and_accuracy(z[:n], output[:n], self.y_train)
            test = self._loss_and_accuracy(z[n:], output[n:], self.y_test)
        return train[0], test[0], train[1], test[1]

    def _loss_and_accuracy(self, z: Array, output: Array, Y: Array) -> tuple[float, float]:
        loss = loss_value(self.loss, z, output, Y, self.net.layer_activations[-1])
        return loss, self._accuracy(output, Y)

    def _accuracy(self, output: Array, Y: Array) -> float:
        if self.data.kind == "regression":
            return float("nan")
        if Y.shape[1] > 1:
            return float(np.mean(np.argmax(output, axis=1) == np.argmax(Y, axis=1)))
        threshold = 0.0 if self.net.output_activation == "tanh" else 0.5
        return float(np.mean((output[:, 0] > threshold) == (Y[:, 0] > threshold)))

    def regularization_penalty(self) -> float:
        """The regularization term that the optimizer adds to the data cost."""
        return self.regularizer.penalty(self.net.params)

    # --- looking at the network ----------------------------------------------------------------
    def predict(self, points: Array) -> Array:
        """The network's output for raw 2-D points (features applied). points: (n, 2) -> (n, k)."""
        return self.net.forward(feature_map(np.asarray(points, dtype=float), self.features))

    def surface(self, resolution: int = 50) -> Surface:
        """Output and every neuron's activation over a resolution² grid, in float32."""
        if not 2 <= resolution <= 400:
            raise ValueError(f"resolution must be from 2 to 400, got {resolution}")
        axis, inputs = self._grid(resolution)
        fp = self.net.forward_pass(inputs, dtype=np.float32)
        r = resolution
        neurons = [a.T.reshape(-1, r, r) for a in fp.activations]
        return Surface(axis, axis, fp.output.reshape(r, r, -1), neurons)

    def _grid(self, resolution: int) -> tuple[Array, Array]:
        if resolution not in self._grids:
            axis = np.linspace(-DOMAIN, DOMAIN, resolution)
            gx, gy = np.meshgrid(axis, axis)  # gx[i, j] = axis[j], gy[i, j] = axis[i]
            points = np.stack([gx.ravel(), gy.ravel()], axis=1)
            self._grids[resolution] = (axis, feature_map(points, self.features).astype(np.float32))
        return self._grids[resolution]
