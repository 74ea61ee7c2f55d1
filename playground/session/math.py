"""The math view's state: the chosen neuron and sample, the step-through and the gradient check.

The step-through works on a copy of the trainer's network (``UpdateStepper.from_trainer``): it
changes nothing the trainer owns, so the epoch counter, the weights, the history, replay and
"Same start" always agree. Only "Apply as one epoch" changes the network, and it is the Step
button's own call (`state.step_once`: one counted epoch of `Trainer.step`, with the trainer's
optimizer, batch size and regularization).
"""

from __future__ import annotations

import numpy as np

from core.derivation import Derivation, UpdateStepper
from core.gradient_check import numerical_gradients
from core.network import Gradients
from core.training import Trainer
from playground.session import keys, state

EPSILON = 1e-6  # the gradient check's nudge: each weight moved by ±EPSILON (central differences)
EPSILON_WORDS = "a millionth"  # EPSILON for the page's plain-words explanation


def clamp_neuron(n_neurons: int) -> None:
    """A neuron index the chosen layer does not have goes back to 0 (before its box is drawn)."""
    if keys.MATH_NEURON.get() >= n_neurons:
        keys.MATH_NEURON.set(0)


def clamp_sample(n_samples: int) -> None:
    """A sample index the training set does not have goes back to 0 (before its box is drawn)."""
    if keys.MATH_SAMPLE.get() >= n_samples:
        keys.MATH_SAMPLE.set(0)


def explained_sample(n_samples: int) -> int | None:
    """The training sample The math explains (its index, clamped into the set), or None for the
    batch view."""
    clamp_sample(n_samples)
    return None if keys.MATH_BATCH.get() else int(keys.MATH_SAMPLE.get())


def nearest_point(points: np.ndarray, x1: float, x2: float) -> int:
    """The index of the row of (n, 2) `points` nearest to (x1, x2) in Euclidean distance (the
    first one on a tie). Raises ValueError for an empty array."""
    if len(points) == 0:
        raise ValueError("no points to pick from")
    return int(np.argmin(np.sum((np.asarray(points, dtype=float) - np.array([x1, x2])) ** 2, axis=1)))


def pick_sample_at(trainer: Trainer, x1: float, x2: float) -> int:
    """Explain the training point nearest to (x1, x2) (the raw inputs, before any feature map);
    leaves the batch view. Returns its index."""
    index = nearest_point(trainer.data.X_train, x1, x2)
    keys.MATH_SAMPLE.set(index)
    keys.MATH_BATCH.set(False)
    return index


def stepper(trainer: Trainer) -> UpdateStepper:
    """The session's step-through: one gradient-descent step from the trainer's current weights,
    on a copy; a fresh one (no phase yet) whenever the trainer, its weights, data, loss or
    learning rate differ from those the step started from."""
    current = keys.MATH_STEPPER.get()
    if current is None or not _started_from(current, trainer):
        current = _fresh(trainer)
    return current


def next_phase(trainer: Trainer) -> None:
    """Run the next phase; after "update" the next step starts again from the trainer's weights
    (the copy's updated weights are never stepped further)."""
    current = stepper(trainer)
    if current.phase == "update":
        current = _fresh(trainer)
    current.advance()


def reset_phases(trainer: Trainer) -> None:
    """Forget the phases: a fresh step-through from the trainer's weights."""
    _fresh(trainer)


def apply_as_epoch() -> None:
    """Train one counted epoch, exactly as the Step button does (the step-through starts over,
    since the weights it started from are gone)."""
    state.step_once()


def _fresh(trainer: Trainer) -> UpdateStepper:
    current = UpdateStepper.from_trainer(trainer)
    keys.MATH_STEPPER.set(current)
    keys.MATH_STEPPER_OF.set(trainer)
    return current


def _started_from(current: UpdateStepper, trainer: Trainer) -> bool:
    return (keys.MATH_STEPPER_OF.get() is trainer and current.X.shape == trainer.X_train.shape
            and np.array_equal(current.X, trainer.X_train) and current.loss == trainer.loss
            and current.learning_rate == trainer.learning_rate
            and np.array_equal(current.start_params, trainer.net.params))


def show(derivation: Derivation) -> None:
    """Keep the derivation on the page, in full precision."""
    keys.MATH_DERIVATION.set(derivation)


def check_gradient(trainer: Trainer) -> None:
    """Measure every slope by central differences, for the current weights."""
    numeric = numerical_gradients(trainer.net, trainer.X_train, trainer.y_train, trainer.loss,
                                  epsilon=EPSILON)
    keys.MATH_GRADIENT_CHECK.set({"params": trainer.net.params.copy(), "numeric": numeric.flat})


def checked_gradient(trainer: Trainer) -> Gradients | None:
    """The numerical gradients measured for the current weights, or None (never, or stale)."""
    stored = keys.MATH_GRADIENT_CHECK.get()
    if stored is None or not np.array_equal(stored["params"], trainer.net.params):
        return None
    return Gradients(trainer.net.layer_sizes, stored["numeric"])


def show_check(rows: dict) -> None:
    keys.MATH_GRADIENT_CHECK_ROWS.set(rows)
