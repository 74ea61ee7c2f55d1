"""What the live views received in an AppTest run: each view's mount message, decoded.

    from tests.playground.views import figure, stats, view
    stats(at)              # the stats row as HTML-like text: '<span id="epoch-counter">1</span>'
    figure(at, "surface")  # the plotly figure (JSON) a surface or cost view draws
    view(at, "network")    # View(frame, static, arrays) of any view
    frames(at)             # the frames a playing run sent to the page (hidden elements)
"""

from __future__ import annotations

import base64
import re
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
        return array.reshape(value["shape"]) if "shape" in value else array
    return np.asarray(value)
