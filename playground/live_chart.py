"""Charts that stay mounted while playing: each frame updates them in place with Plotly.react.

`st.plotly_chart` remounts its chart whenever the figure changes and plots it twice per mount
(a newPlot, then a react after applying its theme): measured in headless Chromium, ~45 ms of the
browser's main thread for the surface where plotly alone needs ~16 ms. A class of browsers
sharing one machine could not keep up. While playing, the app draws its three charts with this
Streamlit component instead: a few lines of JavaScript (assets/live_chart.js) that keep one plotly
div per chart and call Plotly.react on it each frame. Paused, the app goes back to
`st.plotly_chart` (click to pick a weight, Streamlit's full-screen button).

plotly.js itself comes from the installed plotly package (its offline bundle), served by
Streamlit as a component's static files: no network, nothing copied into this repository.
"""

from __future__ import annotations

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
         config: dict) -> None:
    """Show `figure` in `place`, reusing the plotly div of chart `slot` ("surface", ...).

    key: unique within the script run (one per frame). height: pixels.
    """
    figure.layout.height = height
    if not available():
        place.plotly_chart(figure, key=key, config=config, theme=None)
        return
    with place:
        _component()(key=key, data=payload(figure, slot, height, config))


def payload(figure: go.Figure, slot: str, height: int, config: dict) -> bytes:
    """The component's data: the slot's name, a newline, then UTF-8 JSON {height, src, config,
    figure} with the figure inlined, not as an escaped string (a large diagram would be escaped,
    then parsed twice). The browser reads the slot alone and parses only the newest frame."""
    head = json.dumps({"height": height, "src": _plotly_js_url(),
                       "config": {**config, "responsive": True}})
    return f'{slot}\n{head[:-1]}, "figure": {pio.to_json(figure, validate=False)}}}'.encode()
