"""A training session: epochs of shuffled mini-batches, history, divergence and surfaces."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.datasets import DOMAIN, Dataset
from core.features import check_features, feature_map
from core.history import History
from core.kernel import ForwardTape, StepTape, compile_step, run, with_ones_row
from core.losses import check_loss, loss_value
from core.metrics import Metrics, accuracy, confusion_matrix, r2_score, rmse
from core.network import MLP, Gradients
from core.optimizers import Optimizer, check_learning_rate, make_optimizer
from core.regularization import Regularizer
from core.stopping import StopConditions

Array = np.ndarray
SPLITS = ("train", "test")


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


def _check_index(index: int, size: int, name: str) -> int:
    """`index` as an int in [0, size); ValueError naming the range otherwise."""
    if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not 0 <= index < size:
        raise ValueError(f"{name} must be an integer from 0 to {size - 1}, got {index!r}")
    return int(index)


def _check_value(value: float) -> float:
    """`value` as a finite float; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"a weight or bias must be a finite number, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class _EpochPlan:
    """What one epoch runs, compiled once per data/batch size/penalty (Trainer._compile_epoch).

    X_aug: (d + 1, n) training inputs with a row of ones (the bias input); y_T: (k, n) targets;
    X_epoch, y_epoch: the same, reshuffled in place every epoch and read by the batch steps;
    train_step: the first batch's step (the whole set when full_batch); evaluation: a forward
    tape over the test rows (full batch) or the training then the test rows; forward_at: the
    parameters of the last full-batch forward pass (NaN: stale); tape: the epoch's calls.
    """

    X_aug: Array
    y_T: Array
    X_epoch: Array
    y_epoch: Array
    full_batch: bool
    train_step: StepTape
    evaluation: ForwardTape
    forward_at: Array
    tape: list


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
        self._plan = self._compile_epoch()
        self._last_finite = net.params.copy()
        self._grids: dict[int, tuple[Array, Array]] = {}
        self.history = History(history_capacity)
        self.epoch = 0
        self.diverged = False
        self._stop = StopConditions()

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
        self._plan = self._compile_epoch()  # the update's calls depend on the penalty

    def set_data(self, data: Dataset) -> None:
        """Train on new points from the next epoch on (e.g. the same generator, another seed).

        The network, the optimizer's state, the epoch count and the history are kept; `data`
        must have the problem type and classes of the current data (ValueError otherwise).
        """
        if (data.kind, data.n_classes) != (self.data.kind, self.data.n_classes):
            raise ValueError(f"new data must be {self.data.kind} with {self.data.n_classes} classes, "
                             f"got {data.kind} with {data.n_classes}")
        check_compatible(self.net, data, self.features)
        self.data = data
        self.X_train = feature_map(data.X_train, self.features)
        self.X_test = feature_map(data.X_test, self.features)
        self.y_train = network_targets(data.y_train, data.kind, self.net.output_activation)
        self.y_test = network_targets(data.y_test, data.kind, self.net.output_activation)
        if self.optimizer_name == "gd":
            self.batch_size = len(data.X_train)
        self._plan = self._compile_epoch()

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set net.weights[layer][i, j], the link from neuron i of layer `layer` to neuron j of
        the next. Training continues from it; epoch, history and optimizer state are kept."""
        w = self.net.weights[_check_index(layer, len(self.net.weights), "layer")]
        i, j = _check_index(i, w.shape[0], "i"), _check_index(j, w.shape[1], "j")
        w[i, j] = _check_value(value)
        self._edited()

    def set_bias(self, layer: int, j: int, value: float) -> None:
        """Set net.biases[layer][j], the bias of neuron j of layer `layer` + 1 (the output
        neurons' at layer len(net.weights) − 1)."""
        b = self.net.biases[_check_index(layer, len(self.net.biases), "layer")]
        b[_check_index(j, len(b), "j")] = _check_value(value)
        self._edited()

    def _edited(self) -> None:
        """After a hand edit: the compiled tapes read net.params in place (core.kernel), so only
        the full-batch forward buffers are stale; a finite network may train again."""
        self._plan.forward_at[:] = np.nan
        self.diverged = not bool(np.all(np.isfinite(self.net.params)))

    # --- training --------------------------------------------------------------------------------
    def set_stop(self, at_epoch: int | None = None, patience: int | None = None) -> None:
        """Make `step` stop at epoch `at_epoch`, or once the test loss has not improved for
        `patience` consecutive epochs (None: no such condition). Replaces earlier conditions;
        the patience count starts afresh from the current test loss."""
        StopConditions(at_epoch, patience)  # validate before evaluating
        test_loss = self.evaluate()[1] if patience is not None else math.inf
        self._stop = StopConditions(at_epoch, patience, test_loss)

    @property
    def stopped(self) -> str | None:
        """Why a stop condition holds, in plain words ("reached epoch 300"), or None."""
        return self._stop.reason(self.epoch)

    def step(self, epochs: int = 1) -> int:
        """Train up to `epochs` epochs; returns how many ran (fewer once training diverges or a
        stop condition holds, see set_stop)."""
        done, todo = 0, self._stop.epochs_allowed(self.epoch, epochs)
        patience = self._stop.patience
        while done < todo and not self.diverged and not (patience and self._stop.waited >= patience):
            self._last_finite[:] = self.net.params
            self._run_epoch()
            self.epoch += 1
            done += 1
            self._record()
        return done

    def _compile_epoch(self) -> _EpochPlan:
        """One tape for the whole epoch: a step per batch of the shuffled epoch buffers.

        With a single (full) batch, the step's forward pass doubles as the evaluation of the
        training set, so the epoch tape is only backprop and update (see _train_forward).
        """
        X_aug, y_T = with_ones_row(self.X_train), np.ascontiguousarray(self.y_train.T)
        X_epoch, y_epoch = X_aug.copy(), y_T.copy()
        n, size = len(self.X_train), self.batch_size
        update = self.optimizer.calls(self.net.params, self._grads.flat)
        steps = [compile_step(self.net, self.loss, X_epoch[:, start:start + size],
                              y_epoch[:, start:start + size], self._grads.flat, update)
                 for start in range(0, n, size)]
        full_batch = len(steps) == 1
        evaluated = self.X_test if full_batch else np.vstack([self.X_train, self.X_test])
        return _EpochPlan(
            X_aug=X_aug, y_T=y_T, X_epoch=X_epoch, y_epoch=y_epoch, full_batch=full_batch,
            train_step=steps[0], evaluation=ForwardTape(self.net, with_ones_row(evaluated)),
            forward_at=np.full_like(self.net.params, np.nan),
            tape=steps[0].backward if full_batch else [op for s in steps for op in s.ops])

    def _train_forward(self) -> None:
        """Full batch: bring the step's forward buffers up to the current parameters."""
        plan = self._plan
        if not np.array_equal(plan.forward_at, self.net.params):
            run(plan.train_step.forward.ops)
            np.copyto(plan.forward_at, self.net.params)

    def _run_epoch(self) -> None:
        plan = self._plan
        with np.errstate(all="ignore"):
            if plan.full_batch:
                self._train_forward()
            else:
                order = self._rng.permutation(len(self.X_train))
                np.take(plan.X_aug, order, axis=1, out=plan.X_epoch)
                np.take(plan.y_T, order, axis=1, out=plan.y_epoch)
            run(plan.tape)

    def _record(self) -> None:
        values = self.evaluate()
        if not (np.all(np.isfinite(values[:2])) and np.all(np.isfinite(self.net.params))):
            self.net.params[:] = self._last_finite
            self.diverged = True
        self.history.record(self.epoch, values)
        if self._stop.patience:
            self._stop.observe(values[1])

    def evaluate(self) -> tuple[float, float, float, float]:
        """(train loss, test loss, train accuracy, test accuracy); accuracy NaN for regression."""
        n = len(self.X_train)
        with np.errstate(all="ignore"):
            z, output = self._outputs()
            train = self._loss_and_accuracy(z[:n], output[:n], self.y_train)
            test = self._loss_and_accuracy(z[n:], output[n:], self.y_test)
        return train[0], test[0], train[1], test[1]

    def _outputs(self) -> tuple[Array, Array]:
        """The output layer's z and ŷ for the training rows, then the test rows: (n, k) each."""
        tape = self._plan.evaluation
        run(tape.ops)
        z, output = tape.zs[-1].T, tape.output.T
        if self._plan.full_batch:
            self._train_forward()
            fwd = self._plan.train_step.forward
            z, output = np.vstack([fwd.zs[-1].T, z]), np.vstack([fwd.output.T, output])
        return z, output

    def _loss_and_accuracy(self, z: Array, output: Array, Y: Array) -> tuple[float, float]:
        loss = loss_value(self.loss, z, output, Y, self.net.layer_activations[-1])
        return loss, self._accuracy(output, Y)

    def _accuracy(self, output: Array, Y: Array) -> float:
        if self.data.kind == "regression":
            return float("nan")
        return float(np.mean(self._classes(output) == self._classes(Y)))

    def _classes(self, output: Array) -> Array:
        """Class of each row of outputs or targets (n, k): argmax, or above the threshold (bool)."""
        if output.shape[1] > 1:
            return np.argmax(output, axis=1)
        return output[:, 0] > (0.0 if self.net.output_activation == "tanh" else 0.5)

    def regularization_penalty(self) -> float:
        """The regularization term that the optimizer adds to the data cost."""
        return self.regularizer.penalty(self.net.params)

    def metrics(self, split: str = "test") -> Metrics:
        """Loss without and with the penalty, accuracy and confusion matrix (classification) or
        RMSE and R² (regression) on the "train" or "test" split; NaN when outputs are not finite."""
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
        n = len(self.X_train)
        rows, Y = (slice(None, n), self.y_train) if split == "train" else (slice(n, None), self.y_test)
        with np.errstate(all="ignore"):
            z, output = (a[rows] for a in self._outputs())
            loss = loss_value(self.loss, z, output, Y, self.net.layer_activations[-1])
            penalty = self.regularization_penalty()
        if not (math.isfinite(loss + penalty) and np.all(np.isfinite(output))):
            return Metrics(math.nan, math.nan, math.nan)
        if self.data.kind == "regression":
            return Metrics(loss, penalty, loss + penalty, rmse=rmse(Y, output), r2=r2_score(Y, output))
        labels = self._classes(Y).astype(int)
        predicted = self._classes(output).astype(int)
        confusion = confusion_matrix(labels, predicted, max(self.data.n_classes, Y.shape[1], 2))
        confusion.flags.writeable = False
        return Metrics(loss, penalty, loss + penalty, accuracy(labels, predicted), confusion)

    # --- looking at the network ----------------------------------------------------------------
    def predict(self, points: Array) -> Array:
        """The network's output for raw 2-D points (features applied). points: (n, 2) -> (n, k)."""
        return self.net.forward(feature_map(np.asarray(points, dtype=float), self.features))

    def surface(self, resolution: int = 50, dtype: type = np.float32) -> Surface:
        """Output and every neuron's activation over a resolution² grid, in float32 (fast) or
        float64 (finite for any finite weights float32 would overflow with)."""
        if not 2 <= resolution <= 400:
            raise ValueError(f"resolution must be from 2 to 400, got {resolution}")
        axis, inputs = self._grid(resolution)
        fp = self.net.forward_pass(inputs.astype(dtype, copy=False), dtype=dtype)
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
