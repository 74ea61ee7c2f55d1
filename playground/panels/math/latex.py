"""The math view's formulas as LaTeX: pure functions from a core ``Derivation`` (and the
step-through's ``UpdateStepper``) to lines for ``st.latex``. Every number goes through the
project's one number format (``settings.text.latex_number``: 4 significant digits, compact,
NaN and ±∞ named)."""

from __future__ import annotations

from core.activations import ACTIVATIONS
from core.derivation import Derivation, UpdateStepper
from core.features import FEATURE_LATEX
from playground.settings.text import latex_number

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


# --- numbers and symbols -----------------------------------------------------------------------

def num(value: float) -> str:
    """A number in LaTeX, the project's one format: 0.1235, -2.5, 1.2 \\times 10^{-5}, \\infty."""
    return latex_number(value)


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
