"""A paused click's new picture goes over the page's live WebSocket before the rerun's elements
(playground.live.early): the stats, the diagram's links and neurons and the surface's picture,
the same as the mounts that follow; none while playing or in the Gradients view. The browser
side (drawn at the next animation frame; a frame that does not fit the drawn diagram is left
for the mount) is in tests/e2e/test_playground.py."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from playground.live.hub import frame_hub
from playground.live.payload import decode
from playground.session.keys import LIVE_TOKEN
from tests.playground.routes import routed_app, take
from tests.playground.session import app
from tests.playground.views import png_pixels, view


class NoLoop:
    """An open page's WebSocket, as the hub sees it (its loop is woken; nothing is sent here)."""

    def call_soon_threadsafe(self, callback, *args):
        pass


@pytest.fixture
def page_socket():
    """Open a fake live WebSocket for an AppTest session's channel; yields a function that takes
    the frame published since the last call (None: nothing)."""
    opened = []

    def connect(at):
        channel = frame_hub().channel(at.session_state[LIVE_TOKEN.name])
        handle = (NoLoop(), threading.Event())  # the hub wakes it with .set()
        channel.attach(*handle)
        opened.append((channel, handle))
        return lambda: (lambda frame: None if frame is None else decode(frame[1]))(channel.take())

    yield connect
    for channel, handle in opened:
        channel.detach(*handle)


def test_a_step_sends_its_picture_first_and_it_is_the_mounts_picture(page_socket):
    at = app()
    take = page_socket(at)
    assert take() is None  # nothing was published before the page connected
    at.button(key="step").click().run()
    header, arrays = take()
    assert set(header["slots"]) == {"stats", "network", "surface"}
    items = {item_id: text for _, item_id, text in header["slots"]["stats"]["items"]}
    assert items["epoch-counter"] == "1" == str(at.session_state.trainer.epoch)
    network, surface = view(at, "network"), view(at, "surface")
    assert header["seq"] < network.seq  # ahead of the mounts, which repeat the same picture
    np.testing.assert_array_equal(arrays[("network", "codes")], network.arrays["codes"])
    np.testing.assert_array_equal(arrays[("network", "thumbs")], network.arrays["thumbs"])
    np.testing.assert_array_equal(png_pixels(arrays[("surface", "png")]),
                                  png_pixels(surface.static["figure"]["layout"]["images"][0]["source"]))


def test_a_structure_change_sends_a_frame_for_the_new_diagram(page_socket):
    at = routed_app()
    frame_of = page_socket(at)
    take(at, "structure", {"layers": 1})  # the diagram's + for a layer
    sizes = at.session_state.trainer.net.layer_sizes
    assert len(sizes) == 5  # 2 → 4, 2, 2 → 1
    header, arrays = frame_of()
    assert arrays[("network", "thumbs")].shape[0] == sum(sizes)  # the new diagram's neurons
    assert len(arrays[("network", "codes")]) == len(view(at, "network").arrays["codes"])


def test_no_early_frame_in_the_gradients_view_or_without_a_page(page_socket):
    at = app(gradients="1")
    take = page_socket(at)
    at.button(key="step").click().run()
    assert take() is None and at.session_state.trainer.epoch == 1
    quiet = app()  # no page connected: the mounts alone
    quiet.button(key="step").click().run()
    channel = frame_hub().channel(quiet.session_state[LIVE_TOKEN.name])
    assert channel.take() is None and not quiet.exception


def test_the_run_draws_its_elements_only_after_the_page_took_the_early_frame(page_socket, monkeypatch):
    """The browser cannot draw while it renders the rerun's messages: the run waits until the page
    took its frame (the hub's "taken"), here 50 ms after it was sent, then sends its elements."""
    import time

    from playground import frame
    from playground.live import early

    at = app()
    page_socket(at)
    channel = frame_hub().channel(at.session_state[LIVE_TOKEN.name])
    events, publish, setup = [], channel.publish, frame.page_setup

    def published(seq, message):
        events.append(("sent", seq))
        publish(seq, message)
        threading.Timer(0.05, lambda: (events.append(("taken", seq)), channel.mark_taken(seq))).start()

    def page_setup(*args, **kwargs):
        events.append(("elements", None))
        return setup(*args, **kwargs)

    monkeypatch.setattr(channel, "publish", published)
    monkeypatch.setattr(frame, "page_setup", page_setup)
    start = time.monotonic()
    at.button(key="step").click().run()
    assert [kind for kind, _ in events] == ["sent", "taken", "elements"]
    assert events[0][1] == events[1][1]
    assert early.ANSWER_WAIT_S <= 0.2  # a hidden tab, which never takes it, costs a run this at most
    assert time.monotonic() - start >= 0.05


def test_a_page_that_never_takes_the_frame_delays_the_run_by_the_wait_at_most(page_socket, monkeypatch):
    from playground.live import early, stage

    waits = []
    wait_taken = stage.Publisher.wait_taken

    def recorded(self, seq, timeout=stage.TAKE_TIMEOUT_S):
        waits.append(timeout)
        return wait_taken(self, seq, timeout)

    monkeypatch.setattr(stage.Publisher, "wait_taken", recorded)
    at = app()
    page_socket(at)
    at.button(key="step").click().run()
    assert waits == [early.ANSWER_WAIT_S] and not at.exception and at.session_state.trainer.epoch == 1
