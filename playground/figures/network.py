"""The network diagram: columns of neuron thumbnails joined by weighted links, drawn on a canvas by
the live view (live/assets/stage.js) from what these functions compute.

Everything the diagram shows is decided here, in diagram units (a thumbnail is THUMB = 100 wide):
where each column and neuron sits, each link's end points and style (colour = sign, width =
|w| in WIDTH_BUCKETS steps up to WEIGHT_CLIP; an exactly-zero weight is a thin dashed line, a
non-finite one grey), each thumbnail's int8 codes and the colour table that maps them, the
hover texts (the page's number format) and the rings of a picked link or neuron. The canvas only
draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.figures.colors import BLUE, INK, NEUTRAL, ORANGE, VERMILLION, surface_color, to_rgb
from playground.figures.links import WIDTH_BUCKETS, link_table, link_width_bucket
from playground.figures.thumbnails import MIN_CELL_PX, MISSING, THUMB, subsample, thumbnail_codes
from playground.settings.text import number

PITCH = 145.0  # vertical distance between neuron centres
MIN_SLOTS = 6  # a short network still gets the room of this many neurons: thumbnails keep their size
MAX_GAP = 520.0  # largest horizontal distance between columns
LABEL_ROOM = 230.0  # room left of the inputs for their labels
TITLE_ROOM = 160.0  # room above the tallest column: the layer name and "N neurons"
BOTTOM_ROOM = 120.0  # room below it: the hints and the colour legend
RIGHT_ROOM = 80.0  # room right of the outputs for the last layer name
ASPECT = 1.45  # width / height of the diagram
NETWORK_HEIGHT_PX = 420  # the height thumbnails are subsampled for
ZERO_CODE = 0  # a weight of exactly 0
MISSING_CODE = 127  # a non-finite weight
FONT_FAMILY = "Source Sans, sans-serif"
LINK_ORDER = "link l, source i, target j: the order of `link_table` and of every per-link array"


@dataclass(frozen=True)
class Geometry:
    """Where everything sits, in diagram units: column x positions (L,), neuron y positions per
    column (units,), the x and y ranges shown."""

    col_x: np.ndarray
    neuron_y: list[np.ndarray]
    x_range: tuple[float, float]
    y_range: tuple[float, float]


def geometry(sizes: list[int] | tuple[int, ...]) -> Geometry:
    """Columns centred vertically, neuron 0 on top; the ranges have the ASPECT ratio."""
    height = max(max(sizes), MIN_SLOTS) * PITCH
    width = ASPECT * (height + TITLE_ROOM + BOTTOM_ROOM)
    gap = min((width - THUMB - LABEL_ROOM - RIGHT_ROOM) / max(len(sizes) - 1, 1), MAX_GAP)
    col_x = np.arange(len(sizes)) * gap
    neuron_y = [((n - 1) / 2 - np.arange(n)) * PITCH for n in sizes]
    centre = (col_x[-1] + RIGHT_ROOM - LABEL_ROOM) / 2  # midway between left and right room
    return Geometry(col_x, neuron_y, (centre - width / 2, centre + width / 2),
                    (-height / 2 - BOTTOM_ROOM, height / 2 + TITLE_ROOM))


def link_codes(weights: np.ndarray) -> np.ndarray:
    """Each weight's drawing code, int8: sign × (width bucket + 1), ZERO_CODE for exactly 0,
    MISSING_CODE for NaN; ±∞ are the widest of their sign. weights: (links,)."""
    w = np.asarray(weights, dtype=float)
    codes = np.sign(w) * (link_width_bucket(w) + 1)
    codes = np.where(w == 0, ZERO_CODE, codes)
    return np.where(np.isnan(w), MISSING_CODE, codes).astype(np.int8)


def link_styles(line_scale: float = 1.0) -> dict[str, list]:
    """Code -> [colour, width in px, opacity, dash pattern or None], for every code."""
    styles = {str(ZERO_CODE): ["#888888", 0.8, 0.7, [3, 3]], str(MISSING_CODE): ["#AAAAAA", 1.0, 0.6, None]}
    for b in range(WIDTH_BUCKETS):
        width, opacity = 0.6 + 4.4 * (b + 0.5) / WIDTH_BUCKETS, 0.35 + 0.6 * b / (WIDTH_BUCKETS - 1)
        styles[str(b + 1)] = [BLUE, width, opacity, None]
        styles[str(-(b + 1))] = [ORANGE, width, opacity, None]
    return styles


def thumbnail_lut() -> np.ndarray:
    """(256, 4) uint8 RGBA of each thumbnail code (row code + 128): MISSING transparent, −127
    orange, 0 white, 127 blue, linear between."""
    codes = np.arange(-128, 128)
    t = np.clip((codes + 127) / 254, 0, 1)
    stops = np.array([to_rgb(surface_color(ORANGE)), to_rgb(NEUTRAL), to_rgb(surface_color(BLUE))])
    rgb = np.stack([np.interp(t, [0, 0.5, 1], stops[:, c]) for c in range(3)], axis=1)
    alpha = np.where(codes == MISSING, 0, 255)
    return np.column_stack([np.rint(rgb), alpha]).astype(np.uint8)


def thumbnail_cells(geo: Geometry) -> int:
    """Cells a thumbnail side keeps so that a cell is at least MIN_CELL_PX tall at
    NETWORK_HEIGHT_PX."""
    return max(4, int(NETWORK_HEIGHT_PX / (geo.y_range[1] - geo.y_range[0]) * THUMB / MIN_CELL_PX))


def diagram_static(sizes: list[int], layer_names: list[str], input_labels: list[str],
                   captions: list[str], font_px: float = 13.0, line_scale: float = 1.0,
                   hints: bool = True) -> tuple[dict, dict[str, np.ndarray]]:
    """What stays while the network's shape stays: ranges, columns (x, neuron ys, name,
    caption such as "4 neurons"), input labels, link styles, colours, hints and legend; arrays:
    "ends" (links, 4) float32 x0, y0, x1, y1 per link (LINK_ORDER), "lut" (256, 4) uint8."""
    geo = geometry(sizes)
    shapes = [np.zeros(pair) for pair in zip(sizes[:-1], sizes[1:], strict=True)]
    links = link_table(geo.col_x, geo.neuron_y, shapes, inset=THUMB / 2)
    ends = np.column_stack([links["x0"], links["y0"], links["x1"], links["y1"]]).astype(np.float32)
    columns = [{"x": float(x), "ys": [float(y) for y in ys], "name": name, "caption": caption}
               for x, ys, name, caption in zip(geo.col_x, geo.neuron_y, layer_names, captions, strict=True)]
    static = {"x_range": list(geo.x_range), "y_range": list(geo.y_range), "thumb": THUMB,
              "columns": columns, "input_labels": list(input_labels), "styles": link_styles(),
              "ink": INK, "font_px": font_px, "font_family": FONT_FAMILY, "line_scale": line_scale,
              "hints": _hints(geo) if hints and len(sizes) > 2 else None,
              "legend": {"stops": [[0, surface_color(ORANGE)], [0.5, NEUTRAL], [1, surface_color(BLUE)]],
                         "labels": [[0, "−1"], [0.5, "0"], [1, "1"]]}}
    return static, {"static_ends": ends, "static_lut": thumbnail_lut()}


def _hints(geo: Geometry) -> list[list]:
    """Two one-line hints, left below the columns: what a square and what a link shows."""
    left, bottom = float(geo.col_x[0] - LABEL_ROOM * 0.9), geo.y_range[0] + BOTTOM_ROOM * 0.62
    return [["squares: each neuron's output over the input square", left, bottom],
            ["links: orange < 0 < blue; wider = larger |w|", left, bottom - BOTTOM_ROOM * 0.36]]


def diagram_frame(neuron_images: list[np.ndarray], weights: list[np.ndarray], biases: list[np.ndarray],
                  layer_names: list[str], input_labels: list[str], cells: int, hover: bool = True,
                  marks: list | None = None, note: str = "") -> tuple[dict, dict[str, np.ndarray]]:
    """One frame of the diagram: arrays "codes" (links,) int8 (see link_codes) and "thumbs"
    (neurons, c, c) int8 (see thumbnail_codes: each neuron scaled by its own max |value|), row 0
    the top (the largest x2) as the canvas draws an image; hover texts for every link
    ("w[l][i→j] = 0.123") and neuron (its name and bias) when `hover`; `marks` (rings); `note`
    (e.g. how many links are zero).

    neuron_images: per column (units, r, r), images[k][i, j] at (xs[j], ys[i]) with ys increasing
    (core.Surface); weights[l]: (fan_in, fan_out); biases[l]: (fan_out,).
    """
    codes = link_codes(np.concatenate([np.asarray(w, float).ravel() for w in weights] or [np.zeros(0)]))
    thumbs = np.concatenate([thumbnail_codes(subsample(np.asarray(images, dtype=float), cells))[:, ::-1]
                             for images in neuron_images]) if neuron_images else np.zeros((0, 1, 1), np.int8)
    frame = {"marks": marks or [], "note": note,
             "hover": _hover_texts(weights, biases, layer_names, input_labels) if hover else None}
    return frame, {"codes": codes, "thumbs": thumbs}


def _hover_texts(weights: list[np.ndarray], biases: list[np.ndarray], layer_names: list[str],
                 input_labels: list[str]) -> dict[str, list[str]]:
    links = [f"w[{layer}][{i}→{j}] = {number(value)}" for layer, w in enumerate(weights)
             for (i, j), value in np.ndenumerate(np.asarray(w, float))]
    neurons = [f"{label} (input)" for label in input_labels]
    for layer, b in enumerate(biases):
        name = layer_names[layer + 1]
        neurons += [f"{name} · neuron {k}: b = {number(value)}" for k, value in enumerate(b)]
    return {"links": links, "neurons": neurons}


def link_index(sizes: list[int] | tuple[int, ...], layer: int, i: int, j: int) -> int:
    """The position of w[layer][i→j] in LINK_ORDER."""
    before = sum(a * b for a, b in zip(sizes[:layer], sizes[1:layer + 1], strict=True))
    return before + i * sizes[layer + 1] + j


def link_at(sizes: list[int] | tuple[int, ...], index: int) -> tuple[int, int, int] | None:
    """(layer, i, j) of the link at position `index` of LINK_ORDER; None outside."""
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        if 0 <= index < fan_in * fan_out:
            return layer, index // fan_out, index % fan_out
        index -= fan_in * fan_out
    return None


def neuron_at(sizes: list[int] | tuple[int, ...], index: int) -> tuple[int, int] | None:
    """(column, k) of the neuron at position `index` counted column by column; None outside."""
    for column, units in enumerate(sizes):
        if 0 <= index < units:
            return column, index
        index -= units
    return None


def marks(sizes: list[int] | tuple[int, ...], picked: tuple | None,
          focus: tuple[int, int] | None) -> list[list]:
    """Rings: a circle on the picked weight's link (at its midpoint), a square around the picked
    bias's neuron (vermillion) and the focused neuron (ink). picked: ("w", l, i, j), ("b", l, j)
    or None; focus: (column, k) or None."""
    geo, rings = geometry(sizes), []
    if picked is not None and picked[0] == "w":
        _, layer, i, j = picked
        x0, x1 = geo.col_x[layer] + THUMB / 2, geo.col_x[layer + 1] - THUMB / 2
        y0, y1 = geo.neuron_y[layer][i], geo.neuron_y[layer + 1][j]
        rings.append(["circle", float((x0 + x1) / 2), float((y0 + y1) / 2), 0.12 * THUMB, VERMILLION])
    bias_of = (picked[1] + 1, picked[2]) if picked is not None and picked[0] == "b" else None
    for neuron, color in ((focus, INK), (bias_of, VERMILLION)):
        if neuron is not None and 0 <= neuron[0] < len(sizes) and 0 <= neuron[1] < sizes[neuron[0]]:
            x, y = float(geo.col_x[neuron[0]]), float(geo.neuron_y[neuron[0]][neuron[1]])
            rings.append(["rect", x, y, 0.62 * THUMB, color])
    return rings
