"""Closed panels cost nothing: a collapsed panel sends no element to the page, opening it builds
its content, and the choices made inside it outlive closing it (playground.session.lazy).

Regression: every collapsed expander (The math's KaTeX, metrics, your data, save and export, the
link builder's code box) was sent and rendered on every run: ~1 s of the first page's 3.2 s in
Chromium, and part of every click's rerun."""

from __future__ import annotations

import pytest

from playground.session import lazy
from playground.session.keys import PANEL
from tests.playground.session import app


def first_visit():
    """The page as a first visit leaves it: every lazy panel closed (the article's math is not
    on the default page)."""
    return app(closed=lazy.NAMES)


def expander(at, label: str):
    return next(e for e in [*at.main.expander, *at.sidebar.expander] if e.label == label)


def test_a_first_visit_sends_nothing_from_inside_the_closed_panels():
    at = first_visit()
    assert not at.exception
    assert len(at.get("latex")) == 0  # The math's formulas
    assert len(at.get("code")) == 0  # the link builder's URL box
    assert len(at.get("download_button")) == 0  # Save and export
    assert len(at.get("file_uploader")) == 0  # Your data's CSV, Save and export's session file
    for label in ("The math", "Metrics", "**Your data**", "**Save and export**",
                  "**Share a classroom link**"):
        assert len(expander(at, label).children) == 0, label


@pytest.mark.parametrize(("name", "label", "inside"), [
    ("math", "The math", "latex"), ("save", "**Save and export**", "download_button"),
    ("your_data", "**Your data**", "file_uploader"), ("link_builder", "**Share a classroom link**", "code"),
])
def test_opening_a_panel_builds_its_content_and_closing_drops_it(name, label, inside):
    at = first_visit()
    at.session_state[PANEL(name).name] = True  # what a click on the expander's title does
    at.run()
    assert len(at.get(inside)) > 0 and len(expander(at, label).children) > 0
    at.session_state[PANEL(name).name] = False
    at.run()
    assert len(at.get(inside)) == 0


def test_the_choices_inside_a_panel_outlive_closing_it():
    at = first_visit()
    at.session_state[PANEL("your_data").name] = True
    at.session_state[PANEL("math").name] = True
    at.run()
    at.toggle(key="cls_draw_mode").set_value(True).run()
    at.number_input(key="math_sample").set_value(5).run()
    for name in ("your_data", "math"):
        at.session_state[PANEL(name).name] = False
    at.run().run()  # closed for two runs: Streamlit drops an undrawn widget's value after one
    assert at.session_state["cls_draw_mode"] is True and at.session_state["math_sample"] == 5
    for name in ("your_data", "math"):
        at.session_state[PANEL(name).name] = True
    at.run()
    assert at.toggle(key="cls_draw_mode").value is True and at.number_input(key="math_sample").value == 5


def test_an_unknown_panel_name_is_refused():
    with pytest.raises(ValueError, match="unknown panel"):
        lazy.panel("Anything", "no-such-panel", lambda: None)
