"""Hands on the network (issue 7): edit any weight or bias by hand, and look at one neuron large.

A parameter is picked by clicking its link or neuron on the paused network diagram, or from the
list beside it (the keyboard and touch equivalent of the click); a typed value goes through
``Trainer.set_weight`` / ``Trainer.set_bias``. The surface, stats, cost curve, metrics and the
math all redraw from the trainer, so they show the edit on the same rerun, and Play or Step
continue from the edited network. The output neuron's bias is editable like any other.

Picking a neuron (clicking it, or its bias in the list) also *focuses* it: its output over the
input square replaces the decision surface until it is clicked again, Esc or the button.

Session state, all under "edit_" keys:
    edit_param    the picked parameter, ("w", layer, i, j) or ("b", layer, j)
    edit_list_key the list's current key, "edit_list_<fingerprint of the parameters>"
    edit_value    the number typed for it; edit_shown: (param, value) it was last seeded with
    edit_focus    (column, k): the neuron shown large (column 0 = inputs, last = output)
    edit_rev      revision of the clickable diagram's key: a fresh chart after every click
    edit_message  ("success" | "error", text), shown once under the editor
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import MutableMapping

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import MLP, Surface, Trainer
from playground import classroom
from playground.classroom_figures import neuron_focus_figure
from playground.colors import INK, VERMILLION
from playground.figures import THUMB

Param = tuple  # ("w", layer, i, j) or ("b", layer, j)
PICK_HINT = ("Pause, then click a link or a neuron on the diagram, or pick it here; type a value "
             "and Apply. The output neuron's bias is editable too.")
BACK_SHORTCUT = "Esc"


# --- parameters and their names (pure) ------------------------------------------------------

def column_name(column: int, n_columns: int) -> str:
    """"inputs", "hidden 1", …, "output": the diagram's name for a column of neurons."""
    if column == 0:
        return "inputs"
    return "output" if column == n_columns - 1 else f"hidden {column}"


def neuron_name(column: int, k: int, n_columns: int) -> str:
    """E.g. "hidden 2 · neuron 1", as the diagram's hover text names it."""
    return f"{column_name(column, n_columns)} · neuron {k}"


def parameters(layer_sizes: tuple[int, ...]) -> list[Param]:
    """Every weight and bias, link layer by link layer: its weights w[l][i→j], then its biases."""
    params: list[Param] = []
    for layer, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:], strict=True)):
        params += [("w", layer, i, j) for i in range(fan_in) for j in range(fan_out)]
        params += [("b", layer, j) for j in range(fan_out)]
    return params


def value_of(net: MLP, param: Param) -> float:
    if param[0] == "w":
        _, layer, i, j = param
        return float(net.weights[layer][i, j])
    _, layer, j = param
    return float(net.biases[layer][j])


def param_name(param: Param, n_columns: int) -> str:
    """"w[1][0→2]" (link layer, source → target, as the diagram's hover) or "b[hidden 1 · neuron 0]"."""
    if param[0] == "w":
        _, layer, i, j = param
        return f"w[{layer}][{i}→{j}]"
    _, layer, j = param
    return f"b[{neuron_name(layer + 1, j, n_columns)}]"


def param_label(param: Param, net: MLP) -> str:
    """The list's text for a parameter: its name and current value, e.g. "w[1][0→2] = 0.341"."""
    return f"{param_name(param, len(net.layer_sizes))} = {value_of(net, param):.3f}"


def bias_neuron(param: Param) -> tuple[int, int] | None:
    """(column, k) of the neuron a bias belongs to; None for a weight."""
    return (param[1] + 1, param[2]) if param[0] == "b" else None


def click_target(point: dict) -> tuple[str, tuple[int, ...]] | None:
    """What a selected diagram point is: ("link", (layer, i, j)), ("neuron", (column, k)) or None.

    Link hover points carry [layer, i, j] in ``customdata``; ``pickable`` gives the neuron hover
    points [column, k]. The browser sends a row of a numpy-sent (typed) array as {"0": …, "1": …}.
    """
    data = point.get("customdata")
    if isinstance(data, dict):
        try:
            data = [data[key] for key in sorted(data, key=int)]
        except (TypeError, ValueError):
            return None
    if not isinstance(data, list | tuple) or len(data) not in (2, 3):
        return None
    try:
        indices = tuple(int(v) for v in data)
    except (TypeError, ValueError):
        return None
    return ("link" if len(indices) == 3 else "neuron"), indices


# --- the network diagram, clickable -----------------------------------------------------------

def _neuron_trace(figure: go.Figure):
    """The diagram's invisible neuron hover markers: the marker trace with hover text per neuron."""
    return next((t for t in figure.data if t.type == "scatter" and t.hovertext is not None
                 and t.mode == "markers"), None)


