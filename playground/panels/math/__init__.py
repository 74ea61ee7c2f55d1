""""The math": the article's derivation for one neuron, filled in with the network's own numbers.

Every number comes from ``core.derivation`` (the core's forward pass and backprop); `latex`
(this panel's own module) writes the formulas, and this module lays them out. ``render`` returns
the full-precision ``Derivation``, which `session.math` keeps on the page.

The step-through ("Step through one update") is one plain full-batch gradient-descent step on a
copy of the network (`session.math.stepper`); it changes nothing until "Apply as one epoch",
which is the Step button's call: one counted epoch with the trainer's own optimizer.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from core.derivation import Derivation, UpdateStepper, derive
from core.gradient_check import relative_errors
from core.network import Gradients
from core.optimizers import OPTIMIZER_NAMES
from core.training import Trainer
from playground.figures.phase import phase_figure
from playground.panels.math.latex import (
    backprop_latex,
    forward_latex,
    gradient_check_latex,
    input_symbols,
    loss_latex,
    num,
    phase_neuron_latex,
    update_latex,
)
from playground.session import data, keys, lazy
from playground.session import math as math_state
from playground.session.guard import guarded
from playground.session.state import playing
from playground.settings.labels import column_name
from playground.settings.lessons import ARTICLE_LESSONS, ROW_LABELS
from playground.settings.text import number

PHASE_CAPTIONS = {
    "forward": "Forward: every neuron computes z = w·x + b and a = f(z). No weight changes.",
    "loss": "Loss: the outputs are compared with the targets; C is the mean over the training set.",
    "backward": "Backward: δ = ∂C/∂z flows from the output back; links show ∂C/∂w.",
    "update": "Update: every weight of the copy moved by −α·∂C/∂w; links show that change.",
}
ROW_CAPTION = ("The article in three steps: one neuron learns two clusters; on XOR it fails, since no "
               "straight line separates the corners; one hidden layer solves it.")
CHECK_IDEA = ("Two ways to find how much the cost C changes when a weight changes: backprop works it "
              "out with the chain rule; the check nudges each weight up and down by a tiny ε "
              f"(ε = {number(math_state.EPSILON)}, {math_state.EPSILON_WORDS}) and measures how much "
              "C moves.")


# --- the page ----------------------------------------------------------------------------------

def panel(trainer: Trainer, article: bool) -> None:
    """The math: the article's lesson row, and paused, the derivation with the network's numbers.
    Lazy (session.lazy: built only while open); open at first in the article's lesson."""
    def body() -> None:
        guarded("The article's lessons", lesson_row)  # the article in three lessons
        if playing():
            st.caption("Pause to see the derivation with the current numbers.")
        else:
            guarded("The math view", lambda: render(trainer))

    lazy.panel("The math", "math_article" if article else "math", body, expanded=article,
               keeps=(keys.MATH_LAYER, keys.MATH_NEURON, keys.MATH_BATCH, keys.MATH_SAMPLE))


def lesson_row() -> None:
    """The article's three lessons as buttons (the chosen one highlighted): perceptron, XOR
    fails, one hidden layer solves it. Under a classroom link, only those that keep its locks
    (none: no row)."""
    offered = set(data.lessons_offered())
    entries = [entry for entry in ARTICLE_LESSONS if entry.id in offered]
    if not entries:
        return
    st.markdown("**The article's lessons**")
    st.caption(ROW_CAPTION)
    chosen = data.lesson()
    for column, entry in zip(st.columns(len(entries)), entries, strict=True):
        column.button(ROW_LABELS[entry.id], key=keys.MATH_LESSON(entry.id).name, width="stretch",
                      type="primary" if entry.id == chosen else "secondary", help=entry.title,
                      on_click=data.choose_lesson, args=(entry.id,))


