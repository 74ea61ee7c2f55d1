""""The math": the article's derivation for one neuron, filled in with the network's own numbers.

Every number comes from ``core.derivation`` (the core's forward pass and backprop); this module
only formats it as LaTeX (4 significant digits) and lays it out. ``render_math_view`` returns the
full-precision ``Derivation``, which `session.math` keeps on the page.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.activations import ACTIVATIONS
from core.derivation import Derivation, UpdateStepper, derive
from core.features import FEATURE_LATEX
from core.gradient_check import relative_errors
from core.network import Gradients
from core.optimizers import OPTIMIZER_NAMES
from core.training import Trainer
from playground.figures.phase import phase_figure
from playground.session import keys
from playground.session import math as math_state
from playground.settings.labels import column_name

DERIVATIVE_LATEX = {
    "sigmoid": r"\sigma(z)\,(1-\sigma(z))",
    "tanh": r"1-\tanh^2 z",
    "relu": r"[z > 0]",
    "leaky_relu": r"1 \text{ if } z>0 \text{ else } 0.01",
    "linear": "1",
    "elu": r"1 \text{ if } z>0 \text{ else } e^{z}",
    "softplus": r"\sigma(z)",
    "sine": r"\cos z",
}
PHASE_CAPTIONS = {
    "forward": "Forward: every neuron computes z = w·x + b and a = f(z). No weight changes.",
    "loss": "Loss: the outputs are compared with the targets; C is the mean over the training set.",
    "backward": "Backward: δ = ∂C/∂z flows from the output back; links show ∂C/∂w.",
    "update": "Update: every weight moved by −α·∂C/∂w; links show that change.",
}
AGREEMENT = ("Backprop's chain rule and the numerical slope (nudge one weight by ±ε, see how C "
             "changes) agree to many digits, so the gradients above are right.")


# --- numbers and symbols -----------------------------------------------------------------------

def num(value: float) -> str:
    """A number in LaTeX with 4 significant digits: 0.1235, -2.5, 1.2 \\times 10^{-5}."""
    if not np.isfinite(value):
        return r"\text{" + str(value) + "}"
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def term(value: float) -> str:
    """A number as a factor: negative numbers in parentheses."""
    return f"({num(value)})" if value < 0 else num(value)


def input_symbols(d: Derivation, features: tuple[str, ...]) -> list[str]:
    """LaTeX names of the neuron's inputs: the features, or the layer below's activations."""
    if d.layer == 0:
        return [FEATURE_LATEX[f] for f in features]
    return [f"a^{{({d.layer})}}_{{{i + 1}}}" for i in range(len(d.x))]


def _bar(symbol: str, d: Derivation) -> str:
    return rf"\overline{{{symbol}}}" if d.sample is None else symbol


# --- the four steps as LaTeX (pure functions) --------------------------------------------------

def forward_latex(d: Derivation, symbols: list[str]) -> list[str]:
    """z = Σ wᵢxᵢ + b with numbers, then a = f(z)."""
    products = " + ".join(f"{term(w)} \\cdot {term(x)}" for w, x in zip(d.w, d.x, strict=True))
    names = " + ".join(f"w_{i + 1} {_bar(s, d)}" for i, s in enumerate(symbols))
    z, a = _bar("z", d), _bar("a" if not d.is_output else r"\hat y", d)
    f = ACTIVATIONS[d.activation].label
    lines = [f"{z} = {names} + b = {products} + {term(d.b)} = {num(d.z)}"]
    if d.sample is None:
        lines.append(rf"{a} = \frac{{1}}{{n}}\sum_s {f}(z_s) = {num(d.a)}")
    else:
        lines.append(f"{a} = {f}(z) = {f}({num(d.z)}) = {num(d.a)}")
    return lines


def loss_latex(d: Derivation) -> list[str]:
    """The sample's loss with numbers, then the cost C over the set."""
    n = d.n_samples
    cost = (rf"C = \frac{{1}}{{n}}\sum_{{s=1}}^{{n}} L_s = \frac{{1}}{{{n}}}\sum_{{s=1}}^{{{n}}} L_s "
            rf"= {num(d.cost)}")
    if d.sample is None:
        return [cost]
    pairs = list(zip(d.y, d.y_hat, strict=True))
    if d.loss == "mse":
        squares = " + ".join(f"({num(y)} - {num(p)})^2" for y, p in pairs)
        head = r"L_s = (y - \hat y)^2" if len(pairs) == 1 else r"L_s = \frac{1}{k}\sum_j (y_j - \hat y_j)^2"
        scale = "" if len(pairs) == 1 else rf"\frac{{1}}{{{len(pairs)}}}\left({squares}\right)"
        body = squares if len(pairs) == 1 else scale
    elif len(pairs) == 1:
        y, p = pairs[0]
        head = r"L_s = -\left[y \ln \hat y + (1-y)\ln(1-\hat y)\right]"
        body = rf"-\left[{num(y)} \ln {num(p)} + {term(1 - y)} \ln {term(1 - p)}\right]"
    else:
        head = r"L_s = -\sum_j y_j \ln \hat y_j"
        body = " ".join(rf"- {term(y)} \ln {num(p)}" for y, p in pairs)
    return [f"{head} = {body} = {num(d.sample_loss)}", cost]


