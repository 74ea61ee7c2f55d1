"""The network diagram: columns of neuron thumbnails joined by weighted links, hover values, and
the marks that make it clickable while paused."""

import numpy as np
import plotly.graph_objects as go

from playground.figures import base
from playground.figures.colors import INK, VERMILLION
from playground.figures.links import link_table, link_traces, link_width_bucket
from playground.figures.thumbnails import MIN_CELL_PX, THUMB, subsample, thumbnail_heatmap, whole_units
from playground.settings.params import bias_neuron

PITCH = 145.0  # vertical distance between neuron centres
MIN_SLOTS = 8  # a short network still gets the room of 8 neurons: thumbnails keep their size
MAX_GAP = 550.0  # largest horizontal distance between columns
LABEL_ROOM = 220.0  # room left of the inputs for their labels
TITLE_ROOM = 100.0  # room above the tallest column for the layer names
RIGHT_ROOM = 60.0  # room right of the outputs for the last layer name
ASPECT = 1.5  # width / height of the diagram (about 600 x 400 px)
NETWORK_HEIGHT_PX = 400
LINK_HOVER = "w[%{customdata[0]}][%{customdata[1]}→%{customdata[2]}] = %{text}<extra></extra>"


def network_figure(
    layer_names: list[str],
    neuron_images: list[np.ndarray],
    weights: list[np.ndarray],
    biases: list[np.ndarray],
    input_labels: list[str] | None = None,
    hover: bool = True,
) -> go.Figure:
    """The network as columns of neuron thumbnails joined by weighted links.

    Parameters
    ----------
    layer_names : one title per column, e.g. ["inputs", "hidden 1", "output"].
    neuron_images : per column, (units, r, r) values of each neuron over the input grid
        (same orientation as ``surface_figure``'s output). Each thumbnail is scaled by its
        own max |value|: orange negative, white 0, blue positive; non-finite is transparent.
    weights : per link layer l, (fan_in, fan_out); ``weights[l][i, j]`` joins neuron i of
        column l to neuron j of column l + 1. Colour is the sign (orange < 0 <= blue), width
        grows with |w| up to ``WEIGHT_CLIP``.
    biases : per link layer l, (fan_out,) biases of column l + 1's neurons.
    input_labels : optional labels drawn left of the input neurons, e.g. ["x₁", "sin(x₁)"].
    hover : False leaves out the two hover-marker traces (a lean figure for frames while
        playing: each frame replaces the chart, so a tooltip could not stay open anyway).

    Returns
    -------
    Traces in order: one ``go.Heatmap`` of int8 codes per column (see ``thumbnail_codes``),
    2 * ``WIDTH_BUCKETS`` link line traces (negative then positive, thin to wide; each a
    back-and-forth path per source neuron, see ``figures.links.fan_path``), the thumbnail frames, an
    invisible marker trace with one hover point per link showing "w[l][i→j] = 0.123"
    (indices in ``customdata``, the weight in ``text``), and an invisible marker trace with
    each neuron's hover text (its bias). Positions are in whole data units (``THUMB`` = 100).
    """
    sizes = [len(images) for images in neuron_images]
    col_x, neuron_y, x_range, y_range = _network_geometry(sizes)
    links = link_table(col_x, neuron_y, weights, inset=THUMB / 2)
    cells = int(NETWORK_HEIGHT_PX / (y_range[1] - y_range[0]) * THUMB / MIN_CELL_PX)
    traces = [
        thumbnail_heatmap(x, y, subsample(np.asarray(images), cells))
        for x, y, images in zip(col_x, neuron_y, neuron_images, strict=True)
    ]
    traces += link_traces(links, link_width_bucket(links["w"]))
    traces.append(_frames_trace(col_x, neuron_y))
    if hover:
        traces.append(_link_hover_trace(links))
        traces.append(_neuron_hover_trace(col_x, neuron_y, layer_names, biases, input_labels))
    axis = {"visible": False, "fixedrange": True, "constrain": "domain"}
    layout = base.layout(
        "network",
        xaxis={**axis, "range": x_range},
        yaxis={**axis, "range": y_range, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        height=NETWORK_HEIGHT_PX,
        hovermode="closest" if hover else False,
        dragmode=False,
        annotations=_network_labels(col_x, neuron_y, layer_names, input_labels, y_range),
    )
    return base.figure(traces, layout)


def _network_geometry(
    sizes: list[int],
) -> tuple[np.ndarray, list[np.ndarray], list[float], list[float]]:
    """Column x positions (L,), neuron y positions per column (units,), x and y ranges.

    Columns are vertically centred, neuron 0 on top; the ranges have the ``ASPECT`` ratio.
    """
    height = max(max(sizes), MIN_SLOTS) * PITCH
    width = ASPECT * (height + TITLE_ROOM)
    gap = min((width - THUMB - LABEL_ROOM - RIGHT_ROOM) / max(len(sizes) - 1, 1), MAX_GAP)
    col_x = np.arange(len(sizes)) * gap
    neuron_y = [((n - 1) / 2 - np.arange(n)) * PITCH for n in sizes]
    centre = (col_x[-1] + RIGHT_ROOM - LABEL_ROOM) / 2  # midway between left and right room
    x_range = [centre - width / 2, centre + width / 2]
    return col_x, neuron_y, x_range, [-height / 2, height / 2 + TITLE_ROOM]


def _link_hover_trace(links: dict[str, np.ndarray]) -> dict:
    """Invisible markers on the links, one per link, hovering "w[l][i→j] = value".

    The point sits at a fraction of the way that grows with the target index j, so links
    that cross at their midpoints still get hover points of their own. The indices travel
    as compact ints in ``customdata`` and the formatted weight as ``text``.
    """
    t = 0.2 + 0.6 * (links["j"] + 0.5) / (links["j"].max(initial=0) + 1)
    return dict(
        type="scatter",
        x=whole_units(links["x0"] + t * (links["x1"] - links["x0"])),
        y=whole_units(links["y0"] + t * (links["y1"] - links["y0"])),
        mode="markers",
        marker={"size": 6, "opacity": 0},
        customdata=np.column_stack([links["layer"], links["i"], links["j"]]).astype(int),
        text=np.array([f"{w:.3f}" for w in links["w"]]),
        hovertemplate=LINK_HOVER,
    )


def _frames_trace(col_x: np.ndarray, neuron_y: list[np.ndarray]) -> dict:
    """A thin dark square around every thumbnail, as one NaN-separated line trace."""
    centres = np.array([(x, y) for x, ys in zip(col_x, neuron_y, strict=True) for y in ys])
    corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1), (np.nan, np.nan)])
    path = (centres[:, None, :] + corners * THUMB / 2).reshape(-1, 2).astype(np.float32)
    return dict(
        type="scatter",
        x=path[:, 0],
        y=path[:, 1],
        mode="lines",
        line={"color": INK, "width": 1},
        hoverinfo="skip",
    )


