"""What the live views received in an AppTest run: each view's mount message, decoded.

    from tests.playground.views import figure, stats, view
    stats(at)              # the stats row as HTML-like text: '<span id="epoch-counter">1</span>'
    figure(at, "surface")  # the plotly figure (JSON) a surface or cost view draws
    view(at, "network")    # View(frame, static, arrays) of any view
    frames(at)             # the frames a playing run sent to the page (hidden elements)
    png_pixels(source)     # (h, w, 4) uint8 RGBA of a PNG: bytes, uint8 array or data URL
    surface_pixels(at)     # the pixels of the image a surface view shows
"""

from __future__ import annotations

import base64
import re
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.live.payload import decode

LIVE_DATA = re.compile(r'<div class="pg-live-data" hidden>([A-Za-z0-9+/=]*)</div>')


@dataclass
class View:
    frame: dict  # the view's frame data
    static: dict  # its static part (mount)
    arrays: dict[str, np.ndarray]  # its arrays, by name (static ones too)
    seq: int


def views(at: AppTest) -> dict[str, View]:
    """Every live view mounted in the last run, by slot."""
    found = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name != "playground_stage":
            continue
        header, arrays = decode(element.proto.bytes)
        slot = header["mount"]["slot"]
        found[slot] = View(header["slots"].get(slot, {}), header["mount"]["static"],
                           {name.removeprefix("static_"): a for (s, name), a in arrays.items() if s == slot},
                           header["seq"])
    return found


def view(at: AppTest, slot: str) -> View:
    return views(at)[slot]


def figure(at: AppTest, slot: str) -> dict:
    """The plotly figure of a surface or cost view (JSON, as the browser gets it)."""
    return view(at, slot).static["figure"]


def stats(at: AppTest) -> str:
    """The stats row as HTML-like text: <small>label</small><span id="...">text</span> per item."""
    return "".join(f'<div><small>{label}</small><span id="{id_}">{text}</span></div>'
                   for label, id_, text in view(at, "stats").frame["items"])


def frames(at: AppTest) -> list[tuple[dict, dict]]:
    """The frames a playing run sent in hidden elements (AppTest has no WebSocket), oldest first:
    (header, {(slot, name): array})."""
    sent = []
    for element in at.get("html"):
        match = LIVE_DATA.fullmatch(element.proto.body)
        if match:
            sent.append(decode(base64.b64decode(match.group(1))))
    return sent


def typed_array(value) -> np.ndarray:
    """An array of a figure's JSON: a list, or plotly's {"dtype", "bdata"} typed array."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" not in value:
            return array
        shape = value["shape"]  # plotly writes a 2-D shape as the text "61, 61"
        return array.reshape([int(n) for n in shape.split(",")] if isinstance(shape, str) else shape)
    return np.asarray(value)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_pixels(source: bytes | np.ndarray | str) -> np.ndarray:
    """(height, width, 4) uint8 RGBA of an 8-bit RGBA PNG (bytes, a uint8 array as a frame sends
    it, or a "data:image/png;base64," URL), row 0 at the top.

    Written from the PNG specification, not from the app's writer: it checks the signature and
    every chunk's CRC, joins the IDAT chunks and undoes filter type 0 (none), the only one the
    app's images use (any other fails the test that meets it).
    """
    if isinstance(source, str):
        prefix = "data:image/png;base64,"
        assert source.startswith(prefix), source[:40]
        source = base64.b64decode(source[len(prefix):])
    data = bytes(source) if not isinstance(source, np.ndarray) else source.tobytes()
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        chunks.setdefault(kind, []).append(body)
        at += 12 + length
    assert at == len(data) and chunks.get(b"IEND") == [b""], "the PNG does not end with IEND"
    width, height, depth, color_type, compression, filters, interlace = struct.unpack(
        ">IIBBBBB", chunks[b"IHDR"][0])
    assert (depth, color_type, compression, filters, interlace) == (8, 6, 0, 0, 0), "not 8-bit RGBA"
    rows = np.frombuffer(zlib.decompress(b"".join(chunks[b"IDAT"])), np.uint8).reshape(height, 1 + 4 * width)
    assert (rows[:, 0] == 0).all(), "a row uses a PNG filter other than 0 (none)"
    return rows[:, 1:].reshape(height, width, 4)


def surface_pixels(at: AppTest, slot: str = "surface") -> np.ndarray:
    """The pixels of the image (the decision surface or a focused neuron) a surface view shows."""
    return png_pixels(figure(at, slot)["layout"]["images"][0]["source"])
