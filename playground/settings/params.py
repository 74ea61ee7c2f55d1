"""Names for single parameters of the network: the weight w[l][i→j] and the bias b[l][j].

A reference is a named tuple whose first field says which kind it is, so it compares equal to
the plain tuple ("w", layer, i, j) or ("b", layer, j) that Streamlit keeps in session state.
Link layer l joins column l to column l + 1 (see settings.labels): w[l][i→j] is
``net.weights[l][i, j]`` and b[l][j] is ``net.biases[l][j]``, the bias of neuron j of column
l + 1.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from core import MLP
from playground.settings.labels import neuron_name
from playground.settings.text import number


class WeightRef(NamedTuple):
    """The weight ``net.weights[layer][i, j]``: from neuron i of column `layer` to neuron j of
    column `layer` + 1."""

    kind: Literal["w"]
    layer: int
    i: int
    j: int


class BiasRef(NamedTuple):
    """The bias ``net.biases[layer][j]`` of neuron j of column `layer` + 1."""

    kind: Literal["b"]
    layer: int
    j: int


ParamRef = WeightRef | BiasRef


def weight(layer: int, i: int, j: int) -> WeightRef:
    return WeightRef("w", layer, i, j)


def bias(layer: int, j: int) -> BiasRef:
    return BiasRef("b", layer, j)


def as_ref(value) -> ParamRef | None:
    """A reference from its tuple form (session state keeps plain tuples); None for anything
    that is not a well-formed one."""
    if isinstance(value, tuple) and len(value) == 4 and value[0] == "w":
        return weight(*value[1:])
    if isinstance(value, tuple) and len(value) == 3 and value[0] == "b":
        return bias(*value[1:])
    return None


def parameters(layer_sizes: tuple[int, ...] | list[int]) -> list[ParamRef]:
    """Every weight and bias, link layer by link layer: its weights w[l][i→j], then its biases."""
    params: list[ParamRef] = []
    for layer, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:], strict=True)):
        params += [weight(layer, i, j) for i in range(fan_in) for j in range(fan_out)]
        params += [bias(layer, j) for j in range(fan_out)]
    return params


def value_of(net: MLP, param: ParamRef) -> float:
    """The parameter's current value in `net`."""
    if param[0] == "w":
        _, layer, i, j = param
        return float(net.weights[layer][i, j])
    _, layer, j = param
    return float(net.biases[layer][j])


def param_name(param: ParamRef, n_columns: int) -> str:
    """"w[1][0→2]" (link layer, source → target, as the diagram's hover) or "b[hidden 1 · neuron 0]"."""
    if param[0] == "w":
        _, layer, i, j = param
        return f"w[{layer}][{i}→{j}]"
    _, layer, j = param
    return f"b[{neuron_name(layer + 1, j, n_columns)}]"


def param_label(param: ParamRef, net: MLP) -> str:
    """The list's text for a parameter: its name and its value in the page's number format,
    e.g. "w[1][0→2] = 0.3412"."""
    return f"{param_name(param, len(net.layer_sizes))} = {number(value_of(net, param))}"


def bias_neuron(param: ParamRef) -> tuple[int, int] | None:
    """(column, k) of the neuron a bias belongs to; None for a weight."""
    return (param[1] + 1, param[2]) if param[0] == "b" else None
