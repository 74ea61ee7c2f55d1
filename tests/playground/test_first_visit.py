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


def main_shape(at) -> list[tuple[int, str, str | None]]:
    """The main area's top-level nodes as the browser gets them: (path index, kind, key), where
    kind is an element's type or a block's."""
    return [(index, node.type, getattr(node, "key", None)) for index, node in at.main.children.items()]


def toolbar_onwards(at) -> list[tuple[int, str, str | None]]:
    """The toolbar, the banner under it and the views' columns, with their path indices."""
    shape = main_shape(at)
    start = next(i for i, (_, _, key) in enumerate(shape) if key == "pg-toolbar")
    return shape[start:start + 3]


def test_every_kind_of_run_draws_the_toolbar_and_views_at_the_same_paths():
    """The browser keeps an element at its path until a later run sends that path, and leaves
    an old block's children until the run ends; a playing run does not end. Regression: a first
    visit's first run drew an empty block above the toolbar that the run the page asked for did
    not: once Play was pressed, the old toolbar (Play, faded) stayed above the new one (Pause)
    for the whole of playing. Every run, whatever starts it, puts them at the same paths."""
    at = routed_app(first_visit=True)
    runs = {"first visit": toolbar_onwards(at)}
    runs["the rest, asked by the page"] = toolbar_onwards(ask_rest(at))
    runs["a paused rerun"] = toolbar_onwards(at.run())
    at.button(key="step").click().run()
    runs["Step"] = toolbar_onwards(at)
    played = app()
    played.session_state["max_frames"] = 1  # the play loop ends after one frame (app_script.py)
    played.button(key="play").click().run()
    runs["Play"] = toolbar_onwards(played)
    noticed = app(dataset="<b>x</b>", hidden="999")
    assert noticed.warning, "the link's notice is the point of this run"
    runs["a link's notice"] = toolbar_onwards(noticed)
    lesson = app(lesson="perceptron")
    runs["the article's lesson"] = toolbar_onwards(lesson)
    assert not any(run.exception for run in (at, played, noticed, lesson))
    first = runs["first visit"]
    assert [kind for _, kind, _ in first] == ["flex_container", "empty", "flex_container"], first
    assert {name: shape for name, shape in runs.items() if shape != first} == {}


def test_a_link_naming_two_lessons_opens_neither_and_says_so():
    """Regression (a fresh student's run): ?lesson=article-1&lesson=article-2 opened article-2
    without a word, as a repeated setting did before (url.single_values)."""
    at = app(lesson=["article-1", "article-2"])
    assert not at.exception and at.session_state.config == app().session_state.config
    texts = [shown(m.value) for m in [*at.warning, *at.info]]
    assert any("names 2 lessons" in t and "article-1" in t and "article-2" in t for t in texts), texts
    assert "lesson" not in at.query_params
    same = app(lesson=["article-1", "article-1"])  # the same lesson twice is that lesson
    assert not [m for m in [*same.warning, *same.info] if "lessons" in m.value]
    assert same.session_state.config != app().session_state.config
