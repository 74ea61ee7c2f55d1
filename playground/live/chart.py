"""Charts that stay mounted while playing: each frame updates them in place with Plotly.react.

`st.plotly_chart` remounts its chart whenever the figure changes and plots it twice per mount
(a newPlot, then a react after applying its theme): measured in headless Chromium, ~45 ms of the
browser's main thread for the surface where plotly alone needs ~16 ms. A class of browsers
sharing one machine could not keep up. While playing, the app draws its three charts with this
Streamlit component instead: a few lines of JavaScript (assets/live_chart.js) that keep one plotly
div per chart. The component is mounted once per script run; each frame's figure is written to a
hidden st.html element, and the script draws the newest with Plotly.react at the next animation
frame. (Mounting a new component every frame needs a new key every frame — Streamlit rejects a
key used twice in one run — and the chart left the page for one animation frame in five.)
Paused, the app goes back to `st.plotly_chart` (click to pick a weight, Streamlit's full-screen
button).

plotly.js itself comes from the installed plotly package (its offline bundle), served by
Streamlit as a component's static files: no network, nothing copied into this repository.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
import streamlit.components.v1 as components_v1
import streamlit.components.v2 as components_v2
import streamlit.runtime
from streamlit.delta_generator import DeltaGenerator

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"  # holds plotly.min.js
SCRIPT = Path(__file__).parent / "assets" / "live_chart.js"


@st.cache_resource
def _plotly_js_url() -> str:
    """The page-relative URL of plotly.min.js (a component that only serves files)."""
    served = components_v1.declare_component("plotly_js", path=str(PLOTLY_DIR))
    return f"component/{served.name}/plotly.min.js"


def register() -> None:
    """Serve plotly.min.js from the first script run on, before any chart needs it."""
    if available():
        _plotly_js_url()


@st.cache_resource
def _component():
    return components_v2.component("playground_live_chart", js=SCRIPT.read_text(),
                                   isolate_styles=False)  # plotly's global CSS must reach it


def available() -> bool:
    """Components need Streamlit's server runtime (AppTest runs scripts without one)."""
    return streamlit.runtime.exists()


def draw(place: DeltaGenerator, figure: go.Figure, slot: str, key: str, height: int,
         config: dict, frames: dict[str, DeltaGenerator], area: DeltaGenerator) -> None:
    """Show `figure` in `place` as chart `slot` ("surface", ...), updated in place.

    The first call of a script run mounts the component in `place` (one stable key per slot:
    nothing accumulates frame after frame, and the chart is never detached, so it never blinks)
    and a hidden element in `area`; every call writes the frame's figure into that element.
    frames: slot -> that element's placeholder, one dict per script run (the caller's).
    key: unique within the run, for the AppTest fallback. height: pixels.
    """
    figure.layout.height = height
    if not available():
        place.plotly_chart(figure, key=key, config=config, theme=None)
        return
    if slot not in frames:
        with place:
            _component()(key=f"live-{slot}", data=slot.encode())
        frames[slot] = area.empty()
    frames[slot].html(frame_html(figure, slot, height, config))


def frame_html(figure: go.Figure, slot: str, height: int, config: dict) -> str:
    """A hidden element holding one frame of chart `slot`: JSON {height, src, config, figure},
    HTML-escaped as the element's text (Streamlit sanitizes st.html; text passes unchanged)."""
    head = json.dumps({"height": height, "src": _plotly_js_url(),
                       "config": {**config, "responsive": True}})
    body = f'{head[:-1]}, "figure": {pio.to_json(figure, validate=False)}}}'
    return f'<div class="pg-live-data" data-slot="{slot}" hidden>{html.escape(body)}</div>'