def render(trainer: Trainer) -> Derivation:
    """Draw the derivation for a chosen neuron and sample, the gradient check and the stepper.

    Returns the full-precision Derivation (also kept by `session.math.show`).
    """
    stepper = math_state.stepper(trainer)
    layer, neuron, sample = _choose(trainer)
    d = derive(trainer.net, trainer.X_train, trainer.y_train, trainer.loss, layer, neuron, sample,
               trainer.learning_rate)
    math_state.show(d)
    symbols = input_symbols(d, trainer.features)
    _section("1 · Forward propagation", "The neuron weighs its inputs, adds its bias, and squashes the sum.",
             forward_latex(d, symbols))
    _section("2 · Loss", "How far the output is from the target; the cost C averages it over the set.",
             loss_latex(d))
    _section("3 · Backpropagation", _backprop_caption(d), backprop_latex(d, symbols))
    _section("4 · Gradient descent", _update_caption(trainer), update_latex(d))
    _render_gradient_check(trainer, d)
    _render_stepper(trainer, stepper, d)
    return d


def _section(title: str, caption: str, lines: list[str]) -> None:
    st.markdown(f"**{title}**")
    st.caption(caption)
    for line in lines:
        st.latex(line)


def _backprop_caption(d: Derivation) -> str:
    text = "The chain rule: how much the cost changes when this neuron's weights change."
    if d.sample is not None:
        text += (f" Each sample's terms carry the cost's 1/n: they are its share of the gradient, "
                 f"and the shares of all {d.n_samples} samples add up to the gradient in step 4.")
    else:
        text += (" Over the batch every gradient term is the sum of the samples' shares; each sample "
                 "has its own slope ∂a/∂z, so δ is a sum of products, not a product of sums. Pick a "
                 "sample to see one share multiplied out.")
    return text


def _update_caption(trainer: Trainer) -> str:
    text = "Each weight takes a small step (α, the learning rate) against the batch gradient."
    extras = []
    if trainer.optimizer_name != "gd":
        extras.append(OPTIMIZER_NAMES[trainer.optimizer_name])
    if trainer.regularizer.active:
        extras.append(f"{trainer.regularizer.kind.upper()} regularization")
    if extras:
        text += (f" Training uses {' and '.join(extras)}; this is the article's plain full-batch step "
                 "on the data cost, without them.")
    return text


def _choose(trainer: Trainer) -> tuple[int, int, int | None]:
    """Widgets for the layer, neuron and sample; returns (layer, neuron, sample or None)."""
    sizes, n = trainer.net.layer_sizes, len(trainer.X_train)
    output = len(sizes) - 2
    left, middle, right = st.columns(3)
    layer = left.selectbox("Layer", range(output, -1, -1), key=keys.MATH_LAYER.name,
                           format_func=lambda l: column_name(l + 1, len(sizes)))
    math_state.clamp_neuron(sizes[layer + 1])
    neuron = middle.selectbox("Neuron", range(sizes[layer + 1]), key=keys.MATH_NEURON.name,
                              format_func=lambda j: f"{j + 1}")
    batch = right.toggle("Batch average", key=keys.MATH_BATCH.name)
    math_state.clamp_sample(n)
    sample = right.number_input("Sample", 0, n - 1, key=keys.MATH_SAMPLE.name, disabled=batch,
                                help="Index into the training set")
    return layer, neuron, None if batch else int(sample)


# --- check the gradient ------------------------------------------------------------------------

def gradient_check_rows(trainer: Trainer, d: Derivation, numeric: Gradients) -> dict:
    """Backprop vs central differences for the neuron's weights and bias.

    Returns {"names": [...], "analytic": (fan_in + 1,), "numeric": (fan_in + 1,),
    "errors": (fan_in + 1,), "max_error": float} (weights first, the bias last).
    """
    _, analytic = trainer.net.loss_and_gradients(trainer.X_train, trainer.y_train, trainer.loss)
    pick = [(g.weights[d.layer][:, d.neuron], g.biases[d.layer][d.neuron]) for g in (analytic, numeric)]
    a, n = (np.append(w, b) for w, b in pick)
    errors = relative_errors(a, n)
    names = [f"w_{{{i + 1}}}" for i in range(len(d.w))] + ["b"]
    return {"names": names, "analytic": a, "numeric": n, "errors": errors, "max_error": float(errors.max())}


