"""What the two pictures of learning show, from the trainer: the cost landscape over two
parameters (with the path and the next step) and the Gradients view of the diagram (with each
layer's gradient size over the epochs). View models between core and the figure builders; the
session's state (the gradient-size history, the replay snapshots) is read through session/.

While playing, the Gradients view's links and squares change every frame (one backward pass on
the training set), and the two plotly charts are sent whole every CHART_EVERY frames: a 60×60
landscape of the 8,8,8,8 spiral network costs ~35 ms (benchmarks/landscape_speed.py), too much for
every frame, and a chart that moves five times a second still shows the walk.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core import Trainer
from core.gradient_flow import GradientSizeHistory, GradientView, gradient_view
from core.landscape import cost_landscape
from playground.figures import gradients, landscape
from playground.figures.base import CHART_CONFIG
from playground.live import views
from playground.session import gradients as gradient_state
from playground.session import replay
from playground.settings.labels import FEATURE_LABELS, column_names
from playground.settings.params import ParamRef

CHART_EVERY = 5  # frames between two redraws of the landscape and gradient-size charts
LANDSCAPE_RESOLUTION = 61  # odd: the middle grid point is the current value exactly
SIZES_KIND = "gradient_sizes"
LANDSCAPE_KIND = "landscape"


def chart_due(count: int) -> bool:
    """True on the frames that redraw the charts: every CHART_EVERY-th, counting from 1."""
    return count % CHART_EVERY == 0


def trainer_gradients(trainer: Trainer) -> GradientView:
    """∂C/∂w, mean |δ| and the layer sizes on the trainer's training set (its full batch)."""
    return gradient_view(trainer.net, trainer.X_train, trainer.y_train, trainer.loss)


def network_gradient_frame(trainer: Trainer, view: GradientView, hover: bool,
                           marks: list | None = None) -> tuple[dict, dict]:
    """One frame of the diagram's Gradients view (figures.gradients.gradient_frame)."""
    sizes = list(trainer.net.layer_sizes)
    return gradients.gradient_frame(list(view.weights), list(view.biases), list(view.neuron_deltas),
                                    sizes[0], column_names(len(sizes)),
                                    [FEATURE_LABELS[f] for f in trainer.features], hover=hover,
                                    marks=marks)


def record_sizes(history: GradientSizeHistory, trainer: Trainer, view: GradientView) -> None:
    """Keep this epoch's layer sizes (a repeated epoch is skipped by the history itself)."""
    history.record(trainer.epoch, view.layer_sizes)


def layer_names(n_columns: int) -> list[str]:
    """"w[0] inputs→hidden 1", …: each link layer by the columns it joins."""
    names = column_names(n_columns)
    return [f"w[{layer}] {names[layer]}→{names[layer + 1]}" for layer in range(n_columns - 1)]


def sizes_figure(history: GradientSizeHistory, n_columns: int) -> go.Figure:
    return gradients.gradient_sizes_figure(history.epochs, history.sizes, layer_names(n_columns))


def landscape_figure(trainer: Trainer, pair: tuple[ParamRef, ParamRef], names: tuple[str, str],
                     snapshots: list[tuple[int, np.ndarray]]) -> go.Figure:
    """The cost landscape over `pair` with the path through `snapshots` ((epoch, params) pairs)."""
    land = cost_landscape(trainer, tuple(pair[0]), tuple(pair[1]), snapshots,
                          resolution=LANDSCAPE_RESOLUTION)
    return landscape.landscape_figure(land, *names)


def chart_sizes(kind: str, projector: bool) -> dict:
    """A chart's size rules for the browser (live/assets/stage.js): height as a share of the
    window's height, within [min, max] px."""
    if kind == LANDSCAPE_KIND:
        return {"height_share": 0.5, "min_height": 260, "max_height": 520 if projector else 440}
    return {"height_share": 0.3, "min_height": 180, "max_height": 320 if projector else 260}


def gradient_static(static: dict) -> dict:
    """The diagram's static part for the Gradients view."""
    return gradients.gradient_static(static)


def recorded_gradient_frame(trainer: Trainer, marks: list) -> tuple[dict, dict]:
    """A play frame's Gradients view: this epoch's layer sizes kept, then the diagram's frame."""
    view = trainer_gradients(trainer)
    record_sizes(gradient_state.history(trainer), trainer, view)
    return network_gradient_frame(trainer, view, hover=False, marks=marks)


def charts(trainer: Trainer, sizes_on: bool, pair: tuple[ParamRef, ParamRef] | None,
           record: bool) -> tuple[dict[str, go.Figure], str | None]:
    """The gradient-size chart (when `sizes_on`; `record`: this epoch's sizes kept first) and the
    cost landscape over `pair` (when given), by slot; and the sentence to show when the landscape
    cannot be drawn (None when it can)."""
    figures, error = {}, None
    n_columns = len(trainer.net.layer_sizes)
    if sizes_on:
        history = gradient_state.history(trainer)
        if record:
            record_sizes(history, trainer, trainer_gradients(trainer))
        figures[SIZES_KIND] = sizes_figure(history, n_columns)
    if pair is not None:
        try:
            names = gradient_state.pair_names(pair, n_columns)
            figures[LANDSCAPE_KIND] = landscape_figure(trainer, pair, names, replay.recorder(trainer).items())
        except ValueError as problem:
            error = f"The cost landscape cannot be drawn for these parameters: {problem}"
    return figures, error


def chart_static(figure: go.Figure, kind: str, look: views.Look) -> dict:
    """A landscape or gradient-size chart's static part: its figure, config and size rules."""
    return {"figure": views.figure_json(look.style(figure)), "config": CHART_CONFIG,
            **chart_sizes(kind, look.projector)}
