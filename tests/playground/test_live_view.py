"""The live view's messages: the compact format, what each view is mounted with, and the frames a
playing run sends (AppTest has no WebSocket, so they arrive in hidden elements; the browser
side is tested in tests/e2e)."""

import base64
import json
import struct

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.figures import network
from playground.live import stage
from playground.live.payload import MAGIC, Message, decode
from playground.live.views import CostCursor, figure_json
from playground.settings.build import build_trainer
from playground.settings.config import Config
from tests.playground.session import app
from tests.playground.views import figure, frames, view, views


def test_a_message_round_trips_its_header_and_arrays():
    message = Message(7)
    arrays = {"a": np.arange(6, dtype=np.int8).reshape(2, 3), "b": np.array([1.5, -2.25], np.float32)}
    message.add("network", {"note": "x"}, arrays)
    message.add("stats", {"items": [["Epoch", "epoch-counter", "3"]]})
    message.mount = {"slot": "network"}
    data = message.encode()
    assert data[:4] == MAGIC
    header, decoded = decode(data)
    assert header["seq"] == 7 and header["mount"] == {"slot": "network"}
    assert header["slots"]["network"] == {"note": "x"} and header["slots"]["stats"]["items"][0][2] == "3"
    for name, array in arrays.items():
        np.testing.assert_array_equal(decoded[("network", name)], array)
        assert decoded[("network", name)].dtype == array.dtype


def test_a_message_is_exactly_its_header_and_the_raw_bytes():
    message = Message(1)
    message.add("surface", {}, {"png": np.frombuffer(b"\x89PNG...", np.uint8)})
    data = message.encode()
    length = struct.unpack("<I", data[4:8])[0]
    header = json.loads(data[8:8 + length])
    assert header["blobs"] == [["surface", "png", "u8", [7], 0, 7]]
    assert data[8 + length:] == b"\x89PNG..."


@pytest.mark.parametrize("bad", [b"", b"PGv0" + bytes(8), b"not a message at all"])
def test_anything_else_is_refused(bad):
    with pytest.raises(ValueError):
        decode(bad)


def test_the_paused_page_mounts_four_views_with_everything_they_draw():
    at = app()
    assert set(views(at)) == {"stats", "network", "surface", "cost", "backup"}  # backup: hidden
    net = view(at, "network")
    sizes = [2, 4, 2, 1]
    links = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    assert net.arrays["codes"].shape == (links,) and net.arrays["ends"].shape == (links, 4)
    assert net.arrays["thumbs"].shape[0] == sum(sizes)
    trainer = at.session_state.trainer
    weights = np.concatenate([w.ravel() for w in trainer.net.weights])
    np.testing.assert_array_equal(net.arrays["codes"], network.link_codes(weights))
    assert len(net.frame["hover"]["links"]) == links and net.static["clickable"]
    assert [c["caption"] for c in net.static["columns"]] == ["", "4 neurons", "2 neurons", ""]
    for slot in ("surface", "cost"):
        go.Figure(figure(at, slot))  # plotly's validation raises on anything it would not draw


def test_playing_sends_one_message_a_frame_with_every_view_and_pausing_mounts_again(uncrowded,
                                                                                  roomy_frames):
    at = app(speed="5")
    at.session_state["max_frames"] = 4
    at.button(key="play").click().run()
    sent = frames(at)
    assert at.session_state.trainer.epoch == 20 and len(sent) >= 1
    header, arrays = sent[-1]
    assert {"stats", "network", "surface"} <= set(header["slots"])
    assert header["slots"]["stats"]["items"][0] == ["Epoch", "epoch-counter", "20"]
    assert arrays[("surface", "png")][:8].tobytes() == b"\x89PNG\r\n\x1a\n"
    assert header["slots"]["network"]["hover"] is None  # no hover while playing
    assert not at.session_state["playing"]  # max_frames spent: the loop ended, as a Pause would
    at.run()
    assert not frames(at) and view(at, "stats").frame["items"][0][2] == "20"


def test_frame_numbers_grow_across_runs_so_the_page_never_draws_an_old_frame():
    at = app(speed="5")
    first = view(at, "stats").seq
    at.button(key="step").click().run()
    assert view(at, "stats").seq > first
    at.session_state["max_frames"] = 2
    at.button(key="play").click().run()
    assert [h["seq"] for h, _ in frames(at)] == sorted(h["seq"] for h, _ in frames(at))
    assert min(h["seq"] for h, _ in frames(at)) > first


def test_a_frame_without_the_websocket_goes_into_the_hidden_element():
    class Place:
        html_text = None

        def html(self, text):
            self.html_text = text

    place = Place()
    publisher = stage.Publisher("a-token-nobody-connected", place)
    message = Message(3)
    message.add("stats", {"items": []})
    publisher.publish(message)
    body = place.html_text.removeprefix('<div class="pg-live-data" hidden>').removesuffix("</div>")
    assert decode(base64.b64decode(body))[0]["seq"] == 3
    assert publisher.taken(3) and not publisher.acked  # nobody to wait for


