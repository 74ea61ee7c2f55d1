"""Your data: upload a points CSV, or click points onto the surface; back to built-in data."""

from __future__ import annotations

import streamlit as st

from playground.io.uploads import FORMAT_HELP
from playground.session import data, keys, messages

CLASS_NAMES = {0: "orange (class 0)", 1: "blue (class 1)"}


def render() -> None:
    """CSV upload (errors shown, the previous data kept), clicked points, back to built-in data."""
    st.file_uploader("Upload points (CSV)", type=["csv", "txt"], key=keys.CSV_UPLOAD.name,
                     on_change=data.load_csv, max_upload_size=1)  # "1MB per file", as the help says
    st.caption(FORMAT_HELP)
    error = keys.DATA_ERROR.pop()
    if error:
        messages.show(error, "error")
    st.toggle("Click to add points", key=keys.DRAW_MODE.name,
              help="Pause, then click the decision surface to add points")
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


def draw_hint() -> str:
    """Under the surface while "Click to add points" is on: what clicking does, what is missing."""
    drawn = data.drawn()
    classes = {int(label) for *_, label in drawn}
    if len(drawn) >= 4 and len(classes) >= 2:
        return f"{len(drawn)} clicked points: the network trains on them. Click to add more."
    return (f"{len(drawn)} clicked point(s): add at least 4 with both classes to train on them. "
            "Click anywhere on the square.")
