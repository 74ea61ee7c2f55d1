"""Your data: upload a points CSV, or click points onto the surface; back to built-in data."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from playground.figures.base import CHART_CONFIG
from playground.figures.surface import drawn_points_colors, with_click_grid
from playground.io.uploads import FORMAT_HELP
from playground.session import data, keys

CLASS_NAMES = {0: "orange (class 0)", 1: "blue (class 1)"}
DRAW_HEIGHT = 420


def render() -> None:
    """CSV upload (errors shown, the previous data kept), clicked points, back to built-in data."""
    st.file_uploader("Upload points (CSV)", type=["csv", "txt"], key=keys.CSV_UPLOAD.name,
                     on_change=data.load_csv)
    st.caption(FORMAT_HELP)
    error = keys.DATA_ERROR.pop()
    if error:
        st.error(error, icon="🚫")
    st.toggle("Click to add points", key=keys.DRAW_MODE.name,
              help="Pause, then click the big surface below the charts to add points")
    if keys.DRAW_MODE.get():
        st.segmented_control("Class of new points", list(CLASS_NAMES), key=keys.DRAW_CLASS.name,
                             format_func=CLASS_NAMES.get, default=0, required=True)
        drawn = data.drawn()
        st.button(f"Clear clicked points ({len(drawn)})", key=keys.CLEAR_DRAWN.name,
                  on_click=data.clear_drawn, disabled=not drawn, width="stretch")
    points = data.points()
    if points is not None:
        st.info(f"Training on your {len(points.X)} points ({points.kind}). Picking a dataset above "
                "goes back to built-in data.", icon="📍")
        st.button("Use built-in data", key=keys.BUILTIN.name, on_click=data.drop_points, width="stretch")


def drawing() -> bool:
    """True while "Click to add points" is on."""
    return bool(keys.DRAW_MODE.get())


def render_draw_surface(figure: go.Figure) -> None:
    """The surface, large and clickable: a click adds a point of the chosen class."""
    drawn = data.drawn()
    if drawn:
        xs, ys, labels = np.array(drawn).T
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name="clicked", marker={
            "size": 9, "color": drawn_points_colors(labels), "line": {"color": "#222", "width": 1.5}},
            hoverinfo="skip"))
    figure.layout.height = DRAW_HEIGHT
    st.plotly_chart(with_click_grid(figure), key=data.drawn_chart_key(), on_select=data.add_clicked,
                    selection_mode="points", theme=None, config=CHART_CONFIG)
    st.caption(_draw_hint(drawn))


def _draw_hint(drawn: list) -> str:
    classes = {int(label) for *_, label in drawn}
    if len(drawn) >= 4 and len(classes) >= 2:
        return f"{len(drawn)} clicked points: the network trains on them. Click to add more."
    return (f"{len(drawn)} clicked point(s): add at least 4 with both classes to train on them. "
            "Click anywhere on the square.")
