"""No traceback reaches the page (issue 8): a failing panel shows one sentence, the rest works.

Each panel in turn is made to raise; the page must show that panel's sentence and everything
else, the trainer must be as it was, and the traceback must be in the server log and nowhere on
the page.
"""

from __future__ import annotations

import logging
import re
import tomllib
import uuid
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from playground.settings.build import build_trainer
from playground.settings.config import DEFAULT
from tests.playground.routes import BINARY_CSV
from tests.playground.session import app
from tests.playground.views import views

ROOT = Path(__file__).resolve().parents[2]
SIDEBAR_PANELS = {"Lessons", "Your data", "Save and export", "Compare", "Share a classroom link"}
# (module, function, the sentence's subject): every call site of the page.
PANELS = [
    ("playground.panels.controls", "render", "The controls"),
    ("playground.panels.toolbar", "render", "The toolbar"),
    ("playground.panels.focus", "render", "The neuron focus"),
    ("playground.panels.controls", "view_toggles", "The view switches"),
    ("playground.panels.editor", "render", "The weight editor"),
    ("playground.live.views", "cost_figure", "The charts"),
    ("playground.panels.math", "render", "The math view"),
    ("playground.panels.metrics", "render", "The metrics"),
    ("playground.panels.replay", "render", "The replay slider"),
    ("playground.panels.lessons", "render", "The lessons"),
    ("playground.panels.lessons", "start_here", "Start here"),
    ("playground.panels.math", "lesson_row", "The article's lessons"),
    ("playground.panels.your_data", "render", "The data panel"),
    ("playground.panels.save", "render", "Save and export"),
    ("playground.panels.compare", "render", "The comparison"),
    ("playground.panels.link_builder", "render", "The classroom link builder"),
]


def page_text(at: AppTest) -> str:
    """Every element the page holds, as its protobuf text (labels, values, bodies)."""
    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)
    return "\n".join(str(getattr(node, "proto", "")) for node in walk(at._tree))


def sentence(what: str) -> str:
    return f"{what} could not be drawn just now; the rest of the page works."


def raising(secret: str):
    def fail(*args, **kwargs):
        raise RuntimeError(secret)
    return fail


@pytest.mark.parametrize(("module", "function", "what"), PANELS,
                         ids=[f"{m.split('.')[-1]}.{f}" for m, f, _ in PANELS])
def test_a_failing_panel_shows_one_sentence_and_the_rest_of_the_page_works(module, function, what,
                                                                           monkeypatch, caplog):
    secret = f"secret-{uuid.uuid4().hex}"
    at = app()
    at.button(key="step").click().run()  # one epoch: the replay slider has two snapshots
    trainer = at.session_state.trainer
    before = (trainer.epoch, trainer.net.params.copy())
    monkeypatch.setattr(f"{module}.{function}", raising(secret))
    with caplog.at_level(logging.ERROR, logger="playground"):
        at.run()
    assert not at.exception
    assert [i.value for i in at.info if "could not be drawn" in i.value] == [sentence(what)]
    text = page_text(at)
    assert secret not in text and "Traceback" not in text and "RuntimeError" not in text
    assert secret in caplog.text and "Traceback" in caplog.text  # the details: the server log
    assert at.session_state.trainer is trainer and trainer.epoch == before[0]
    np.testing.assert_array_equal(trainer.net.params, before[1])
    if what != "The charts":
        assert {"stats", "network", "surface", "cost"} <= set(views(at))
    expanders = {e.label.strip("*") for e in at.sidebar.expander}
    assert SIDEBAR_PANELS - {"Share a classroom link"} <= expanders  # every other panel is drawn
    if what != "The toolbar":
        at.button(key="step").click().run()  # the network keeps working
        assert trainer.epoch == before[0] + 1 and not at.exception


