"""Panels that cost nothing while closed: an expander whose content is built only while it is open.

A collapsed st.expander still sends and renders everything inside it: on the default page the
closed math view (KaTeX), metrics, data, save and link-builder panels took ~1 s of the first
page's 3.2 s in Chromium, and part of every click's rerun. An expander with a key and
``on_change="rerun"`` (Streamlit ≥ 1.50) tracks its state: opening it reruns the script, which
then builds its content, and closing it drops the content again.

Each panel's state is the session-state key PANEL(name) (True: open). The AppTest scripts open
every panel in NAMES (tests/playground/session.py's open_panels), as a user who opens them.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from playground.session import keys

# every lazy panel; "math_article" is The math in the article's lesson (open at first there)
NAMES = ("math", "math_article", "metrics", "your_data", "save", "link_builder")


def panel(label: str, name: str, render: Callable[[], None], expanded: bool = False,
          keeps: tuple[keys.Key, ...] = ()) -> bool:
    """An expander titled `label` (its state under keys.PANEL(name), first `expanded`) that calls
    `render()` inside it only while open; returns whether it is open. `keeps`: the keys of the
    panel's value widgets (not buttons or uploads), kept while it is closed: Streamlit drops the
    value of a widget not drawn in a run, and e.g. "Click to add points" or The math's sample
    must outlive closing their panel. Raises ValueError for a name not in NAMES.

    A kept value is written back through the Session State API in every run the panel is closed
    (so Streamlit keeps it) and in the run it opens again (so the browser, which forgot the
    widget, shows it: a value Streamlit merely kept reached the page as the widget's default)."""
    if name not in NAMES:
        raise ValueError(f"unknown panel {name!r}")
    box = st.expander(label, expanded=expanded, key=keys.PANEL(name).name, on_change="rerun")
    shown = keys.PANEL(f"{name}.shown")  # open in the last run
    reopened = box.open and not shown.get(False)
    shown.set(bool(box.open))
    if not box.open or reopened:
        for key in keeps:
            if key.exists():
                key.set(key.get())
    if not box.open:
        return False
    with box:
        render()
    return True