def _render_gradient_check(trainer: Trainer, d: Derivation) -> None:
    st.markdown("**Check the gradient**")
    if st.button("Check the gradient", key=keys.MATH_CHECK.name):
        math_state.check_gradient(trainer)
    numeric = math_state.checked_gradient(trainer)
    if numeric is None:
        st.caption(CHECK_IDEA)
        return
    rows = gradient_check_rows(trainer, d, numeric)
    math_state.show_check(rows)
    st.latex(gradient_check_latex(rows))
    st.markdown(f"Largest relative error: **{number(rows['max_error'], 2)}**")
    st.caption(f"{CHECK_IDEA} {agreement(rows['max_error'])}")


def digits_agreeing(relative_error: float) -> int | None:
    """How many leading digits two numbers share when they differ by `relative_error`:
    floor(−log10 error), at most 16 (float64's precision); None when the error is not finite."""
    if not math.isfinite(relative_error):
        return None
    if relative_error <= 1e-16:
        return 16
    return max(0, math.floor(-math.log10(relative_error)))


def agreement(max_error: float) -> str:
    """The gradient check's verdict in plain words, from its largest relative error."""
    digits = digits_agreeing(max_error)
    if digits is None:
        return "Here a number is not finite, so the two cannot be compared: press Reset."
    if digits >= 5:
        return (f"Here the two agree in their first {number(digits)} digits, so backprop's "
                "gradients are right.")
    return (f"Here they agree in only {number(digits)} digit(s): where the cost is very flat or very "
            "steep the nudge itself is inexact, so a large error there does not prove backprop wrong.")


# --- step through one update -------------------------------------------------------------------

def stepper_note(trainer: Trainer) -> str:
    """What the step-through is, and whether applying it as an epoch repeats it exactly."""
    differences = []
    if trainer.optimizer_name in ("momentum", "adam"):
        differences.append(OPTIMIZER_NAMES[trainer.optimizer_name])
    if trainer.batch_size < len(trainer.X_train):
        differences.append(f"mini-batches of {trainer.batch_size}")
    if trainer.regularizer.active:
        differences.append(f"{trainer.regularizer.kind.upper()} regularization")
    same = ("with your settings (full-batch gradient descent, no regularization) that epoch is this "
            "very step" if not differences else
            f"your training uses {', '.join(differences)}, so that epoch differs from this step")
    return ("This is one step of plain full-batch gradient descent on a copy of your network: nothing "
            "changes until *Apply as one epoch* trains one counted epoch with the network's own "
            f"settings; {same}.")


def _render_stepper(trainer: Trainer, stepper: UpdateStepper, d: Derivation) -> None:
    st.markdown("**Step through one update**")
    st.caption(stepper_note(trainer))
    left, right = st.columns(2)
    left.button(f"Next phase: {stepper.next_phase}", key=keys.MATH_NEXT.name,
                on_click=math_state.next_phase, args=(trainer,))
    right.button("Reset phases", key=keys.MATH_RESET.name, on_click=math_state.reset_phases,
                 args=(trainer,))
    if stepper.phase is None:
        return
    st.caption(PHASE_CAPTIONS[stepper.phase])
    if stepper.phase == "update":
        after = stepper.net.loss(stepper.X, stepper.Y, stepper.loss)  # the copy, after its update
        st.latex(rf"C_{{\text{{before}}}} = {num(stepper.cost)} \quad\to\quad "
                 rf"C_{{\text{{after}}}} = {num(after)}")
        blocked = trainer.diverged or trainer.stopped is not None
        st.button("Apply as one epoch", key=keys.MATH_APPLY.name, on_click=math_state.apply_as_epoch,
                  disabled=blocked, icon=":material/skip_next:",
                  help="Train the network one epoch (as Step does); the epoch counter goes up by one")
    elif stepper.cost is not None:
        st.latex(f"C = {num(stepper.cost)}")
    st.latex(phase_neuron_latex(stepper, d))
    st.plotly_chart(phase_figure(stepper, d), key=keys.MATH_PHASE_FIGURE.name)
