"""The math view's formulas as LaTeX: pure functions from a core ``Derivation`` (and the
step-through's ``UpdateStepper``) to lines for ``st.latex``. Every number goes through the
project's one number format (``settings.text.latex_number``: 4 significant digits, compact,
NaN and ±∞ named)."""

from __future__ import annotations

import re

from core.activations import ACTIVATIONS
from core.derivation import Derivation, UpdateStepper
from core.features import FEATURE_LATEX
from playground.settings.text import latex_number

DERIVATIVE_LATEX = {  # f'(z), in the form the sample view fills in with numbers (_slope_numbers)
    "sigmoid": r"\sigma(z)\,(1-\sigma(z))",
    "tanh": r"1-\tanh^2 z",
    "relu": r"[z > 0]",
    "leaky_relu": r"1 \text{ if } z>0 \text{ else } 0.01",
    "linear": "1",
    "elu": r"1 \text{ if } z>0 \text{ else } e^{z}",
    "softplus": r"\sigma(z)",
    "sine": r"\cos z",
}
# The network's sigmoid, ½(1 + tanh(z/2)) (core.activations), is exact to about 1e-16 absolute,
# not relative: an output within SATURATION of 0 or 1 is not right to the 4 digits shown. Its
# activation line then says ≈, and the binary cross-entropy is shown in logits, as the core
# computes it.
SATURATION = 1e-11
PARTIAL_C = r"\frac{\partial C}"
DELTA = r"\delta = \frac{\partial C}{\partial z}"


# --- numbers and symbols -----------------------------------------------------------------------

def num(value: float) -> str:
    """A number in LaTeX, the project's one format: 0.1235, -2.5, 1.2 \\times 10^{-5}, \\infty."""
    return latex_number(value)


def term(value: float) -> str:
    """A number as a factor or a subtrahend: negative numbers (and −∞) in parentheses."""
    return f"({num(value)})" if value < 0 else num(value)


def input_symbols(d: Derivation, features: tuple[str, ...]) -> list[str]:
    """LaTeX names of the neuron's inputs: the features, or the layer below's activations."""
    if d.layer == 0:
        return [FEATURE_LATEX[f] for f in features]
    return [f"a^{{({d.layer})}}_{{{i + 1}}}" for i in range(len(d.x))]


def _bar(symbol: str, d: Derivation) -> str:
    return rf"\overline{{{symbol}}}" if d.sample is None else symbol


def _out(d: Derivation, index: int | None = None, suffix: str = "", name: str = r"\hat y") -> str:
    """An output's symbol (`name` ŷ, or y for its target): ŷ for one output, ŷ_j (j from 1, the
    chosen neuron unless `index`) for several; `suffix` "s" adds the sample: ŷ_s, ŷ_{j,s}."""
    if len(d.y) == 1 and index is None:
        return name + (f"_{{{suffix}}}" if suffix else "")
    j = (d.neuron if index is None else index) + 1
    return rf"{name}_{{{j}{',' + suffix if suffix else ''}}}"


def _own(d: Derivation, suffix: str = "") -> str:
    """The chosen neuron's output symbol: a (hidden) or ŷ (output), with an optional subscript."""
    if d.is_output:
        return _out(d, suffix=suffix)
    return f"a_{{{suffix}}}" if suffix else "a"


def _rounded_off(activation: str, a: float) -> bool:
    """True where the network's value of f(z) is not f(z) to the digits shown (see SATURATION)."""
    if activation == "sigmoid":
        return min(a, 1.0 - a) < SATURATION
    return activation in ("tanh", "softmax") and abs(a) in (0.0, 1.0)


