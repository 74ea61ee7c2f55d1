"""The step-through's picture: the network with the values of one phase of a gradient-descent
step on its neurons and links (the math view's "Step through one update")."""

import numpy as np
import plotly.graph_objects as go

from core.derivation import Derivation, UpdateStepper
from playground.figures.colors import BLUE, INK, ORANGE, VERMILLION
from playground.figures.links import link_table, link_traces, link_width_bucket


def phase_values(stepper: UpdateStepper, sample: int | None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """What the current phase produced: per column (units,) neuron values, per link layer weights.

    forward/loss: activations (of the sample, or means) and the weights; backward: δ (the sample's
    share, or its sum = ∂C/∂b) and ∂C/∂W; update: the bias and weight changes −α·grad.
    """
    net = stepper.net
    if stepper.phase == "update":
        return [np.zeros(net.layer_sizes[0]), *stepper.changes.biases], list(stepper.changes.weights)
    if stepper.phase == "backward":
        shares = [np.zeros((1, net.layer_sizes[0]))] + stepper.deltas
        neurons = [v.sum(axis=0) if sample is None else v[sample] for v in shares]
        return neurons, list(stepper.gradients.weights)
    acts = stepper.forward_pass.activations
    return [a.mean(axis=0) if sample is None else a[sample] for a in acts], [w.copy() for w in net.weights]


def phase_figure(stepper: UpdateStepper, d: Derivation) -> go.Figure:
    """The network with the current phase's values: numbers on the neurons, links coloured by sign
    (orange < 0 <= blue) and as wide as |value| relative to the largest; the chosen neuron ringed."""
    neurons, weights = phase_values(stepper, d.sample)
    sizes = [len(v) for v in neurons]
    ys = [(n - 1) / 2 - np.arange(n) for n in sizes]
    scale = max((np.abs(w).max(initial=0.0) for w in weights), default=0.0) or 1.0
    links = link_table(np.arange(len(sizes), dtype=float), ys, weights)
    traces = link_traces(links, link_width_bucket(links["w"], full=scale))
    xs = np.repeat(np.arange(len(sizes)), sizes)
    values = np.concatenate(neurons)
    traces.append(go.Scatter(
        x=xs, y=np.concatenate(ys), mode="markers+text", text=[f"{v:.3g}" for v in values],
        textposition="top center", hoverinfo="text", cliponaxis=False,
        marker={"size": 18, "color": [ORANGE if v < 0 else BLUE for v in values],
                "line": {"color": INK, "width": 1}}))
    ring = {"size": 30, "color": "rgba(0,0,0,0)", "line": {"color": VERMILLION, "width": 3}}
    traces.append(go.Scatter(x=[d.layer + 1], y=[ys[d.layer + 1][d.neuron]], mode="markers",
                             hoverinfo="skip", marker=ring))
    axis = {"visible": False, "fixedrange": True}
    return go.Figure(traces, {"template": "none", "showlegend": False, "height": 300,
                              "margin": {"l": 10, "r": 10, "t": 20, "b": 10}, "xaxis": axis, "yaxis": axis})