def test_the_cost_cursor_appends_new_points_and_asks_for_a_redraw_when_the_axis_changes():
    trainer = build_trainer(Config(), 0)
    trainer.step(3)
    cursor = CostCursor.after_drawing([trainer], log=False)
    assert cursor.step([trainer], log_scale=False) == ({"traces": [], "texts": {}}, {})
    trainer.step(2)
    data, arrays = cursor.step([trainer], log_scale=False)
    assert data["traces"] == [0, 1]
    np.testing.assert_array_equal(arrays["x0"], [4, 5])
    np.testing.assert_array_equal(arrays["y0"], trainer.history.train_loss[-2:])
    assert cursor.step([trainer], log_scale=True) is None  # a log axis now: redraw


def test_projector_cost_curve_has_room_for_its_axis_titles_under_the_larger_ticks():
    """Regression: in projector mode the cost curve's ticks grew to 18 px in the default 36 px
    bottom margin, and "epoch" was drawn over the tick labels."""
    from playground.figures.cost import cost_curve_figure
    from playground.live.views import PROJECTOR_FONT_PX, Look

    epochs, loss = np.arange(5.0), np.linspace(1.0, 0.2, 5)
    plain = cost_curve_figure(epochs, loss, loss, log_scale=False)
    styled = Look(projector=True).style(cost_curve_figure(epochs, loss, loss, log_scale=False))
    assert styled.layout.xaxis.tickfont.size == PROJECTOR_FONT_PX
    # tick labels and the title below them, one line each at 18 px, plus the tick length and gaps
    assert styled.layout.margin.b >= 2 * PROJECTOR_FONT_PX + 12 > plain.layout.margin.b
    assert styled.layout.margin.l > plain.layout.margin.l
    laptop = Look(projector=False).style(cost_curve_figure(epochs, loss, loss, log_scale=False))
    assert laptop.layout.margin.b == plain.layout.margin.b


def test_in_compare_mode_the_two_cost_curves_take_turns(uncrowded, monkeypatch):
    """A cost-curve redraw costs the browser ~30 ms: in compare mode A's curve and A-and-B's take
    turns when the curves are due (here every frame), never both in one frame."""
    from playground.live import pacing

    monkeypatch.setattr(pacing, "COST_SECONDS", 0.0)
    sent, publish = [], stage.Publisher.publish

    def recorded(self, message):
        sent.append(decode(message.encode())[0])
        publish(self, message)

    monkeypatch.setattr(stage.Publisher, "publish", recorded)
    at = app(speed="5")
    at.toggle(key="cls_compare_on").set_value(True).run()
    assert {"compare_surface", "compare_cost"} <= set(views(at))
    at.session_state["max_frames"] = 6
    at.button(key="play").click().run()
    costs = [tuple(slot for slot in ("cost", "compare_cost") if slot in header["slots"]) for header in sent]
    assert len(costs) >= 4 and all(len(c) == 1 for c in costs), costs
    assert [c[0] for c in costs[:4]] in (["cost", "compare_cost"] * 2, ["compare_cost", "cost"] * 2)


ARRAY_DTYPES = ["float64", "float32", "int64", "int32", "int16", "int8", "uint32", "uint16", "uint8"]


@settings(max_examples=60, deadline=None)
@given(dtype=st.sampled_from(ARRAY_DTYPES), n=st.integers(0, 40), rows=st.integers(1, 5),
       seed=st.integers(0, 2**32 - 1))
def test_a_plain_figure_has_every_array_as_a_list_of_its_values(dtype, n, rows, seed):
    """The cost curves are extended in the browser (Plotly.extendTraces), which refuses plotly's
    base64 typed arrays ("cannot extend missing or non-array attribute: x"). Regression: plotly 6
    encodes numpy arrays in to_plotly_json already, so the 'plain' figure carried {dtype, bdata}
    and after any Step or Pause the curve froze or stayed empty while playing."""
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-100, 100, n) if dtype.startswith("float") else rng.integers(0, 100, n)).astype(dtype)
    z = rng.integers(0, 100, (rows, 3)).astype(dtype)
    figure = go.Figure([go.Scatter(x=x, y=x[::-1]), go.Heatmap(z=z)])
    data = figure_json(figure, plain=True)["data"]
    assert "bdata" not in json.dumps(data)
    assert data[0]["x"] == x.tolist() and data[0]["y"] == x[::-1].tolist()
    assert data[1]["z"] == z.tolist()
    assert "bdata" in json.dumps(figure_json(figure)["data"]) or n == 0  # compact when not plain


def test_every_cost_curve_the_browser_extends_is_mounted_with_plain_arrays():
    """After a Step (the history is numpy arrays now), A's curve and compare mode's both carry
    the epochs and losses as lists of numbers."""
    at = app()
    at.toggle(key="cls_compare_on").set_value(True).run()
    at.button(key="step").click().run()
    at.button(key="step").click().run()
    history = at.session_state.trainer.history
    for slot in ("cost", "compare_cost"):
        traces = figure(at, slot)["data"]
        assert traces and all(isinstance(t["x"], list) and isinstance(t["y"], list) for t in traces), slot
    train = figure(at, "cost")["data"][0]
    assert train["x"] == [1, 2] and train["y"] == pytest.approx(list(history.train_loss))