def _slope_numbers(name: str, z: float, a: float) -> str | None:
    """f'(z) of DERIVATIVE_LATEX with the sample's z and a filled in; None when the formula is
    a bare value or a case distinction."""
    forms = {"tanh": f"1 - {term(a)}^2", "sigmoid": rf"{term(a)} \cdot (1 - {term(a)})",
             "relu": f"[{num(z)} > 0]", "softplus": rf"\sigma({num(z)})", "sine": rf"\cos({num(z)})"}
    if name == "elu" and z <= 0:  # e^z = a + 1 (a = e^z − 1): the core's form, exact where e^z is tiny
        return f"a + 1 = {term(a)} + 1"
    return forms.get(name)


# --- the four steps as LaTeX (pure functions) --------------------------------------------------

def forward_latex(d: Derivation, symbols: list[str]) -> list[str]:
    """z = Σᵢ wᵢxᵢ + b with numbers, then a = f(z) (the sample's, or the means over the set).

    The sum holds for the means too (z is linear in x); f(z̄) ≠ mean of f(z), so the batch's
    activation line shows only the mean's value. Where a sigmoid, tanh or softmax output is
    exactly 0 or ±1 in floating point (it never is in exact arithmetic), or a sigmoid's
    within SATURATION of it, the line says ≈.
    """
    products = " + ".join(rf"{term(w)} \cdot {term(x)}" for w, x in zip(d.w, d.x, strict=True))
    names = " + ".join(f"w_{i + 1} {_bar(s, d)}" for i, s in enumerate(symbols))
    z, a = _bar("z", d), _bar(_own(d), d)
    f = ACTIVATIONS[d.activation].label
    lines = [f"{z} = {names} + b = {products} + {term(d.b)} = {num(d.z)}"]
    value = (r"\approx " if _rounded_off(d.activation, d.a) else "= ") + num(d.a)
    if d.sample is None:
        pick = f"_{{{d.neuron + 1}}}" if d.activation == "softmax" else ""
        lines.append(rf"{a} = \frac{{1}}{{n}}\sum_s {f}(z_s){pick} = {num(d.a)}")
    elif d.activation == "softmax":  # ŷⱼ = e^{zⱼ} / Σₖ e^{zₖ}: every output's z
        exps = " + ".join(f"e^{{{num(zk)}}}" for zk in d.z_out)
        lines.append(rf"{a} = \frac{{e^{{z_{{{d.neuron + 1}}}}}}}{{\sum_k e^{{z_k}}}} = "
                     rf"\frac{{e^{{{num(d.z)}}}}}{{{exps}}} {value}")
    else:
        lines.append(f"{a} = {f}(z) = {f}({num(d.z)}) {value}")
    return lines


def loss_latex(d: Derivation) -> list[str]:
    """The sample's loss L with numbers (none in the batch view), then the cost C = mean of L.

    MSE: L = (1/k) Σⱼ (yⱼ − ŷⱼ)²; binary cross-entropy: L = −[y ln ŷ + (1−y) ln(1−ŷ)];
    categorical: L = −Σⱼ yⱼ ln ŷⱼ. Where an output is (almost) exactly 0 or 1 in floating point, the
    cross-entropy shows the form in logits the core computes (see SATURATION).
    """
    n = d.n_samples
    cost = (rf"C = \frac{{1}}{{n}}\sum_{{s=1}}^{{n}} L_s = \frac{{1}}{{{n}}}\sum_{{s=1}}^{{{n}}} L_s "
            rf"= {num(d.cost)}")
    if d.sample is None:
        return [cost]
    pairs = list(zip(d.y, d.y_hat, strict=True))
    if d.loss == "mse":
        squares = " + ".join(f"({num(y)} - {term(p)})^2" for y, p in pairs)
        head = r"L_s = (y - \hat y)^2" if len(pairs) == 1 else r"L_s = \frac{1}{k}\sum_j (y_j - \hat y_j)^2"
        body = squares if len(pairs) == 1 else rf"\frac{{1}}{{{len(pairs)}}}\left({squares}\right)"
    elif len(pairs) == 1:
        (y, p), z = pairs[0], d.z_out[0]
        head = r"L_s = -\left[y \ln \hat y + (1-y)\ln(1-\hat y)\right]"
        body = (rf"-\left[{num(y)} \ln {num(p)} + {num(1 - y)} \ln {num(1 - p)}\right]"
                if not _rounded_off("sigmoid", p) else
                rf"\ln(1 + e^{{z}}) - y z = \ln(1 + e^{{{num(z)}}}) - {num(y)} \cdot {term(z)}")
    else:
        head = r"L_s = -\sum_j y_j \ln \hat y_j"
        body = " ".join(rf"- {num(y)} \ln {num(p)}" for y, p in pairs)
        if min(d.y_hat) <= 0:
            exps = " + ".join(f"e^{{{num(z)}}}" for z in d.z_out)
            dots = " + ".join(rf"{num(y)} \cdot {term(z)}" for y, z in zip(d.y, d.z_out, strict=True))
            body = rf"\ln \sum_j e^{{z_j}} - \sum_j y_j z_j = \ln\left({exps}\right) - \left({dots}\right)"
    return [f"{head} = {body} = {num(d.sample_loss)}", cost]


