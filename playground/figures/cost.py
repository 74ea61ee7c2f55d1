"""The cost curve: train and test loss against the epoch, one run or several on one chart.

The curve plots the losses as they are (float64: a diverging loss of 10²⁷¹ is drawn at 10²⁷¹,
not clipped), switches itself to a log axis when the finite losses span more than
LOG_DECADES decades (or when the user asks for it), and marks the epoch where training
diverged. While playing, `new_points` gives what to append to a drawn curve.
"""

import math

import numpy as np
import plotly.graph_objects as go

from playground.figures import base
from playground.figures.colors import BLUE, INK, ORANGE, VERMILLION
from playground.settings.text import number

MAX_LINE_POINTS = 1000
APPEND_POINTS = 40  # at most this many points per line are appended in one frame
LOG_DECADES = 4.0  # finite losses spanning more than this many decades get a log axis
LOSS_LINES = {
    "train": {"color": BLUE, "dash": "solid", "width": 2},
    "test": {"color": VERMILLION, "dash": "dash", "width": 2},
}
COMPARE_LINES = {"train": {"color": ORANGE, "dash": "solid", "width": 2},
                 "test": {"color": ORANGE, "dash": "dash", "width": 2}}


def wants_log(*losses: np.ndarray, log_scale: bool = False) -> bool:
    """A log axis: asked for, or the finite positive losses span more than LOG_DECADES decades."""
    if log_scale:
        return True
    values = np.concatenate([np.asarray(v, float).ravel() for v in losses] or [np.zeros(0)])
    values = values[np.isfinite(values) & (values > 0)]
    # a difference of logs: max / min overflows for a subnormal next to a large loss
    return bool(values.size) and math.log10(values.max()) - math.log10(values.min()) > LOG_DECADES


def cost_curve_figure(
    epochs: np.ndarray,
    train_loss: np.ndarray,
    test_loss: np.ndarray,
    log_scale: bool = False,
    marker_epoch: int | None = None,
    diverged_epoch: int | None = None,
) -> go.Figure:
    """Training and test loss against the epoch: two ``go.Scatter`` lines, "train" and "test".

    ``epochs``, ``train_loss`` and ``test_loss`` have shape (m,), m may be 0. Non-finite
    losses are dropped, and so are non-positive ones on a log axis (see `wants_log`). Each
    line is downsampled to about ``MAX_LINE_POINTS`` points keeping every bucket's minimum
    and maximum and the last point. ``marker_epoch`` draws a dotted vertical line at that
    epoch (the replayed one); ``diverged_epoch`` a vermillion one labelled "diverged".
    """
    epochs = np.asarray(epochs)
    log = wants_log(train_loss, test_loss, log_scale=log_scale)
    traces = [
        _loss_trace(epochs, np.asarray(train_loss, float), "train", log),
        _loss_trace(epochs, np.asarray(test_loss, float), "test", log),
    ]
    axis = {"showgrid": True, "gridcolor": "#EEEEEE", "zeroline": False, "ticks": "outside"}
    shapes, notes = [], []
    if marker_epoch is not None:
        shapes.append(_vertical_line(marker_epoch, INK, "dot"))
    if diverged_epoch is not None:
        shapes.append(_vertical_line(diverged_epoch, VERMILLION, "solid"))
        notes.append({"x": diverged_epoch, "xref": "x", "y": 1, "yref": "paper", "text": "diverged",
                      "showarrow": False, "xanchor": "right", "yanchor": "top",
                      "font": {"color": VERMILLION}})
    layout = base.layout(
        "cost",
        xaxis={**axis, "title": {"text": "epoch"}, "rangemode": "tozero", "hoverformat": ",d"},
        yaxis={**axis, "title": {"text": "loss (log)" if log else "loss"},
               "type": "log" if log else "linear", "exponentformat": "e"},
        margin={"l": 52, "r": 8, "t": 24, "b": 36},
        height=220,
        showlegend=True,
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"},
        hovermode="x unified",
        shapes=shapes,
        annotations=notes,
    )
    return base.figure(traces, layout)