def _link_trace(figure: go.Figure):
    """The diagram's invisible link hover markers, customdata [layer, i, j] per link."""
    return next((t for t in figure.data if t.type == "scatter" and t.customdata is not None
                 and np.asarray(t.customdata).shape[1:] == (3,)), None)


def pickable(figure: go.Figure, layer_sizes: tuple[int, ...], param: Param | None,
             focus: tuple[int, int] | None) -> go.Figure:
    """The network diagram made clickable and marked: neurons get customdata [column, k], a click
    selects one point, the picked link gets a ring, the picked neuron and the focused one a square.
    Changes and returns `figure`; one drawn without hover markers is returned as it is.
    """
    neurons, links = _neuron_trace(figure), _link_trace(figure)
    if neurons is None or links is None:
        return figure
    neurons.customdata = np.array([(c, k) for c, n in enumerate(layer_sizes) for k in range(n)])
    figure.layout.clickmode = "event+select"
    shapes = list(figure.layout.shapes)
    if param is not None and param[0] == "w":
        row = np.flatnonzero((np.asarray(links.customdata) == param[1:]).all(axis=1))
        if row.size:
            x, y = float(links.x[row[0]]), float(links.y[row[0]])
            shapes.append(_ring("circle", x, y, 0.12 * THUMB, VERMILLION))
    marked = {focus: INK, bias_neuron(param) if param else None: VERMILLION}  # same neuron: vermillion
    for neuron, color in marked.items():
        if neuron is not None:
            index = sum(layer_sizes[:neuron[0]]) + neuron[1]
            shapes.append(_ring("rect", float(neurons.x[index]), float(neurons.y[index]),
                                0.62 * THUMB, color))
    figure.layout.shapes = shapes
    return figure


def _ring(kind: str, x: float, y: float, half: float, color: str) -> dict:
    return {"type": kind, "xref": "x", "yref": "y", "x0": x - half, "x1": x + half,
            "y0": y - half, "y1": y + half, "line": {"color": color, "width": 3}}


def _chart_key() -> str:
    return f"edit_network_{st.session_state.get('edit_rev', 0)}"


def pickable_chart(place: DeltaGenerator, figure: go.Figure, trainer: Trainer, height: int) -> None:
    """Draw the paused diagram into `place`: a click on a link or neuron picks it (see _on_click)."""
    sizes = trainer.net.layer_sizes
    param = _valid_param(st.session_state.get("edit_param"), sizes)
    figure = pickable(figure, sizes, param, _focus(sizes))
    figure.layout.height = height
    place.plotly_chart(figure, key=_chart_key(), on_select=_on_click, selection_mode="points",
                       config=classroom.CHART_CONFIG, theme=None)


def _on_click() -> None:
    """on_select: the first link or neuron clicked (see `click`); a fresh chart afterwards, so
    the same point can be clicked again."""
    s = st.session_state
    selection = s.get(_chart_key(), {}).get("selection", {})
    targets = [t for t in map(click_target, selection.get("points", [])) if t]
    if targets:
        s.edit_rev = s.get("edit_rev", 0) + 1
        click(s, *targets[0])


def click(state: MutableMapping, kind: str, indices: tuple[int, ...]) -> None:
    """One click into the edit state: a link picks its weight; a neuron picks its bias (inputs
    have none) and is shown large; a click on the neuron already shown large ends the focus."""
    if kind == "link":
        pick(state, ("w", *indices))
        return
    column, k = indices
    if state.get("edit_focus") == (column, k):
        state["edit_focus"] = None
        return
    state["edit_focus"] = (column, k)
    if column > 0:
        pick(state, ("b", column - 1, k))


def pick(state: MutableMapping, param: Param | None) -> None:
    """Make `param` the edited parameter, and the list's choice."""
    state["edit_param"] = param
    if "edit_list_key" in state:
        state[state["edit_list_key"]] = param


# --- the editor beside the diagram -------------------------------------------------------------

def _valid_param(param, layer_sizes: tuple[int, ...]) -> Param | None:
    return param if param in parameters(layer_sizes) else None


def _focus(layer_sizes: tuple[int, ...]) -> tuple[int, int] | None:
    focus = st.session_state.get("edit_focus")
    if focus is None or not (0 <= focus[0] < len(layer_sizes) and 0 <= focus[1] < layer_sizes[focus[0]]):
        return None
    return focus