def backprop_latex(d: Derivation, symbols: list[str]) -> list[str]:
    """∂C/∂a, ∂a/∂z, δ, then ∂z/∂wᵢ = xᵢ, ∂C/∂wᵢ and ∂C/∂b: every line that prints arithmetic
    on numbers holds with those numbers.

    Sample view: δ = ∂C/∂a · ∂a/∂z and ∂C/∂wᵢ = δ·xᵢ multiplied out. Batch view: every gradient
    term is a sum over the samples, δ = Σₛ ∂C/∂aₛ · ∂a/∂zₛ; the slope differs per sample, so
    no single ∂a/∂z is printed (a mean slope times a summed ∂C/∂a is not δ).
    """
    if d.is_output and d.dC_da is None:
        lines = _softmax_mse_lines(d) if d.loss == "mse" else _cross_entropy_lines(d)
    elif d.sample is None:
        lines = _batch_chain(d)
    else:
        lines = _sample_chain(d)
    return lines + _weight_lines(d, symbols)


def _cross_entropy_lines(d: Derivation) -> list[str]:
    """δ = (ŷ − y)/n: the sigmoid's or softmax's slope cancels against the loss's."""
    j = d.neuron if len(d.y) > 1 else 0
    numbers = f"{num(d.y_hat[j])} - {term(d.y[j])}"
    if d.sample is None:  # Σₛ (ŷₛ − yₛ)/n = mean ŷ − mean y
        p, y = _out(d, suffix="s"), _out(d, suffix="s", name="y")
        means = rf"\overline{{{_out(d)}}} - \overline{{{_out(d, name='y')}}}"
        return [rf"{DELTA} = \sum_s \frac{{1}}{{n}}({p} - {y}) = {means} = {numbers} = {num(d.delta)}"]
    rule = rf"\frac{{1}}{{n}}({_out(d)} - {_out(d, name='y')})"
    return [rf"{DELTA} = {rule} = \frac{{1}}{{{d.n_samples}}}({numbers}) = {num(d.delta)}"]


