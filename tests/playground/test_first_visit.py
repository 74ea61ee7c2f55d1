"""A first visit's first run draws the toolbar and the live views only; the page asks for the rest
once it has drawn them (the backup view's "rest" trigger), and every later run draws the whole
page, whatever starts it (playground.app._whole_page).

Regression: the first run sent the sidebar's controls and the panels with the views, and the
browser rendered them all before the first picture (2.7 s after navigation in Chromium; 1.9 s
with the views alone). The browser side is in tests/e2e/test_playground.py."""

from __future__ import annotations

import pytest

from tests.playground.routes import routed_app, take
from tests.playground.session import app, shown
from tests.playground.views import view, views

LIVE_VIEWS = {"stats", "network", "surface", "cost", "backup"}


def sidebar_widgets(at) -> list[str]:
    return [w.label for w in [*at.sidebar.selectbox, *at.sidebar.slider, *at.sidebar.number_input,
                              *at.sidebar.toggle, *at.sidebar.button]]


def ask_rest(at):
    """What the page does once it has drawn the views: the backup view's "rest" trigger."""
    return take(at, "rest")


def test_the_first_run_draws_the_views_alone_and_asks_for_the_rest():
    at = app(first_visit=True)
    assert not at.exception
    assert set(views(at)) >= LIVE_VIEWS
    assert sidebar_widgets(at) == [] and len(at.expander) == 0  # no controls, no panels
    assert view(at, "backup").static["ask_rest"] is True
    assert [c.value for c in at.sidebar.caption] == ["Loading the controls…"]
    assert {b.key for b in at.button} >= {"play", "step"}  # the toolbar works from the start


def test_the_page_asking_for_the_rest_draws_the_whole_page_once():
    at = ask_rest(routed_app(first_visit=True))
    assert not at.exception
    assert {"Dataset", "Learning rate", "Hidden layers"} <= set(sidebar_widgets(at))
    assert view(at, "backup").static["ask_rest"] is False
    assert "Loading the controls…" not in [c.value for c in at.sidebar.caption]
    assert at.session_state.trainer.epoch == 0
    at.run()
    assert view(at, "backup").static["ask_rest"] is False  # asked once: later runs are whole


def test_any_click_before_the_page_asks_draws_the_whole_page_too():
    """A page that never asks (its script failed, or a click came first) still gets the controls
    with its next run."""
    at = app(first_visit=True)
    at.button(key="step").click().run()
    assert not at.exception and at.session_state.trainer.epoch == 1
    assert "Dataset" in sidebar_widgets(at)


@pytest.mark.parametrize("params", [
    {"dataset": "xor", "hidden": "3", "learning_rate": "0.1"},
    {"lesson": "perceptron"},  # the article's lesson: The math on top
    {"dataset": "spiral", "features": "x1,x2,sin(x1),sin(x2)", "hide": "dataset,seed"},
])
def test_the_controls_drawn_second_show_the_links_setup(params):
    """The link's setup is read in the first run (without its controls) and kept by the second,
    which draws the controls with it; the same as a run that draws the whole page at once."""
    split = ask_rest(routed_app(first_visit=True, **params))
    whole = app(**params)
    assert not split.exception and not whole.exception
    assert split.session_state.config == whole.session_state.config
    assert sidebar_widgets(split) == sidebar_widgets(whole)
    assert ([w.value for w in split.sidebar.selectbox] == [w.value for w in whole.sidebar.selectbox])


def test_the_run_the_page_asked_for_sends_no_early_frame(monkeypatch):
    """The page shows the first run's picture already: a frame of the same picture ahead of the
    rest would be drawn for nothing (a paused click's early frame: playground.live.early)."""
    from playground.live import early

    sent = []
    monkeypatch.setattr(early, "send_answer", lambda *args: sent.append(args))
    at = routed_app(first_visit=True)
    before = len(sent)  # the first run's (no page is connected then: nothing goes out)
    ask_rest(at)
    assert len(sent) == before and not at.exception
    at.button(key="step").click().run()
    assert len(sent) == before + 1


def test_a_links_messages_wait_for_the_whole_page_and_stay():
    """Each message is shown once: a first visit's first run must not spend them (regression:
    the link's "unknown lesson" notice showed in the first run and was gone 0.3 s later)."""
    at = routed_app(first_visit=True, lesson="no-such-lesson")
    assert len(at.warning) + len(at.info) == 0
    at = ask_rest(at)
    texts = [shown(w.value) for w in [*at.warning, *at.info]]
    assert any("no-such-lesson" in text for text in texts), texts