def render_editor(trainer: Trainer) -> None:
    """The list of every weight and bias, a number input and Apply; disabled while playing or
    while the replay slider shows an earlier epoch."""
    s, net = st.session_state, trainer.net
    options = parameters(net.layer_sizes)
    if s.get("edit_param") not in options:  # a new network: the old pick no longer exists
        s.edit_param = None
    key = list_key(net)
    if s.get("edit_list_key", key) != key:
        s.pop(s.edit_list_key, None)  # one list per network state: each step would add a key
    s.edit_list_key = key
    if key not in s:
        s[key] = s.edit_param
    why_not = ("Pause to edit weights and biases by hand." if s.get("playing") else
               "Replaying an earlier epoch: move the replay slider to the end to edit."
               if classroom.replay_snapshot(trainer) is not None else None)
    where, value = st.columns([3, 2], vertical_alignment="bottom")
    param = where.selectbox("Weight or bias", options, key=key, index=None,
                           placeholder="Click the diagram or pick one…", on_change=_on_pick, args=(key,),
                           format_func=lambda p: param_label(p, net), disabled=why_not is not None,
                           help=PICK_HINT)
    if param is not None and s.get("edit_shown") != (param, value_of(net, param)):
        s.edit_value = value_of(net, param)  # seed the input with the parameter's current value
        s.edit_shown = (param, s.edit_value)
    with value.form("edit_form", border=False, enter_to_submit=True):
        number, apply = st.columns([3, 2], vertical_alignment="bottom")
        number.number_input("New value", key="edit_value", value=None, step=0.1, format="%.4f",
                            disabled=param is None or why_not is not None,
                            placeholder="a number")
        apply.form_submit_button("Apply", on_click=_apply, disabled=param is None or why_not is not None,
                                 width="stretch")
    if why_not:
        st.caption(why_not)
    message = s.pop("edit_message", None)
    if message:
        kind, text = message
        if kind == "success":
            st.success(text, icon=":material/check_circle:")
        else:
            st.error(text, icon=":material/error:")


def list_key(net: MLP) -> str:
    """The list's key: a new one whenever a parameter changes, so the browser shows the options'
    new values (it keeps a selected option's old text while the same option stays selected)."""
    return "edit_list_" + hashlib.blake2b(net.params.tobytes(), digest_size=8).hexdigest()


def _on_pick(key: str) -> None:
    """Picking a bias in the list also shows its neuron large, like clicking the neuron."""
    s = st.session_state
    s.edit_param = param = s[key]
    neuron = bias_neuron(param) if param else None
    if neuron is not None:
        s.edit_focus = neuron


def apply_value(trainer: Trainer, param: Param, value) -> tuple[str, str]:
    """Set `param` to `value` through the core; ("success" | "error", message). An invalid value
    (empty, not a number, NaN, ±∞, a bad index) changes nothing and says why. (The number input
    hands over NaN and ±∞ as empty.)"""
    name, old = param_name(param, len(trainer.net.layer_sizes)), value_of(trainer.net, param)
    keeps = f"{name} keeps its value {old:.4g}."
    if value is None:
        return "error", f"Type a finite number first (the box is empty). {keeps}"
    try:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{value} is not a finite number")
        if param[0] == "w":
            trainer.set_weight(*param[1:], number)
        else:
            trainer.set_bias(*param[1:], number)
    except (TypeError, ValueError) as error:
        return "error", f"Not applied: {error}. {keeps}"
    return "success", (f"{name}: {old:.4g} → {number:.4g}. Everything shown now uses it; Play or "
                       "Step trains on from here.")


def _apply() -> None:
    s = st.session_state
    param = s.get("edit_param")
    if param is None:
        return
    s.edit_message = apply_value(s.trainer, param, s.get("edit_value"))


# --- neuron focus --------------------------------------------------------------------------------

def render_focus_bar(trainer: Trainer) -> None:
    """Under the surface while a neuron is focused: what is shown and the way back (also Esc)."""
    sizes = trainer.net.layer_sizes
    focus = _focus(sizes)
    if focus is None:
        return
    left, right = st.columns([5, 2], vertical_alignment="center")
    left.caption(f"Showing **{neuron_name(*focus, len(sizes))}** — click it again, press Esc or "
                 "*Back* to go back to the decision surface.")
    right.button("Back", key="edit_unfocus", icon=":material/undo:", on_click=unfocus,
                 shortcut=BACK_SHORTCUT, width="stretch", help="Back to the decision surface (Esc)")


def unfocus() -> None:
    st.session_state.edit_focus = None


def focus_view(picture: go.Figure, surface: Surface, trainer: Trainer) -> go.Figure:
    """`picture` (the decision surface), or the focused neuron's output drawn in its place.

    Colours as the neuron's thumbnail in the diagram: white at 0 (the output neuron of a
    sigmoid/softmax network: at the undecided 1/k), orange below, blue above.
    """
    sizes = trainer.net.layer_sizes
    focus = _focus(sizes)
    if focus is None:
        return picture
    column, k = focus
    centre = 0.0
    if column == len(sizes) - 1 and trainer.net.output_activation in ("sigmoid", "softmax"):
        centre = 1 / max(2, sizes[-1])
    return neuron_focus_figure(picture, surface.xs, surface.ys, surface.neurons[column][k],
                               neuron_name(column, k, len(sizes)), centre)