def _softmax_mse_lines(d: Derivation) -> list[str]:
    """∂C/∂ŷₖ for every output, then δⱼ = ŷⱼ (∂C/∂ŷⱼ − Σₖ ŷₖ ∂C/∂ŷₖ) (the softmax's Jacobian)."""
    k, n, lines = len(d.y), d.n_samples, []
    for i, (y, p, g) in enumerate(zip(d.y, d.y_hat, d.dC_dy_hat, strict=True)):
        if d.sample is None:
            lines.append(rf"\sum_s {PARTIAL_C}{{\partial {_out(d, i, 's')}}} = \frac{{2}}{{k}}"
                         rf"(\overline{{{_out(d, i)}}} - \overline{{y_{{{i + 1}}}}}) = \frac{{2}}{{{k}}}"
                         rf"({num(p)} - {term(y)}) = {num(g)}")
        else:
            lines.append(rf"{PARTIAL_C}{{\partial {_out(d, i)}}} = \frac{{2}}{{n \cdot k}}({_out(d, i)} - "
                         rf"y_{{{i + 1}}}) = \frac{{2}}{{{n} \cdot {k}}}({num(p)} - {term(y)}) = {num(g)}")
    j, s = d.neuron, (",s" if d.sample is None else "")
    rule = (rf"\hat y_{{{j + 1}{s}}}\left({PARTIAL_C}{{\partial \hat y_{{{j + 1}{s}}}}} - "
            rf"\sum_k \hat y_{{k{s}}} {PARTIAL_C}{{\partial \hat y_{{k{s}}}}}\right)")
    if d.sample is None:
        return [*lines, rf"{DELTA} = \sum_s {rule} = {num(d.delta)}"]
    dots = " + ".join(rf"{term(p)} \cdot {term(g)}" for p, g in zip(d.y_hat, d.dC_dy_hat, strict=True))
    numbers = rf"{term(d.y_hat[j])} \cdot \left({num(d.dC_dy_hat[j])} - ({dots})\right)"
    return [*lines, rf"{DELTA} = {rule} = {numbers} = {num(d.delta)}"]


def _first_factor(d: Derivation, suffix: str = "") -> str:
    """∂C/∂a's rule: (2/(n·k))(ŷ − y) from an MSE output, Σₖ wⱼₖ δₖ from the layer above."""
    if d.is_output:
        k = len(d.y)
        scale = r"\frac{2}{n}" if k == 1 else r"\frac{2}{n \cdot k}"
        return rf"{scale}({_own(d, suffix)} - {_out(d, suffix=suffix, name='y')})"
    return rf"\sum_k w_{{jk}}\,\delta_{{k{',' + suffix if suffix else ''}}}"


def _next_layer_parts(d: Derivation) -> str:
    pairs = zip(d.next_weights, d.next_deltas, strict=True)
    return " + ".join(rf"{term(w)} \cdot {term(v)}" for w, v in pairs)


def _sample_chain(d: Derivation) -> list[str]:
    """One sample: ∂C/∂a, ∂a/∂z and their product δ, each with its numbers."""
    a = _own(d)
    dC_da, da_dz = rf"{PARTIAL_C}{{\partial {a}}}", rf"\frac{{\partial {a}}}{{\partial z}}"
    if d.is_output:
        k, j = len(d.y), (d.neuron if len(d.y) > 1 else 0)
        scale = f"{d.n_samples}" if k == 1 else rf"{d.n_samples} \cdot {k}"
        numbers = rf"\frac{{2}}{{{scale}}}({num(d.y_hat[j])} - {term(d.y[j])})"
    else:
        numbers = _next_layer_parts(d)
    first = f"{dC_da} = {_first_factor(d)} = {numbers} = {num(d.dC_da)}"
    slope = _slope_numbers(d.activation, d.z, d.a)
    slope = "" if slope is None else f" = {slope}"
    rounded = d.activation == "softplus" and _rounded_off("sigmoid", d.da_dz)  # its slope is σ(z)
    value = (r"\approx " if rounded else "= ") + num(d.da_dz)
    second = f"{da_dz} = {DERIVATIVE_LATEX[d.activation]}{slope} {value}"
    third = (rf"{DELTA} = {dC_da}\cdot{da_dz} = {term(d.dC_da)} \cdot {term(d.da_dz)} "
             rf"= {num(d.delta)}")
    return [first, second, third]


