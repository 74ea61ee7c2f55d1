"""The cost curve: train and test loss against the epoch, one run or several on one chart."""

import numpy as np
import plotly.graph_objects as go

from playground.figures import base
from playground.figures.colors import BLUE, INK, ORANGE, VERMILLION

MAX_LINE_POINTS = 1000
LOSS_LINES = {
    "train": {"color": BLUE, "dash": "solid", "width": 2},
    "test": {"color": VERMILLION, "dash": "dash", "width": 2},
}

# Network diagram geometry, in data units: a neuron thumbnail is 100 x 100, so positions
COMPARE_LINES = {"train": {"color": ORANGE, "dash": "solid", "width": 2},
                 "test": {"color": ORANGE, "dash": "dash", "width": 2}}


def cost_curve_figure(
    epochs: np.ndarray,
    train_loss: np.ndarray,
    test_loss: np.ndarray,
    log_scale: bool = False,
    marker_epoch: int | None = None,
) -> go.Figure:
    """Training and test loss against the epoch: two ``go.Scatter`` lines, "train" and "test".

    ``epochs``, ``train_loss`` and ``test_loss`` have shape (m,), m may be 0. Non-finite
    losses (a diverged run) are dropped, and so are non-positive ones on a log axis. Each
    line is downsampled to about ``MAX_LINE_POINTS`` points keeping every bucket's minimum
    and maximum and the last point. ``marker_epoch`` draws a vertical line at that epoch.
    """
    epochs = np.asarray(epochs)
    traces = [
        _loss_trace(epochs, np.asarray(train_loss, float), "train", log_scale),
        _loss_trace(epochs, np.asarray(test_loss, float), "test", log_scale),
    ]
    axis = {"showgrid": True, "gridcolor": "#EEEEEE", "zeroline": False, "ticks": "outside"}
    layout = base.layout(
        "cost",
        xaxis={**axis, "title": {"text": "epoch"}, "rangemode": "tozero", "hoverformat": ",d"},
        yaxis={**axis, "title": {"text": "loss"}, "type": "log" if log_scale else "linear"},
        margin={"l": 48, "r": 8, "t": 24, "b": 36},
        height=220,
        showlegend=True,
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"},
        hovermode="x unified",
        shapes=[] if marker_epoch is None else [_vertical_line(marker_epoch)],
    )
    return base.figure(traces, layout)


def _loss_trace(epochs: np.ndarray, loss: np.ndarray, name: str, log_scale: bool) -> dict:
    """One loss line from (m,) epochs and losses, cleaned and downsampled for drawing."""
    keep = np.isfinite(loss)
    f4_max = np.finfo(np.float32).max
    x, y = epochs[keep], np.clip(loss[keep], -f4_max, f4_max).astype(np.float32)
    if log_scale:
        x, y = x[y > 0], y[y > 0]
    index = downsample_indices(y, MAX_LINE_POINTS)
    return dict(
        type="scatter",
        x=x[index],
        y=y[index],
        mode="lines",
        name=name,
        line=LOSS_LINES[name],
        hovertemplate="%{y:.4g}",
    )


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


def _vertical_line(x: float) -> dict:
    """A layout shape: a dark vertical line at ``x`` across the whole plot height."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": INK, "width": 1, "dash": "dot"},
    }


def compare_cost_figure(runs: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
                        log_scale: bool = False, marker_epoch: int | None = None) -> go.Figure:
    """Cost curves of several runs on one chart. runs: (name, epochs (m,), train (m,), test (m,)).

    The first run keeps the usual blue/vermillion lines, the second is drawn in orange; lines are
    named "<run> train" and "<run> test".
    """
    name, *arrays = runs[0]
    figure = cost_curve_figure(*arrays, log_scale=log_scale, marker_epoch=marker_epoch)
    for trace in figure.data:
        trace.name = f"{name} {trace.name}"
    for name, *arrays in runs[1:]:
        other = cost_curve_figure(*arrays, log_scale=log_scale)
        for trace in other.data:
            trace.line = COMPARE_LINES[trace.name]
            trace.name = f"{name} {trace.name}"
            figure.add_trace(trace)
    return figure