def test_every_panel_call_site_is_in_the_sweep():
    """Each panel function frame.py and app.py call (or hand to the guard) is one the sweep makes
    fail."""
    called = {(m.split(".")[-1], f) for m, f, _ in PANELS if m.startswith("playground.panels")}
    source = (ROOT / "playground" / "frame.py").read_text() + (ROOT / "playground" / "app.py").read_text()
    panels = (r"\b(controls|toolbar|focus|editor|math|metrics|replay|lessons|your_data|save|compare|"
              r"link_builder)")
    calls = set(re.findall(panels + r"\.(render\w*|view_toggles|start_here|lesson_row)\b", source))
    assert calls <= called, calls - called


def test_a_panel_failing_halfway_leaves_only_its_sentence(monkeypatch, caplog):
    """The controls fail after drawing Data, Features and Network: the sidebar shows the sentence
    in their place, not half a panel, and the setup is the one before."""
    at = app()
    monkeypatch.setattr("playground.panels.controls._training_controls", raising("half-secret"))
    with caplog.at_level(logging.ERROR, logger="playground"):
        at.run()
    assert not at.exception
    assert sentence("The controls") in [i.value for i in at.sidebar.info]
    drawn = {e.label.strip("*") for e in at.sidebar.expander}
    assert {"Data", "Features", "Network", "Training"}.isdisjoint(drawn)
    assert at.session_state.config == DEFAULT and "half-secret" in caplog.text


def test_a_failing_frame_while_playing_pauses_with_one_sentence(monkeypatch, caplog):
    """The play loop's frame (live view) fails: training pauses, the page says so in one sentence
    and the network is the one trained so far."""
    at = app()
    monkeypatch.setattr("playground.frame.play_frame", raising("frame-secret"))
    at.session_state["max_frames"] = 5
    with caplog.at_level(logging.ERROR, logger="playground"):
        at.button(key="play").click().run()
    assert not at.exception and not at.session_state.playing
    assert [w.value for w in at.warning] == [
        "The live view could not be drawn just now, so training paused; the rest of the page works."]
    assert "frame-secret" in caplog.text and "frame-secret" not in page_text(at)
    epoch = at.session_state.trainer.epoch
    assert epoch >= 1  # the frame's epochs were trained before it failed, and kept
    at.button(key="step").click().run()
    assert at.session_state.trainer.epoch == epoch + 1 and not at.exception


def test_streamlits_own_control_flow_passes_through_the_guard(monkeypatch):
    """st.rerun() inside a panel reruns the script; it is no failure."""
    calls = []
    original = __import__("playground.panels.metrics", fromlist=["render"]).render

    def rerun_once(trainer):
        calls.append(trainer.epoch)
        if len(calls) == 1:
            st.rerun()
        original(trainer)

    at = app()
    monkeypatch.setattr("playground.panels.metrics.render", rerun_once)
    at.run()
    assert len(calls) == 2 and not at.exception
    assert not [i for i in at.info if "could not be drawn" in i.value]


def test_a_failing_callback_says_so_and_changes_nothing_else(monkeypatch, caplog):
    at = app()
    monkeypatch.setattr("playground.session.data.parse_points_csv", raising("csv-secret"))
    uploader = next(u for u in at.get("file_uploader") if u.label.startswith("Upload points"))
    uploader.upload("mine.csv", BINARY_CSV, "text/csv")
    with caplog.at_level(logging.ERROR, logger="playground"):
        at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert "Loading the points did not work just now; the rest of the page works." in warnings
    assert at.session_state.trainer.data.name == "circle" and "surface" in views(at)
    assert "csv-secret" in caplog.text and "csv-secret" not in page_text(at)


def test_whatever_escapes_shows_no_details():
    """Streamlit's own message for an uncaught error, without type, message or traceback."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_the_untouched_page_shows_no_failure():
    at = app()
    assert not [i for i in at.info if "could not be drawn" in i.value]
    trainer = build_trainer(DEFAULT, 0)
    np.testing.assert_array_equal(at.session_state.trainer.net.params, trainer.net.params)