def _batch_chain(d: Derivation) -> list[str]:
    """The batch: Σₛ ∂C/∂aₛ (with numbers: it is linear in the samples), the per-sample slope
    in symbols, and δ = Σₛ ∂C/∂aₛ · ∂a/∂zₛ with its value."""
    a = _own(d, "s")
    dC_da, da_dz = rf"{PARTIAL_C}{{\partial {a}}}", rf"\frac{{\partial {a}}}{{\partial z_s}}"
    if d.is_output:  # Σₛ (2/(n·k))(ŷₛ − yₛ) = (2/k)(mean ŷ − mean y)
        k, j = len(d.y), (d.neuron if len(d.y) > 1 else 0)
        scale, factor = ("2", "2") if k == 1 else (r"\frac{2}{k}", rf"\frac{{2}}{{{k}}}")
        y = "y" if k == 1 else f"y_{{{j + 1}}}"
        means = rf"{scale}(\overline{{{_own(d)}}} - \overline{{{y}}})"
        numbers = rf"{means} = {factor} \cdot ({num(d.y_hat[j])} - {term(d.y[j])})"
    else:  # Σₛ Σₖ wⱼₖ δₖ,ₛ = Σₖ wⱼₖ (Σₛ δₖ,ₛ)
        numbers = rf"\sum_k w_{{jk}} \sum_s \delta_{{k,s}} = {_next_layer_parts(d)}"
    first = rf"\sum_s {dC_da} = \sum_s {_first_factor(d, 's')} = {numbers} = {num(d.dC_da)}"
    slope = re.sub(r"(?<![A-Za-z\\])z(?![A-Za-z_])", "z_s", DERIVATIVE_LATEX[d.activation])
    second = rf"{da_dz} = {slope} \quad \text{{(one slope per sample)}}"
    third = rf"{DELTA} = \sum_s \delta_s = \sum_s {dC_da}\,{da_dz} = {num(d.delta)}"
    return [first, second, third]


def _weight_lines(d: Derivation, symbols: list[str]) -> list[str]:
    lines = []
    for i, (x, g, s) in enumerate(zip(d.x, d.dC_dw, symbols, strict=True)):
        w = rf"{PARTIAL_C}{{\partial w_{{{i + 1}}}}}"
        if d.sample is None:
            lines.append(rf"{w} = \sum_s \delta_s\, ({s})_s = {num(g)}")
        else:
            lines.append(rf"\frac{{\partial z}}{{\partial w_{{{i + 1}}}}} = {s} = {num(x)}, \quad "
                         rf"{w} = \delta \cdot {s} = {term(d.delta)} \cdot {term(x)} = {num(g)}")
    if d.sample is None:
        lines.append(rf"{PARTIAL_C}{{\partial b}} = \sum_s \delta_s \cdot 1 = {num(d.dC_db)}")
    else:
        lines.append(rf"{PARTIAL_C}{{\partial b}} = \delta \cdot 1 = {term(d.delta)} \cdot 1 "
                     rf"= {num(d.dC_db)}")
    return lines


def update_latex(d: Derivation) -> list[str]:
    """w ← w − α ∂C/∂w for each weight and the bias, with the batch gradient."""
    alpha = num(d.learning_rate)
    lines = [rf"w_{{{i + 1}}} \leftarrow w_{{{i + 1}}} - \alpha "
             rf"{PARTIAL_C}{{\partial w_{{{i + 1}}}}} = {num(w)} - {alpha} \cdot {term(g)} "
             rf"= {num(new)}"
             for i, (w, g, new) in enumerate(zip(d.w, d.grad_w, d.new_w, strict=True))]
    lines.append(rf"b \leftarrow b - \alpha {PARTIAL_C}{{\partial b}} = {num(d.b)} - {alpha} "
                 rf"\cdot {term(d.grad_b)} = {num(d.new_b)}")
    return lines


# --- the gradient check and the step-through ------------------------------------------------

def gradient_check_latex(rows: dict) -> str:
    """The rows as a LaTeX array: parameter, backprop, numerical, relative error."""
    body = r" \\ ".join(f"{name} & {num(a)} & {num(n)} & {num(e)}" for name, a, n, e in
                        zip(rows["names"], rows["analytic"], rows["numeric"], rows["errors"], strict=True))
    head = r"& \text{backprop} & \text{numerical} & \text{relative error}"
    return rf"\begin{{array}}{{lrrr}} {head} \\ \hline {body} \end{{array}}"


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
