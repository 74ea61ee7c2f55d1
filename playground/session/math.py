"""The math view's state: the chosen neuron and sample, the step-through and the gradient check."""

from __future__ import annotations

import numpy as np

from core.derivation import Derivation, UpdateStepper
from core.gradient_check import numerical_gradients
from core.network import Gradients
from core.training import Trainer
from playground.session import keys


def clamp_neuron(n_neurons: int) -> None:
    """A neuron index the chosen layer does not have goes back to 0 (before its box is drawn)."""
    if keys.MATH_NEURON.get() >= n_neurons:
        keys.MATH_NEURON.set(0)


def clamp_sample(n_samples: int) -> None:
    """A sample index the training set does not have goes back to 0 (before its box is drawn)."""
    if keys.MATH_SAMPLE.get() >= n_samples:
        keys.MATH_SAMPLE.set(0)


def stepper(trainer: Trainer) -> UpdateStepper:
    """The session's stepper, fresh when the model, data, loss or learning rate changed."""
    current = keys.MATH_STEPPER.get()
    if (current is None or current.net is not trainer.net or current.X.shape != trainer.X_train.shape
            or not np.array_equal(current.X, trainer.X_train) or current.loss != trainer.loss
            or current.learning_rate != trainer.learning_rate or not current.is_current()):
        current = UpdateStepper.from_trainer(trainer)
        keys.MATH_STEPPER.set(current)
    return current


def show(derivation: Derivation) -> None:
    """Keep the derivation on the page, in full precision."""
    keys.MATH_DERIVATION.set(derivation)


def check_gradient(trainer: Trainer) -> None:
    """Measure every slope by central differences, for the current weights."""
    numeric = numerical_gradients(trainer.net, trainer.X_train, trainer.y_train, trainer.loss)
    keys.MATH_GRADIENT_CHECK.set({"params": trainer.net.params.copy(), "numeric": numeric.flat})


def checked_gradient(trainer: Trainer) -> Gradients | None:
    """The numerical gradients measured for the current weights, or None (never, or stale)."""
    stored = keys.MATH_GRADIENT_CHECK.get()
    if stored is None or not np.array_equal(stored["params"], trainer.net.params):
        return None
    return Gradients(trainer.net.layer_sizes, stored["numeric"])


def show_check(rows: dict) -> None:
    keys.MATH_GRADIENT_CHECK_ROWS.set(rows)