def backprop_latex(d: Derivation, symbols: list[str]) -> list[str]:
    """∂C/∂a, ∂a/∂z, δ, ∂z/∂wᵢ = xᵢ, ∂C/∂wᵢ and ∂C/∂b, each with its number."""
    return _delta_lines(d) + _weight_lines(d, symbols)


def _delta_lines(d: Derivation) -> list[str]:
    a = r"\hat y" if d.is_output else "a"
    dC_da, da_dz = rf"\frac{{\partial C}}{{\partial {a}}}", rf"\frac{{\partial {a}}}{{\partial z}}"
    total = r"\sum_s " if d.sample is None else ""
    delta = r"\delta = \frac{\partial C}{\partial z}"
    if d.dC_da is None:  # cross-entropy or softmax: δ straight from the loss
        rule = (r"\frac{1}{n}(\hat y - y)" if d.loss == "cross_entropy"
                else r"J_{\text{softmax}}^\top \nabla_{\hat y} C")
        return [f"{delta} = {total}{rule} = {num(d.delta)}"]
    if d.is_output:
        k = len(d.y)
        scale = rf"\frac{{2}}{{{d.n_samples}}}" if k == 1 else rf"\frac{{2}}{{{d.n_samples} \cdot {k}}}"
        first = f"{dC_da} = {total}{scale}(\\hat y - y) = {num(d.dC_da)}"
    else:
        pairs = zip(d.next_weights, d.next_deltas, strict=True)
        parts = " + ".join(f"{term(w)} \\cdot {term(v)}" for w, v in pairs)
        first = rf"{dC_da} = \sum_k w_{{jk}}\,\delta_k = {parts} = {num(d.dC_da)}"
    slope = _bar(f"{da_dz}", d)
    second = f"{slope} = {DERIVATIVE_LATEX[d.activation]} = {num(d.da_dz)}"
    if d.sample is None:
        third = rf"{delta} = \sum_s \delta_s = {num(d.delta)}"
    else:
        third = rf"{delta} = {dC_da}\cdot{da_dz} = {term(d.dC_da)} \cdot {term(d.da_dz)} = {num(d.delta)}"
    return [first, second, third]


def _weight_lines(d: Derivation, symbols: list[str]) -> list[str]:
    lines = []
    for i, (x, g, s) in enumerate(zip(d.x, d.dC_dw, symbols, strict=True)):
        w = rf"\frac{{\partial C}}{{\partial w_{{{i + 1}}}}}"
        if d.sample is None:
            lines.append(rf"{w} = \sum_s \delta_s\, ({s})_s = {num(g)}")
        else:
            lines.append(rf"\frac{{\partial z}}{{\partial w_{{{i + 1}}}}} = {s} = {num(x)}, \quad "
                         rf"{w} = \delta \cdot {s} = {term(d.delta)} \cdot {term(x)} = {num(g)}")
    total = r"\sum_s \delta_s" if d.sample is None else r"\delta"
    lines.append(rf"\frac{{\partial C}}{{\partial b}} = {total} \cdot 1 = {num(d.dC_db)}")
    return lines