def _neuron_hover_trace(
    col_x: np.ndarray,
    neuron_y: list[np.ndarray],
    layer_names: list[str],
    biases: list[np.ndarray],
    input_labels: list[str] | None,
) -> dict:
    """Invisible markers on the neuron centres; hover names the neuron and shows its bias."""
    text = []
    for column, ys in enumerate(neuron_y):
        for k in range(len(ys)):
            name = f"{layer_names[column]} · neuron {k}"
            if column == 0:
                text.append(input_labels[k] if input_labels else name)
            else:
                text.append(f"{name}<br>b = {float(biases[column - 1][k]):.3f}")
    return dict(
        type="scatter",
        x=whole_units(np.repeat(col_x, [len(ys) for ys in neuron_y])),
        y=whole_units(np.concatenate(neuron_y)),
        mode="markers",
        marker={"size": 16, "opacity": 0, "symbol": "square"},
        hovertext=text,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _network_labels(
    col_x: np.ndarray,
    neuron_y: list[np.ndarray],
    layer_names: list[str],
    input_labels: list[str] | None,
    y_range: list[float],
) -> list[dict]:
    """Annotations: each layer's name above its column, feature labels left of the inputs."""
    titles = [
        {"x": x, "y": y_range[1], "text": name, "yanchor": "top", "font": {"size": 11}}
        for x, name in zip(col_x, layer_names, strict=True)
    ]
    features = [
        {"x": col_x[0] - 0.7 * THUMB, "y": y, "text": label, "xanchor": "right"}
        for y, label in zip(neuron_y[0], input_labels or [], strict=input_labels is not None)
    ]
    return [{"showarrow": False, "xref": "x", "yref": "y", **a} for a in titles + features]


# --- clickable while paused -----------------------------------------------------------------------


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


def _neuron_trace(fig: go.Figure):
    """The diagram's invisible neuron hover markers: the marker trace with hover text per neuron."""
    return next((t for t in fig.data if t.type == "scatter" and t.hovertext is not None
                 and t.mode == "markers"), None)


def _link_trace(fig: go.Figure):
    """The diagram's invisible link hover markers, customdata [layer, i, j] per link."""
    return next((t for t in fig.data if t.type == "scatter" and t.customdata is not None
                 and np.asarray(t.customdata).shape[1:] == (3,)), None)


def pickable(fig: go.Figure, layer_sizes: tuple[int, ...], param: tuple | None,
             focus: tuple[int, int] | None) -> go.Figure:
    """The network diagram made clickable and marked: neurons get customdata [column, k], a click
    selects one point, the picked link gets a ring, the picked neuron and the focused one a square.

    param: the picked parameter as ("w", layer, i, j) or ("b", layer, j) (settings.params), or
    None; focus: (column, k) or None. Changes and returns `fig`; one drawn without hover markers
    is returned as it is.
    """
    neurons, links = _neuron_trace(fig), _link_trace(fig)
    if neurons is None or links is None:
        return fig
    neurons.customdata = np.array([(c, k) for c, n in enumerate(layer_sizes) for k in range(n)])
    fig.layout.clickmode = "event+select"
    shapes = list(fig.layout.shapes)
    if param is not None and param[0] == "w":
        row = np.flatnonzero((np.asarray(links.customdata) == param[1:]).all(axis=1))
        if row.size:
            x, y = float(links.x[row[0]]), float(links.y[row[0]])
            shapes.append(ring("circle", x, y, 0.12 * THUMB, VERMILLION))
    marked = {focus: INK, bias_neuron(param) if param else None: VERMILLION}  # the same neuron: vermillion
    for neuron, color in marked.items():
        if neuron is not None:
            index = sum(layer_sizes[:neuron[0]]) + neuron[1]
            shapes.append(ring("rect", float(neurons.x[index]), float(neurons.y[index]),
                               0.62 * THUMB, color))
    fig.layout.shapes = shapes
    return fig


def ring(kind: str, x: float, y: float, half: float, color: str) -> dict:
    """A layout shape around (x, y): a "circle" or "rect" reaching `half` from the centre."""
    return {"type": kind, "xref": "x", "yref": "y", "x0": x - half, "x1": x + half,
            "y0": y - half, "y1": y + half, "line": {"color": color, "width": 3}}
