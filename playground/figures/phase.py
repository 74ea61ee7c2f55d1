"""The step-through's picture: the network with the values of one phase of a gradient-descent
step on its neurons and links (the math view's "Step through one update")."""

import numpy as np
import plotly.graph_objects as go

from core.derivation import Derivation, UpdateStepper
from playground.figures.colors import BLUE, INK, ORANGE, VERMILLION
from playground.figures.links import link_table, link_traces, link_width_bucket
from playground.settings.text import number


def phase_values(stepper: UpdateStepper, sample: int | None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """What the current phase produced: neurons[c] (layer_sizes[c],) per column, the inputs
    first, and links[l] (layer_sizes[l], layer_sizes[l + 1]) per link layer.

    forward/loss: activations a (of sample `sample`, or their means over the set) and the weights;
    backward: δ = ∂C/∂z (the sample's share, or the sum over the set = ∂C/∂b) and ∂C/∂W, the
    inputs 0 (they have no δ); update: the changes −α·∂C/∂b and −α·∂C/∂W, the inputs 0.
    Raises ValueError before the first phase (there are no values yet).
    """
    if stepper.phase is None:
        raise ValueError("no phase has run yet: advance the stepper first")
    net = stepper.net
    inputs = np.zeros(net.layer_sizes[0])  # the input column carries no δ and no change

    def pick(values: np.ndarray) -> np.ndarray:  # values: (n, units)
        return values.mean(axis=0) if sample is None else values[sample]

    if stepper.phase == "update":
        return [inputs, *stepper.changes.biases], list(stepper.changes.weights)
    if stepper.phase == "backward":
        totals = [v.sum(axis=0) if sample is None else v[sample] for v in stepper.deltas]
        return [inputs, *totals], list(stepper.gradients.weights)
    return [pick(a) for a in stepper.forward_pass.activations], [w.copy() for w in net.weights]


def phase_figure(stepper: UpdateStepper, d: Derivation) -> go.Figure:
    """The network with the current phase's values: numbers on the neurons, links coloured by sign
    (orange < 0 <= blue) and as wide as |value| relative to the largest finite one; the chosen
    neuron ringed."""
    neurons, weights = phase_values(stepper, d.sample)
    sizes = [len(v) for v in neurons]
    ys = [(n - 1) / 2 - np.arange(n) for n in sizes]
    finite = np.abs(np.concatenate([w.ravel() for w in weights]))
    finite = finite[np.isfinite(finite)]
    scale = float(finite.max(initial=0.0)) or 1.0
    links = link_table(np.arange(len(sizes), dtype=float), ys, weights)
    traces = link_traces(links, link_width_bucket(links["w"], full=scale))
    xs = np.repeat(np.arange(len(sizes)), sizes)
    values = np.concatenate(neurons)
    traces.append(go.Scatter(
        x=xs, y=np.concatenate(ys), mode="markers+text", text=[number(v, 3) for v in values],
        textposition="top center", hoverinfo="text", cliponaxis=False,
        marker={"size": 18, "color": [ORANGE if v < 0 else BLUE for v in values],
                "line": {"color": INK, "width": 1}}))
    ring = {"size": 30, "color": "rgba(0,0,0,0)", "line": {"color": VERMILLION, "width": 3}}
    traces.append(go.Scatter(x=[d.layer + 1], y=[ys[d.layer + 1][d.neuron]], mode="markers",
                             hoverinfo="skip", marker=ring))
    axis = {"visible": False, "fixedrange": True}
    return go.Figure(traces, {"template": "none", "showlegend": False, "height": 300,
                              "margin": {"l": 10, "r": 10, "t": 20, "b": 10}, "xaxis": axis, "yaxis": axis})