def update_latex(d: Derivation) -> list[str]:
    """w ← w − α ∂C/∂w for each weight and the bias, with the batch gradient."""
    alpha = num(d.learning_rate)
    lines = [rf"w_{{{i + 1}}} \leftarrow w_{{{i + 1}}} - \alpha "
             rf"\frac{{\partial C}}{{\partial w_{{{i + 1}}}}} = {num(w)} - {alpha} \cdot {term(g)} "
             rf"= {num(new)}"
             for i, (w, g, new) in enumerate(zip(d.w, d.grad_w, d.new_w, strict=True))]
    lines.append(rf"b \leftarrow b - \alpha \frac{{\partial C}}{{\partial b}} = {num(d.b)} - {alpha} "
                 rf"\cdot {term(d.grad_b)} = {num(d.new_b)}")
    return lines


# --- the page ----------------------------------------------------------------------------------

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
    _render_stepper(stepper, d)
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
        text += " Over the batch the terms are sums of every sample's share (values are means)."
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


def gradient_check_latex(rows: dict) -> str:
    """The rows as a LaTeX array: parameter, backprop, numerical, relative error."""
    body = r" \\ ".join(f"{name} & {num(a)} & {num(n)} & {num(e)}" for name, a, n, e in
                        zip(rows["names"], rows["analytic"], rows["numeric"], rows["errors"], strict=True))
    head = r"& \text{backprop} & \text{numerical} & \text{relative error}"
    return rf"\begin{{array}}{{lrrr}} {head} \\ \hline {body} \end{{array}}"


def _render_gradient_check(trainer: Trainer, d: Derivation) -> None:
    st.markdown("**Check the gradient**")
    if st.button("Check the gradient", key=keys.MATH_CHECK.name):
        math_state.check_gradient(trainer)
    numeric = math_state.checked_gradient(trainer)
    if numeric is None:
        st.caption("Compares backprop with the slope measured by nudging each weight by ±ε.")
        return
    rows = gradient_check_rows(trainer, d, numeric)
    math_state.show_check(rows)
    st.latex(gradient_check_latex(rows))
    st.markdown(f"Largest relative error: **{rows['max_error']:.1e}**")
    st.caption(AGREEMENT)


# --- step through one update -------------------------------------------------------------------

def _render_stepper(stepper: UpdateStepper, d: Derivation) -> None:
    st.markdown("**Step through one update**")
    st.caption("One full-batch gradient-descent step, one phase per click: forward, loss, backward, update.")
    left, right = st.columns(2)
    left.button(f"Next phase: {stepper.next_phase}", key=keys.MATH_NEXT.name, on_click=stepper.advance)
    right.button("Reset phases", key=keys.MATH_RESET.name, on_click=stepper.reset)
    if stepper.phase is None:
        return
    st.caption(PHASE_CAPTIONS[stepper.phase])
    if stepper.phase == "update":
        after = stepper.net.loss(stepper.X, stepper.Y, stepper.loss)
        st.latex(rf"C_{{\text{{before}}}} = {num(stepper.cost)} \quad\to\quad "
                 rf"C_{{\text{{after}}}} = {num(after)}")
    elif stepper.cost is not None:
        st.latex(f"C = {num(stepper.cost)}")
    st.latex(phase_neuron_latex(stepper, d))
    st.plotly_chart(phase_figure(stepper, d), key=keys.MATH_PHASE_FIGURE.name)


def phase_neuron_latex(stepper: UpdateStepper, d: Derivation) -> str:
    """The chosen neuron's value from the current phase: a, then ∂C/∂b = Σδ, then the changes."""
    layer, j = d.layer, d.neuron
    if stepper.phase == "update":
        changes = ", ".join(num(v) for v in stepper.changes.weights[layer][:, j])
        return (rf"\Delta w = -\alpha \frac{{\partial C}}{{\partial w}} = ({changes}), \quad "
                rf"\Delta b = {num(stepper.changes.biases[layer][j])}")
    if stepper.phase == "backward":
        grad_b = stepper.gradients.biases[layer][j]
        return rf"\frac{{\partial C}}{{\partial b}} = \sum_s \delta_s = {num(grad_b)}"
    a = stepper.forward_pass.activations[layer + 1][:, j]
    value = a.mean() if d.sample is None else a[d.sample]
    return rf"{_bar('a', d)} = {num(value)}"