def is_log(figure: go.Figure | dict) -> bool:
    """True when the figure's loss axis is logarithmic."""
    layout = figure["layout"] if isinstance(figure, dict) else figure.layout.to_plotly_json()
    return layout.get("yaxis", {}).get("type") == "log"


def _clean(epochs: np.ndarray, loss: np.ndarray, log_scale: bool) -> tuple[np.ndarray, np.ndarray]:
    """The finite (and, on a log axis, positive) points of one line, float64."""
    keep = np.isfinite(loss) & ((loss > 0) if log_scale else True)
    return np.asarray(epochs, np.float64)[keep], np.asarray(loss, np.float64)[keep]


def _loss_trace(epochs: np.ndarray, loss: np.ndarray, name: str, log_scale: bool) -> dict:
    """One loss line from (m,) epochs and losses, cleaned and downsampled for drawing."""
    x, y = _clean(epochs, loss, log_scale)
    index = downsample_indices(y, MAX_LINE_POINTS)
    return dict(
        type="scatter",
        x=x[index],
        y=y[index],
        mode="lines",
        name=name,
        line=LOSS_LINES[name],
        text=hover_texts(y[index]),
        hovertemplate="%{text}",
    )


def hover_texts(values: np.ndarray) -> np.ndarray:
    """Each loss in the page's number format (settings.text.number), as hover text."""
    return np.array([number(v) for v in values], dtype=object)


def new_points(epochs: np.ndarray, loss: np.ndarray, after_epoch: float, log_scale: bool,
               max_points: int = APPEND_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """The points of one line after epoch `after_epoch`, cleaned like the drawn line and
    downsampled to at most `max_points` (keeping minima, maxima and the last): what a frame
    appends to a curve already drawn. -> (x (k,), y (k,)) float64."""
    epochs = np.asarray(epochs)
    newer = epochs > after_epoch
    x, y = _clean(epochs[newer], np.asarray(loss, float)[newer], log_scale)
    index = downsample_indices(y, max_points)
    return x[index], y[index]


def downsample_indices(values: np.ndarray, max_points: int) -> np.ndarray:
    """Sorted indices of at most ``max_points`` of the (m,) ``values`` that keep their shape.

    The values are cut into equal buckets; each bucket keeps the index of its minimum and of
    its maximum, and the first and last indices are always kept.
    """
    m = values.size
    if m <= max_points:
        return np.arange(m)
    size = -(-m // (max_points // 2 - 1))  # ceil: bucket length
    n_buckets = -(-m // size)  # every bucket holds at least one real value
    low = np.full(n_buckets * size, np.inf)
    high = np.full(n_buckets * size, -np.inf)
    low[:m] = high[:m] = values
    starts = np.arange(n_buckets) * size
    lows = starts + low.reshape(n_buckets, size).argmin(axis=1)
    highs = starts + high.reshape(n_buckets, size).argmax(axis=1)
    return np.unique(np.concatenate([[0, m - 1], lows, highs]))


def _vertical_line(x: float, color: str, dash: str) -> dict:
    """A layout shape: a vertical line at ``x`` across the whole plot height."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": color, "width": 1, "dash": dash},
    }


def compare_cost_figure(runs: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
                        log_scale: bool = False, marker_epoch: int | None = None) -> go.Figure:
    """Cost curves of several runs on one chart. runs: (name, epochs (m,), train (m,), test (m,)).

    The first run keeps the usual blue/vermillion lines, the second is drawn in orange; lines are
    named "<run> train" and "<run> test". All share one axis (log when any run wants it).
    """
    log = wants_log(*[loss for run in runs for loss in run[2:]], log_scale=log_scale)
    name, *arrays = runs[0]
    figure = cost_curve_figure(*arrays, log_scale=log, marker_epoch=marker_epoch)
    for trace in figure.data:
        trace.name = f"{name} {trace.name}"
    for name, *arrays in runs[1:]:
        other = cost_curve_figure(*arrays, log_scale=log)
        for trace in other.data:
            trace.line = COMPARE_LINES[trace.name]
            trace.name = f"{name} {trace.name}"
            figure.add_trace(trace)
    return figure
