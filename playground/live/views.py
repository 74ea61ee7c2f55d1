"""What each view of the live view shows, from the trainer: the view models between core and the
figure builders (no Streamlit here).

Views: "stats" (epoch, losses, accuracies), "network" (the diagram), "surface" (the decision
surface, or a focused neuron's output) and "cost" (the cost curve), plus compare mode's
"compare_surface" and "compare_cost". Each has a static part (sent when the view is mounted)
and a frame part (sent every frame while playing).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from core import Surface, Trainer, zero_weights
from playground.figures import cost, network, surface
from playground.settings.config import Config
from playground.settings.labels import FEATURE_LABELS, column_names, neuron_name
from playground.settings.text import number, percent

SURFACE_RESOLUTION = 100  # the surface image's pixels a side
PROJECTOR_FONT_PX = 18.0  # every text of the diagram in projector mode (>= 16 px)
FONT_PX = 13.0
MIN_PROJECTOR_TEXT_PX = 16.0  # the smallest text of the page in projector mode (readable at the back)


@dataclass(frozen=True)
class Look:
    """Sizes that follow the screen and the projector setting."""

    projector: bool = False

    @property
    def font_px(self) -> float:
        return PROJECTOR_FONT_PX if self.projector else FONT_PX

    @property
    def min_font_px(self) -> float:
        """No text of the diagram is smaller (its captions, hints and legend are smaller than font_px)."""
        return MIN_PROJECTOR_TEXT_PX if self.projector else 0.0

    @property
    def line_scale(self) -> float:
        return 1.6 if self.projector else 1.0

    @property
    def network_share(self) -> float:
        """The diagram's largest height, as a share of the window's height."""
        return 0.8 if self.projector else 0.72

    def sizes(self, kind: str) -> dict:
        """A chart's size rules for the browser: the surface is a square at most this share of
        the window's height; a cost curve's height is this share, within [min, max] px."""
        if kind.endswith("surface"):
            return {"max_height_share": 0.55 if self.projector else 0.5}  # projector: the cost curve fits too
        return {"height_share": 0.25, "min_height": 160, "max_height": 340 if self.projector else 300}

    def style(self, figure: go.Figure) -> go.Figure:
        """In projector mode, every text of a plotly figure at least PROJECTOR_FONT_PX."""
        if self.projector:
            size = PROJECTOR_FONT_PX
            figure.layout.font.size = size
            figure.layout.hoverlabel.font.size = size
            figure.layout.legend.font.size = size
            for axis in (figure.layout.xaxis, figure.layout.yaxis):
                axis.tickfont.size = size
            # an axis title sits under (beside) its tick labels: room for both at the larger size
            margin = figure.layout.margin
            if figure.layout.xaxis.title.text:
                margin.b = max(margin.b or 0, 2 * size + 12)
            if figure.layout.yaxis.title.text:
                margin.l = max(margin.l or 0, 3.5 * size + 12)
        return figure


def figure_json(figure: go.Figure, plain: bool = False) -> dict:
    """The figure as JSON-ready data: numpy arrays as plotly's compact base64 typed arrays, or as
    plain lists (`plain`: traces the browser extends, which Plotly.extendTraces needs as arrays:
    on a {dtype, bdata} object it fails with "cannot extend missing or non-array attribute").
    plotly 6 encodes arrays as base64 already in `to_plotly_json`, so `plain` decodes them."""
    data = json.loads(pio.to_json(figure, validate=False))
    return _decoded(data) if plain else data


def _decoded(value):
    """`value` with every plotly base64 typed array ({"dtype", "bdata"[, "shape"]}) as a list."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            shape = value.get("shape")
            if shape:
                array = array.reshape([int(n) for n in str(shape).split(",")])
            return array.tolist()
        return {key: _decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return value


# --- stats ---------------------------------------------------------------------------------------

def stats_items(trainer: Trainer, replay_epoch: int | None = None) -> list[list[str]]:
    """[label, element id, text] of the stats row: epoch, losses, accuracies (classification);
    during a replay, the replayed epoch's values (call it with the snapshot swapped in)."""
    train_loss, test_loss, train_accuracy, test_accuracy = trainer.evaluate()
    epoch = trainer.epoch if replay_epoch is None else replay_epoch
    label = "Epoch (replay)" if replay_epoch is not None else "Epoch"
    items = [[label, "epoch-counter", f"{epoch:,}"],
             ["Train loss", "train-loss", number(train_loss)],
             ["Test loss", "test-loss", number(test_loss)]]
    if trainer.data.kind == "classification":
        items += [["Train accuracy", "train-accuracy", percent(train_accuracy)],
                  ["Test accuracy", "test-accuracy", percent(test_accuracy)]]
    return items


# --- the surface -----------------------------------------------------------------------------------

def compute_surface(trainer: Trainer, resolution: int = SURFACE_RESOLUTION) -> Surface:
    """The trainer's surface in float32, or float64 where float32 overflows (huge but finite
    weights), so that a finite network is always drawn."""
    with np.errstate(all="ignore"):
        fast = trainer.surface(resolution)
        if all(np.isfinite(a).all() for a in fast.neurons):
            return fast
        return trainer.surface(resolution, dtype=np.float64)


def display_output(output: np.ndarray, config: Config) -> np.ndarray:
    """A binary tanh output lives in [-1, 1]; the surface reads class-1 confidence in [0, 1]."""
    if config.problem == "binary" and config.output_activation == "tanh":
        return (output + 1) / 2
    return output


def focus_centre(trainer: Trainer, column: int) -> float:
    """The value drawn white for a neuron: 0, or the undecided 1/k for a sigmoid/softmax output."""
    sizes = trainer.net.layer_sizes
    if column == len(sizes) - 1 and trainer.net.output_activation in ("sigmoid", "softmax"):
        return 1 / max(2, sizes[-1])
    return 0.0


def surface_figure(trainer: Trainer, config: Config, grid: Surface,
                   focus: tuple[int, int] | None = None) -> go.Figure:
    """The decision surface (or the focused neuron's output) with the training and, by toggle,
    test points."""
    data = trainer.data
    test = (data.X_test, data.labels_test) if config.show_test else (None, None)
    figure = surface.surface_figure(grid.xs, grid.ys, display_output(grid.output, config), data.kind,
                                    data.n_classes, data.X_train, data.labels_train, *test,
                                    discretize=config.discretize)
    if focus is None:
        return figure
    column, k = focus
    name = neuron_name(column, k, len(trainer.net.layer_sizes))
    return surface.neuron_focus_figure(figure, grid.xs, grid.ys, grid.neurons[column][k], name,
                                       focus_centre(trainer, column))


def surface_png(trainer: Trainer, config: Config, grid: Surface,
                focus: tuple[int, int] | None = None) -> bytes:
    """The surface image alone (a frame while playing: the points are drawn already)."""
    if focus is not None:
        column, k = focus
        return surface.png_bytes(surface.neuron_rgba(grid.neurons[column][k], focus_centre(trainer, column)))
    data = trainer.data
    return surface.png_bytes(surface.surface_rgba(display_output(grid.output, config), data.kind,
                                                  data.n_classes, config.discretize))


# --- the network diagram ----------------------------------------------------------------------------

def network_static(trainer: Trainer, config: Config, look: Look) -> tuple[dict, dict]:
    """The diagram's static part: geometry, labels ("N neurons" per hidden column), styles."""
    sizes = list(trainer.net.layer_sizes)
    names = column_names(len(sizes))
    captions = ["", *(f"{n} neuron{'s' if n > 1 else ''}" for n in sizes[1:-1]), ""]
    return network.diagram_static(sizes, names, [FEATURE_LABELS[f] for f in config.features], captions,
                                  font_px=look.font_px, line_scale=look.line_scale)


def network_frame(trainer: Trainer, grid: Surface, hover: bool, picked=None,
                  focus: tuple[int, int] | None = None) -> tuple[dict, dict]:
    """One frame of the diagram: link codes, thumbnails, hover texts (paused), rings, and how
    many links are exactly zero (when any are)."""
    net = trainer.net
    sizes = list(net.layer_sizes)
    images = list(grid.neurons)
    if net.output_activation in ("sigmoid", "softmax"):
        images[-1] = images[-1] - 1 / max(2, images[-1].shape[0])  # centre on "undecided"
    zero, total = zero_weights(net)
    note = f"{zero} of {total} links are zero" if zero else ""
    names = column_names(len(sizes))
    inputs = [FEATURE_LABELS[f] for f in trainer.features]
    cells = network.thumbnail_cells(network.geometry(sizes))
    return network.diagram_frame(images, list(net.weights), list(net.biases), names, inputs, cells,
                                 hover=hover, marks=network.marks(sizes, picked, focus), note=note)


# --- the cost curve ------------------------------------------------------------------------------------

def diverged_epoch(trainer: Trainer) -> int | None:
    """The epoch at which training diverged (its weights are the last finite ones), or None."""
    return trainer.epoch if trainer.diverged else None


def cost_figure(trainer: Trainer, config: Config, replayed: int | None = None) -> go.Figure:
    history = trainer.history
    return cost.cost_curve_figure(history.epochs, history.train_loss, history.test_loss,
                                  log_scale=config.log_scale, marker_epoch=replayed,
                                  diverged_epoch=diverged_epoch(trainer))


def compare_cost(trainer: Trainer, other: Trainer, config: Config, replayed: int | None = None) -> go.Figure:
    runs = [(name, t.history.epochs, t.history.train_loss, t.history.test_loss)
            for name, t in (("A", trainer), ("B", other))]
    return cost.compare_cost_figure(runs, log_scale=config.log_scale, marker_epoch=replayed)


@dataclass
class CostCursor:
    """What a drawn cost curve holds: per trainer, the last epoch appended; its axis type; how
    many points it has. `step` decides, each frame, to append or to redraw the whole curve."""

    after: list[float]
    log: bool
    points: int = 0

    def step(self, trainers: list[Trainer], log_scale: bool) -> tuple[dict, dict] | None:
        """({"traces": [indices], "texts": {index: hover texts}}, {"x<i>", "y<i>"} arrays) to
        append, or None when
        the curve must be redrawn (its axis type changed or it holds too many points)."""
        losses = [loss for t in trainers for loss in (t.history.train_loss, t.history.test_loss)]
        if cost.wants_log(*losses, log_scale=log_scale) != self.log:
            return None
        arrays, traces = {}, []
        for k, trainer in enumerate(trainers):
            history = trainer.history
            for line, loss in enumerate((history.train_loss, history.test_loss)):
                x, y = cost.new_points(history.epochs, loss, self.after[k], self.log)
                index = 2 * k + line
                if len(x):
                    arrays.update({f"x{index}": x, f"y{index}": y})
                    traces.append(index)
                    self.points += len(x)
            if len(history.epochs):
                self.after[k] = float(history.epochs[-1])
        if self.points > 2 * cost.MAX_LINE_POINTS * len(trainers):
            return None
        texts = {str(i): list(cost.hover_texts(arrays[f"y{i}"])) for i in traces}
        return {"traces": traces, "texts": texts}, arrays

    @classmethod
    def after_drawing(cls, trainers: list[Trainer], log: bool) -> CostCursor:
        after = [float(t.history.epochs[-1]) if len(t.history.epochs) else -1.0 for t in trainers]
        return cls(after, log)
