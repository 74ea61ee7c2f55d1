"""The live view in the page: the stage component's views, and how a frame reaches them.

Each view ("stats", "network", "surface", "cost", compare mode's "compare_surface" and
"compare_cost") is a mount of one small Streamlit component (assets/stage.js), mounted once per
script run with its static part and current frame. While playing, each frame is one message for
every view (live.payload) published to the session's channel (live.hub): the page's WebSocket
sends it and answers when it starts drawing it. A page without that WebSocket (a proxy that refuses it,
or AppTest, which has no server) gets the same message in a hidden element instead.

plotly.js comes from the installed plotly package, served by Streamlit as a component's static
files: no network, nothing copied into this repository. The component loads it once the page has
drawn its own elements (it holds the browser's main thread for 1-2 s as it starts); until it is
there, the surface shows its image alone.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st
import streamlit.components.v1 as components_v1
import streamlit.components.v2 as components_v2
from streamlit.delta_generator import DeltaGenerator

from playground.live.hub import LIVE_PATH, frame_hub
from playground.live.payload import Message

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"  # holds plotly.min.js
SCRIPT = Path(__file__).parent / "assets" / "stage.js"
TAKE_TIMEOUT_S = 2.0  # a frame not taken by then: the page is hidden or gone; go on


@st.cache_resource
def _plotly_js_url() -> str:
    """The page-relative URL of plotly.min.js (a component that only serves files)."""
    served = components_v1.declare_component("plotly_js", path=str(PLOTLY_DIR))
    return f"component/{served.name}/plotly.min.js"


@st.cache_resource
def _component():
    return components_v2.component("playground_stage", js=SCRIPT.read_text(),
                                   isolate_styles=False)  # plotly's global CSS must reach it


def mount(place: DeltaGenerator, key: str, message: Message, slot: str, kind: str, static: dict,
          token: str, playing: bool, events: dict[str, Callable[[], None]] | None = None) -> None:
    """Mount view `slot` (of `kind`) in `place` with `message` (its frame, and its static part
    `static`); `events` maps a trigger name ("pick", "structure", "click") to its callback."""
    message.mount = {"slot": slot, "kind": kind, "token": token, "ws": LIVE_PATH.lstrip("/"),
                     "plotly": _plotly_js_url(), "playing": playing, "static": static}
    callbacks = {f"on_{name}_change": callback for name, callback in (events or {}).items()}
    with place:
        _component()(key=key, data=message.encode(), **callbacks)


class Publisher:
    """One script run's way to send frames: the channel when the page's WebSocket is open, else
    a hidden element (`fallback`, a placeholder hidden by CSS)."""

    def __init__(self, token: str, fallback: DeltaGenerator):
        self.channel = frame_hub().channel(token)
        self.fallback = fallback

    def publish(self, message: Message) -> None:
        data = message.encode()
        if self.channel.connected:
            self.channel.publish(message.seq, data)
            return
        text = base64.b64encode(data).decode("ascii")
        self.fallback.html(f'<div class="pg-live-data" hidden>{text}</div>')

    @property
    def acked(self) -> bool:
        """True when the page's WebSocket is open: it says when it takes each frame."""
        return bool(self.channel.connected)

    def taken(self, seq: int) -> bool:
        """True once the page took frame `seq` to draw, or when it cannot say (no WebSocket)."""
        return not self.channel.connected or self.channel.taken >= seq

    def wait_taken(self, seq: int, timeout: float = TAKE_TIMEOUT_S) -> bool:
        """Wait until the page took frame `seq` to draw (False without a WebSocket, or after
        `timeout` seconds)."""
        return self.channel.wait_taken(seq, timeout)
